"""Positions as other programs count them (UTF-16 units, CRLF line ends) map onto the same characters of the
stored text (code points, LF), whatever the text holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcode.core.refi.positions import CODE_POINTS, UTF16, code_points_to_utf16, position_map, utf16_to_code_points

texts = st.lists(st.characters(blacklist_categories=("Cs",)) | st.sampled_from(["\r\n", "😀", "\r", "\n", "𝄞"]),
                 max_size=40).map("".join)


def _cuts(raw: str) -> list[int]:
    """Positions a selection can start or end at: anywhere but between the CR and LF of a line end."""
    return [i for i in range(len(raw) + 1) if not (0 < i < len(raw) and raw[i - 1] == "\r" and raw[i] == "\n")]


@given(texts, st.data())
def test_utf16_positions_of_a_crlf_file_land_on_the_same_characters(raw: str, data: st.DataObject) -> None:
    start = data.draw(st.sampled_from(_cuts(raw)))
    end = data.draw(st.sampled_from([i for i in _cuts(raw) if i >= start]))
    to_units = code_points_to_utf16(raw)
    stored, to_stored = position_map(raw, UTF16)
    assert stored == raw.replace("\r\n", "\n").replace("\r", "\n")
    mapped_start, mapped_end = to_stored(to_units(start)), to_stored(to_units(end))
    # the same characters, with line ends as stored
    assert stored[mapped_start:mapped_end] == raw[start:end].replace("\r\n", "\n").replace("\r", "\n")


@given(texts, st.data())
def test_utf16_and_code_point_offsets_are_inverse(raw: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(raw)))
    assert utf16_to_code_points(raw)(code_points_to_utf16(raw)(offset)) == offset


@given(texts)
def test_code_points_of_an_lf_text_stay_as_they_are(raw: str) -> None:
    text = raw.replace("\r", "")
    stored, to_stored = position_map(text, CODE_POINTS)
    assert stored == text
    assert [to_stored(i) for i in range(len(text) + 1)] == list(range(len(text) + 1))
