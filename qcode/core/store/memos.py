"""Memos: the project journal, notes on sources, codes, codings and cases, and notes on text ranges."""

from __future__ import annotations

import sqlite3

from qcode.core.model import Memo
from qcode.core.store.connection import fresh_guid, inserted_id

_COLUMNS = 'id, target_kind, target_id, source_id, start, "end", text, updated_at, coder_id'


def memo_for(conn: sqlite3.Connection, target_kind: str, target_id: int | None) -> Memo | None:
    """The memo of an object (a project, source, code, coding or case), or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM memo WHERE target_kind = ? AND coalesce(target_id, 0) = ?",
        (target_kind, target_id or 0),
    ).fetchone()
    return Memo(*row) if row else None


def memo_by_id(conn: sqlite3.Connection, memo_id: int) -> Memo | None:
    """The memo with this id, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM memo WHERE id = ?", (memo_id,)).fetchone()
    return Memo(*row) if row else None


def upsert_memo(
    conn: sqlite3.Connection, target_kind: str, target_id: int | None, text: str, updated_at: str,
    coder_id: int | None, source_id: int | None = None, guid: str | None = None,
) -> int:
    """Write an object's memo, replacing the text of the one it has; returns the memo's id. A new memo gets
    `guid` as its identity (a fresh one when None)."""
    existing = memo_for(conn, target_kind, target_id)
    if existing:
        conn.execute(
            "UPDATE memo SET text = ?, updated_at = ?, coder_id = ? WHERE id = ?",
            (text, updated_at, coder_id, existing.id),
        )
        return existing.id
    return inserted_id(conn.execute(
        "INSERT INTO memo(target_kind, target_id, source_id, text, updated_at, coder_id, guid) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (target_kind, target_id, source_id, text, updated_at, coder_id, guid or fresh_guid()),
    ))


def insert_range_memo(
    conn: sqlite3.Connection, source_id: int, start: int, end: int, text: str, updated_at: str,
    coder_id: int | None, guid: str | None = None,
) -> int:
    """A new memo on a passage [start, end) of a source (identity `guid`, fresh when None); returns its id."""
    return inserted_id(conn.execute(
        'INSERT INTO memo(target_kind, source_id, start, "end", text, updated_at, coder_id, guid) '
        "VALUES ('range', ?, ?, ?, ?, ?, ?, ?)",
        (source_id, start, end, text, updated_at, coder_id, guid or fresh_guid()),
    ))


def update_memo_text(conn: sqlite3.Connection, memo_id: int, text: str, updated_at: str) -> None:
    """Replace a memo's text and its time of change."""
    conn.execute("UPDATE memo SET text = ?, updated_at = ? WHERE id = ?", (text, updated_at, memo_id))


def put_back_memo(conn: sqlite3.Connection, memo: Memo) -> None:
    """Give an existing memo its text, date and author as `memo` holds them (its id and identity stay)."""
    conn.execute("UPDATE memo SET text = ?, updated_at = ?, coder_id = ? WHERE id = ?",
                 (memo.text, memo.updated_at, memo.coder_id, memo.id))


def delete_memo(conn: sqlite3.Connection, memo_id: int) -> None:
    """Delete one memo."""
    conn.execute("DELETE FROM memo WHERE id = ?", (memo_id,))


def memos_in_source(conn: sqlite3.Connection, source_id: int) -> list[Memo]:
    """Range memos anchored in a source, in text order."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM memo WHERE target_kind = 'range' AND source_id = ? ORDER BY start, id",
        (source_id,),
    )
    return [Memo(*r) for r in rows]


def all_memos(conn: sqlite3.Connection) -> list[Memo]:
    """Every memo, grouped by what it annotates."""
    return [Memo(*r) for r in conn.execute(f"SELECT {_COLUMNS} FROM memo ORDER BY target_kind, target_id, id")]


def retarget_memo(conn: sqlite3.Connection, memo_id: int, target_id: int) -> None:
    """Attach a memo to another object of the same kind (a code's memo when codes merge)."""
    conn.execute("UPDATE memo SET target_id = ? WHERE id = ?", (target_id, memo_id))


def restore_memo(conn: sqlite3.Connection, memo: Memo) -> None:
    """Put back a deleted memo with its id."""
    conn.execute(
        f"INSERT INTO memo({_COLUMNS}, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (memo.id, memo.target_kind, memo.target_id, memo.source_id, memo.start, memo.end, memo.text,
         memo.updated_at, memo.coder_id, fresh_guid()),
    )


def memos_of(conn: sqlite3.Connection, target_kind: str, target_ids: list[int]) -> list[Memo]:
    """The memos of several objects of one kind."""
    if not target_ids:
        return []
    marks = ",".join("?" * len(target_ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM memo WHERE target_kind = ? AND target_id IN ({marks})", (target_kind, *target_ids)
    )
    return [Memo(*r) for r in rows]
