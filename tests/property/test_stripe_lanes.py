"""Coding stripes: overlapping codings never share a lane, and lanes are as few as the deepest overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcode.core.model import Coding
from qcode.gui.views.coding_stripes import assign_lanes

RANGES = st.lists(st.tuples(st.integers(0, 200), st.integers(1, 60)), max_size=40)


def _codings(ranges: list[tuple[int, int]]) -> list[Coding]:
    return [Coding(id=i + 1, source_id=1, code_id=1, coder_id=1, start=s, end=s + n, created_at="", guid=str(i))
            for i, (s, n) in enumerate(ranges)]


@given(RANGES)
def test_overlapping_codings_get_different_lanes(ranges: list[tuple[int, int]]) -> None:
    codings = _codings(ranges)
    lanes = assign_lanes(codings)
    assert set(lanes) == {c.id for c in codings}
    for a in codings:
        for b in codings:
            if a.id < b.id and a.start < b.end and b.start < a.end:
                assert lanes[a.id] != lanes[b.id]


@given(RANGES)
def test_lanes_are_as_few_as_the_deepest_overlap(ranges: list[tuple[int, int]]) -> None:
    codings = _codings(ranges)
    lanes = assign_lanes(codings)
    deepest = max((sum(1 for c in codings if c.start <= point < c.end) for point in range(0, 261)), default=0)
    assert max(lanes.values(), default=-1) + 1 == deepest
