"""Is a project file sound enough to write to, or to back up? And what does an SQLite failure mean?

`probe` reads a file on a read-only connection of its own before anything opens it for writing: qcode's
mark, its format version, and that every table, index and trigger of that version is there. `problems` is
the check before the first write of a session and before every backup: SQLite's `quick_check` (every page,
every record's format), plus what the app reads as soon as it opens (the names and details of sources,
codes, cases, coders and attributes must decode) and the ranges of codings and spans. It stays linear in
the size of the file and leaves out what `qcode check` recounts (the frequency aggregates).

`translate` turns an SQLite error into the researcher's words: a full disk, a read-only file, damage.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from pathlib import Path

from qcode.core.errors import DamagedProjectError, DiskFullError, ProjectFileError, QcodeError, ReadOnlyFileError
from qcode.core.store import migrations
from qcode.core.store.connection import APPLICATION_ID

# primary result codes (https://sqlite.org/rescode.html)
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

#: what reading a damaged file can raise besides sqlite3.DatabaseError (bad bytes in names and messages)
DAMAGE = (sqlite3.DatabaseError, UnicodeDecodeError)


def primary_code(err: BaseException) -> int | None:
    """SQLite's primary result code of an error (None when it is not SQLite's)."""
    code = getattr(err, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_disk_full(err: BaseException) -> bool:
    """SQLITE_FULL from SQLite, or ENOSPC from the operating system."""
    return primary_code(err) == SQLITE_FULL or (isinstance(err, OSError) and err.errno == 28)  # ENOSPC


def translate(err: sqlite3.Error | UnicodeDecodeError, path: Path | None, *, lost: str, kept: str) -> QcodeError:
    """The QcodeError an SQLite failure stands for, worded for a researcher."""
    code = primary_code(err)
    if code == SQLITE_FULL:
        return DiskFullError(lost, kept)
    if code == SQLITE_READONLY:
        return ReadOnlyFileError(path if path is not None else "this project")
    if code in (SQLITE_CANTOPEN, SQLITE_IOERR):
        where = path if path is not None else "the project file"
        return ProjectFileError(f"{where} cannot be read or written ({err}). Check that the disk or network "
                                "folder is still there, then open the project again.")
    return DamagedProjectError(path, describe(err))


def describe(err: BaseException) -> str:
    """What an error found, in words for the message's parentheses."""
    if isinstance(err, UnicodeDecodeError):
        return "some of its text is not valid UTF-8"
    return str(err) or type(err).__name__


def expected_objects(version: int) -> frozenset[tuple[str, str]]:
    """The tables, indexes and triggers a sound file at `version` holds."""
    return _made_by(tuple(migrations.STEPS[:version]))


@cache
def _made_by(steps: tuple[migrations.Step, ...]) -> frozenset[tuple[str, str]]:
    """What the steps make, applied once in memory (per list of steps)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for number, step in enumerate(steps, start=1):
            migrations.apply_step(conn, number, step)
        return frozenset(_objects(conn))
    finally:
        conn.close()


def _objects(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(kind, name) for kind, name in conn.execute(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%'"
    )}


def probe(conn: sqlite3.Connection) -> tuple[int, int, list[str]]:
    """qcode's mark, the format version and the objects missing for that version (read-only, cheap).

    Raises sqlite3.DatabaseError or UnicodeDecodeError when the file cannot even be read that far.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID or not 0 < version <= len(migrations.STEPS):
        return app_id, version, []
    missing = sorted(expected_objects(version) - _objects(conn))
    return app_id, version, [f"its {kind} {name} is missing" for kind, name in missing]


def problems(conn: sqlite3.Connection) -> list[str]:
    """What stops the file from being written to or backed up safely (empty when it is sound)."""
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check(20)") if row[0] != "ok"]
        # SQLite prefixes its findings with "*** in database main ***" lines; the findings are what tell
        found = [line.strip() for row in rows for line in row.splitlines() if line.strip() and "***" not in line]
        if found:
            return found
        return _catalogue_problems(conn) + _range_problems(conn)
    except DAMAGE as err:
        return [describe(err)]


def _catalogue_problems(conn: sqlite3.Connection) -> list[str]:
    """Every name and detail the app reads on opening must decode."""
    for table, columns in (("project", "key, value"), ("coder", "name, color"), ("folder", "name"),
                           ("code", "name, color, definition, inclusion, exclusion, example"),
                           ("cases", "name"), ("attribute", "name, type")):
        conn.execute(f"SELECT {columns} FROM {table}").fetchall()
    for source_id, _name, details in conn.execute("SELECT id, name, meta FROM source"):
        try:
            json.loads(details) if details else None
        except ValueError:
            return [f"the details of source {source_id} cannot be read"]
    for attribute_id, choices in conn.execute("SELECT id, choices FROM attribute"):
        try:
            json.loads(choices) if choices else None
        except ValueError:
            return [f"the choices of attribute {attribute_id} cannot be read"]
    return []


def _range_problems(conn: sqlite3.Connection) -> list[str]:
    """Codings and spans inside their sources' texts (per source, so each source row is read once)."""
    found = []
    for table, what, empty in (("coding", "codings", '"end" - start <= 0'), ("span", "spans", '"end" - start < 0')):
        bad = conn.execute(
            f"""SELECT count(*) FROM (SELECT source_id, min(start) AS first, max("end") AS last,
                                             max({empty}) AS empty FROM {table} GROUP BY source_id) AS r
                JOIN source s ON s.id = r.source_id WHERE r.first < 0 OR r.last > s.length OR r.empty"""
        ).fetchone()[0]
        if bad:
            found.append(f"{what} in {bad} {'source lie' if bad == 1 else 'sources lie'} outside the text")
    return found


def check_file(path: Path, conn: sqlite3.Connection) -> None:
    """Raise DamagedProjectError when `problems` finds any."""
    found = problems(conn)
    if found:
        raise DamagedProjectError(path, "; ".join(found[:3]))
