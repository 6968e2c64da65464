"""The check before a pseudonymised export: words that look like names the register lacks, for the researcher
to register (inline, one undo step each) or to export anyway.

`NameCheck` reads the candidates on a worker with its own read-only connection (on a big project the check
reads every excerpt), then either goes straight on (nothing found) or asks with `NameCheckDialog`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import Filter
from qcode.core.project import NameSuggestion as Suggestion
from qcode.core.project import Project, unregistered_names
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.names import AddName
from qcode.gui.support.tables import fill_rows, row_table
from qcode.gui.support.workers import CoreTask, ProgressTask


def next_pseudonym(project: Project) -> str:
    """P01, P02 ...: the first of these the register does not use yet."""
    used = {e.pseudonym.casefold() for e in project.name_register()}
    number = 1
    while f"p{number:02d}" in used:
        number += 1
    return f"P{number:02d}"


class NameCheckDialog(QDialog):
    """The candidates (term, count, example); add the selected one to the register, export anyway, or cancel."""

    def __init__(self, project: Project, undo_stack: QUndoStack, found: list[Suggestion],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.setWindowTitle("Check the names before exporting")
        self.resize(780, 460)
        intro = QLabel("The pseudonymised export would still show these words, which look like names the "
                       "register lacks. Add the ones that name someone or somewhere to the register, or export "
                       "anyway if they are not names.")
        intro.setWordWrap(True)
        self.table = row_table("Words that look like names", ["Word", "Times", "Example"], stretch=[2], one_row=True)
        fill_rows(self.table, ((s.term, str(s.occurrences), s.example) for s in found), tooltips=True)
        self.table.resizeColumnToContents(0)

        self.pseudonym = QLineEdit(next_pseudonym(project))
        self.pseudonym.setAccessibleName("Pseudonym for the selected word")
        self.pseudonym.returnPressed.connect(self.add_selected)
        self.add_button = QPushButton("&Add to the register")
        self.add_button.clicked.connect(self.add_selected)
        adding = QHBoxLayout()
        adding.addWidget(QLabel("Pseudonym:"))
        adding.addWidget(self.pseudonym)
        adding.addWidget(self.add_button)
        for widget in (self.pseudonym, self.add_button):
            widget.setEnabled(not project.readonly)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addLayout(adding)
        layout.addWidget(self.buttons)
        if found:
            self.table.selectRow(0)
        self._label_export()

    def terms(self) -> list[str]:
        """The words still listed."""
        return [item.text() for row in range(self.table.rowCount()) if (item := self.table.item(row, 0))]

    def _label_export(self) -> None:
        self.export_button.setText("&Export anyway" if self.table.rowCount() else "&Export")

    def add_selected(self) -> bool:
        """Register the selected word with the pseudonym given (one undo step); it leaves the list."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        if not rows:
            return False
        item = self.table.item(rows[0], 0)
        if item is None:
            return False
        if not push_or_warn(self.undo_stack, AddName(self.project, item.text(), self.pseudonym.text()), self):
            return False
        self.table.removeRow(rows[0])
        self.pseudonym.setText(next_pseudonym(self.project))
        if self.table.rowCount():
            self.table.selectRow(min(rows[0], self.table.rowCount() - 1))
        self._label_export()
        return True


class NameCheck(QObject):
    """One check before one export: `start()` reads on a worker, then calls `proceed` (nothing found, or the
    researcher chose to export) or `stopped` (cancelled, or the check was refused: its message is shown)."""

    def __init__(self, parent: QWidget, project: Project, undo_stack: QUndoStack, *, flt: Filter, scope: str,
                 proceed: Callable[[], None], stopped: Callable[[], None]) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.project = project
        self.undo_stack = undo_stack
        self.flt = flt
        self.scope = scope
        self.proceed = proceed
        self.stopped = stopped
        self.task: ProgressTask | None = None  # the check on its worker
        self.dialog: NameCheckDialog | None = None

    def start(self) -> ProgressTask:
        path: Path = self.project.path
        flt, scope = self.flt, self.scope
        coder = self.project.viewer().name  # in blind coding, the export writes this coder's codings only

        def work(task: CoreTask) -> list[Suggestion]:
            with Project.open(path, mode="read", coder=coder) as reader:  # the worker's own connection
                return unregistered_names(reader, flt, scope=scope, progress=task)

        self.task = ProgressTask(self.parent_widget, work, label="Checking for names the register lacks…",
                                 error_title="Export", finished=self._checked, failed=self.stopped,
                                 cancelled=self.stopped).start()
        return self.task

    def _checked(self, found: list[Suggestion]) -> None:
        if self.task is not None and self.task.cancelled():  # the researcher pressed Cancel meanwhile
            self.stopped()
            return
        if not found:
            self.proceed()
            return
        self.dialog = NameCheckDialog(self.project, self.undo_stack, found, self.parent_widget)
        self.dialog.accepted.connect(self.proceed)
        self.dialog.rejected.connect(self.stopped)
        self.dialog.open()
