"""The memo panel: the memo of the current source, the selected code, or the project journal.

It saves as you type (after a short pause), each pause's edit being one undoable step.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from qcode.core.errors import NotFoundError, QcodeError
from qcode.core.project import Project
from qcode.gui.commands.base import push
from qcode.gui.commands.memos import EditMemo
from qcode.gui.support.plain_text import plain_label

SAVE_DELAY_MS = 800


class MemoPanel(QWidget):
    def __init__(self, project: Project, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.project = project
        self.undo_stack = undo_stack
        self.kind: str | None = None
        self.target_id: int | None = None
        self.label = ""
        self._saved = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.title = plain_label(QLabel("No memo chosen"))
        journal = QPushButton("Project journal")
        journal.setAccessibleName("Show the project journal")
        journal.clicked.connect(lambda: self.set_target("project", None, "the project journal"))
        top.addWidget(self.title, 1)
        top.addWidget(journal)
        layout.addLayout(top)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Memo text")
        self.editor.setPlaceholderText("Write a memo…")
        self.editor.setReadOnly(True)
        layout.addWidget(self.editor)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        self.editor.textChanged.connect(self._typed)

    def set_target(self, kind: str | None, target_id: int | None, label: str) -> None:
        self.save()
        self.kind, self.target_id, self.label = kind, target_id, label
        self.title.setText(f"Memo on {label}" if kind else "No memo chosen")
        self.refresh(force=True)

    def refresh(self, force: bool = False) -> None:
        """Show the stored text (unless the user is in the middle of typing)."""
        if self.timer.isActive() and not force:
            return
        text = ""
        if self.kind is not None:
            try:
                memo = self.project.memo(self.kind, self.target_id)
            except NotFoundError:  # the target was deleted
                self.kind, self.target_id = None, None
                self.title.setText("No memo chosen")
                memo = None
            text = memo.text if memo else ""
        self._saved = text
        if self.editor.toPlainText() != text:
            self.editor.blockSignals(True)
            self.editor.setPlainText(text)
            self.editor.blockSignals(False)
        self.editor.setReadOnly(self.kind is None or self.project.readonly)

    def _typed(self) -> None:
        if self.kind is not None and not self.project.readonly:
            self.timer.start()

    def save(self) -> None:
        """Store the text now (called after a pause, and before the target changes)."""
        self.timer.stop()
        if self.kind is None or self.project.readonly or not self.project.is_open:
            return
        text = self.editor.toPlainText()
        if text == self._saved:
            return
        try:
            push(self.undo_stack, EditMemo(self.project, self.kind, self.target_id, self._saved, text, self.label))
        except QcodeError:
            return
        self._saved = text
