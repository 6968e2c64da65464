"""Lean reads for team queries over a whole project: coding ranges and unit spans as plain tuples."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable


def coding_ranges(conn: sqlite3.Connection, coder_ids: Iterable[int]) -> list[tuple[int, int, int, int, int]]:
    """(code, source, coder, start, end) of the coders' codings, ordered by code, source and start (the order of
    the index on codes, so no sorting is needed)."""
    ids = list(coder_ids)
    marks = ",".join("?" * len(ids))
    return conn.execute(
        f'SELECT code_id, source_id, coder_id, start, "end" FROM coding WHERE coder_id IN ({marks}) '
        f'ORDER BY code_id, source_id, start, "end"', ids).fetchall()


def span_bounds(conn: sqlite3.Connection, kind: str) -> list[tuple[int, int, int]]:
    """(source, start, end) of every span of a kind, ordered by source and start."""
    return conn.execute('SELECT source_id, start, "end" FROM span WHERE kind = ? ORDER BY source_id, start, "end"',
                        (kind,)).fetchall()


def source_lengths(conn: sqlite3.Connection) -> dict[int, int]:
    """Each source's length in code points, by id."""
    return dict(conn.execute("SELECT id, length FROM source"))


def coders_by_source(conn: sqlite3.Connection, coder_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(source, coder) for each source and each of the coders who coded anything in it."""
    ids = list(coder_ids)
    marks = ",".join("?" * len(ids))
    return conn.execute(f"SELECT DISTINCT source_id, coder_id FROM coding WHERE coder_id IN ({marks})", ids).fetchall()


def coding_records(conn: sqlite3.Connection) -> list[tuple[int, int, int, int, int, int, str, str]]:
    """(id, source, code, coder, start, end, created_at, guid) of every coding, as plain tuples."""
    return conn.execute('SELECT id, source_id, code_id, coder_id, start, "end", created_at, guid FROM coding').fetchall()
