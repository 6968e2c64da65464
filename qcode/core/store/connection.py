"""Opening SQLite connections with the settings every qcode connection needs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qcode.core.errors import SqliteUnsupportedError

MIN_SQLITE = (3, 35, 0)  # window functions, RETURNING, DROP COLUMN
APPLICATION_ID = 0x51434F44  # "QCOD"


def check_sqlite() -> None:
    """Refuse to work with an SQLite that is too old or lacks FTS5."""
    version = sqlite3.sqlite_version_info
    if version < MIN_SQLITE:
        wanted = ".".join(map(str, MIN_SQLITE))
        raise SqliteUnsupportedError(
            f"This Python uses SQLite {sqlite3.sqlite_version}, but qcode needs {wanted} or newer. "
            "Install a newer Python (python.org builds include a recent SQLite)."
        )
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.OperationalError:
        raise SqliteUnsupportedError(
            "This Python's SQLite was built without full-text search (FTS5), which qcode needs. "
            "Install a Python whose SQLite includes FTS5 (python.org builds do)."
        ) from None
    finally:
        probe.close()


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection in autocommit mode; the store opens transactions itself."""
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MiB
    conn.execute("PRAGMA temp_store = MEMORY")
    return conn
