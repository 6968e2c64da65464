"""The project file: opening, locking, migrating, transactions and closing.

One `Store` owns one connection. Every write goes through `transaction()`, which opens `BEGIN IMMEDIATE`
(or a savepoint when nested), so a user action is one transaction and helpers compose. Nothing outside
`qcode.core.store` commits.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from qcode import __version__
from qcode.core.errors import (
    DamagedProjectError,
    NotAProjectError,
    ProjectExistsError,
    ProjectFileError,
    ProjectLockedError,
    ProjectNotFoundError,
    ProjectTooNewError,
    ReadOnlyProjectError,
)
from qcode.core.store import backups
from qcode.core.store.connection import APPLICATION_ID, check_sqlite, connect
from qcode.core.store.lock import ProjectLock
from qcode.core.store.migrations import LATEST, apply_step, pending_steps

SQLITE_HEADER = b"SQLite format 3\x00"


def now_iso() -> str:
    """The current time in UTC, ISO 8601 to the second (how every timestamp in a project is written)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_guid() -> str:
    """A fresh random identifier (upper-case UUID), as REFI-QDA writes them."""
    return str(uuid.uuid4()).upper()


def check_not_truncated(path: Path) -> None:
    """Refuse a file shorter than its header says (a copy cut short), unless a WAL still holds pages."""
    if Path(f"{path}-wal").exists():
        return
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100:
        raise DamagedProjectError(path, "it is cut short")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter, valid_for = header[24:28], header[92:96]
    if change_counter == valid_for and pages and path.stat().st_size < pages * page_size:
        raise DamagedProjectError(path, "it is shorter than it should be; perhaps a copy was interrupted")


class _UpgradeFirst(Exception):
    """A file opened for reading needs its pending migrations first."""


