"""The document view turns only the codings near the visible part into highlights, and follows scrolling."""

from __future__ import annotations

from qcode.core.model import Code, Coding
from qcode.gui.views.document_view import DocumentView


def _long_view(qtbot) -> tuple[DocumentView, str, list[Coding], dict[int, Code]]:
    text = "".join(f"Paragraph {i} 😀 says something about coping.\n\n" for i in range(4000))
    code = Code(id=1, parent_id=None, name="Coping", color="#4477aa", definition="", inclusion="",
                exclusion="", example="", position=0, guid="g")
    codings = [Coding(id=i + 1, source_id=1, code_id=1, coder_id=1, start=p, end=p + 9,
                      created_at="", guid=f"g{i}")
               for i, p in enumerate(range(0, len(text) - 20, len(text) // 5000))]
    view = DocumentView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    view.show_source(1, text)
    view.show_codings(codings, {1: code})
    return view, text, codings, {1: code}


def _highlighted_starts(view: DocumentView) -> list[int]:
    return sorted(start for start, _end in view.coding_highlights())


def test_only_codings_near_the_visible_part_are_highlighted(qtbot) -> None:
    view, _text, codings, _codes = _long_view(qtbot)
    shown = _highlighted_starts(view)
    assert 0 < len(shown) < len(codings) // 10
    assert shown[0] == codings[0].start


def test_scrolling_to_the_end_highlights_the_last_codings(qtbot) -> None:
    view, _text, codings, _codes = _long_view(qtbot)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    shown = _highlighted_starts(view)
    assert codings[-1].start in shown
    assert codings[0].start not in shown


def test_a_coding_that_starts_above_the_view_stays_highlighted(qtbot) -> None:
    view, text, _codings, codes = _long_view(qtbot)
    long_coding = Coding(id=1, source_id=1, code_id=1, coder_id=1, start=0, end=len(text),
                          created_at="", guid="x")
    view.show_codings([long_coding], codes)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    assert _highlighted_starts(view) == [0]
