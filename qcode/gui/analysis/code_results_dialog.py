""""Code all results as…": choose an existing code or name a new one, then code every passage a coding query found
with it, as one undo step (`CodePassages`, the command autocoding uses)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import NotFoundError, QcodeError
from qcode.core.project import Project
from qcode.gui.analysis.query_builder import code_paths
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.codings import CodePassages


class CodeResultsDialog(QDialog):
    """Ask for the code to give the results: a code of the codebook, or the path of a new one."""

    def __init__(self, project: Project, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Code all results as")
        self.project = project
        layout = QVBoxLayout(self)
        noun = "passage" if count == 1 else "passages"
        layout.addWidget(QLabel(f"Code the {count} {noun} the query found with:"))
        self.code = QComboBox()
        self.code.setEditable(True)
        self.code.setAccessibleName("Code for the results")
        self.code.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code_id, path in code_paths(project):
            self.code.addItem(path, code_id)
        self.code.setCurrentIndex(-1)
        self.code.setEditText("")
        completer = QCompleter([self.code.itemText(i) for i in range(self.code.count())], self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.code.setCompleter(completer)
        layout.addWidget(self.code)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.code.editTextChanged.connect(self._describe)
        self._describe("")

    def choice(self) -> tuple[int | None, str]:
        """(id of the chosen code, or None for a new one; the path as typed)."""
        return code_choice(self.project, self.code.currentText())

    def _describe(self, _text: str) -> None:
        code_id, path = self.choice()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(path))
        if not self.code.currentText().strip():
            self.note.setText("Choose a code of the codebook, or type a new code's path (Parent/Child).")
        elif not path:
            self.note.setText("Several codes have this name: type its path (Parent/Child).")
        elif code_id is None:
            self.note.setText(f"“{path}” is a new code; it is created with the codings, in the same step.")
        else:
            self.note.setText(f"The passages are added to “{path}” (passages you coded so already are skipped).")


def code_choice(project: Project, text: str) -> tuple[int | None, str]:
    """(id of the code a text names, or None for a new code; its path) — ('' when empty or ambiguous)."""
    path = text.strip().strip("/")
    if not path:
        return None, ""
    try:
        return project.find_code(path).id, path
    except NotFoundError:
        return None, path
    except QcodeError:  # a name several codes have: the path must say which
        return None, ""


def code_all_results(project: Project, stack: QUndoStack, ranges: list[tuple[int, int, int]], code_id: int | None,
                     path: str, parent: QWidget | None = None) -> CodePassages | None:
    """Code the (source, start, end) ranges with a code (a new one when `code_id` is None), as one undo step;
    the command pushed, or None when the core refused (its message shown)."""
    noun = "passage" if len(ranges) == 1 else "passages"
    command = CodePassages(project, ranges, f"Code {len(ranges)} query {noun} with '{path}'", code_id=code_id,
                           new_code=path if code_id is None else None)
    return command if push_or_warn(stack, command, parent) else None
