"""The default panel layout: full-height side columns, the memo under the codebook, no stray tab bars."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow


def _dock(window: MainWindow, title: str) -> QDockWidget:
    return next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == title)


def _visible_tab_bars(window: MainWindow) -> list[tuple[str, ...]]:
    bars = window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return sorted(tuple(b.tabText(i) for i in range(b.count())) for b in bars if b.isVisible())


def _shown(qtbot, project: Project, settings: QSettings | None = None) -> MainWindow:
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    return window


def test_default_layout(qtbot, project: Project) -> None:
    project.add_source("Interview", "Some text to read.")
    window = _shown(qtbot, project)
    assert window.dockWidgetArea(_dock(window, "Memo")) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(_dock(window, "Coded segments")) == Qt.DockWidgetArea.BottomDockWidgetArea
    sources, codebook = _dock(window, "Sources"), _dock(window, "Codebook")
    assert sources.height() > 700  # the side columns run the full height
    assert codebook.width() >= 300
    assert window.centralWidget().width() > max(sources.width(), codebook.width())
    # each group of tabbed panels shows one tab bar (Qt leaves a stray copy of the second group's)
    assert _visible_tab_bars(window) == [("Coded segments", "Cases"), ("Sources", "Search")]


def test_a_saved_layout_keeps_its_sizes(qtbot, project: Project, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = _shown(qtbot, project, settings)
    window.resizeDocks([_dock(window, "Codebook")], [520], Qt.Orientation.Horizontal)
    QApplication.processEvents()
    width = _dock(window, "Codebook").width()
    window.close()
    again = _shown(qtbot, project, settings)
    assert again.dock_layout.restored
    assert abs(_dock(again, "Codebook").width() - width) <= 2
