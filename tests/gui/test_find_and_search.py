"""Reading comfort and search: the find bar over the document, project-wide search, and zoom."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from qcode.core.project import Project
from qcode.gui.support.plain_text import as_text
from qcode.gui.views.document_view import FIND_COLOR, FIND_CURRENT_COLOR, MAX_POINT_SIZE, MIN_POINT_SIZE, DocumentView
from qcode.gui.views.find_bar import FindBar
from qcode.gui.views.search_panel import SearchPanel, context_parts

TEXT = ("Interviewer: How did you cope? 😀🎉\n\n"
        "Al: I kept it to myself. Coping was hard; coping alone, harder.\n\n"
        "Interviewer: And now?\n\nAl: Now I COPE with help from friends.")


def _document_with_bar(qtbot) -> tuple[QWidget, DocumentView, FindBar]:
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    view = DocumentView()
    bar = FindBar(view)
    layout.addWidget(view)
    layout.addWidget(bar)
    qtbot.addWidget(host)
    host.resize(760, 300)
    host.show()
    view.show_source(1, TEXT)
    return host, view, bar


def _find_ranges(view: DocumentView) -> list[tuple[int, int]]:
    """Ranges (in UTF-16, as Qt has them) of the light find highlights."""
    return [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in view.extraSelections()
            if s.format.background().color() == FIND_COLOR]


# --- the find bar -------------------------------------------------------------------------------------------

def test_find_counts_and_wraps_both_ways(qtbot) -> None:
    _host, view, bar = _document_with_bar(qtbot)
    bar.open()
    assert bar.isVisible()
    qtbot.keyClicks(bar.query, "cop")
    starts = [i for i in range(len(TEXT)) if TEXT.lower().startswith("cop", i)]
    assert [m[0] for m in bar.matches] == starts
    assert bar.count_label.text() == "1 of 4"
    assert view.selection() == (starts[0], starts[0] + 3)
    for expected in (2, 3, 4, 1):  # Enter = next, wrapping from the last to the first
        qtbot.keyClick(bar.query, Qt.Key.Key_Return)
        assert bar.count_label.text() == f"{expected} of 4"
        assert view.selection() == (starts[expected - 1], starts[expected - 1] + 3)
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # previous wraps to the last
    assert bar.count_label.text() == "4 of 4"
    bar.find_previous()
    assert bar.count_label.text() == "3 of 4"


def test_match_case_and_no_matches(qtbot) -> None:
    _host, _view, bar = _document_with_bar(qtbot)
    bar.open()
    bar.query.setText("COPE")
    assert bar.count_label.text() == "1 of 2"  # "cope?" and "COPE"
    bar.match_case.setChecked(True)
    assert len(bar.matches) == 1
    assert bar.count_label.text() == "1 of 1"
    bar.query.setText("despair")
    assert bar.count_label.text() == "No matches"
    assert not bar.next_button.isEnabled()
    bar.find_next()  # nothing to do, nothing breaks
    bar.query.setText("")
    assert bar.count_label.text() == ""


def test_emoji_before_a_match_keeps_the_selection_right(qtbot) -> None:
    _host, view, bar = _document_with_bar(qtbot)
    bar.open()
    bar.query.setText("kept it")
    start = TEXT.index("kept it")  # code points: the two emoji before it count one each
    assert bar.matches == [(start, start + 7)]
    assert view.selection() == (start, start + 7)
    assert view.textCursor().selectedText() == "kept it"
    assert _find_ranges(view) == [(start + 2, start + 9)]  # Qt counts each emoji twice


def test_open_prefills_with_the_selection_and_escape_closes(qtbot) -> None:
    _host, view, bar = _document_with_bar(qtbot)
    start = TEXT.index("Now I")
    view.select_range(start, start + 3)
    bar.open()
    assert bar.query.text() == "Now"
    assert bar.count_label.text() == "2 of 2"  # the selected one is the current match
    assert view.selection() == (start, start + 3)
    qtbot.keyClick(bar.query, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert _find_ranges(view) == []


def test_coding_highlights_survive_find_highlights(qtbot, project: Project) -> None:
    _host, view, bar = _document_with_bar(qtbot)
    source = project.add_source("Int", TEXT)
    code = project.create_code("Coping", color="#2ca02c")
    start = TEXT.index("Coping was")
    coding = project.add_coding(source.id, code.id, start, start + len("Coping was hard"))
    view.show_codings([coding], {code.id: code})
    assert len(view.extraSelections()) == 1
    bar.open()
    bar.query.setText("coping")
    assert len(_find_ranges(view)) == 2
    assert len(view.extraSelections()) == 1 + 2 + 1  # the coding, two matches, the current one
    view.show_codings([coding], {code.id: code})  # a refresh of the codings keeps the find marks
    assert len(_find_ranges(view)) == 2
    bar.dismiss()
    remaining = view.extraSelections()
    assert len(remaining) == 1
    assert remaining[0].format.toolTip() == as_text("Coping")


def test_showing_another_source_recounts_without_moving_its_selection(qtbot) -> None:
    _host, view, bar = _document_with_bar(qtbot)
    bar.open()
    bar.query.setText("help")
    assert bar.count_label.text() == "1 of 1"
    view.show_source(2, "help is help")
    view.select_range(8, 12)
    qtbot.waitUntil(lambda: bar.count_label.text() == "2 matches")
    assert view.selection() == (8, 12)
    bar.find_next()  # from where the reader is
    assert bar.count_label.text() == "1 of 2"


def test_find_bar_shows_matches_over_and_beside_codings(qtbot, project: Project, tmp_path: Path) -> None:
    host, view, bar = _document_with_bar(qtbot)
    source = project.add_source("Int", TEXT)
    code = project.create_code("Coping", color="#1f77b4")
    start = TEXT.index("Coping was")
    view.show_codings([project.add_coding(source.id, code.id, start, start + 15)], {code.id: code})
    bar.open()
    qtbot.keyClicks(bar.query, "coping")
    qtbot.keyClick(bar.query, Qt.Key.Key_Return)  # to the second match, "coping alone", outside the coding
    assert bar.count_label.text() == "2 of 2"
    picture = host.grab()
    picture.save(str(tmp_path / "find_bar.png"))
    assert bar.isVisible()
    assert bar.geometry().top() >= view.geometry().bottom()  # the bar sits below the text, hiding none of it
    image = picture.toImage()
    current = TEXT.index("coping alone")

    def colour_at(offset: int) -> QColor:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.offsets.to_qt(offset))
        rect = view.cursorRect(cursor)
        point = view.viewport().mapTo(host, rect.center() + QPoint(3, 0))  # inside the character after the caret
        return QColor(image.pixel(point * picture.devicePixelRatio()))

    palette = view.palette()
    selected = {palette.color(group, palette.ColorRole.Highlight).name()
                for group in (palette.ColorGroup.Active, palette.ColorGroup.Inactive)}
    assert colour_at(current).name() in selected | {FIND_CURRENT_COLOR.name()}  # the current match stands out
    coded = colour_at(start + 1)  # the coded match: the code's blue tints the light yellow of a match
    assert coded.blue() > FIND_COLOR.blue() + 10
    assert coded.red() < FIND_COLOR.red() - 10
    assert colour_at(TEXT.index("harder")).name() == view.palette().base().color().name()  # plain text: no tint


# --- zoom ---------------------------------------------------------------------------------------------------

def test_zoom_steps_limits_and_signal(qtbot) -> None:
    view = DocumentView()
    qtbot.addWidget(view)
    default = view.point_size()
    sizes: list[int] = []
    view.zoom_changed.connect(sizes.append)
    view.zoom_in()
    assert view.point_size() > default
    assert sizes == [view.point_size()]
    for _ in range(30):
        view.zoom_in()
    assert view.point_size() == MAX_POINT_SIZE
    emitted = len(sizes)
    view.zoom_in()  # at the limit: no change, no signal
    assert len(sizes) == emitted
    for _ in range(30):
        view.zoom_out()
    assert view.point_size() == MIN_POINT_SIZE
    view.zoom_reset()
    assert view.point_size() == default
    assert sizes[-1] == default
    view.set_point_size(100)
    assert view.point_size() == MAX_POINT_SIZE


def test_ctrl_wheel_zooms_by_notches(qtbot) -> None:
    view = DocumentView()
    qtbot.addWidget(view)
    default = view.point_size()

    def wheel(delta: int) -> None:
        event = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, delta), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
        view.wheelEvent(event)

    wheel(60)  # half a notch (a touchpad): nothing yet
    assert view.point_size() == default
    wheel(60)
    assert view.point_size() > default
    wheel(-120)
    assert view.point_size() == default


# --- project search -----------------------------------------------------------------------------------------

def _search_project(project: Project) -> None:
    project.add_source("Interview 1", TEXT)
    project.add_source("Interview 2", "We talked about helping.\n\nShe said: helpers matter, help matters. 😀 Help!")
    project.add_source("Notes", "Nothing relevant here.")


def _run(qtbot, panel: SearchPanel, query: str) -> None:
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.search(query)


def test_search_panel_phrase_prefix_and_open(qtbot, project: Project, tmp_path: Path) -> None:
    _search_project(project)
    panel = SearchPanel(project)
    qtbot.addWidget(panel)
    panel.resize(520, 420)
    panel.show()
    _run(qtbot, panel, '"kept it to myself"')
    assert panel.model_.rowCount() == 1
    assert panel.status.text().startswith("1 result for")
    source_id, start, end = panel.result_at(0)
    assert TEXT[start:end] == "kept it to myself"
    item = panel.model_.item(0)
    assert "Interview 1" in item.text()
    assert project.describe_location(source_id, start) in item.text()

    _run(qtbot, panel, "help*")
    found = [panel.result_at(row) for row in range(panel.model_.rowCount())]
    assert len(found) == 5  # help (Interview 1); helping, helpers, help, Help (Interview 2)
    assert "<b>helpers</b>" in "".join(panel.model_.item(r).data(Qt.ItemDataRole.UserRole + 21)
                                       for r in range(5))
    emoji_hit = next(hit for hit in found if project.source_slice(hit[0], hit[1], hit[2]) == "Help")
    assert emoji_hit[2] - emoji_hit[1] == 4  # code points, after the emoji

    opened: list[tuple[int, int, int]] = []
    panel.open_requested.connect(lambda *args: opened.append(args))
    panel.results.setFocus()
    panel.results.setCurrentIndex(panel.model_.index(1, 0))
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    assert opened == [found[1]]
    rect = panel.results.visualRect(panel.model_.index(2, 0))
    qtbot.mouseClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [found[1], found[2]]
    panel.grab().save(str(tmp_path / "search_panel.png"))


def test_search_panel_pages_with_load_more(qtbot, project: Project) -> None:
    project.add_source("Long", " ".join(f"word{i} cope" for i in range(7)))
    panel = SearchPanel(project, page_size=3)
    qtbot.addWidget(panel)
    _run(qtbot, panel, "cope")
    assert panel.model_.rowCount() == 3
    assert not panel.more_button.isHidden()
    assert panel.status.text().startswith("The first 3 results")
    starts = []
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.load_more()
    assert panel.model_.rowCount() == 6
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.load_more()
    assert panel.model_.rowCount() == 7
    assert panel.more_button.isHidden()
    starts = [panel.result_at(row)[1] for row in range(7)]
    assert starts == sorted(starts)
    assert len(set(starts)) == 7
    assert panel.status.text().startswith("7 results")


def test_search_panel_errors_and_stale_results(qtbot, project: Project) -> None:
    _search_project(project)
    panel = SearchPanel(project)
    qtbot.addWidget(panel)
    _run(qtbot, panel, "   ")
    assert panel.status.text() == "Type one or more words to search for."
    assert panel.model_.rowCount() == 0
    _run(qtbot, panel, "*** !!")  # no words: the core refuses it with its own sentence
    assert "no words" in panel.status.text()
    assert "color" in panel.status.styleSheet()
    panel.search("kept")  # replaced before it reports: its answer is dropped
    _run(qtbot, panel, "friends")
    qtbot.wait(200)
    assert panel.shown_query == "friends"
    assert panel.model_.rowCount() == 1
    assert project.source_slice(*panel.result_at(0)) == "friends"
    _run(qtbot, panel, "zebra")
    assert panel.status.text() == "No results for “zebra”."
    project.add_source("Zoo", "A zebra.")
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.refresh()  # the window calls this when sources change
    assert panel.model_.rowCount() == 1
    panel.clear()
    assert panel.model_.rowCount() == 0
    panel.refresh()
    assert not panel.busy


def test_context_parts_squash_space_and_mark_cuts() -> None:
    window = "one  two\n\nthree four"
    start = window.index("three")
    assert context_parts(window, start, start + 5, cut_left=False, cut_right=False) == ("one two ", "three", " four")
    # where the window was cut, a word that may be partial is dropped
    assert context_parts(window, start, start + 5, cut_left=True, cut_right=True) == ("…two ", "three", " four…")
    assert context_parts("xy a b c", 3, 4, cut_left=True, cut_right=True) == ("…", "a", " b…")
