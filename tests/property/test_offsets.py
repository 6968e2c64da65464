"""Code-point offsets and Qt's UTF-16 positions convert both ways without loss."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcode.gui.support.offsets import TextOffsets

TEXT = st.text(st.sampled_from(["a", "é", "😀", "🧔", "\n", "中", "\U0001F3FD"]), max_size=80)


@given(TEXT)
def test_round_trip(text: str) -> None:
    offsets = TextOffsets(text)
    utf16 = text.encode("utf-16-le")
    for cp in range(len(text) + 1):
        qt = offsets.to_qt(cp)
        assert qt == len(text[:cp].encode("utf-16-le")) // 2
        assert offsets.from_qt(qt) == cp
    assert offsets.to_qt(len(text)) == len(utf16) // 2


@given(TEXT)
def test_positions_inside_a_pair_round_down(text: str) -> None:
    offsets = TextOffsets(text)
    for cp, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            assert offsets.from_qt(offsets.to_qt(cp) + 1) == cp
