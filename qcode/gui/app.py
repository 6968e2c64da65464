"""Starting the app: QApplication, the project, the main window, and errors shown as dialogs."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
import traceback
from importlib import resources

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QWidget

from qcode import __version__, crash_log
from qcode.core.errors import QcodeError
from qcode.core.project import default_coder_name
from qcode.gui.lifecycle import AppSession


def _show_bug(exc_type, exc, tb) -> None:
    """Unexpected errors: a dialog with the traceback under Details, never a silent failure.

    Expected problems that escaped a gesture (a full disk, damage met while reading) show their message.
    """
    if isinstance(exc, QcodeError):
        QMessageBox.warning(None, "qcode", exc.message)
        return
    print(f"qcode: {crash_log.report_line(exc)}", file=sys.stderr)
    if isinstance(exc, sqlite3.DatabaseError):
        QMessageBox.critical(None, "qcode", f"The project file seems damaged ({exc}). File > Restore a backup "
                             "brings back one of its backups as a copy.")
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "qcode", "Something went wrong that should not have. "
                      "Your work up to the last action is saved.")
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.exec()


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


def _quit_when_ready(app: QApplication, window: QWidget, started: float) -> None:
    """Poll until the window is usable (shown, its panels filled, the first source in the document), then print
    the time it took and quit: `qcode open PROJECT --ready-check`, a smoke test of an installation."""

    def usable() -> bool:
        sources = getattr(window, "sources_model", None)
        document = getattr(window, "document", None)
        if not window.isVisible() or sources is None or document is None:
            return False
        return sources.rowCount() == 0 or bool(document.toPlainText())

    def poll() -> None:
        if usable():
            print(f"qcode: ready in {time.perf_counter() - started:.2f} s", flush=True)
            window.close()
            app.quit()
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def run_gui(project_path: str | None, *, ready_check: bool = False) -> int:
    started = time.perf_counter()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("qcode")
    app.setOrganizationName("qcode")
    app.setApplicationVersion(__version__)
    icon = resources.files("qcode") / "resources" / "qcode.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    sys.excepthook = _show_bug
    if project_path is None:
        chosen, _ = QFileDialog.getOpenFileName(None, "Open a qcode project", "", "qcode projects (*.qcode)")
        if not chosen:
            return 0
        project_path = chosen
    settings = QSettings()
    session = AppSession(settings, coder=_coder_name(settings))
    window = session.open(project_path)
    if window is None:
        return 1
    if ready_check:
        _quit_when_ready(app, window, started)
    return app.exec()
