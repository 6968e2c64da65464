"""Project metadata (key/value) and coders."""

from __future__ import annotations

import sqlite3

from qcode.core.model import Coder


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM project WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO project(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def all_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM project ORDER BY key"))


def _coder(row: tuple) -> Coder:
    return Coder(*row)


def coders(conn: sqlite3.Connection) -> list[Coder]:
    return [_coder(r) for r in conn.execute("SELECT id, name, color, guid FROM coder ORDER BY id")]


def coder_by_name(conn: sqlite3.Connection, name: str) -> Coder | None:
    row = conn.execute("SELECT id, name, color, guid FROM coder WHERE name = ?", (name,)).fetchone()
    return _coder(row) if row else None


def coder_by_id(conn: sqlite3.Connection, coder_id: int) -> Coder | None:
    row = conn.execute("SELECT id, name, color, guid FROM coder WHERE id = ?", (coder_id,)).fetchone()
    return _coder(row) if row else None


def insert_coder(conn: sqlite3.Connection, name: str, color: str, guid: str) -> int:
    return conn.execute("INSERT INTO coder(name, color, guid) VALUES (?, ?, ?)", (name, color, guid)).lastrowid


def coder_by_guid(conn: sqlite3.Connection, guid: str) -> Coder | None:
    row = conn.execute("SELECT id, name, color, guid FROM coder WHERE guid = ?", (guid,)).fetchone()
    return _coder(row) if row else None


def update_coder(conn: sqlite3.Connection, coder_id: int, *, name: str, color: str) -> None:
    conn.execute("UPDATE coder SET name = ?, color = ? WHERE id = ?", (name, color, coder_id))
