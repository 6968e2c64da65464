"""One gesture opens a row once: a double-click on a row of a coded-segments list or of a case's sources (which
Qt reports as both `doubleClicked` and `activated`), or Enter on it, goes to its passage one time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from tests.gui.gestures import LEFT, click_code, double_click_item, item_rect_centre, press, show

TEXT = "Interviewer: How do you cope?\n\nAl: I keep it to myself, mostly.\n\nInterviewer: ok"


def _recorded(signal) -> list[tuple]:
    seen: list[tuple] = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def _window(qtbot, project: Project) -> tuple[MainWindow, int, int]:
    source = project.add_source("Al", TEXT)
    code = project.create_code("Coping")
    project.add_coding(source.id, code.id, 31, 46)
    case = project.create_case("Al")
    project.add_case_member(case.id, source.id)
    return show(qtbot, MainWindow(project)), code.id, case.id


def test_a_coded_segment_opens_once_by_double_click_and_once_by_enter(qtbot, project: Project) -> None:
    window, code_id, _case = _window(qtbot, project)
    opened = _recorded(window.segments.open_requested)
    click_code(qtbot, window, code_id)
    view = window.segments.view
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 1)
    row = window.segments.model_.index(0, 1)
    double_click_item(qtbot, view, row)  # what a desktop sends: press, release, press, double-click, release
    assert opened == [(window.document.source_id, 31, 46)]
    assert window.document.selection() == (31, 46)
    press(qtbot, view, Qt.Key.Key_Return)
    assert len(opened) == 2
    press(qtbot, view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert len(opened) == 3
    QTest.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, item_rect_centre(view, row))
    assert len(opened) == 3  # a single click only chooses the row (its whole excerpt shows below)


def test_a_cases_segment_and_source_open_once(qtbot, project: Project) -> None:
    window, _code, case_id = _window(qtbot, project)
    window.cases_dock.raise_()
    cases = window.cases_table
    cases.select_case(case_id)
    segments, members = cases.segments, cases.members
    opened = _recorded(cases.open_requested)
    cases.parts.setCurrentWidget(segments)
    qtbot.waitUntil(lambda: segments.model_.rowCount() == 1)
    row = segments.model_.index(0, 1)
    double_click_item(qtbot, segments.view, row)
    assert opened == [(window.document.source_id, 31, 46)]
    press(qtbot, segments.view, Qt.Key.Key_Return)
    assert len(opened) == 2
    cases.parts.setCurrentWidget(members)
    qtbot.waitUntil(members.view.isVisible)
    member = members.model.index(0, 0)
    double_click_item(qtbot, members.view, member)
    assert opened[2:] == [(window.document.source_id, 0, 0)]  # the whole source
    press(qtbot, members.view, Qt.Key.Key_Return)
    assert len(opened) == 4


def test_a_narrow_code_column_keeps_the_codes_own_name_and_the_preview_starts_with_the_excerpt(
        qtbot, project: Project) -> None:
    from qcode.gui.views.segments_panel import CODE_COLUMN, shown_code_path

    source = project.add_source("Al", TEXT)
    parent = project.create_code("Gender socialization")
    code = project.create_code("Stoicism and emotional restraint", parent_id=parent.id)
    project.add_coding(source.id, code.id, 31, 46)
    window = show(qtbot, MainWindow(project))
    click_code(qtbot, window, parent.id)
    segments = window.segments
    qtbot.waitUntil(lambda: segments.model_.rowCount() == 1)
    metrics = segments.view.fontMetrics()
    path = "Gender socialization › Stoicism and emotional restraint"
    assert shown_code_path(path, metrics, metrics.horizontalAdvance(path)) == path
    narrow = metrics.horizontalAdvance("… › Stoicism and emotional restraint")
    assert shown_code_path(path, metrics, narrow) == "… › Stoicism and emotional restraint"
    tiny = shown_code_path(path, metrics, metrics.horizontalAdvance("Stoicism"))
    assert tiny.startswith("Stoi")
    assert tiny.endswith("…")
    segments.view.header().resizeSection(CODE_COLUMN, narrow + 60)
    click_item = item_rect_centre(segments.view, segments.model_.index(0, 1))
    QTest.mouseClick(segments.view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, click_item)
    assert segments.preview.toPlainText() == f"Al: I keep it t\n\n{path} — Al, ¶ 2, Al, {project.current_coder.name}"
