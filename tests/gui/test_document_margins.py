"""The document's margins and structure: stripes per coding, paragraph numbers, bold speaker labels, memos."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from qcode.core.model import Span
from qcode.core.project import Project
from qcode.gui.main_window import MainWindow

TEXT = ("Interviewer: How do you cope? 😀\n\n"
        "Al: I keep it to myself, mostly. The lads at the club help though.\n\n"
        "Interviewer: And your family?\n\n"
        "Al: My brother rings on Sundays.")


def _paragraphs(text: str) -> list[Span]:
    spans, start = [], 0
    for part in text.split("\n\n"):
        spans.append(Span("paragraph", start, start + len(part)))
        speaker = part.split(":", 1)[0]
        spans.append(Span("turn", start, start + len(part), speaker))
        start += len(part) + 2
    return spans


def _window(qtbot, project: Project) -> tuple[MainWindow, int]:
    source = project.add_source("Al", TEXT, spans=_paragraphs(TEXT))
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    window.show_source(source.id)
    qtbot.waitExposed(window)
    return window, source.id


def _stripe_ids(window: MainWindow) -> list[int]:
    return [coding.id for _bar, stripe, _code in window.document.stripes.visible_stripes() for coding in stripe.codings]


def _stripe(window: MainWindow, coding_id: int):
    return next(stripe for _bar, stripe, _code in window.document.stripes.visible_stripes()
                if coding_id in [c.id for c in stripe.codings])


def _stripe_point(window: MainWindow, coding_id: int) -> QPoint:
    return next(bar.center() for bar, stripe, _code in window.document.stripes.visible_stripes()
                if coding_id in [c.id for c in stripe.codings])


def test_each_coding_has_a_stripe_and_clicking_it_selects_the_segment(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    coping, family = project.create_code("Coping"), project.create_code("Family")
    start = TEXT.index("I keep")
    first = project.add_coding(source_id, coping.id, start, start + 30)
    second = project.add_coding(source_id, family.id, start + 10, TEXT.index("My brother") + 10)
    qtbot.waitUntil(lambda: len(window.document.codings_between(0, len(TEXT))) == 2)
    stripes = window.document.stripes
    assert stripes.lane_of(_stripe(window, first.id)) != stripes.lane_of(_stripe(window, second.id))  # overlapping
    qtbot.mouseClick(stripes, Qt.MouseButton.LeftButton, pos=_stripe_point(window, second.id))
    assert window.document.selection() == (second.start, second.end)
    assert "Coping" in stripes.tooltip_for(_stripe(window, first.id))
    assert "Tester" in stripes.tooltip_for(_stripe(window, first.id))
    project.set_memo("coding", first.id, "Keeps it in")
    assert "Memo: Keeps it in" in stripes.tooltip_for(_stripe(window, first.id))


def test_one_codes_overlapping_codings_by_two_coders_share_a_stripe(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    code = project.create_code("Coping")
    start = TEXT.index("I keep")
    mine = project.add_coding(source_id, code.id, start, start + 20)
    project.use_coder("Ben")
    theirs = project.add_coding(source_id, code.id, start + 10, start + 40)
    qtbot.waitUntil(lambda: len(window.document.codings_between(0, len(TEXT))) == 2)
    stripe = _stripe(window, mine.id)
    assert [c.id for c in stripe.codings] == [mine.id, theirs.id]
    assert (stripe.start, stripe.end) == (start, start + 40)
    assert window.document.stripes.lane_count == 1
    tooltip = window.document.stripes.tooltip_for(stripe)
    assert "Tester" in tooltip
    assert "Ben" in tooltip


def test_removing_a_coding_removes_its_stripe(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    code = project.create_code("Coping")
    coding = project.add_coding(source_id, code.id, 5, 20)
    qtbot.waitUntil(lambda: len(window.document.codings_between(0, len(TEXT))) == 1)
    assert _stripe_ids(window) == [coding.id]
    window.remove_coding(coding.id)
    assert _stripe_ids(window) == []
    window.undo_stack.undo()
    assert _stripe_ids(window) == [coding.id]
    window.document.stripes.grab()  # paints without error


def test_speaker_labels_are_bold_and_paragraphs_numbered(qtbot, project: Project) -> None:
    window, _source_id = _window(qtbot, project)
    view = window.document
    def weight(offset: int) -> int:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.offsets.to_qt(offset) + 1)  # the format of the character after the cursor
        return cursor.charFormat().fontWeight()

    label = TEXT.index("Al: I keep")
    assert [weight(label + i) >= 700 for i in range(5)] == [True, True, True, False, False]
    assert weight(TEXT.index("Interviewer: And")) >= 700
    assert weight(TEXT.index("And your")) < 700
    starts = [low for low, _high, _top in view.visible_blocks()]
    assert TEXT.index("Al: My brother") in starts
    numbers = [label for kind, _top, label in view.margin.marks() if kind == "number"]
    assert numbers == ["¶ 1", "¶ 2", "¶ 3", "¶ 4"]
    view.margin.grab()  # paints without error


def test_memo_on_a_passage_is_added_edited_deleted_and_undone(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    actions = window.document_actions
    start = TEXT.index("The lads")
    window.document.select_range(start, start + 8)
    assert actions.add_memo_to_selection("Peer support at the club")
    memo = project.range_memos(source_id)[0]
    assert (memo.start, memo.end, memo.text) == (start, start + 8, "Peer support at the club")
    assert [m.id for m in window.document.memos_at(start + 2)] == [memo.id]
    note = window.document.margin.note_rects()[0][0].center()
    qtbot.mouseClick(window.document.margin, Qt.MouseButton.LeftButton, pos=note)
    assert window.document.selection() == (start, start + 8)
    assert actions.edit_memo(memo, "Club as a safe place")
    assert project.range_memos(source_id)[0].text == "Club as a safe place"
    assert actions.delete_memo(project.range_memos(source_id)[0])
    assert project.range_memos(source_id) == []
    window.undo_stack.undo()  # the deletion
    assert project.range_memos(source_id)[0].text == "Club as a safe place"
    window.undo_stack.undo()  # the edit
    window.undo_stack.undo()  # the addition
    assert project.range_memos(source_id) == []
    assert window.document.memos_at(start + 2) == []
    window.undo_stack.redo()
    assert [(m.id, m.text) for m in project.range_memos(source_id)] == [(memo.id, "Peer support at the club")]


def test_stripe_labels_never_overlap_and_touching_passages_stay_apart(qtbot, project: Project) -> None:
    from qcode.gui.views.coding_stripes import BAR_GAP

    long_name = "Stoicism as a way of getting by"
    stoic, crisis, humour = (project.create_code(n, color=c) for n, c in (
        (long_name, "#1f4e79"), ("Crisis as a turning point", "#2ca02c"), ("Humour", "#9467bd")))
    text = "\n\n".join(f"Al: passage {i} " + "words " * 30 for i in range(8))
    source = project.add_source("Long", text)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.resize(1000, 900)
    for dock in (window.cases_dock, window.memo_panel.parentWidget(), window.segments.parentWidget()):
        dock.hide()  # the document gets the window's height, so every stripe is on screen
    window.show()
    qtbot.waitExposed(window)
    window.show_source(source.id)
    paragraphs = [text.index(f"Al: passage {i}") for i in range(8)]
    cut = paragraphs[1] + 70  # one code's passage ends mid-line where the next code's begins: one lane
    project.add_coding(source.id, stoic.id, paragraphs[0], cut)
    project.add_coding(source.id, crisis.id, cut, paragraphs[3])
    project.add_coding(source.id, stoic.id, paragraphs[3], paragraphs[3] + 40)  # too short for its label
    project.add_coding(source.id, humour.id, paragraphs[0] + 20, paragraphs[2])  # overlapping: another lane
    qtbot.waitUntil(lambda: len(window.document.codings_between(0, len(text))) == 4)
    stripes = window.document.stripes
    bars = stripes.visible_stripes()
    by_lane: dict[int, list] = {}
    for bar, _stripe, _code in bars:
        by_lane.setdefault(bar.left(), []).append(bar)
    for lane_bars in by_lane.values():
        for upper, lower in itertools.pairwise(lane_bars):
            assert lower.top() - upper.bottom() >= BAR_GAP  # a visible boundary between two passages
    labels = stripes.labels()
    assert {stripe.code_id for _rect, _text, stripe in labels} == {stoic.id, crisis.id, humour.id}
    for number, (rect, shown, stripe) in enumerate(labels):
        bar = next(b for b, s, _c in bars if s == stripe)
        assert bar.top() <= rect.top()
        assert rect.bottom() <= bar.bottom()  # along its own stripe
        name = project.code(stripe.code_id).name
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1]))
        for other, _shown, _stripe in labels[number + 1:]:
            assert not rect.intersects(other)
    # under the text: one underline per passage, with a gap where one passage ends and the next begins
    picture = window.document.viewport().grab().toImage()
    ratio = window.document.viewport().devicePixelRatio()
    first_segments = window.document.line_segments(paragraphs[0], cut)
    left, right, bottom = first_segments[-1]
    y = int((bottom - 1) * ratio)
    inside = picture.pixelColor(int((left + right) / 2 * ratio), y)
    assert inside.blue() > inside.red() + 30  # the stoicism blue
    at_the_cut = picture.pixelColor(int((right - 1) * ratio), y)
    assert at_the_cut != inside
