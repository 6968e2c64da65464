"""The name register: terms (names of people, places, organisations) with the pseudonyms exports write."""

from __future__ import annotations

import sqlite3

from qcode.core.model import RegisterEntry
from qcode.core.store.connection import inserted_id

_COLUMNS = "id, term, pseudonym, enabled"


def entries(conn: sqlite3.Connection) -> list[RegisterEntry]:
    """Every register entry, by term (case-insensitive)."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM name_register ORDER BY term COLLATE NOCASE, id")
    return [RegisterEntry(i, term, pseudonym, bool(enabled)) for i, term, pseudonym, enabled in rows]


def entry_by_term(conn: sqlite3.Connection, term: str) -> RegisterEntry | None:
    """The entry of this term (case-insensitive, as terms match), or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM name_register WHERE term = ? COLLATE NOCASE", (term,)).fetchone()
    return RegisterEntry(row[0], row[1], row[2], bool(row[3])) if row else None


def insert_entry(conn: sqlite3.Connection, term: str, pseudonym: str, enabled: bool, created_at: str,
                 entry_id: int | None = None) -> int:
    """A new entry; `entry_id` puts back a removed one under its old id."""
    return inserted_id(conn.execute(
        "INSERT INTO name_register(id, term, pseudonym, enabled, created_at) VALUES (?, ?, ?, ?, ?)",
        (entry_id, term, pseudonym, int(enabled), created_at),
    ))


def update_entry(conn: sqlite3.Connection, entry_id: int, *, pseudonym: str, enabled: bool) -> None:
    """Change an entry's pseudonym or whether it is applied."""
    conn.execute("UPDATE name_register SET pseudonym = ?, enabled = ? WHERE id = ?",
                 (pseudonym, int(enabled), entry_id))


def delete_entry(conn: sqlite3.Connection, entry_id: int) -> None:
    """Remove an entry."""
    conn.execute("DELETE FROM name_register WHERE id = ?", (entry_id,))
