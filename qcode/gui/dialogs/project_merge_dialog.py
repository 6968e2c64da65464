"""File > Merge project: choose another coder's copy, see what merging it would do and choose for each conflict,
then merge (one undo step).

The preview is a dry run (the merge inside a transaction that is rolled back), on a worker while the window
keeps painting. Each conflict offers "keep this project's" or "take the other's".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.project import MergeReport, Project
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.team import MergeProject
from qcode.gui.support.workers import run_while_responsive

CHOICES = (("Keep this project's", "ours"), ("Take the other's", "theirs"))


class MergeProjectDialog(QDialog):
    merged = Signal(object)  # the MergeReport of the merge done

    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge project")
        self.project = project
        self.undo_stack = undo_stack
        self.other: Path | None = None
        self.preview: MergeReport | None = None
        self.resize(860, 600)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Merge another coder's copy of this project into it. Sources are matched by their "
                                "text, codes and cases by identity and then by name; codings already here are not "
                                "added twice."))
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setAccessibleName("Project to merge")
        self.path.setPlaceholderText("The project file to merge in")
        choose = QPushButton("&Choose…")
        choose.clicked.connect(self.choose_file)
        row.addWidget(self.path, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Merge report")
        layout.addWidget(self.report, 2)
        layout.addWidget(QLabel("Conflicts (choose for each):"))
        self.conflicts = QTableWidget(0, 4)
        self.conflicts.setHorizontalHeaderLabels(["Where", "This project", "The other project", "Choice"])
        self.conflicts.setAccessibleName("Conflicts")
        self.conflicts.verticalHeader().setVisible(False)
        layout.addWidget(self.conflicts, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = self.buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Project to merge", str(self.project.path.parent),
                                                "qcode projects (*.qcode)")
        if chosen:
            self.load(Path(chosen))

    def load(self, other: Path) -> MergeReport | None:
        """Preview merging `other`: its report and its conflicts, nothing changed."""
        self.path.setText(str(other))
        try:
            report = run_while_responsive(lambda: self.project.merge_project(other, dry_run=True),
                                          "Reading the other project…", self)
        except QcodeError as err:
            QMessageBox.warning(self, "Merge project", err.message)
            self.other = self.preview = None
            self.merge_button.setEnabled(False)
            return None
        assert isinstance(report, MergeReport)
        self.other, self.preview = other, report
        self.report.setPlainText("\n".join(report.lines(how_to_choose="Choose for each one below, then Merge.")))
        self.conflicts.setRowCount(len(report.conflicts))
        for r, conflict in enumerate(report.conflicts):
            where = f"{conflict.what} '{conflict.subject}': {conflict.field}"
            for c, text in enumerate((where, conflict.ours, conflict.theirs)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.conflicts.setItem(r, c, item)
            combo = QComboBox()
            combo.setAccessibleName(f"Choice for {where}")
            for label, key in CHOICES:
                combo.addItem(label, key)
            self.conflicts.setCellWidget(r, 3, combo)
        self.conflicts.resizeColumnsToContents()
        for column in range(3):  # long definitions are read in the tooltip; the choice stays in view
            self.conflicts.setColumnWidth(column, min(self.conflicts.columnWidth(column), 240))
        self.conflicts.horizontalHeader().setStretchLastSection(True)
        self.merge_button.setEnabled(True)
        return report

    def choices(self) -> dict[str, str]:
        if self.preview is None:
            return {}
        out = {}
        for r, conflict in enumerate(self.preview.conflicts):
            combo = self.conflicts.cellWidget(r, 3)
            out[conflict.key] = combo.currentData() if isinstance(combo, QComboBox) else "ours"
        return out

    def choose(self, key: str, choice: str) -> None:
        """Set one conflict's choice ("ours" or "theirs"), as its combo box does."""
        assert self.preview is not None
        for r, conflict in enumerate(self.preview.conflicts):
            combo = self.conflicts.cellWidget(r, 3)
            if conflict.key == key and isinstance(combo, QComboBox):
                combo.setCurrentIndex(combo.findData(choice))

    def merge(self) -> MergeReport | None:
        if self.other is None:
            return None
        command = MergeProject(self.project, self.other, self.choices())
        if not push_or_warn(self.undo_stack, command, self):
            return None
        assert command.report is not None
        self.report.setPlainText("\n".join(command.report.lines()) + "\n\nEdit > Undo takes the merge back.")
        self.merge_button.setEnabled(False)
        self.merged.emit(command.report)
        return command.report
