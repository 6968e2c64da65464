"""A project that seems damaged: say so, list its backups, and restore a chosen one as a copy.

The damaged file itself is never opened for writing; restoring writes a new project file beside it and
opens that one. The backups are checked in the background, and the newest one that passes is chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.project import Project
from qcode.gui.support.workers import CoreTask


class DamagedProjectDialog(QDialog):
    """The message the command line gives for a damaged project, with a button that restores a backup."""

    def __init__(self, project_path: Path, message: str, parent: QWidget | None = None, *,
                 open_project: Callable[[Path], object] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("This project seems damaged")
        self.project_path = Path(project_path)
        self._open_project = open_project
        self.restored: Path | None = None
        self.backups = Project.list_backups(self.project_path)

        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # paths and SQLite's words, never markup
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        if self.backups:
            hint = "It was not opened, and nothing was written to it. Its backups, newest first; restore one as a copy:"
        else:
            hint = ("It was not opened, and nothing was written to it. There are no backups of it yet; "
                    "'qcode check' lists what is wrong.")
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.list = QListWidget()
        for backup in self.backups:
            item = QListWidgetItem(f"{backup.created.strftime('%Y-%m-%d %H:%M')}  ({backup.reason}, "
                                   f"{backup.size // 1024:,} KB)")
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        self._labels = [self.list.item(row).text() for row in range(self.list.count())]
        if self.backups:
            self.list.setCurrentRow(0)
        self.list.setVisible(bool(self.backups))
        self.list.itemDoubleClicked.connect(lambda _item: self.restore_chosen())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("Restore as a copy…")
        self.restore_button.setEnabled(bool(self.backups))
        self.restore_button.clicked.connect(self.restore_chosen)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.checking: CoreTask | None = None
        if self.backups:
            self._check_backups()

    def _check_backups(self) -> None:
        """Check each backup on a worker; mark it, and choose the newest that passes."""
        paths = [b.path for b in self.backups]

        def work(task: CoreTask) -> list[list[str]]:
            found: list[list[str]] = []
            for number, path in enumerate(paths):
                if task.cancelled():
                    break
                found.append(Project.check_backup(path))
                task.step(number + 1, len(paths), "")
            return found

        self.checking = CoreTask(work)
        self.checking.signals.finished.connect(self._show_checks)
        self.checking.start()

    def _show_checks(self, found: list[list[str]]) -> None:
        chosen = None
        for row, problems in enumerate(found):
            item = self.list.item(row)
            if problems:
                item.setText(f"{self._labels[row]}  seems damaged too ({problems[0]})")
            else:
                item.setText(f"{self._labels[row]}  passes the check")
                chosen = row if chosen is None else chosen
        if chosen is not None:
            self.list.setCurrentRow(chosen)

    def done(self, result: int) -> None:
        if self.checking is not None:
            self.checking.cancel()
        super().done(result)

    def restore_chosen(self) -> Path | None:
        """Ask where the copy goes, write it (never over an existing file) and open it."""
        item = self.list.currentItem()
        if item is None:
            return None
        backup = Path(item.data(Qt.ItemDataRole.UserRole))
        suggested = self.project_path.with_name(f"{self.project_path.stem} restored.qcode")
        target, _ = QFileDialog.getSaveFileName(self, "Restore as", str(suggested), "qcode projects (*.qcode)")
        if not target:
            return None
        try:
            self.restored = Project.restore_backup(backup, target)
        except QcodeError as err:
            QMessageBox.warning(self, "qcode", err.message)
            return None
        self.accept()
        if self._open_project is not None:
            self._open_project(self.restored)
        return self.restored
