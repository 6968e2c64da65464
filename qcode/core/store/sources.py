"""Folders, sources and the structure spans over their text."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from qcode.core.model import Folder, Source, Span
from qcode.core.store import word_counts
from qcode.core.store.connection import fresh_guid, inserted_id

_SOURCE_COLUMNS = "id, name, kind, folder_id, length, sha256, original_name, imported_at, meta"


def _source(row: tuple[Any, ...]) -> Source:
    *head, meta = row
    return Source(*head, meta=json.loads(meta) if meta else {})  # type: ignore[misc]  # head: the other fields


# --- folders ---------------------------------------------------------------------------------------------


def folders(conn: sqlite3.Connection) -> list[Folder]:
    """Every folder, in display order (position, then name)."""
    rows = conn.execute("SELECT id, parent_id, name, position FROM folder ORDER BY position, name")
    return [Folder(*r) for r in rows]


def folder_by_id(conn: sqlite3.Connection, folder_id: int) -> Folder | None:
    """The folder with this id, or None."""
    row = conn.execute("SELECT id, parent_id, name, position FROM folder WHERE id = ?", (folder_id,)).fetchone()
    return Folder(*row) if row else None


def folder_by_name(conn: sqlite3.Connection, parent_id: int | None, name: str) -> Folder | None:
    """The folder of this name (case-insensitive) directly under `parent_id` (None: top level), or None."""
    row = conn.execute(
        "SELECT id, parent_id, name, position FROM folder WHERE coalesce(parent_id, 0) = ? "
        "AND name = ? COLLATE NOCASE",
        (parent_id or 0, name),
    ).fetchone()
    return Folder(*row) if row else None


def insert_folder(
    conn: sqlite3.Connection, parent_id: int | None, name: str, *, folder_id: int | None = None,
    position: int | None = None, guid: str | None = None,
) -> int:
    """A new folder row (`folder_id` and `position` put back a deleted one where it was; `guid` its identity,
    fresh when None)."""
    if position is None:
        position = conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM folder WHERE coalesce(parent_id, 0) = ?", (parent_id or 0,)
        ).fetchone()[0]
    return inserted_id(conn.execute(
        "INSERT INTO folder(id, parent_id, name, position, guid) VALUES (?, ?, ?, ?, ?)",
        (folder_id, parent_id, name, position, guid or fresh_guid()),
    ))


def update_folder(conn: sqlite3.Connection, folder_id: int, *, parent_id: int | None, name: str) -> None:
    """Rename a folder and/or move it under another parent (the caller checks for cycles and clashes)."""
    conn.execute("UPDATE folder SET parent_id = ?, name = ? WHERE id = ?", (parent_id, name, folder_id))


def delete_folder(conn: sqlite3.Connection, folder_id: int) -> None:
    """Delete one folder row (the caller has emptied it or moved its content)."""
    conn.execute("DELETE FROM folder WHERE id = ?", (folder_id,))


def folder_subtree(conn: sqlite3.Connection, folder_ids: Iterable[int]) -> list[int]:
    """The folders and all folders below them."""
    ids = list(folder_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"""WITH RECURSIVE sub(id) AS (SELECT id FROM folder WHERE id IN ({marks})
            UNION SELECT f.id FROM folder f JOIN sub ON f.parent_id = sub.id) SELECT id FROM sub""",
        ids,
    )
    return [r[0] for r in rows]


def folder_is_empty(conn: sqlite3.Connection, folder_id: int) -> bool:
    """Whether a folder holds neither sources nor subfolders."""
    return not conn.execute(
        "SELECT 1 FROM source WHERE folder_id = ? UNION ALL SELECT 1 FROM folder WHERE parent_id = ? LIMIT 1",
        (folder_id, folder_id),
    ).fetchone()


# --- sources ---------------------------------------------------------------------------------------------


def sources(conn: sqlite3.Connection) -> list[Source]:
    """Every source (without its text), top-level sources first, then folder by folder in display order."""
    rows = conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM source ORDER BY folder_id IS NOT NULL, folder_id, "
                        "position, name")
    return [_source(r) for r in rows]


def source_folders(conn: sqlite3.Connection) -> list[tuple[int, str, int | None]]:
    """(id, name, folder id) of every source, in id order: what a source's path needs, read without the rest."""
    return conn.execute("SELECT id, name, folder_id FROM source ORDER BY id").fetchall()


