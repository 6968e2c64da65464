"""Turn a project file back into the file an older schema version made, for upgrade tests of later steps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qcode.core.store import migrations

_OBJECTS = "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"


def schema_at(version: int) -> sqlite3.Connection:
    """An empty database with the steps up to `version` applied."""
    conn = sqlite3.connect(":memory:")
    for number, step in migrations.pending_steps(0)[:version]:
        migrations.apply_step(conn, number, step)
    return conn


def downgrade(path: Path, version: int) -> None:
    """Take out what the steps after `version` create (triggers, indexes, tables, added columns), keeping the
    rows of everything older, and mark the file as at `version`."""
    old, everything = schema_at(version), schema_at(migrations.LATEST)
    later = set(everything.execute(_OBJECTS)) - set(old.execute(_OBJECTS))
    conn = sqlite3.connect(path)
    try:
        for kind in ("trigger", "index", "table"):
            for name in sorted(n for k, n in later if k == kind):
                conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
        for (table,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
            kept = {row[1] for row in old.execute(f'PRAGMA table_info("{table}")')}
            for column in [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")') if row[1] not in kept]:
                conn.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        conn.execute(f"PRAGMA user_version = {int(version)}")
        conn.commit()
    finally:
        conn.close()
        old.close()
        everything.close()
