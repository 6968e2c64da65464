"""Rotating backups of project files in the user's data folder.

Backups are made with SQLite's online backup API, so they are consistent even while the project is open.
A project is checked before it is copied, so a damaged file never pushes sound backups out. Each project
gets its own folder (named after the file and a hash of its full path), readable by the user alone; the
newest `KEEP` backups are kept, and so is the newest one that passes the check. Restoring never
overwrites: it writes a new project file.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from qcode.core import paths
from qcode.core.errors import BackupError, BackupRefusedError, DiskFullError, ProjectExistsError
from qcode.core.model import Backup
from qcode.core.store import health

KEEP = 5
STALE_PARTIAL_SECONDS = 3600
# <project stem>-<YYYYmmdd>-<HHMMSS>-<microseconds>-<reason>.qcode
_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})-(?P<reason>[\w-]+)$")


def backup_folder(project_path: Path) -> Path:
    """Where a project's backups go: a folder in the user data folder named after the project and a hash of its full
    path, so two projects of one name never share backups."""
    resolved = project_path.resolve()
    tag = hashlib.sha256(str(resolved).encode()).hexdigest()[:10]
    return paths.backups_dir() / f"{resolved.stem}-{tag}"


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


def make_backup(conn: sqlite3.Connection, project_path: Path, reason: str, *, checked: bool = False) -> Path:
    """Check the open database, copy it into a new backup file, and prune old backups.

    A project that fails its check (`health.problems`, unless the caller has just run it: `checked`) is not
    copied: BackupRefusedError, and every backup already made stays. Pruning keeps the newest `KEEP`, and
    never the newest backup that passes the check. A failed copy leaves no partial file behind.
    """
    if not checked:
        found = health.problems(conn)
        if found:
            raise BackupRefusedError(project_path, "; ".join(found[:3]))
    folder = backup_folder(project_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{project_path.stem}-{stamp}-{reason}.qcode"
    partial = target.with_suffix(".partial")
    try:
        paths.make_private_folder(folder)
        _sweep_partials(folder)
        dest = _open_target(partial)
        try:
            conn.backup(dest)
            # a self-contained file: reading or restoring it leaves no -wal/-shm beside it
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as err:
        for part in (partial, Path(f"{partial}-journal")):
            try:
                part.unlink(missing_ok=True)
            except OSError:
                pass
        if health.is_disk_full(err):
            raise DiskFullError("no backup of the project was made", "The project itself is unchanged, and the "
                                "earlier backups are kept.") from err
        raise BackupError(f"A backup of the project could not be written to {folder}: {err}.") from err
    _prune(project_path, target)
    return target


def _open_target(partial: Path) -> sqlite3.Connection:
    """A new database file readable by this user alone (the journal SQLite makes beside it takes its mode)."""
    fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(partial, 0o600)  # the umask may have taken bits away, never added: this is exact
    return sqlite3.connect(str(partial))


def _sweep_partials(folder: Path) -> None:
    """Remove what an interrupted backup (a killed process) left, once it is surely not being written."""
    for stale in folder.glob("*.partial*"):
        try:
            if time.time() - stale.stat().st_mtime > STALE_PARTIAL_SECONDS:
                stale.unlink()
        except OSError:
            pass


def backup_problems(backup: Path) -> list[str]:
    """What the check before writing finds in a backup file (empty when it is sound); never writes to it."""
    try:
        conn = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as err:
        return [health.describe(err)]
    try:
        return health.problems(conn)
    finally:
        conn.close()


def _passes(backup: Path) -> bool:
    return not backup_problems(backup)


def _prune(project_path: Path, just_made: Path) -> None:
    listed = list_backups(project_path)
    newest_sound = next((b.path for b in listed if b.path == just_made or _passes(b.path)), None)
    for old in listed[KEEP:]:
        if old.path in (newest_sound, just_made):
            continue
        for part in (old.path, Path(f"{old.path}-wal"), Path(f"{old.path}-shm")):
            try:
                part.unlink(missing_ok=True)
            except OSError:
                pass


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
    try:
        source = sqlite3.connect(backup_path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise BackupError(f"The backup {backup_path.name} could not be read: {err}.") from err
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    except (OSError, sqlite3.Error) as err:
        for part in (target, Path(f"{target}-journal")):
            part.unlink(missing_ok=True)
        if health.is_disk_full(err):
            raise DiskFullError(f"the backup was not restored as {target.name}",
                                "Nothing was left behind, and the backup is kept.") from err
        raise BackupError(f"The backup {backup_path.name} could not be read: {err}.") from err
    finally:
        source.close()
    return target
