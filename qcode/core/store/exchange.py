"""What exchanging whole projects (REFI-QDA) needs from the file: stable identifiers and bulk reads and writes.

Every object that an exchange file names has a guid: codes, codings and cases from the first schema, sources,
coders, memos, folders and attributes from step 4. Guids are stored in upper case, so that the lower-case ones
some programs write still find their object.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import cast

from qcode.core.model import CaseMember
from qcode.core.store import aggregates, word_counts
from qcode.core.store.connection import inserted_id

#: the tables whose rows carry a guid, by the kind of object they hold
GUID_TABLES = {
    "source": "source", "coder": "coder", "memo": "memo", "folder": "folder", "attribute": "attribute",
    "code": "code", "coding": "coding", "case": "cases",
}


def _table(kind: str) -> str:
    try:
        return GUID_TABLES[kind]
    except KeyError:
        raise ValueError(f"no guids for {kind!r}") from None


def guids(conn: sqlite3.Connection, kind: str) -> dict[int, str]:
    """Each row's guid, by id."""
    return dict(conn.execute(f"SELECT id, guid FROM {_table(kind)}"))


def ids_by_guid(conn: sqlite3.Connection, kind: str) -> dict[str, int]:
    """Each row's id, by its guid."""
    return {guid.upper(): row_id for row_id, guid in conn.execute(f"SELECT id, guid FROM {_table(kind)}")}


def set_guid(conn: sqlite3.Connection, kind: str, row_id: int, guid: str) -> None:
    """Give a row of the table of `kind` this guid (stored in upper case)."""
    conn.execute(f"UPDATE {_table(kind)} SET guid = ? WHERE id = ?", (guid.upper(), row_id))


