"""What the Cases panel asks of the window: add the shown source or the selected passage to a case, open a
case's part, and show a case's memo."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDockWidget

if TYPE_CHECKING:
    from qcode.gui.main_window import MainWindow


class CaseActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        table = window.cases_table
        table.assign_requested.connect(self.assign_to_case)
        table.open_requested.connect(self.open_member)
        table.case_selected.connect(self.case_selected)
        table.memo_requested.connect(self.show_case_memo)

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 5000)

    def assign_to_case(self, case_id: int, passage: bool = False) -> None:
        """Make the shown source (whole), or the passage selected in it (`passage`), part of a case."""
        document, table = self.window.document, self.window.cases_table
        if document.source_id is None:
            self._status("Open a source first, then add it (or a selected passage) to the case.")
            return
        if passage:
            selection = document.selection()
            if selection is None:
                self._status("Select a passage in the document first, then add it to the case.")
                return
            table.assign_source(case_id, document.source_id, *selection)
        else:
            table.assign_source(case_id, document.source_id)

    def open_member(self, source_id: int, start: int, end: int) -> None:
        """A passage of the case opens selected; a whole source opens at its start."""
        if end > start:
            self.window.open_excerpt(source_id, start, end)
        else:
            self.window.show_source(source_id)

    def case_selected(self, case_id: int | None) -> None:
        if case_id is not None:
            project = self.window.project
            self.window.memo_panel.set_target("case", case_id, f"case '{project.case(case_id).name}'")

    def show_case_memo(self, case_id: int) -> None:
        """The case's memo in the Memo panel, brought forward with the keyboard in it."""
        self.case_selected(case_id)
        memo_dock = self.window.memo_panel.parentWidget()
        if isinstance(memo_dock, QDockWidget):
            memo_dock.show()
            memo_dock.raise_()
        self.window.memo_panel.editor.setFocus()
