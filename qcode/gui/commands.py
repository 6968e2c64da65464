"""Undo commands: each wraps one core call and its inverse, nothing more."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from qcode.core.model import Coding
from qcode.core.project import Project


class ApplyCode(QUndoCommand):
    def __init__(self, project: Project, source_id: int, code_id: int, start: int, end: int, label: str) -> None:
        super().__init__(f"Apply code '{label}'")
        self.project = project
        self.args = (source_id, code_id, start, end)
        self.coding: Coding | None = None

    def redo(self) -> None:
        if self.coding is None:
            self.coding = self.project.add_coding(*self.args)
        else:
            self.project.restore_coding(self.coding)

    def undo(self) -> None:
        if self.coding is not None:
            self.project.remove_coding(self.coding.id)


class RemoveCoding(QUndoCommand):
    def __init__(self, project: Project, coding: Coding, label: str) -> None:
        super().__init__(f"Remove coding '{label}'")
        self.project = project
        self.coding = coding

    def redo(self) -> None:
        self.project.remove_coding(self.coding.id)

    def undo(self) -> None:
        self.project.restore_coding(self.coding)
