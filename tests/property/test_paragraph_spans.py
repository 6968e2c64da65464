"""paragraph_spans reads lines one at a time; it finds the same paragraphs as splitting the text into lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.importers.structure import paragraph_spans


def by_split(text: str) -> list[tuple[int, int]]:
    """The plain reading: split into lines, blank lines separate paragraphs, else each line is one."""
    lines = text.split("\n")
    has_blank = len(lines) > 1 and any(not line.strip() for line in lines[:-1])
    found, position, start, end = [], 0, None, 0
    for line in lines:
        line_start, position = position, position + len(line) + 1
        if not line.strip():
            if start is not None:
                found.append((start, end))
                start = None
            continue
        if start is None or not has_blank:
            if start is not None:
                found.append((start, end))
            start = line_start + len(line) - len(line.lstrip())
        end = line_start + len(line.rstrip())
    if start is not None:
        found.append((start, end))
    return found


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\n\r\u00a0\u2028\x0bé"), max_size=60), st.integers(0, 5))
def test_same_paragraphs_as_splitting_lines(text: str, offset: int) -> None:
    spans = paragraph_spans(text, offset)
    assert [(s.start - offset, s.end - offset) for s in spans] == by_split(text)
    assert all(s.kind == "paragraph" for s in spans)
