"""Autocoding widens a hit to its unit and never further: one unit span (joined with the hit), or the hit itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcode.core.autocode import widen
from qcode.core.model import Span
from qcode.core.project import Project


@st.composite
def texts_with_units(draw: st.DrawFn) -> tuple[str, list[Span], tuple[int, int]]:
    """A text of paragraphs (some starting with a tab, as pasted tables do) whose spans leave gaps between them."""
    pieces = draw(st.lists(st.text(st.sampled_from(["a", "b", " ", ".", "=", "\t"]), min_size=1, max_size=12),
                           min_size=1, max_size=6))
    text, spans = "", []
    for piece in pieces:
        lead = draw(st.sampled_from(["", "\t", "  ", "\n"]))
        text += lead
        spans.append(Span("paragraph", len(text), len(text) + len(piece)))
        text += piece + "\n\n"
    if draw(st.booleans()):  # some texts have turns too, covering a few of the paragraphs
        chosen = draw(st.lists(st.sampled_from(spans), max_size=3, unique=True))
        spans += [Span("turn", s.start, s.end, "A") for s in chosen]
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, spans, (start, end)


def _within_one_unit_or_the_hit(result: tuple[int, int], hit: tuple[int, int], spans: list[Span]) -> bool:
    lo, hi = result
    if (lo, hi) == hit:
        return True
    return any(min(s.start, hit[0]) <= lo and hi <= max(s.end, hit[1]) for s in spans)


@given(texts_with_units(), st.sampled_from(["sentence", "paragraph", "turn"]))
def test_a_widened_hit_lies_in_one_unit_or_is_the_hit(case: tuple, unit: str) -> None:
    text, spans, hit = case
    widened = widen(text, spans, [hit], unit)
    core = (hit[0] + len(text[hit[0]:hit[1]]) - len(text[hit[0]:hit[1]].lstrip()),
            hit[1] - len(text[hit[0]:hit[1]]) + len(text[hit[0]:hit[1]].rstrip()))
    if core[0] >= core[1]:  # a hit of white space alone: trimmed away, or kept within a unit
        assert all(_within_one_unit_or_the_hit(r, hit, spans) for r in widened)
        return
    (result,) = widened
    assert result[0] <= core[0]  # the hit itself is always coded (less white space at the edges of the coding)
    assert core[1] <= result[1]
    assert _within_one_unit_or_the_hit(result, hit, spans)


def test_a_hit_before_a_paragraph_span_codes_that_paragraph_not_the_source(project: Project) -> None:
    """A paragraph that starts with a tab: the hit on the tab falls outside every span (it used to code 0-end)."""
    body = "Plain words here.\n\n" * 40
    source = project.add_source("Table notes", body + "\t=SUM of the column.\n\nLast words.")
    text = project.source_text(source.id)
    tab = text.index("\t=")
    paragraph = next(s for s in project.spans(source.id, "paragraph") if s.start <= tab + 1 < s.end)
    for unit in ("paragraph", "sentence", "turn"):
        ranges = project.autocode_ranges(pattern=r"\t=", unit=unit)
        assert ranges == [(source.id, tab + 1, paragraph.end)], unit  # the tab is trimmed off the coding
