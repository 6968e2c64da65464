"""Opening SQLite connections with the settings every qcode connection needs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from qcode.core.errors import SqliteUnsupportedError

MIN_SQLITE = (3, 35, 0)  # window functions, RETURNING, DROP COLUMN
APPLICATION_ID = 0x51434F44  # "QCOD"


SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")  # files beside a project that belong to it


def is_project_file(path: Path) -> bool:
    """Whether `path` is a qcode project (an SQLite file carrying qcode's application id), read from its header.

    Follows links; a missing or unreadable file is not a project. Cheap: reads 72 bytes, opens no connection.
    """
    try:
        with Path(path).open("rb") as fh:
            header = fh.read(72)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def belongs_to_project(path: Path) -> bool:
    """Whether `path` is a qcode project or one of the files beside one that belong to it (WAL, lock ...)."""
    path = Path(path)
    if is_project_file(path):
        return True
    name = path.name
    return any(name.endswith(suffix) and is_project_file(path.with_name(name[: -len(suffix)]))
               for suffix in SIDECAR_SUFFIXES)


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid an INSERT just gave its row."""
    rowid = cursor.lastrowid
    if rowid is None:
        raise sqlite3.DatabaseError("an insert gave no row id")
    return rowid


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
