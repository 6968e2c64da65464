"""The Cases panel shows a useful number of cases in the docked layout at the default window size, also after
a saved layout is restored, with the chosen case's sources and coded segments beside or below them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.views.cases_table import MIN_ROWS_SHOWN
from tests.gui.gestures import show


def fully_visible_rows(view: QAbstractItemView) -> int:
    """How many rows of the view can be read whole without scrolling."""
    viewport = view.viewport().rect()
    model = view.model()
    rows = (view.visualRect(model.index(row, 0)) for row in range(model.rowCount()))
    return sum(1 for rect in rows if rect.isValid() and viewport.contains(rect))


def _cases(project: Project, count: int = 12) -> None:
    age = project.create_attribute("Age", "number")
    group = project.create_attribute("Age group", "choice", choices=["18-29", "30-49", "50+"])
    for number in range(1, count + 1):
        case = project.create_case(f"Participant {number:02d}")
        project.set_attribute_value(age.id, case.id, 20 + number)
        project.set_attribute_value(group.id, case.id, "18-29" if number < 10 else "30-49")


def _raise_cases(qtbot, window: MainWindow) -> None:
    window.cases_dock.raise_()
    qtbot.waitUntil(lambda: window.cases_table.table.isVisible() and window.cases_table.table.height() > 0)
    qtbot.wait(50)  # the dock's layout settles


def test_the_cases_panel_shows_a_useful_number_of_rows_at_the_default_size(qtbot, project: Project) -> None:
    _cases(project)
    window = show(qtbot, MainWindow(project))  # no settings: the default size and layout
    _raise_cases(qtbot, window)
    cases = window.cases_table
    assert window.dockWidgetArea(window.cases_dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert fully_visible_rows(cases.table) >= MIN_ROWS_SHOWN
    # the chosen case's sources stay in view too, with their buttons
    assert cases.parts.isVisible()
    assert cases.members.view.height() >= 2 * cases.fontMetrics().height()
    assert cases.members.assign_passage_button.isVisible()
    assert not cases.members.assign_passage_button.visibleRegion().isEmpty()


def test_the_cases_panel_keeps_its_rows_after_a_saved_layout_is_restored(qtbot, project: Project,
                                                                          tmp_path: Path) -> None:
    _cases(project)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = show(qtbot, MainWindow(project, settings))
    _raise_cases(qtbot, first)
    first.close()  # saves the layout, Cases raised
    again = show(qtbot, MainWindow(project, settings))
    _raise_cases(qtbot, again)
    assert fully_visible_rows(again.cases_table.table) >= MIN_ROWS_SHOWN


def test_a_tall_cases_panel_puts_the_cases_parts_below_the_table(qtbot, project: Project) -> None:
    _cases(project)
    window = show(qtbot, MainWindow(project))
    _raise_cases(qtbot, window)
    window.cases_dock.setFloating(True)
    window.cases_dock.resize(520, 700)
    cases = window.cases_table
    qtbot.waitUntil(lambda: cases.splitter.orientation() == Qt.Orientation.Vertical)
    qtbot.wait(50)
    assert fully_visible_rows(cases.table) >= MIN_ROWS_SHOWN
    assert cases.parts.geometry().top() > cases.table.geometry().top()