def source_lengths(conn: sqlite3.Connection, source_ids: Iterable[int]) -> dict[int, int]:
    """source id -> its length in code points, for those of these ids that exist."""
    ids = sorted({int(i) for i in source_ids})
    found: dict[int, int] = {}
    for first in range(0, len(ids), 500):
        chunk = ids[first:first + 500]
        found.update(conn.execute(f"SELECT id, length FROM source WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    return found


def source_by_id(conn: sqlite3.Connection, source_id: int) -> Source | None:
    """The source with this id (without its text), or None."""
    row = conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM source WHERE id = ?", (source_id,)).fetchone()
    return _source(row) if row else None


def sources_by_name(conn: sqlite3.Connection, name: str) -> list[Source]:
    """Every source of this name (case-insensitive), in any folder."""
    rows = conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM source WHERE name = ? COLLATE NOCASE", (name,))
    return [_source(r) for r in rows]


def source_by_name_in(conn: sqlite3.Connection, folder_id: int | None, name: str) -> Source | None:
    """The source of this name (case-insensitive) in `folder_id` (None: top level), or None."""
    row = conn.execute(
        f"SELECT {_SOURCE_COLUMNS} FROM source WHERE coalesce(folder_id, 0) = ? AND name = ? COLLATE NOCASE",
        (folder_id or 0, name),
    ).fetchone()
    return _source(row) if row else None


def source_by_sha(conn: sqlite3.Connection, sha256: str) -> Source | None:
    """A source whose text has this SHA-256 (how duplicates are recognised on import), or None."""
    row = conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM source WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone()
    return _source(row) if row else None


def source_text(conn: sqlite3.Connection, source_id: int) -> str | None:
    """A source's whole plain text, or None when there is no such source."""
    row = conn.execute("SELECT text FROM source WHERE id = ?", (source_id,)).fetchone()
    return row[0] if row else None


def source_slice(conn: sqlite3.Connection, source_id: int, start: int, end: int) -> str:
    """Part of a source's text, cut by SQLite (which counts code points, like Python)."""
    row = conn.execute("SELECT substr(text, ?, ?) FROM source WHERE id = ?", (start + 1, end - start, source_id))
    return str(row.fetchone()[0])


def source_length(conn: sqlite3.Connection, source_id: int) -> int | None:
    """A source's length in code points, or None when there is no such source."""
    row = conn.execute("SELECT length FROM source WHERE id = ?", (source_id,)).fetchone()
    return row[0] if row else None


def insert_source(
    conn: sqlite3.Connection,
    *,
    name: str,
    kind: str,
    text: str,
    sha256: str,
    original_name: str,
    imported_at: str,
    folder_id: int | None,
    meta: dict[Any, Any],
    source_id: int | None = None,
    position: int | None = None,
    guid: str | None = None,
) -> int:
    """A new source row with its word counts (`source_id` and `position` put back a deleted one where it was;
    `guid` its identity, fresh when None)."""
    if position is None:
        position = next_source_position(conn, folder_id)
    new_id = inserted_id(conn.execute(
        "INSERT INTO source(id, name, kind, text, length, sha256, original_name, imported_at, folder_id, position, "
        "meta, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (source_id, name, kind, text, len(text), sha256, original_name, imported_at, folder_id, position,
         json.dumps(meta, ensure_ascii=False, sort_keys=True), guid or fresh_guid()),
    ))
    word_counts.store_texts(conn, [(new_id, text)])
    return new_id


def insert_sources(conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> list[int]:
    """Many new source rows at once (an import of a large library): (name, kind, text, sha256, original_name,
    imported_at, folder_id, position, meta, guid) each, with their word counts; their new ids, in order.

    The ids are the ones SQLite would give one row at a time (the next after the largest), given here so that
    one statement inserts them all; the caller holds the write transaction.
    """
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM source").fetchone()[0])
    ids = list(range(first, first + len(rows)))
    conn.executemany(
        "INSERT INTO source(id, name, kind, text, length, sha256, original_name, imported_at, folder_id, position, "
        "meta, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((source_id, name, kind, text, len(text), sha256, original_name, imported_at, folder_id, position,
          json.dumps(meta, ensure_ascii=False, sort_keys=True), guid)
         for source_id, (name, kind, text, sha256, original_name, imported_at, folder_id, position, meta, guid)
         in zip(ids, rows, strict=True)),
    )
    word_counts.store_texts(conn, ((source_id, row[2]) for source_id, row in zip(ids, rows, strict=True)))
    return ids


def source_names_in(conn: sqlite3.Connection, folder_id: int | None) -> list[str]:
    """The names of the sources in a folder (None: the top level)."""
    return [r[0] for r in conn.execute("SELECT name FROM source WHERE coalesce(folder_id, 0) = ?", (folder_id or 0,))]


def nocase(name: str) -> str:
    """A name as SQLite's NOCASE collation compares it (ASCII letters folded, nothing else)."""
    return name.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def next_source_position(conn: sqlite3.Connection, folder_id: int | None) -> int:
    """The position after the last source of a folder (it reads every row of the folder: ask once per batch)."""
    return int(conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM source WHERE coalesce(folder_id, 0) = ?", (folder_id or 0,)
    ).fetchone()[0])


def source_position(conn: sqlite3.Connection, source_id: int) -> int:
    """A source's place among the sources of its folder."""
    return int(conn.execute("SELECT position FROM source WHERE id = ?", (source_id,)).fetchone()[0])


def update_source(conn: sqlite3.Connection, source_id: int, *, name: str, folder_id: int | None) -> None:
    """Rename a source and/or move it to another folder."""
    conn.execute("UPDATE source SET name = ?, folder_id = ? WHERE id = ?", (name, folder_id, source_id))


