"""Where an excerpt sits, in the words a researcher cites: "p. 4, ¶ 12", "00:12:31, Participant 3".

`LocationIndex` loads one source's structure once and answers for many offsets (exports describe
thousands of excerpts); `describe_location` is the one-off form.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right

from qcode.core.model import Span
from qcode.core.store import sources as source_store


class LocationIndex:
    """Page, then timestamp or paragraph number (from 1), then the speaker of the turn, as the source has them."""

    def __init__(self, spans: list[Span]) -> None:
        def starts(kind: str) -> tuple[list[int], list[Span]]:
            chosen = sorted((s for s in spans if s.kind == kind), key=lambda s: s.start)
            return [s.start for s in chosen], chosen

        self._pages = starts("page")
        self._stamps = starts("timestamp")
        self._paragraphs = starts("paragraph")
        self._turns = starts("turn")

    @staticmethod
    def _at(table: tuple[list[int], list[Span]], offset: int) -> tuple[int, Span] | None:
        index = bisect_right(table[0], offset)
        if index == 0:
            return None
        return index, table[1][index - 1]

    def describe(self, start: int) -> str:
        """Where an offset lies, as reports cite it: the page, then the timestamp or the paragraph number, then the
        speaker (e.g. 'p. 4, ¶ 12')."""
        parts: list[str] = []
        page = self._at(self._pages, start)
        if page is not None:
            parts.append(f"p. {page[1].value or page[0]}")
        stamp = self._at(self._stamps, start)
        if stamp is not None:
            parts.append(stamp[1].value or "")
        else:
            paragraph = self._at(self._paragraphs, start)
            if paragraph is not None:
                parts.append(f"¶ {paragraph[0]}")
        turn = self._at(self._turns, start)
        if turn is not None and turn[1].value and start < max(turn[1].end, turn[1].start + 1):
            parts.append(turn[1].value)
        return ", ".join(p for p in parts if p) or f"character {start}"


def describe_many(conn: sqlite3.Connection, points: list[tuple[int, int]]) -> list[str]:
    """The locations of many (source id, offset) points, as `LocationIndex.describe` words them, read in one
    pass of SQL over the span index instead of loading each source's structure (a code's 1,000 excerpts lie
    in hundreds of sources)."""
    result = []
    for (_, start), parts in zip(points, source_store.location_parts(conn, points), strict=True):
        page_value, pages, stamp, paragraphs, turn_value, turn_start, turn_end = parts
        words: list[str] = []
        if pages:
            words.append(f"p. {page_value or pages}")
        if stamp is not None:
            words.append(stamp)
        elif paragraphs:
            words.append(f"¶ {paragraphs}")
        if turn_value and start < max(turn_end, turn_start + 1):
            words.append(turn_value)
        result.append(", ".join(w for w in words if w) or f"character {start}")
    return result


def location_index(conn: sqlite3.Connection, source_id: int) -> LocationIndex:
    """A location index over one source's spans, for describing many offsets of it."""
    return LocationIndex(source_store.spans(conn, source_id))


def describe_location(conn: sqlite3.Connection, source_id: int, start: int) -> str:
    """Where one offset of a source lies, as reports cite it."""
    return location_index(conn, source_id).describe(start)
