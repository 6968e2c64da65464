"""Rotating backups of project files in the user's data folder.

Backups are made with SQLite's online backup API, so they are consistent even while the project is open.
Each project gets its own folder (named after the file and a hash of its full path); the newest
`KEEP` backups are kept. Restoring never overwrites: it writes a new project file.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from qcode.core.errors import BackupError, ProjectExistsError

KEEP = 5
DATA_DIR_ENV = "QCODE_DATA_DIR"
# <project stem>-<YYYYmmdd>-<HHMMSS>-<microseconds>-<reason>.qcode
_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})-(?P<reason>[\w-]+)$")


def data_dir() -> Path:
    """The user data folder (overridable with $QCODE_DATA_DIR, which the tests use)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("qcode", appauthor=False))


def backup_folder(project_path: Path) -> Path:
    """Where a project's backups go: a folder in the user data folder named after the project and a hash of its full
    path, so two projects of one name never share backups."""
    resolved = project_path.resolve()
    tag = hashlib.sha256(str(resolved).encode()).hexdigest()[:10]
    return data_dir() / "backups" / f"{resolved.stem}-{tag}"


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, when it was made, why (before an upgrade, on opening ...) and its size in bytes."""

    path: Path
    created: datetime
    reason: str
    size: int


def list_backups(project_path: Path) -> list[Backup]:
    """This project's backups, newest first."""
    folder = backup_folder(project_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob("*.qcode"):
        stat = path.stat()
        named = _NAME.search(path.stem)
        reason = named.group("reason") if named else ""
        created = datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc).astimezone()
        found.append(Backup(path, created, reason, stat.st_size))
    found.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return found


def make_backup(conn: sqlite3.Connection, project_path: Path, reason: str) -> Path:
    """Copy the open database into a new backup file and prune old ones."""
    folder = backup_folder(project_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = folder / f"{project_path.stem}-{stamp}-{reason}.qcode"
        partial = target.with_suffix(".partial")
        dest = sqlite3.connect(str(partial))
        try:
            conn.backup(dest)
            # a self-contained file: reading or restoring it leaves no -wal/-shm beside it
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as err:
        raise BackupError(f"A backup of the project could not be written to {folder}: {err}.") from err
    for old in list_backups(project_path)[KEEP:]:
        for part in (old.path, Path(f"{old.path}-wal"), Path(f"{old.path}-shm")):
            try:
                part.unlink(missing_ok=True)
            except OSError:
                pass
    return target


def backup_due(project_path: Path, min_interval_seconds: float) -> bool:
    """True when the newest backup is older than the interval (or there is none)."""
    newest = list_backups(project_path)
    if not newest:
        return True
    return time.time() - newest[0].path.stat().st_mtime >= min_interval_seconds


def restore_backup(backup_path: Path, target: Path) -> Path:
    """Write the backup out as a new project file at `target` (never overwriting)."""
    if not backup_path.is_file():
        raise BackupError(f"There is no backup at {backup_path}. 'qcode backups PROJECT' lists them.")
    if target.exists():
        raise ProjectExistsError(target)
    source = sqlite3.connect(backup_path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    except sqlite3.Error as err:
        target.unlink(missing_ok=True)
        raise BackupError(f"The backup {backup_path.name} could not be read: {err}.") from err
    finally:
        source.close()
    return target