def delete_source(conn: sqlite3.Connection, source_id: int) -> None:
    """Delete a source row; its spans, codings, passage memos and case memberships go with it (they cascade), and
    its words leave the project's word totals."""
    word_counts.forget(conn, [source_id])
    conn.execute("DELETE FROM source WHERE id = ?", (source_id,))


def source_ids_in_folders(conn: sqlite3.Connection, folder_ids: Iterable[int]) -> list[int]:
    """The ids of the sources in these folders and all their subfolders."""
    ids = folder_subtree(conn, folder_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return [r[0] for r in conn.execute(f"SELECT id FROM source WHERE folder_id IN ({marks})", ids)]


# --- spans -----------------------------------------------------------------------------------------------


def insert_spans(conn: sqlite3.Connection, source_id: int, spans: Iterable[Span]) -> None:
    """Store structure spans (paragraphs, turns, pages ...) of a source."""
    conn.executemany(
        'INSERT INTO span(source_id, kind, start, "end", value) VALUES (?, ?, ?, ?, ?)',
        ((source_id, s.kind, s.start, s.end, s.value) for s in spans),
    )


def insert_spans_of(conn: sqlite3.Connection, spans: Iterable[tuple[int, Span]]) -> None:
    """Store the structure spans of many sources: (source_id, span) pairs."""
    conn.executemany(
        'INSERT INTO span(source_id, kind, start, "end", value) VALUES (?, ?, ?, ?, ?)',
        ((source_id, s.kind, s.start, s.end, s.value) for source_id, s in spans),
    )


def speaker_counts(conn: sqlite3.Connection, source_ids: tuple[int, ...] | None = None) -> list[tuple[str, int]]:
    """Speaker names of turn spans with their numbers of turns, by name (of these sources only, when given)."""
    sql = "SELECT value, count(*) FROM span WHERE kind = 'turn' AND value IS NOT NULL AND value != ''"
    args: list[Any] = []
    if source_ids is not None:
        sql += f" AND source_id IN ({','.join('?' * len(source_ids)) or 'NULL'})"
        args += list(source_ids)
    rows = conn.execute(sql + " GROUP BY value ORDER BY value COLLATE NOCASE", args)
    return [(str(name), int(count)) for name, count in rows]


def spans(conn: sqlite3.Connection, source_id: int, kind: str | None = None) -> list[Span]:
    """A source's spans in text order, all of them or those of one kind."""
    if kind is None:
        rows = conn.execute(
            'SELECT kind, start, "end", value FROM span WHERE source_id = ? ORDER BY start, kind', (source_id,)
        )
    else:
        rows = conn.execute(
            'SELECT kind, start, "end", value FROM span WHERE source_id = ? AND kind = ? ORDER BY start',
            (source_id, kind),
        )
    return [Span(*r) for r in rows]


def span_at(conn: sqlite3.Connection, source_id: int, kind: str, offset: int) -> tuple[int, Span] | None:
    """The last span of a kind starting at or before `offset`, with its 1-based number among its kind."""
    row = conn.execute(
        'SELECT kind, start, "end", value FROM span WHERE source_id = ? AND kind = ? AND start <= ? '
        "ORDER BY start DESC LIMIT 1",
        (source_id, kind, offset),
    ).fetchone()
    if row is None:
        return None
    number = conn.execute(
        "SELECT count(*) FROM span WHERE source_id = ? AND kind = ? AND start <= ?", (source_id, kind, row[1])
    ).fetchone()[0]
    return number, Span(*row)


_LAST = ('(SELECT {what} FROM span s WHERE s.source_id = w.column1 AND s.kind = \'{kind}\' AND s.start <= w.column2 '
         'ORDER BY s.start DESC, s.id DESC LIMIT 1)')
_COUNT = "(SELECT count(*) FROM span s WHERE s.source_id = w.column1 AND s.kind = '{kind}' AND s.start <= w.column2)"
_LOCATION_PARTS = ", ".join([
    _LAST.format(what="value", kind="page"), _COUNT.format(kind="page"),
    _LAST.format(what="coalesce(value, '')", kind="timestamp"),
    _COUNT.format(kind="paragraph"),
    _LAST.format(what='json_array(value, start, "end")', kind="turn"),  # one look-up for the turn's three parts
])


def location_parts(conn: sqlite3.Connection, points: list[tuple[int, int]]) -> list[tuple[Any, ...]]:
    """For each (source id, offset): the last page's value and the number of pages so far, the last timestamp's
    value (None without one), the number of paragraphs so far, and the last turn's value, start and end; all
    in one statement per thousand points, each answered from the (source, kind, start) index."""
    found: list[tuple[Any, ...]] = []
    for first in range(0, len(points), 1000):
        chunk = points[first:first + 1000]
        values = ",".join("(?, ?)" for _ in chunk)
        args = [v for point in chunk for v in point]
        for *parts, turn in conn.execute(f"SELECT {_LOCATION_PARTS} FROM (VALUES {values}) w", args):
            found.append((*parts, *(json.loads(turn) if turn else (None, None, None))))
    return found
