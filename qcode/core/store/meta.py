"""Project metadata (key/value) and coders."""

from __future__ import annotations

import sqlite3
from typing import Any

from qcode.core.model import Coder
from qcode.core.store.connection import fresh_guid, inserted_id


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """One value of the project's metadata (name, guid, created_at ...), or None."""
    row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Set one value of the project's metadata, adding the key when new."""
    conn.execute(
        "INSERT INTO project(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def all_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """All of the project's metadata, by key."""
    return dict(conn.execute("SELECT key, value FROM project ORDER BY key"))


def _coder(row: tuple[Any, ...]) -> Coder:
    return Coder(*row)


def coders(conn: sqlite3.Connection) -> list[Coder]:
    """Every coder, in the order they joined the project."""
    return [_coder(r) for r in conn.execute("SELECT id, name, color FROM coder ORDER BY id")]


def coder_by_name(conn: sqlite3.Connection, name: str) -> Coder | None:
    """The coder of exactly this name, or None."""
    row = conn.execute("SELECT id, name, color FROM coder WHERE name = ?", (name,)).fetchone()
    return _coder(row) if row else None


def coder_by_id(conn: sqlite3.Connection, coder_id: int) -> Coder | None:
    """The coder with this id, or None."""
    row = conn.execute("SELECT id, name, color FROM coder WHERE id = ?", (coder_id,)).fetchone()
    return _coder(row) if row else None


def insert_coder(conn: sqlite3.Connection, name: str, color: str, guid: str | None = None) -> int:
    """Add a coder with its identity (a fresh one unless given); returns its id."""
    return inserted_id(conn.execute("INSERT INTO coder(name, color, guid) VALUES (?, ?, ?)",
                                    (name, color, guid or fresh_guid())))


def update_coder(conn: sqlite3.Connection, coder_id: int, *, name: str, color: str) -> None:
    """Rename a coder or change its colour."""
    conn.execute("UPDATE coder SET name = ?, color = ? WHERE id = ?", (name, color, coder_id))


def coder_in_use(conn: sqlite3.Connection, coder_id: int) -> bool:
    """Whether any coding or memo belongs to the coder."""
    return bool(conn.execute(
        "SELECT EXISTS(SELECT 1 FROM coding WHERE coder_id = ?) OR EXISTS(SELECT 1 FROM memo WHERE coder_id = ?)",
        (coder_id, coder_id)).fetchone()[0])


def delete_coder(conn: sqlite3.Connection, coder_id: int) -> None:
    """Remove a coder who has no codings or memos (their per-coder aggregate rows go with them)."""
    conn.execute("DELETE FROM coder WHERE id = ?", (coder_id,))


def insert_coder_with_guid(conn: sqlite3.Connection, name: str, color: str, guid: str) -> int:
    """Add a coder who keeps an identity from elsewhere (a merged project); returns its id."""
    return inserted_id(conn.execute("INSERT INTO coder(name, color, guid) VALUES (?, ?, ?)", (name, color, guid)))
