"""Project files as an older schema version wrote them, for upgrade tests: a file made by today's code with what
the later migration steps add taken away again (their tables, indexes and triggers, and the columns they add)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qcode.core.store import migrations


def schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every table, index, trigger and view of a database, as (type, name), sorted."""
    return sorted(conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())


def schema_at(version: int) -> sqlite3.Connection:
    """An empty database with the steps up to `version` applied."""
    conn = sqlite3.connect(":memory:")
    for number, step in migrations.pending_steps(0)[:version]:
        migrations.apply_step(conn, number, step)
    return conn


def strip_after(conn: sqlite3.Connection, version: int) -> None:
    """Take away what the steps after `version` added, and mark the file as that version."""
    before, everything = schema_at(version), schema_at(migrations.LATEST)
    later = sorted(set(schema(everything)) - set(schema(before)), key=lambda item: item[0] != "table")
    for kind, name in later:
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for table in [name for kind, name in schema(before) if kind == "table" and "fts" not in name]:
        first = {row[1] for row in before.execute(f'PRAGMA table_info("{table}")')}
        for column in [row[1] for row in everything.execute(f'PRAGMA table_info("{table}")')]:
            if column not in first:
                conn.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    before.close()
    everything.close()
    conn.execute(f"PRAGMA user_version = {version}")


def make_older(path: Path, version: int) -> None:
    """Turn a project file (closed) into one as schema `version` wrote it."""
    conn = sqlite3.connect(path)
    strip_after(conn, version)
    conn.commit()
    conn.close()
