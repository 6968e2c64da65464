"""Starting the app: QApplication, the project, the main window, and errors shown as dialogs."""

from __future__ import annotations

import os
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

from qcode import __version__
from qcode.core.errors import QcodeError
from qcode.core.project import Project, default_coder_name
from qcode.gui.main_window import MainWindow


def _show_bug(exc_type, exc, tb) -> None:
    """Unexpected errors: a dialog with the traceback under Details, never a silent failure."""
    from qcode.cli import report_bug

    report_bug(exc)
    box = QMessageBox(QMessageBox.Icon.Critical, "qcode", "Something went wrong that should not have. "
                      "Your work up to the last action is saved.")
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.exec()


def _backup_in_background(project_path: Path) -> None:
    """The rotating backup on open, off the critical path (its own connection, read-only)."""

    def work() -> None:
        try:
            with Project.open(project_path, mode="read") as reader:
                reader.backup_if_due()
        except QcodeError:
            pass  # a failed backup must not disturb opening; the next open tries again

    threading.Thread(target=work, name="qcode-backup", daemon=True).start()


def _coder_name(settings: QSettings) -> str:
    """The coder's name from the user settings; asked for once, on first start."""
    name = os.environ.get("QCODE_CODER", "").strip() or str(settings.value("coder/name", "") or "").strip()
    if name:
        return name
    name, ok = QInputDialog.getText(None, "Welcome to qcode", "Your name as a coder (it marks your codings):",
                                    text=default_coder_name())
    name = name.strip() if ok and name.strip() else default_coder_name()
    settings.setValue("coder/name", name)
    return name


def run_gui(project_path: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("qcode")
    app.setOrganizationName("qcode")
    app.setApplicationVersion(__version__)
    sys.excepthook = _show_bug
    if project_path is None:
        chosen, _ = QFileDialog.getOpenFileName(None, "Open a qcode project", "", "qcode projects (*.qcode)")
        if not chosen:
            return 0
        project_path = chosen
    try:
        project = Project.open(project_path, mode="auto")
    except QcodeError as err:
        QMessageBox.critical(None, "qcode", err.message)
        return 1
    if project.locked_elsewhere:
        QMessageBox.information(None, "qcode", "This project is open in another qcode window. It opens here "
                                "read-only: you can read and search, but not change it.")
    else:
        _backup_in_background(project.path)
    settings = QSettings()
    if not project.readonly:
        project.use_coder(_coder_name(settings))
    window = MainWindow(project, settings)
    window.show()
    try:
        return app.exec()
    finally:
        project.close()
