"""The definition form of the selected code: name, colour, definition, inclusion and exclusion criteria, example.

Text fields save after a short pause in typing and when the field is left, each save one undoable step
(as in the memo panel). The form follows the selected code and shows external changes (an undo).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QFocusEvent, QUndoStack
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import NotFoundError
from qcode.core.project import CODE_TEXT_FIELDS as TEXT_FIELDS
from qcode.core.project import Project
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.codebook import EditCode
from qcode.gui.models.project_trees import swatch
from qcode.gui.support.plain_text import plain_label

SAVE_DELAY_MS = 800

_LABELS = {
    "definition": ("Definition", "What the code means, in a sentence or two."),
    "inclusion": ("Inclusion criteria", "When to use this code."),
    "exclusion": ("Exclusion criteria", "When not to use it: near misses, and the code to use instead."),
    "example": ("Example", "A typical passage, quoted."),
}
_LINES = {"definition": 4, "inclusion": 3, "exclusion": 3, "example": 3}


class _FieldEdit(QPlainTextEdit):
    """A text field that says when the user leaves it (so the edit is saved at once)."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class CodeForm(QWidget):
    """The fields of one code; every change goes through the undo stack as an EditCode."""

    def __init__(self, project: Project, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.project = project
        self.undo_stack = undo_stack
        self.code_id: int | None = None
        self._saved: dict[str, str] = {}
        self.setAccessibleName("Code definition")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.title = plain_label(QLabel())
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Code path")
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        outer.addWidget(self.title)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(4)
        outer.addLayout(form)

        top = QHBoxLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName("Code name")
        self.name.editingFinished.connect(self._rename)
        self.color = QPushButton()
        self.color.setAccessibleName("Code colour")
        self.color.setToolTip("Change the code's colour")
        self.color.clicked.connect(self._choose_color)
        top.addWidget(self.name, 1)
        top.addWidget(self.color)
        form.addRow("Name", top)

        self.fields: dict[str, _FieldEdit] = {}
        for key in TEXT_FIELDS:
            label, hint = _LABELS[key]
            edit = _FieldEdit()
            edit.setAccessibleName(label)
            edit.setPlaceholderText(hint)
            edit.setTabChangesFocus(True)
            margins = edit.contentsMargins().top() + edit.contentsMargins().bottom()
            edit.setFixedHeight(edit.fontMetrics().lineSpacing() * _LINES[key] + 2 * edit.document().documentMargin()
                                + margins + 2)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            edit.textChanged.connect(self._typed)
            edit.left.connect(self.save)
            form.addRow(label, edit)
            self.fields[key] = edit

        outer.addStretch(1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        self.set_code(None)

    # --- following the selection and the project ----------------------------------------------------

    def set_code(self, code_id: int | None) -> None:
        """Show a code (None: an empty, disabled form); a pending edit of the previous code is saved first."""
        if code_id == self.code_id and code_id is not None:
            self.refresh()
            return
        pending = self._changes()
        self.timer.stop()
        previous, self.code_id = self.code_id, code_id
        self.refresh(force=True)
        if pending and previous is not None:
            # stored once the selection change is over (storing rebuilds the code tree)
            QTimer.singleShot(0, lambda: self._store(previous, pending))

    def refresh(self, force: bool = False) -> None:
        """Show the stored values (a field the user is typing in keeps its text until it is saved)."""
        code = None
        if self.code_id is not None:
            try:
                code = self.project.code(self.code_id)
            except NotFoundError:  # deleted, or merged away
                self.code_id = None
        editable = code is not None and not self.project.readonly
        typing = self.timer.isActive() and not force
        self._saved = {key: getattr(code, key) for key in TEXT_FIELDS} if code else dict.fromkeys(TEXT_FIELDS, "")
        for key, edit in self.fields.items():
            if typing and edit.toPlainText() != self._saved[key]:
                continue
            if edit.toPlainText() != self._saved[key]:
                edit.blockSignals(True)
                edit.setPlainText(self._saved[key])
                edit.blockSignals(False)
            edit.setReadOnly(not editable)
            edit.setEnabled(code is not None)
        if not self.name.hasFocus() or force or code is None:
            self.name.setText(code.name if code else "")
        self.name.setEnabled(code is not None)
        self.name.setReadOnly(not editable)
        self.color.setEnabled(editable)
        self.color.setIcon(swatch(code.color, 14) if code else swatch("#ffffff", 14))
        self.color.setText(code.color if code else "")
        self.title.setText(self.project.code_path(code.id, separator=" › ") if code
                           else "Select a code to see and edit its definition.")

    # --- saving ---------------------------------------------------------------------------------------

    def _typed(self) -> None:
        if self.code_id is not None and not self.project.readonly:
            self.timer.start()

    def save(self) -> None:
        """Store the changed text fields now, as one undo step (after a pause, on leaving a field)."""
        self.timer.stop()
        changed = self._changes()
        if changed and self.code_id is not None and self._store(self.code_id, changed):
            self._saved.update(changed)

    def _changes(self) -> dict[str, str]:
        if self.code_id is None or self.project.readonly or not self.project.is_open:
            return {}
        return {key: edit.toPlainText() for key, edit in self.fields.items()
                if edit.toPlainText() != self._saved.get(key, "")}

    def _store(self, code_id: int, changed: dict[str, str]) -> bool:
        if not self.project.is_open:  # a deferred store after the window closed
            return False
        try:
            name = self.project.code(code_id).name
        except NotFoundError:  # deleted meanwhile
            return False
        what = _LABELS[next(iter(changed))][0].lower() if len(changed) == 1 else "definition"
        return self._push(EditCode(self.project, code_id, f"Edit {what} of '{name}'", **changed))

    def save_all(self) -> None:
        """Store every pending edit now, the name included (before the window closes)."""
        if self.name.hasFocus() or self.name.isModified():
            self._rename()
        self.save()

    def _rename(self) -> None:
        if self.code_id is None or self.project.readonly or not self.project.is_open:
            return
        code = self.project.code(self.code_id)
        name = self.name.text().strip()
        if not name or name == code.name:
            self.name.setText(code.name)
            return
        if not self._push(EditCode(self.project, self.code_id, f"Rename code '{code.name}'", name=name)):
            self.name.setText(code.name)

    def set_color(self, color: str) -> bool:
        """Recolour the shown code (one undo step)."""
        if self.code_id is None:
            return False
        code = self.project.code(self.code_id)
        if color.lower() == code.color.lower():
            return False
        return self._push(EditCode(self.project, self.code_id, f"Recolour code '{code.name}'", color=color))

    def _choose_color(self) -> None:
        if self.code_id is None:
            return
        code = self.project.code(self.code_id)
        chosen = QColorDialog.getColor(QColor(code.color), self, f"Colour of '{code.name}'")
        if chosen.isValid():
            self.set_color(chosen.name())

    def _push(self, command: EditCode) -> bool:
        return push_or_warn(self.undo_stack, command, self)
