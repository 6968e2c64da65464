"""Where an excerpt sits, in the words a researcher cites: "p. 4, ¶ 12", "00:12:31, Participant 3"."""

from __future__ import annotations

import sqlite3

from qcode.core.store import sources as source_store


def describe_location(conn: sqlite3.Connection, source_id: int, start: int) -> str:
    """Page, then timestamp or paragraph number (from 1), then the speaker of the turn, as present."""
    parts: list[str] = []
    page = source_store.span_at(conn, source_id, "page", start)
    if page is not None:
        number, span = page
        parts.append(f"p. {span.value or number}")
    stamp = source_store.span_at(conn, source_id, "timestamp", start)
    if stamp is not None:
        parts.append(stamp[1].value or "")
    else:
        paragraph = source_store.span_at(conn, source_id, "paragraph", start)
        if paragraph is not None:
            parts.append(f"¶ {paragraph[0]}")
    turn = source_store.span_at(conn, source_id, "turn", start)
    if turn is not None and turn[1].start <= start < max(turn[1].end, turn[1].start + 1) and turn[1].value:
        parts.append(turn[1].value)
    return ", ".join(p for p in parts if p) or f"character {start}"
