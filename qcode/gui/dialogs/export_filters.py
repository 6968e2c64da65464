"""The filters of the Export dialog: codes, folders, sources, cases, attribute values and coders.

Each filter is a button that opens a checklist (it stays open while boxes are ticked) and names what is
chosen; nothing ticked means everything. The result is the core's shared query `Filter`, plus a sentence for
the report's title page.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from qcode.core.model import Filter
from qcode.core.project import EXPORT_FILTERS as FILTER_OPTIONS
from qcode.core.project import Project


class ChoiceButton(QToolButton):
    """A drop-down checklist; its text says what is ticked ('All codes', 'Trust', '3 codes')."""

    changed = Signal()

    def __init__(self, everything: str, noun: str, items: list[tuple[str, object]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.everything, self.noun = everything, noun
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list = QListWidget()
        self.list.setMinimumWidth(320)
        self.list.setMaximumHeight(320)
        for label, data in items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, data)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.list)
        menu.addAction(action)
        self.setMenu(menu)
        self.list.itemChanged.connect(self._update)
        self.setEnabled(bool(items))
        self._update()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def chosen(self) -> list:
        return [i.data(Qt.ItemDataRole.UserRole) for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def chosen_labels(self) -> list[str]:
        return [i.text() for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def choose(self, values: list) -> None:
        """Tick exactly the items whose data is in `values`."""
        for item in self._items():
            on = item.data(Qt.ItemDataRole.UserRole) in values
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update(self, *_: object) -> None:
        labels = self.chosen_labels()
        if not labels:
            self.setText(self.everything)
        elif len(labels) == 1:
            self.setText(labels[0])
        else:
            self.setText(f"{len(labels)} {self.noun}")
        self.setToolTip("\n".join(labels) or self.everything)
        self.changed.emit()


class ExportFilters:
    """The six filter buttons of the Export dialog, built from the project."""

    def __init__(self, project: Project) -> None:
        self.codes = ChoiceButton("All codes", "codes",
                                  [(project.code_path(c.id, separator=" > "), c.id) for c in project.codes()])
        folders = project.folders()
        self.folders = ChoiceButton("All folders", "folders", [(_folder_path(folders, f.id), f.id) for f in folders])
        self.sources = ChoiceButton("All sources", "sources",
                                    [(project.source_path(s.id), s.id) for s in project.sources()])
        self.cases = ChoiceButton("All cases", "cases", [(c.name, c.id) for c in project.cases()])
        self.attributes = ChoiceButton("Any attribute values", "attribute values", _attribute_choices(project))
        self.coders = ChoiceButton("All coders", "coders", [(c.name, c.id) for c in project.coders()])
        for button, name in ((self.codes, "Code filter"), (self.folders, "Folder filter"),
                             (self.sources, "Source filter"), (self.cases, "Case filter"),
                             (self.attributes, "Attribute value filter"), (self.coders, "Coder filter")):
            button.setAccessibleName(name)

    def rows(self) -> list[tuple[str, ChoiceButton]]:
        return [("C&odes:", self.codes), ("Fol&ders:", self.folders), ("&Sources:", self.sources),
                ("C&ases:", self.cases), ("Attri&butes:", self.attributes), ("Cod&ers:", self.coders)]

    def _by_option(self) -> list[tuple[str, str, ChoiceButton]]:
        """(export option, noun, button) for each filter."""
        return [("code", "codes", self.codes), ("folder", "folders", self.folders),
                ("source", "sources", self.sources), ("case", "cases", self.cases),
                ("where", "attribute values", self.attributes), ("coder", "coders", self.coders)]

    def set_accepted(self, accepts: frozenset[str] | set[str]) -> None:
        """Enable the filters the chosen export applies; the others are disabled and not passed on."""
        for option, _, button in self._by_option():
            button.setEnabled(option in accepts and button.list.count() > 0)

    def filter(self, accepts: frozenset[str] | set[str] = frozenset(FILTER_OPTIONS)) -> Filter:
        def chosen(option: str, button: ChoiceButton) -> tuple:
            return tuple(button.chosen()) if option in accepts else ()

        return Filter(codes=chosen("code", self.codes), folders=chosen("folder", self.folders),
                      sources=chosen("source", self.sources), cases=chosen("case", self.cases),
                      coders=chosen("coder", self.coders), attributes=chosen("where", self.attributes))

    def describe(self, accepts: frozenset[str] | set[str] = frozenset(FILTER_OPTIONS)) -> str:
        """The filters in words, for the report's title page ('' when nothing is filtered)."""
        parts = []
        for option, noun, button in self._by_option():
            labels = button.chosen_labels() if option in accepts else []
            if labels:
                parts.append(f"{noun} {', '.join(labels)}")
        return "; ".join(parts)


def _folder_path(folders: list, folder_id: int) -> str:
    by_id = {f.id: f for f in folders}
    names = []
    current = by_id.get(folder_id)
    while current is not None:
        names.append(current.name)
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    return "/".join(reversed(names))


def _attribute_choices(project: Project) -> list[tuple[str, tuple[int, object]]]:
    """Every value that some case or source has, as 'Name = value' with its (attribute id, value) pair."""
    owners = {"case": [c.id for c in project.cases()], "source": [s.id for s in project.sources()]}
    choices = []
    for attribute in project.attributes():
        values: dict[str, object] = {}  # shown text -> the stored value (numbers stay numbers for the query)
        for owner in owners.get(attribute.scope, []):
            value = project.attribute_values(attribute.scope, owner).get(attribute.name)
            if value not in (None, ""):
                values.setdefault(str(value), value)
        for text in sorted(values, key=_natural):
            choices.append((f"{attribute.name} = {text}", (attribute.id, values[text])))
    return choices


def _natural(text: str) -> tuple:
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text.casefold())