def source_hashes(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(id, SHA-256 of the text) of every source, in id order."""
    return list(conn.execute("SELECT id, sha256 FROM source ORDER BY id"))


def all_members(conn: sqlite3.Connection) -> list[CaseMember]:
    """Every case membership (whole sources and passages), by case, source and start."""
    return [CaseMember(*r) for r in conn.execute(
        'SELECT id, case_id, source_id, start, "end" FROM case_member ORDER BY case_id, source_id, start, id')]


def coding_keys(conn: sqlite3.Connection, source_ids: Iterable[int]) -> set[tuple[int, int, int, int, int]]:
    """(source, code, coder, start, end) of the codings in these sources: an import adds no duplicates."""
    keys: set[tuple[int, int, int, int, int]] = set()
    ids = list(source_ids)
    for first in range(0, len(ids), 500):
        chunk = ids[first:first + 500]
        rows = conn.execute('SELECT source_id, code_id, coder_id, start, "end" FROM coding '
                            f"WHERE source_id IN ({','.join('?' * len(chunk))})", chunk)
        keys.update(rows)
    return keys


def insert_codings_with_guids(conn: sqlite3.Connection, rows: Iterable[tuple[int, int, int, int, int, str, str]]) -> None:
    """Bulk insert of (source_id, code_id, coder_id, start, end, created_at, guid) rows."""
    conn.executemany('INSERT INTO coding(source_id, code_id, coder_id, start, "end", created_at, guid) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def insert_coding_row(conn: sqlite3.Connection, row: tuple[int, int, int, int, int, str, str]) -> int:
    """One (source_id, code_id, coder_id, start, end, created_at, guid) row; its new id."""
    return inserted_id(conn.execute('INSERT INTO coding(source_id, code_id, coder_id, start, "end", created_at, '
                                    "guid) VALUES (?, ?, ?, ?, ?, ?, ?)", row))


def insert_coder(conn: sqlite3.Connection, name: str, color: str, guid: str) -> int:
    """Add a coder with its guid (an exchange file's, or a new one); returns the new id."""
    return inserted_id(conn.execute("INSERT INTO coder(name, color, guid) VALUES (?, ?, ?)",
                                    (name, color, guid.upper())))


def insert_memo(
    conn: sqlite3.Connection, *, target_kind: str, target_id: int | None, source_id: int | None, start: int | None,
    end: int | None, text: str, updated_at: str, coder_id: int | None, guid: str,
) -> int:
    """A memo of any kind with its guid (the store's other writers give it a new one)."""
    return inserted_id(conn.execute(
        'INSERT INTO memo(target_kind, target_id, source_id, start, "end", text, updated_at, coder_id, guid) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (target_kind, target_id, source_id, start, end, text, updated_at, coder_id, guid.upper()),
    ))


def range_memo_exists(conn: sqlite3.Connection, source_id: int, start: int, end: int, text: str) -> bool:
    """Whether a memo on this very passage (same source and range) already holds this text."""
    return conn.execute(
        "SELECT 1 FROM memo WHERE target_kind = 'range' AND source_id = ? AND start = ? AND \"end\" = ? AND text = ?",
        (source_id, start, end, text),
    ).fetchone() is not None


def rebuild_aggregates(conn: sqlite3.Connection) -> None:
    """Recompute every aggregate after a bulk load such as a project import (`aggregates.rebuild_all`)."""
    aggregates.rebuild_all(conn)


# --- taking an import back and putting it back, row for row (the GUI's undo and redo of a project import) ---

#: tables whose rows an import adds, in the order to put them back (deleting goes the other way)
RESTORE_ORDER = ("coder", "folder", "attribute", "code", "source", "cases", "case_member", "coding", "memo")


def max_id(conn: sqlite3.Connection, table: str) -> int:
    """The highest id of a table an import fills (0 when it is empty): rows above it are the import's."""
    return int(conn.execute(f"SELECT coalesce(max(id), 0) FROM {_table_name(table)}").fetchone()[0])


def ids_above(conn: sqlite3.Connection, table: str, highest: int) -> list[int]:
    """The rows added after `highest` was the largest id (SQLite gives each new row the next id)."""
    return [int(r[0]) for r in conn.execute(f"SELECT id FROM {_table_name(table)} WHERE id > ? ORDER BY id",
                                            (highest,))]


def _marks(items: Sequence[object]) -> str:
    return ",".join("?" * len(items))


def rows_of(conn: sqlite3.Connection, table: str, ids: list[int]) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    """The full rows of a table with these ids: (column names, rows)."""
    columns: tuple[str, ...] = ()
    rows: list[tuple[object, ...]] = []
    for first in range(0, len(ids), 500):
        chunk = ids[first:first + 500]
        cursor = conn.execute(f"SELECT * FROM {_table_name(table)} WHERE id IN ({_marks(chunk)})", chunk)
        columns = tuple(d[0] for d in cursor.description)
        rows += [tuple(r) for r in cursor]
    return columns, rows


def _table_name(table: str) -> str:
    if table not in RESTORE_ORDER and table not in ("span",):
        raise ValueError(f"not a table an import fills: {table!r}")
    return table


def put_rows(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """Insert full rows (with their ids) into a table an import fills: redoing an import puts back exactly the rows it
    made."""
    if rows:
        names = ", ".join(f'"{c}"' for c in columns)
        conn.executemany(f"INSERT INTO {_table_name(table)}({names}) VALUES ({_marks(list(columns))})", rows)
        if table == "source":  # a source's word counts come with its text
            at_id, at_text = columns.index("id"), columns.index("text")
            word_counts.store_texts(conn, ((cast(int, row[at_id]), str(row[at_text])) for row in rows))


def delete_ids(conn: sqlite3.Connection, table: str, ids: list[int]) -> None:
    """Delete the rows of a table an import fills that have these ids (in chunks: SQLite limits the number of
    parameters); a deleted source's words leave the project's word totals."""
    if table == "source":
        word_counts.forget(conn, ids)
    for first in range(0, len(ids), 500):
        chunk = ids[first:first + 500]
        conn.execute(f"DELETE FROM {_table_name(table)} WHERE id IN ({_marks(chunk)})", chunk)


def span_rows(conn: sqlite3.Connection, source_ids: list[int]) -> list[tuple[object, ...]]:
    """The span rows (id, source_id, kind, start, end, value) of these sources, to be put back with `put_spans`."""
    rows: list[tuple[object, ...]] = []
    for first in range(0, len(source_ids), 500):
        chunk = source_ids[first:first + 500]
        rows += [tuple(r) for r in conn.execute(
            f'SELECT id, source_id, kind, start, "end", value FROM span WHERE source_id IN ({_marks(chunk)})', chunk)]
    return rows


def put_spans(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    """Insert span rows as `span_rows` read them, with their ids."""
    conn.executemany('INSERT INTO span(id, source_id, kind, start, "end", value) VALUES (?, ?, ?, ?, ?, ?)', rows)


def closure_rows(conn: sqlite3.Connection, code_ids: list[int]) -> list[tuple[int, int, int]]:
    """The code-tree closure rows (ancestor_id, code_id, depth) of these codes, to be put back with `put_closure`."""
    rows: list[tuple[int, int, int]] = []
    for first in range(0, len(code_ids), 500):
        chunk = code_ids[first:first + 500]
        rows += [(int(a), int(c), int(d)) for a, c, d in conn.execute(
            f"SELECT ancestor_id, code_id, depth FROM code_closure WHERE code_id IN ({_marks(chunk)})", chunk)]
    return rows


def put_closure(conn: sqlite3.Connection, rows: list[tuple[int, int, int]]) -> None:
    """Insert code-tree closure rows as `closure_rows` read them."""
    conn.executemany("INSERT INTO code_closure(ancestor_id, code_id, depth) VALUES (?, ?, ?)", rows)


def coding_ids_by_guid(conn: sqlite3.Connection, guids: list[str]) -> list[int]:
    """The ids of the codings with these guids (guids the project lacks are skipped)."""
    found: list[int] = []
    for first in range(0, len(guids), 500):
        chunk = guids[first:first + 500]
        found += [int(r[0]) for r in conn.execute(f"SELECT id FROM coding WHERE guid IN ({_marks(chunk)})", chunk)]
    return found


def value_of(conn: sqlite3.Connection, attribute_id: int, owner_id: int) -> object | None:
    """An owner's (a case's or source's) stored value of an attribute; None when it has none."""
    row = conn.execute("SELECT value FROM attribute_value WHERE attribute_id = ? AND owner_id = ?",
                       (attribute_id, owner_id)).fetchone()
    return None if row is None else row[0]


def memo_state(conn: sqlite3.Connection, memo_id: int) -> tuple[str, str, int | None] | None:
    """A memo's (text, updated_at, coder_id), to be put back with `set_memo_state`; None when there is no such memo."""
    row = conn.execute("SELECT text, updated_at, coder_id FROM memo WHERE id = ?", (memo_id,)).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), row[2])


def set_memo_state(conn: sqlite3.Connection, memo_id: int, state: tuple[str, str, int | None]) -> None:
    """Put back a memo's text, time and coder as `memo_state` read them (undoing an import that appended to it)."""
    conn.execute("UPDATE memo SET text = ?, updated_at = ?, coder_id = ? WHERE id = ?", (*state, memo_id))
