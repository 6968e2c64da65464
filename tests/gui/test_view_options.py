"""The theme choice (remembered) and keyboard navigation between panels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.view_options import apply_theme, is_dark


def test_dark_theme_is_applied_and_remembered(qtbot, project: Project, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    try:
        window.view_options.set_theme("dark")
        assert is_dark(QApplication.palette())
        assert settings.value("view/theme") == "dark"
        window.view_options.set_theme("light")
        assert not is_dark(QApplication.palette())
        assert QApplication.palette().color(QPalette.ColorRole.Base).lightnessF() > 0.9
    finally:
        apply_theme("system")


def test_panels_are_reached_from_the_keyboard(qtbot, project: Project) -> None:
    project.add_source("S", "some text")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    options = window.view_options
    options.focus(window.codebook_view)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.codebook_view)
    options.cycle(1)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.segments or window.segments.isAncestorOf(
        QApplication.focusWidget()))
    options.cycle(-1)
    options.cycle(-1)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.document)
    options.focus(window.search_panel.query)
    assert window.search_dock.isVisible()
    labels = [a.text() for a in window.findChildren(type(window.menuBar().actions()[0]))
              if a.shortcut().toString() == "Alt+3"]
    assert labels == ["&Codebook"]
