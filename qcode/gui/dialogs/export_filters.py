"""The filters of the Export dialog: codes, folders, sources, cases, attribute values and coders.

Each filter is a button that opens a checklist (it stays open while boxes are ticked) and names what is
chosen; nothing ticked means everything. The result is the core's shared query `Filter`, plus a sentence for
the report's title page.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

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
    """A drop-down checklist; its text says what is ticked ('All codes', 'Trust', '3 codes'). The checklist's
    items are made when it first opens (or `list` is first read): 2,000 sources' items cost a dialog that
    offers them some 50 ms, for a list most filter dialogs never open."""

    changed = Signal()

    def __init__(self, everything: str, noun: str, items: builtins.list[tuple[str, object]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.everything, self.noun = everything, noun
        self.items = list(items)
        self._ticked: builtins.list = []  # the values ticked while the checklist is not made
        self._list: QListWidget | None = None
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        menu = QMenu(self)
        menu.aboutToShow.connect(self._fill)
        self.setMenu(menu)
        self.setEnabled(bool(items))
        self._update()

    @property
    def list(self) -> QListWidget:
        """The checklist (made on first use)."""
        self._fill()
        assert self._list is not None
        return self._list

    def _fill(self) -> None:
        if self._list is not None:
            return
        checklist = QListWidget()
        checklist.setMinimumWidth(320)
        checklist.setMaximumHeight(320)
        ticked = self._ticked
        for label, data in self.items:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, data)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if data in ticked else Qt.CheckState.Unchecked)
            checklist.addItem(item)
        menu = self.menu()
        action = QWidgetAction(menu)
        action.setDefaultWidget(checklist)
        menu.addAction(action)
        self._list = checklist
        checklist.itemChanged.connect(self._update)

    def _items(self) -> builtins.list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def count(self) -> int:
        """How many values the checklist offers."""
        return len(self.items)

    def chosen(self) -> builtins.list:
        if self._list is None:
            return [data for _label, data in self.items if data in self._ticked]
        return [i.data(Qt.ItemDataRole.UserRole) for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def chosen_labels(self) -> builtins.list[str]:
        if self._list is None:
            return [label for label, data in self.items if data in self._ticked]
        return [i.text() for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def choose(self, values: builtins.list) -> None:
        """Tick exactly the items whose data is in `values`."""
        if self._list is None:
            self._ticked = list(values)
            self._update()
            return
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


Choice = tuple[str, object]  # (the label shown, the value the Filter takes)
#: the filters in their order, each with the noun that names it in words
FILTER_NOUNS = (("codes", "codes"), ("folders", "folders"), ("sources", "sources"), ("cases", "cases"),
                ("attributes", "attribute values"), ("coders", "coders"))


@dataclass(frozen=True)
class FilterChoices:
    """What each filter offers, read from the project as plain values (no Qt): built once and reused until
    the codebook, folders, sources, cases, attributes or coders change, and readable on a worker (2,000
    sources with attributes take about a quarter of a second)."""

    codes: tuple[Choice, ...]
    folders: tuple[Choice, ...]
    sources: tuple[Choice, ...]
    cases: tuple[Choice, ...]
    attributes: tuple[Choice, ...]
    coders: tuple[Choice, ...]

    def labels(self, kind: str, values: list | tuple) -> list[str]:
        """The labels of the chosen `values` of a filter, in the order the filter lists them."""
        wanted = list(values)
        return [label for label, value in getattr(self, kind) if value in wanted]

    def describe(self, chosen: dict[str, list]) -> str:
        """The chosen values (kind -> values) in words, as `ExportFilters.describe` says them."""
        parts = []
        for kind, noun in FILTER_NOUNS:
            labels = self.labels(kind, chosen.get(kind, [])) if chosen.get(kind) else []
            if labels:
                parts.append(f"{noun} {', '.join(labels)}")
        return "; ".join(parts)


def filter_choices(project: Project) -> FilterChoices:
    """Every filter's choices from the project (core reads only: may run on a worker's own project)."""
    folders = project.folders()
    code_paths, source_paths = project.code_paths(separator=" > "), project.source_paths()
    return FilterChoices(
        codes=tuple((code_paths[c.id], c.id) for c in project.codes()),
        folders=tuple((_folder_path(folders, f.id), f.id) for f in folders),
        sources=tuple((source_paths[s.id], s.id) for s in project.sources()),
        cases=tuple((c.name, c.id) for c in project.cases()),
        attributes=tuple(_attribute_choices(project)),
        coders=tuple((c.name, c.id) for c in project.coders()))


class ExportFilters:
    """The six filter buttons of the Export dialog, built from the project (or from its `FilterChoices`
    read before, which is quicker)."""

    def __init__(self, project: Project, choices: FilterChoices | None = None) -> None:
        if choices is None:
            choices = filter_choices(project)
        self.choices = choices
        self.codes = ChoiceButton("All codes", "codes", list(choices.codes))
        self.folders = ChoiceButton("All folders", "folders", list(choices.folders))
        self.sources = ChoiceButton("All sources", "sources", list(choices.sources))
        self.cases = ChoiceButton("All cases", "cases", list(choices.cases))
        self.attributes = ChoiceButton("Any attribute values", "attribute values", list(choices.attributes))
        self.coders = ChoiceButton("All coders", "coders", list(choices.coders))
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
            button.setEnabled(option in accepts and button.count() > 0)

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
