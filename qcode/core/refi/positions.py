"""Text selection positions as REFI-QDA files count them, and as qcode stores them.

The standard counts 0-based code points of the plain-text file. Real files differ (see the README's REFI-QDA
section): NVivo counts UTF-16 code units against the `.txt` as stored (CRLF counted as two characters, the BOM
not counted), and ends are exclusive everywhere. qcode stores the text with LF line ends, so every position is
taken through two maps: from the file's unit to code points of the stored file, then from the stored file's
line ends to LF.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable

CODE_POINTS = "code points"
UTF16 = "UTF-16 units"
BOM = "\ufeff"


def strip_bom(text: str) -> str:
    """The text without a leading byte-order mark (QualCoder writes one but does not count it)."""
    return text[1:] if text.startswith(BOM) else text


def utf16_length(text: str) -> int:
    """The length of a text in UTF-16 units, as programs that count in them see it (a character beyond the Basic
    Multilingual Plane counts two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_to_code_points(text: str) -> Callable[[int], int]:
    """A map from a UTF-16 offset of `text` to its code-point offset (inside a surrogate pair: after it)."""
    ends: list[int] = []  # the UTF-16 offset just after each character outside the BMP, less one
    extra = 0
    for position, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            extra += 1
            ends.append(position + extra)
    if not ends:
        return lambda offset: offset
    return lambda offset: offset - bisect.bisect_left(ends, offset)


def code_points_to_utf16(text: str) -> Callable[[int], int]:
    """A map from a code-point offset of `text` to its UTF-16 offset."""
    astral = [position for position, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not astral:
        return lambda offset: offset
    return lambda offset: offset + bisect.bisect_left(astral, offset)


def newline_map(raw: str) -> tuple[str, Callable[[int], int]]:
    """The text with CRLF and CR turned into LF, and the map from offsets of `raw` to offsets of it."""
    if "\r" not in raw:
        return raw, lambda offset: offset
    dropped = []  # positions of the CR of each CRLF, which the stored text leaves out
    index = raw.find("\r\n")
    while index != -1:
        dropped.append(index)
        index = raw.find("\r\n", index + 2)
    stored = raw.replace("\r\n", "\n").replace("\r", "\n")
    return stored, lambda offset: offset - bisect.bisect_left(dropped, offset)


def _at_boundary(text: str, start: int, end: int) -> int:
    before = start == 0 or not text[start - 1].isalnum()
    after = end >= len(text) or not text[end].isalnum()
    return int(before) + int(after)


def choose_unit(origin: str, samples: Iterable[tuple[str, list[tuple[int, int]]]]) -> str:
    """The unit a producer counted positions in: UTF-16 for NVivo, code points for QualCoder; otherwise the
    reading whose selections begin and end between words more often (they agree on text without characters
    beyond the BMP)."""
    if "nvivo" in origin.casefold():
        return UTF16
    if "qualcoder" in origin.casefold():
        return CODE_POINTS  # written in Python, which counts code points
    scores = {CODE_POINTS: 0, UTF16: 0}
    for text, ranges in samples:
        if not ranges or all(ord(ch) <= 0xFFFF for ch in text):
            continue
        to_cp = utf16_to_code_points(text)
        for start, end in ranges:
            if 0 <= start <= end <= len(text):
                scores[CODE_POINTS] += _at_boundary(text, start, end)
            s16, e16 = to_cp(start), to_cp(end)
            if 0 <= s16 <= e16 <= len(text):
                scores[UTF16] += _at_boundary(text, s16, e16)
    return UTF16 if scores[UTF16] > scores[CODE_POINTS] else CODE_POINTS


def position_map(raw: str, unit: str) -> tuple[str, Callable[[int], int]]:
    """The stored text of a source file read as `raw` (BOM already gone), and the map from the file's
    positions (in `unit`) to offsets of the stored text."""
    stored, to_stored = newline_map(raw)
    if unit == UTF16:
        to_cp = utf16_to_code_points(raw)
        return stored, lambda offset: to_stored(to_cp(offset))
    return stored, to_stored
