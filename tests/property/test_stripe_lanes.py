"""Coding stripes: a code's overlapping codings form one stripe, overlapping stripes never share a lane, and
lanes are as few as the deepest overlap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcode.core.model import Coding
from qcode.gui.views.coding_stripes import assign_lanes, merge_stripes

RANGES = st.lists(st.tuples(st.integers(1, 3), st.integers(0, 200), st.integers(1, 60)), max_size=40)


def _codings(ranges: list[tuple[int, int, int]]) -> list[Coding]:
    return [Coding(id=i + 1, source_id=1, code_id=code, coder_id=1, start=s, end=s + n, created_at="", guid=str(i))
            for i, (code, s, n) in enumerate(ranges)]


def _covered(items, point: int) -> int:
    return sum(1 for item in items if item.start <= point < item.end)


@given(RANGES)
def test_stripes_are_the_union_of_each_codes_overlapping_codings(ranges: list[tuple[int, int, int]]) -> None:
    codings = _codings(ranges)
    stripes = merge_stripes(codings)
    assert sorted(c.id for s in stripes for c in s.codings) == [c.id for c in codings]
    for stripe in stripes:
        assert all(c.code_id == stripe.code_id for c in stripe.codings)
        assert stripe.start == min(c.start for c in stripe.codings)
        assert stripe.end == max(c.end for c in stripe.codings)
        for point in range(stripe.start, stripe.end):  # no gap inside a stripe
            assert _covered(stripe.codings, point) > 0
    for a in stripes:
        for b in stripes:
            if a is not b and a.code_id == b.code_id:
                assert a.end <= b.start or b.end <= a.start  # one code's stripes never overlap


@given(RANGES)
def test_overlapping_stripes_get_different_lanes_and_no_more_than_needed(ranges: list[tuple[int, int, int]]) -> None:
    stripes = merge_stripes(_codings(ranges))
    lanes = assign_lanes(stripes)
    for i, a in enumerate(stripes):
        for j, b in enumerate(stripes):
            if i < j and a.start < b.end and b.start < a.end:
                assert lanes[i] != lanes[j]
    deepest = max((_covered(stripes, point) for point in range(0, 261)), default=0)
    assert max(lanes, default=-1) + 1 == deepest
