"""Codings: one code applied to a range of a source by a coder."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from qcode.core.model import Coding, Filter
from qcode.core.store.connection import inserted_id
from qcode.core.store.queries import filter_clause

_COLUMNS = 'id, source_id, code_id, coder_id, start, "end", created_at, guid'


def _coding(row: tuple[Any, ...]) -> Coding:
    return Coding(*row)


def insert_coding(
    conn: sqlite3.Connection,
    *,
    source_id: int,
    code_id: int,
    coder_id: int,
    start: int,
    end: int,
    created_at: str,
    guid: str,
) -> int:
    """Insert one coding row and return its id (the caller keeps the aggregates current)."""
    return inserted_id(conn.execute(
        'INSERT INTO coding(source_id, code_id, coder_id, start, "end", created_at, guid) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (source_id, code_id, coder_id, start, end, created_at, guid),
    ))


def insert_codings(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
    """Bulk insert of (source_id, code_id, coder_id, start, end, created_at, guid) rows."""
    conn.executemany(
        'INSERT INTO coding(source_id, code_id, coder_id, start, "end", created_at, guid) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def insert_codings_returning_ids(conn: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> list[int]:
    """Insert (source_id, code_id, coder_id, start, end, created_at, guid) rows; their new ids, in order.

    In one statement: SQLite gives each new row the largest id so far plus one, so a batch inserted inside
    the caller's transaction gets consecutive ids, which is checked before they are trusted."""
    items = list(rows)
    if not items:
        return []
    sql = ('INSERT INTO coding(source_id, code_id, coder_id, start, "end", created_at, guid) '
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
    before = int(conn.execute("SELECT coalesce(max(id), 0) FROM coding").fetchone()[0])
    conn.executemany(sql, items)
    ids = list(range(before + 1, before + 1 + len(items)))
    first, last = conn.execute("SELECT guid FROM coding WHERE id = ?", (ids[0],)).fetchone(), conn.execute(
        "SELECT guid FROM coding WHERE id = ?", (ids[-1],)).fetchone()
    if first == (items[0][6],) and last == (items[-1][6],) and conn.execute(
            "SELECT count(*) FROM coding WHERE id > ?", (before,)).fetchone()[0] == len(items):
        return ids
    found: dict[str, int] = dict(conn.execute(f"SELECT guid, id FROM coding WHERE id > {before}"))
    return [found[item[6]] for item in items]


def coding_keys_of_code(conn: sqlite3.Connection, code_id: int) -> dict[int, set[tuple[int, int, int]]]:
    """source id -> (coder_id, start, end) of a code's codings: for skipping duplicates of a batch."""
    found: dict[int, set[tuple[int, int, int]]] = {}
    for source, coder, start, end in conn.execute(
            'SELECT source_id, coder_id, start, "end" FROM coding WHERE code_id = ?', (code_id,)):
        found.setdefault(source, set()).add((coder, start, end))
    return found


def codings_by_ids(conn: sqlite3.Connection, coding_ids: list[int]) -> list[Coding]:
    """The codings with these ids that exist, in id order."""
    found: list[Coding] = []
    for first in range(0, len(coding_ids), 500):
        chunk = coding_ids[first:first + 500]
        rows = conn.execute(f"SELECT {_COLUMNS} FROM coding WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        found += [_coding(r) for r in rows]
    return sorted(found, key=lambda c: c.id)


def delete_coding_rows(conn: sqlite3.Connection, coding_ids: Iterable[int]) -> None:
    """Delete these coding rows (the caller keeps the aggregates current)."""
    conn.executemany("DELETE FROM coding WHERE id = ?", [(i,) for i in coding_ids])


def restore_codings(conn: sqlite3.Connection, codings: Iterable[Coding]) -> None:
    """Put back deleted codings with their ids and guids (undo of a batch removal)."""
    conn.executemany(
        f"INSERT INTO coding({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(c.id, c.source_id, c.code_id, c.coder_id, c.start, c.end, c.created_at, c.guid) for c in codings],
    )


def coding_by_id(conn: sqlite3.Connection, coding_id: int) -> Coding | None:
    """The coding with this id, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM coding WHERE id = ?", (coding_id,)).fetchone()
    return _coding(row) if row else None


def find_coding(
    conn: sqlite3.Connection, *, source_id: int, code_id: int, coder_id: int, start: int, end: int
) -> Coding | None:
    """The coding of exactly this range, code and coder, or None (a passage is coded once per code and coder)."""
    row = conn.execute(
        f'SELECT {_COLUMNS} FROM coding WHERE source_id = ? AND code_id = ? AND coder_id = ? AND start = ? '
        'AND "end" = ?',
        (source_id, code_id, coder_id, start, end),
    ).fetchone()
    return _coding(row) if row else None


def coding_keys(conn: sqlite3.Connection, source_id: int, code_id: int) -> set[tuple[int, int, int]]:
    """(coder_id, start, end) of a code's codings in a source: for skipping duplicates of a batch."""
    rows = conn.execute('SELECT coder_id, start, "end" FROM coding WHERE source_id = ? AND code_id = ?',
                        (source_id, code_id))
    return {(coder, start, end) for coder, start, end in rows}


def delete_coding_row(conn: sqlite3.Connection, coding_id: int) -> None:
    """Delete one coding row (the caller keeps the aggregates current)."""
    conn.execute("DELETE FROM coding WHERE id = ?", (coding_id,))


def restore_coding(conn: sqlite3.Connection, coding: Coding) -> None:
    """Put back a deleted coding with its id and guid (undo of a removal)."""
    conn.execute(
        f"INSERT INTO coding({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (coding.id, coding.source_id, coding.code_id, coding.coder_id, coding.start, coding.end,
         coding.created_at, coding.guid),
    )


def codings_for_source(conn: sqlite3.Connection, source_id: int, coder_ids: tuple[int, ...] = ()) -> list[Coding]:
    """A source's codings in text order, of every coder or of some."""
    sql = f"SELECT {_COLUMNS} FROM coding WHERE source_id = ?"
    args: list[Any] = [source_id]
    if coder_ids:
        sql += f" AND coder_id IN ({','.join('?' * len(coder_ids))})"
        args += coder_ids
    return [_coding(r) for r in conn.execute(sql + ' ORDER BY start, "end", id', args)]


def codings_for_codes(
    conn: sqlite3.Connection, code_ids: list[int], coder_ids: tuple[int, ...] = ()
) -> list[Coding]:
    """The codings of these codes, of every coder or of some."""
    marks = ",".join("?" * len(code_ids))
    sql = f"SELECT {_COLUMNS} FROM coding WHERE code_id IN ({marks})"
    args: list[Any] = list(code_ids)
    if coder_ids:
        sql += f" AND coder_id IN ({','.join('?' * len(coder_ids))})"
        args += coder_ids
    return [_coding(r) for r in conn.execute(sql + ' ORDER BY source_id, start, "end", id', args)]


def codings_for_coder(conn: sqlite3.Connection, coder_id: int) -> list[Coding]:
    """Every coding one coder made, by source and position."""
    rows = conn.execute(f'SELECT {_COLUMNS} FROM coding WHERE coder_id = ? ORDER BY source_id, start', (coder_id,))
    return [_coding(r) for r in rows]


def move_codings(conn: sqlite3.Connection, from_code: int, to_code: int) -> None:
    """Give every coding of one code to another code (a merge; the caller removes duplicates and refreshes aggregates)."""
    conn.execute("UPDATE coding SET code_id = ? WHERE code_id = ?", (to_code, from_code))


def duplicate_codings(conn: sqlite3.Connection, code_id: int) -> list[tuple[int, int]]:
    """Pairs (keep, drop) of this code's codings that share source, coder, start and end."""
    rows = conn.execute(
        """SELECT min(id) OVER w, id FROM coding WHERE code_id = ?
           WINDOW w AS (PARTITION BY source_id, coder_id, start, "end")""",
        (code_id,),
    )
    return [(keep, drop) for keep, drop in rows if keep != drop]


def source_ids_with_codings(conn: sqlite3.Connection, code_ids: Iterable[int]) -> list[int]:
    """The sources that hold codings of these codes."""
    ids = list(code_ids)
    marks = ",".join("?" * len(ids))
    return [r[0] for r in conn.execute(f"SELECT DISTINCT source_id FROM coding WHERE code_id IN ({marks})", ids)]


def count_codings(conn: sqlite3.Connection) -> int:
    """How many codings the project holds."""
    return int(conn.execute("SELECT count(*) FROM coding").fetchone()[0])


def code_ids_in_source(conn: sqlite3.Connection, source_id: int) -> list[int]:
    """The codes applied anywhere in one source."""
    return [r[0] for r in conn.execute("SELECT DISTINCT code_id FROM coding WHERE source_id = ?", (source_id,))]


def codings_for_filter(conn: sqlite3.Connection, flt: Filter) -> list[Coding]:
    """Every coding a filter lets through, in source then text order."""
    where, args = filter_clause(conn, flt)
    columns = ", ".join(f"c.{c.strip()}" for c in _COLUMNS.split(","))
    return [_coding(r) for r in conn.execute(
        f'SELECT {columns} FROM coding c WHERE {where} ORDER BY c.source_id, c.start, c."end", c.id', args)]
