"""The shared filters (codes, folders, sources, cases, attribute values, coders) for a panel's list.

A "Filters…" button opens the Export dialog's filter widget (`ExportFilters`), built afresh from the project
each time so that new codes, cases and values are offered; the bar then names what is filtered and has a
button that clears it. The result is the core's `Filter`, the same query the CLI and the exports use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.dialogs.export_filters import ChoiceButton, ExportFilters
from qcode.gui.support.plain_text import plain_label

KINDS = ("codes", "folders", "sources", "cases", "attributes", "coders")


class FilterBar(QWidget):
    """A compact row: the Filters… button, what is filtered, and Clear."""

    changed = Signal()

    def __init__(self, project: Project, *, kinds: tuple[str, ...] = KINDS, what: str = "the list",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.kinds = tuple(k for k in KINDS if k in kinds)
        self.what = what
        self.chosen: dict[str, list] = {}  # kind -> the values ticked
        self.description = ""
        self.dialog: QDialog | None = None
        self.button = QToolButton()
        self.button.setText("Filters…")
        self.button.setAccessibleName(f"Filter {what}")
        self.button.setToolTip(f"Narrow {what} by {', '.join(k.replace('attributes', 'attribute values') for k in self.kinds)}")
        self.button.clicked.connect(lambda: self.open_dialog())
        self.label = plain_label(QLabel())
        self.label.setAccessibleName(f"Filters of {what}")
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear filters")
        self.clear_button.setAccessibleName(f"Clear the filters of {what}")
        self.clear_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.clear_button)
        self._show()

    def filter(self) -> Filter:
        """The chosen filters (an empty Filter when nothing is chosen)."""
        get = self.chosen.get
        return Filter(codes=tuple(get("codes", ())), folders=tuple(get("folders", ())),
                      sources=tuple(get("sources", ())), cases=tuple(get("cases", ())),
                      attributes=tuple(get("attributes", ())), coders=tuple(get("coders", ())))

    def choose(self, **values: list) -> None:
        """Set the filters directly (kind=[values]; an empty list clears that kind)."""
        for kind, chosen in values.items():
            if kind not in self.kinds:
                raise ValueError(f"this bar has no {kind} filter")
            self.chosen[kind] = list(chosen)
        self._apply_description(None)

    def clear(self) -> None:
        if any(self.chosen.values()):
            self.chosen = {}
            self._apply_description(None)

    def open_dialog(self) -> QDialog:
        """The filter widget of the Export dialog, with the current choices ticked."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Filter {self.what}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form = QFormLayout(dialog)
        filters = ExportFilters(self.project)
        buttons = dict(zip(KINDS, (label_button for label_button in filters.rows()), strict=True))
        for kind in self.kinds:
            label, button = buttons[kind]
            button.choose(self.chosen.get(kind, []))
            form.addRow(label, button)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self._accept(dialog, {k: buttons[k][1] for k in self.kinds}, filters))
        box.rejected.connect(dialog.reject)
        form.addRow(box)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _accept(self, dialog: QDialog, buttons: dict[str, ChoiceButton], filters: ExportFilters) -> None:
        self.chosen = {kind: button.chosen() for kind, button in buttons.items()}
        self._apply_description(filters)
        dialog.accept()

    def _apply_description(self, filters: ExportFilters | None) -> None:
        if filters is None:  # chosen in code: name them from a fresh widget
            filters = ExportFilters(self.project)
            buttons = dict(zip(KINDS, (b for _label, b in filters.rows()), strict=True))
            for kind in KINDS:
                buttons[kind].choose(self.chosen.get(kind, []) if kind in self.kinds else [])
        self.description = filters.describe() if any(self.chosen.values()) else ""
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        self.label.setText(f"Only {self.description}" if self.description else "No filters")
        self.label.setToolTip("")
        self.clear_button.setEnabled(bool(self.description))
