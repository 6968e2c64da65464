"""The theme choice (remembered) and keyboard navigation between panels."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.support.view_options import apply_theme, is_dark
from tests.gui.gestures import double_click_code


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


def test_toolbar_and_status_bar(qtbot, project: Project) -> None:
    project.add_source("S", "some text to code")
    code = project.create_code("C")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    buttons = {a.text(): a for a in window.toolbar.actions() if a.text()}
    assert list(buttons) == ["Import", "Import folder", "Export", "Undo", "Redo", "Quick code", "Autocode", "Search",
                             "Analyse"]
    assert not buttons["Undo"].isEnabled()
    window.document.select_range(0, 4)
    double_click_code(qtbot, window, code.id)
    assert buttons["Undo"].isEnabled()
    assert "Apply code 'C'" in buttons["Undo"].toolTip()
    buttons["Undo"].trigger()
    assert project.coding_count() == 0
    assert buttons["Redo"].isEnabled()
    assert window.project_label.text() == f"Project: {project.name}"
    buttons["Search"].trigger()
    assert window.search_dock.isVisible()


def test_every_visible_control_has_an_accessible_name(qtbot, project: Project) -> None:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    project.add_source("S", "Al: some text\n\nBo: more")
    project.create_code("C")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    nameless = []
    for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextEdit):
        for widget in window.findChildren(kind):
            if not widget.isVisible() or isinstance(widget, QHeaderView):
                continue
            label = widget.text() if isinstance(widget, QAbstractButton) else ""
            if not widget.accessibleName() and not label:
                nameless.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    assert nameless == []