class Store:
    """An open project file."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, lock: ProjectLock | None, *, locked_elsewhere: bool
    ) -> None:
        #: where timestamps and identifiers come from (the demo build injects fixed ones)
        self.now: Callable[[], str] = now_iso
        self.new_guid: Callable[[], str] = new_guid
        self.path = path
        self.conn = conn
        self._lock = lock
        self.locked_elsewhere = locked_elsewhere
        self._depth = 0
        self._savepoint_counter = 0
        self._thread_lock = threading.RLock()

    # --- opening and closing -------------------------------------------------------------------------

    @property
    def readonly(self) -> bool:
        """Whether this store may not write (opened for reading, or the project is held by another process)."""
        return self._lock is None

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        name: str | None = None,
        clock: Callable[[], str] = now_iso,
        guids: Callable[[], str] = new_guid,
    ) -> Store:
        """Make a new, empty project file and open it for writing."""
        check_sqlite()
        path = Path(path)
        if path.exists():
            raise ProjectExistsError(path)
        if not path.parent.is_dir():
            raise ProjectFileError(f"The folder {path.parent} does not exist. Create it first.")
        lock = ProjectLock(path)
        if not lock.acquire():
            raise ProjectLockedError()
        try:
            conn = connect(path, readonly=False)
        except sqlite3.Error as err:
            lock.release()
            raise ProjectFileError(f"{path} could not be created: {err}.") from err
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for number, step in pending_steps(0):
                apply_step(conn, number, step)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            store = cls(path, conn, lock, locked_elsewhere=False)
            store.now, store.new_guid = clock, guids
            with store.transaction() as tx:
                created = store.now()
                tx.executemany(
                    "INSERT INTO project(key, value) VALUES (?, ?)",
                    [
                        ("name", name or path.stem),
                        ("guid", store.new_guid()),
                        ("created_at", created),
                        ("created_with", f"qcode {__version__}"),
                    ],
                )
        except BaseException:
            conn.close()
            lock.release()
            path.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: Path, *, mode: str = "write") -> Store:
        """Open an existing project.

        mode "write" takes the write lock (ProjectLockedError when another process holds it); "read" opens
        without the lock and refuses every write; "auto" writes when it can and falls back to reading.
        """
        check_sqlite()
        path = Path(path)
        if not path.exists():
            raise ProjectNotFoundError(path)
        if not path.is_file():
            raise NotAProjectError(path, "it is a folder")
        try:
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as err:
            raise ProjectFileError(f"{path} cannot be read: {err.strerror}.") from err
        if header != SQLITE_HEADER:
            raise NotAProjectError(path)
        check_not_truncated(path)

        lock: ProjectLock | None = None
        locked_elsewhere = False
        if mode in ("write", "auto"):
            candidate = ProjectLock(path)
            try:
                acquired = candidate.acquire()
            except OSError:
                acquired = False  # a read-only folder: fall through to read-only
            if acquired:
                lock = candidate
            elif mode == "write":
                raise ProjectLockedError()
            else:
                locked_elsewhere = True
        try:
            conn = connect(path, readonly=lock is None)
            store = cls(path, conn, lock, locked_elsewhere=locked_elsewhere)
        except sqlite3.Error as err:
            if lock:
                lock.release()
            raise NotAProjectError(path, str(err)) from err
        try:
            store._check_and_migrate()
        except _UpgradeFirst:
            store.close()
            return cls._upgrade_then_open(path, mode)
        except sqlite3.DatabaseError as err:
            store.close()
            raise NotAProjectError(path, str(err)) from err
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _upgrade_then_open(cls, path: Path, mode: str) -> Store:
        """A file from an older qcode opened for reading: upgrade it (with a backup) when nobody else has it."""
        try:
            cls.open(path, mode="write").close()
        except ProjectLockedError:
            raise ReadOnlyProjectError(
                "it was made by an older qcode and must be upgraded, but it is open in another qcode window. "
                "Close it there first"
            ) from None
        return cls.open(path, mode=mode)

    def _check_and_migrate(self) -> None:
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotAProjectError(self.path, "it is a database of another program")
        if version > LATEST:
            raise ProjectTooNewError(self.path, version, LATEST)
        steps = pending_steps(version)
        if steps:
            if self.readonly:
                raise _UpgradeFirst()
            backups.make_backup(self.conn, self.path, "before-upgrade")
            for number, step in steps:
                apply_step(self.conn, number, step)
        if not self.readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")

    def close(self) -> None:
        """Checkpoint the write-ahead log into the single project file and release the lock."""
        if self.conn is None:
            return
        try:
            if not self.readonly:
                try:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    self.conn.execute("PRAGMA journal_mode = DELETE")
                except sqlite3.OperationalError:
                    pass  # another process is reading: the WAL is folded in by the next writer instead
            self.conn.close()
        finally:
            self.conn = None  # type: ignore[assignment]
            if self._lock is not None:
                self._lock.release()

    # --- transactions --------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise the error that says why this store may not write, if it may not."""
        if self.readonly:
            if self.locked_elsewhere:
                raise ProjectLockedError()
            raise ReadOnlyProjectError()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls become savepoints of the outer transaction."""
        self.check_writable()
        with self._thread_lock:
            if self._depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")
                self._depth = 1
                try:
                    yield self.conn
                except BaseException:
                    self._depth = 0
                    self.conn.execute("ROLLBACK")
                    raise
                self._depth = 0
                self.conn.execute("COMMIT")
            else:
                self._savepoint_counter += 1
                name = f"sp{self._savepoint_counter}"
                self.conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self.conn
                except BaseException:
                    self._depth -= 1
                    self.conn.execute(f"ROLLBACK TO {name}")
                    self.conn.execute(f"RELEASE {name}")
                    raise
                self._depth -= 1
                self.conn.execute(f"RELEASE {name}")

    @property
    def read(self) -> sqlite3.Connection:
        """The connection, for queries."""
        return self.conn

    def copy_to(self, target: Path) -> Path:
        """A consistent single-file copy (SQLite's backup API), refusing to overwrite."""
        if target.exists():
            raise ProjectExistsError(target)
        partial = target.with_name(target.name + ".partial")
        try:
            dest = sqlite3.connect(str(partial))
            try:
                self.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as err:
            partial.unlink(missing_ok=True)
            raise ProjectFileError(f"A copy could not be written to {target}: {err}.") from err
        return target

    def backup(self, reason: str) -> Path:
        """Copy the open project into its backups folder (SQLite's online backup); returns the copy's path."""
        return backups.make_backup(self.conn, self.path, reason)

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity and foreign-key checks report (empty when all is well)."""
        problems = [row[0] for row in self.conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent}")
        return problems
