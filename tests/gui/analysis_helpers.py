"""Shared steps of the analysis view tests: a window on the small analysis project, waiting for a view's result,
clicking a table cell, and reading what the Coded segments panel lists."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qcode.gui.analysis.base import AnalysisView
from qcode.gui.main_window import MainWindow
from tests.unit.analysis_fixture import Small


def open_view(qtbot, small: Small, key: str) -> tuple[MainWindow, AnalysisView]:
    window = MainWindow(small.project)
    qtbot.addWidget(window)
    window.resize(1500, 950)
    window.show()
    area = window.analysis.open(key)
    return window, area.views[key]


def wait_result(qtbot, view: AnalysisView, start=None) -> None:
    """Run `start` (default: nothing, the view is computing already) and wait for the result it brings, and for
    its chart (drawn just after the table, once matplotlib is loaded)."""
    with qtbot.waitSignal(view.computed, timeout=20000):
        if start is not None:
            start()
    qtbot.waitUntil(lambda: not view.computing(), timeout=20000)
    if view.chart_kinds:
        qtbot.waitUntil(lambda: chart_settled(view), timeout=20000)


def chart_settled(view: AnalysisView) -> bool:
    """Whether the chart of the shown result is drawn (or a message says why there is none)."""
    pane = view.chart
    if view._chart_timer.isActive() or pane.rendering():
        return False
    return pane.has_chart() or (pane.stack.currentWidget() is pane.message
                                and "Drawing" not in pane.message.text())


def click_cell(qtbot, view: AnalysisView, row: int, column: int) -> None:
    index = view.sorter.index(row, column)
    view.table.scrollTo(index)
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center())


def listed_coding_ids(qtbot, window: MainWindow, click) -> list[int]:
    """The ids of the excerpts the Coded segments panel lists after `click`."""
    with qtbot.waitSignal(window.segments.loaded, timeout=20000):
        click()
    return [e.coding.id for e in window.segments.model_.excerpts]


def table_rows(view: AnalysisView) -> list[tuple]:
    return [tuple(row) for row in view.model.table.rows]
