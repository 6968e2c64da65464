"""Projects over the life of the app: new, open, recent, save a copy, restore a backup, the demo.

Each open project has its own window; closing the window closes the project (checkpointing it into one file).
A project open elsewhere opens read-only, with a clear message.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QWidget

from qcode.core import paths
from qcode.core.errors import DamagedProjectError, QcodeError
from qcode.core.project import Project, default_coder_name
from qcode.gui.support.plain_text import as_text

RECENT_KEY = "recent/projects"
MAX_RECENT = 8


def backup_in_background(project_path: Path, on_problem: Callable[[str], None] | None = None) -> threading.Thread:
    """The rotating backup on open, off the critical path (its own read-only connection).

    A backup that is refused (the project fails its check) or cannot be written (a full disk) does not
    disturb the work, but `on_problem` hears why, from the backup's thread.
    """

    def work() -> None:
        try:
            Project.backup_on_open(project_path)
        except QcodeError as err:
            if on_problem is not None:
                on_problem(err.message)

    thread = threading.Thread(target=work, name="qcode-backup", daemon=True)
    thread.start()
    return thread


class AppSession(QObject):
    #: a background backup was refused or failed: (project path, message); shown on the GUI thread
    backup_problem = Signal(str, str)

    def __init__(self, settings: QSettings, *, coder: str | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.coder = coder
        self.windows: list[QWidget] = []
        self.backup_problem.connect(self._show_backup_problem)
        app = QApplication.instance()
        if app is not None:  # quitting the app closes each window, which stores what is pending first
            app.aboutToQuit.connect(self.close_all)

    def close_all(self) -> None:
        """Close every project window (each stores its pending edits, then its project closes)."""
        for window in list(self.windows):
            window.close()

    # --- recent projects -------------------------------------------------------------------------------

    def recent(self) -> list[str]:
        stored = self.settings.value(RECENT_KEY, []) or []
        items = [stored] if isinstance(stored, str) else list(stored)
        return [p for p in items if Path(p).exists()]

    def _remember(self, path: Path) -> None:
        items = [str(path.resolve())] + [p for p in self.recent() if p != str(path.resolve())]
        self.settings.setValue(RECENT_KEY, items[:MAX_RECENT])

    # --- opening and creating --------------------------------------------------------------------------

    def open(self, path: str | Path, parent: QWidget | None = None) -> QWidget | None:
        """Open a project in a new window; None (after telling the user why) when it cannot be opened.

        The project is checked before anything is shown or written; a damaged one is not opened, and the
        user is offered its backups instead.
        """
        from qcode.gui.main_window import MainWindow

        try:
            project = Project.open(path, mode="auto")
        except DamagedProjectError as err:
            self.show_damaged(Path(path), err.message, parent)
            return None
        except QcodeError as err:
            QMessageBox.critical(parent, "qcode", as_text(err.message))
            return None
        if not project.readonly:
            project.name_coder(self.coder or default_coder_name())  # added (a write) only once the check passed
        checked = project.begin_verify()  # the check runs while the window reads what it shows
        window: QWidget | None = None
        try:
            try:
                window = MainWindow(project, self.settings, session=self)
            except Exception:
                checked()  # a window that fails on a project that fails its check failed on the damage
                project.close()
                raise  # a bug: the excepthook reports it
            checked()
        except (DamagedProjectError, sqlite3.DatabaseError) as err:
            self._discard(project, window)
            damage = err if isinstance(err, DamagedProjectError) else DamagedProjectError(Path(path), str(err))
            self.show_damaged(Path(path), damage.message, parent)
            return None
        except QcodeError as err:
            self._discard(project, window)
            QMessageBox.critical(parent, "qcode", as_text(err.message))
            return None
        if project.readonly:
            reason = project.readonly_reason or "This project is open in another qcode window."
            QMessageBox.information(parent, "qcode", f"{reason} It opens here read-only: you can read, "
                                    "search and export, but not change it.")
        else:
            project.use_coder(self.coder or default_coder_name())
            backup_in_background(project.path, lambda message: self.backup_problem.emit(str(project.path), message))
        window.closed.connect(lambda: self._closed(window))
        self.windows.append(window)
        self._remember(project.path)
        window.show()
        return window

    @staticmethod
    def _discard(project: Project, window: QWidget | None) -> None:
        """Drop a window that was never shown, and its project, without writing anything."""
        if window is not None:
            window.deleteLater()
        project.close()

    def show_damaged(self, path: Path, message: str, parent: QWidget | None = None) -> None:
        """The damaged-project message with the project's backups and a button that restores one as a copy."""
        from qcode.gui.dialogs.damaged_dialog import DamagedProjectDialog

        dialog = DamagedProjectDialog(path, message, parent, open_project=lambda target: self.open(target, parent))
        dialog.exec()

    def _show_backup_problem(self, path: str, message: str) -> None:
        parent = next((w for w in self.windows if str(w.project.path) == path), None)  # type: ignore[attr-defined]
        QMessageBox.warning(parent, "qcode: no backup was made", message)

    def _closed(self, window: QWidget) -> None:
        if window in self.windows:
            self.windows.remove(window)
        window.project.close()  # type: ignore[attr-defined]

    def create(self, path: str | Path, parent: QWidget | None = None) -> QWidget | None:
        try:
            Project.create(path).close()
        except QcodeError as err:
            QMessageBox.critical(parent, "qcode", as_text(err.message))
            return None
        return self.open(path, parent)

    def new_dialog(self, parent: QWidget | None = None) -> None:
        chosen, _ = QFileDialog.getSaveFileName(parent, "New project", "", "qcode projects (*.qcode)")
        if chosen:
            self.create(chosen if chosen.endswith(".qcode") else chosen + ".qcode", parent)

    def open_dialog(self, parent: QWidget | None = None) -> None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "Open a project", "", "qcode projects (*.qcode)")
        if chosen:
            self.open(chosen, parent)

    def open_demo(self, parent: QWidget | None = None) -> None:
        """Build the demo project in the user data folder once, then open it (it keeps the user's changes)."""
        from qcode.core.project import build_demo

        path = paths.demo_project_path()
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                build_demo(path)
            except (OSError, QcodeError) as err:
                QMessageBox.critical(parent, "qcode", as_text(getattr(err, "message", str(err))))
                return
        self.open(path, parent)

    def save_copy_dialog(self, project: Project, parent: QWidget | None = None) -> None:
        chosen, _ = QFileDialog.getSaveFileName(parent, "Save a copy", str(project.path.with_name(
            project.path.stem + " copy.qcode")), "qcode projects (*.qcode)")
        if not chosen:
            return
        try:
            project.save_copy(chosen)
        except QcodeError as err:
            QMessageBox.warning(parent, "qcode", as_text(err.message))

    def restore_backup_dialog(self, project_path: Path, parent: QWidget | None = None) -> None:
        found = Project.list_backups(project_path)
        if not found:
            QMessageBox.information(parent, "Restore a backup", "There are no backups of this project yet.")
            return
        labels = [f"{b.created.strftime('%Y-%m-%d %H:%M')} ({b.reason})" for b in found]
        choice, ok = QInputDialog.getItem(parent, "Restore a backup", "Backup to restore as a new project:",
                                          labels, 0, False)
        if not ok:
            return
        backup = found[labels.index(choice)]
        target, _ = QFileDialog.getSaveFileName(parent, "Restore as", str(project_path.with_name(
            f"{project_path.stem} restored.qcode")), "qcode projects (*.qcode)")
        if not target:
            return
        try:
            Project.restore_backup(backup.path, target)
        except QcodeError as err:
            QMessageBox.warning(parent, "qcode", as_text(err.message))
            return
        self.open(target, parent)
