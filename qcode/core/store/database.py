"""The project file: opening, locking, migrating, transactions and closing.

One `Store` owns one connection. Every write goes through `transaction()`, which opens `BEGIN IMMEDIATE`
(or a savepoint when nested), so a user action is one transaction and helpers compose. Nothing outside
`qcode.core.store` commits.
"""

from __future__ import annotations

import errno
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
    DiskFullError,
    NotAProjectError,
    ProjectExistsError,
    ProjectFileError,
    ProjectLockedError,
    ProjectNotFoundError,
    ProjectTooNewError,
    QcodeError,
    ReadOnlyFileError,
    ReadOnlyFolderError,
    ReadOnlyProjectError,
)
from qcode.core.store import backups, health
from qcode.core.store.connection import APPLICATION_ID, check_sqlite, connect
from qcode.core.store.lock import ProjectLock, read_holder
from qcode.core.store.migrations import LATEST, apply_step, pending_steps

SQLITE_HEADER = b"SQLite format 3\x00"


def now_iso() -> str:
    """The current time in UTC, ISO 8601 to the second (how every timestamp in a project is written)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_guid() -> str:
    """A fresh random identifier (upper-case UUID), as REFI-QDA writes them."""
    return str(uuid.uuid4()).upper()


def new_guids(count: int) -> list[str]:
    """`count` fresh random identifiers as `new_guid` makes them (version 4 UUIDs, upper case), made in bulk from
    one read of the system's random source (a batch of 10,000 codings needs 10,000)."""
    raw = os.urandom(16 * count).hex().upper()
    found = []
    for first in range(0, 32 * count, 32):
        h = raw[first:first + 32]
        variant = "89AB"[int(h[16], 16) & 3]  # the RFC 4122 variant: 10xx
        found.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}")
    return found


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


#: SQLite failures met while writing that are the disk's or the file's, not a bug's
_TRANSLATED = (health.SQLITE_FULL, health.SQLITE_READONLY, health.SQLITE_CORRUPT, health.SQLITE_NOTADB,
               health.SQLITE_IOERR, health.SQLITE_CANTOPEN)


def _file_is_read_only(path: Path) -> bool:
    """Read-only for this user, or marked read-only (no write bit), which even an administrator respects."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def _lock_refusal(path: Path, err: OSError) -> ProjectFileError:
    """Why the lock file beside a project cannot be made: a full disk, a read-only folder, or else."""
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return DiskFullError("qcode cannot lock the project to change it",
                             "Nothing was written to the project, and it can still be read.")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ReadOnlyFolderError(path.resolve().parent)
    return ProjectFileError(f"The lock file beside {path.name} cannot be made ({err.strerror or err}), so the "
                            "project cannot be changed here; it can still be read.")


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
        #: why this session cannot write (None when it can, or when it was opened for reading only)
        self.refusal: ProjectFileError | None = None
        self._verified = False
        self._depth = 0
        self._savepoint_counter = 0
        self._thread_lock = threading.RLock()

    def stamps(self, count: int) -> list[tuple[str, str]]:
        """(created at, guid) for `count` new rows made by one action: the clock read once and the identifiers
        made in bulk, or, when a clock or identifiers are injected, each asked for in turn as before."""
        if self.now is now_iso and self.new_guid is new_guid:
            now = now_iso()
            return [(now, guid) for guid in new_guids(count)]
        return [(self.now(), self.new_guid()) for _ in range(count)]

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
        try:
            if not lock.acquire():
                raise ProjectLockedError(read_holder(path))
        except OSError as err:
            raise _lock_refusal(path, err) from err
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
            store._verified = True  # made just now, by this session
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
        except BaseException as err:
            conn.close()
            lock.release()
            for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                part.unlink(missing_ok=True)
            if isinstance(err, sqlite3.Error) and health.is_disk_full(err):
                raise DiskFullError(f"the project {path.name} was not created", "Nothing was left behind.") from err
            raise
        return store

    @classmethod
    def open(cls, path: Path, *, mode: str = "write", holder: str | None = None) -> Store:
        """Open an existing project.

        mode "write" takes the write lock (ProjectLockedError when another process holds it); "read" opens
        without the lock and refuses every write; "auto" writes when it can and falls back to reading.
        `holder` names this process in the lock file when it is a command, so a refused writer can say
        what holds the project. Nothing is written on opening: the file is probed on a read-only connection
        first, and checked (`verify`) before the first write of the session.
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
        cls._probe(path)

        lock: ProjectLock | None = None
        refusal: ProjectFileError | None = None  # why this session cannot write, when it cannot
        if mode in ("write", "auto"):
            if _file_is_read_only(path):
                refusal = ReadOnlyFileError(path)
            elif not os.access(path.resolve().parent, os.W_OK):
                refusal = ReadOnlyFolderError(path.resolve().parent)  # no lock file, journal or WAL can go there
            else:
                candidate = ProjectLock(path)
                try:
                    if candidate.acquire(holder):
                        lock = candidate
                    else:
                        refusal = ProjectLockedError(read_holder(path))
                except OSError as err:  # the lock file cannot be made
                    refusal = _lock_refusal(path, err)
            if lock is None and mode == "write":
                assert refusal is not None
                raise refusal
        try:
            conn = connect(path, readonly=lock is None)
            store = cls(path, conn, lock, locked_elsewhere=isinstance(refusal, ProjectLockedError))
        except sqlite3.Error as err:
            if lock:
                lock.release()
            raise health.translate(err, path, lost="the project was not opened", kept="Nothing was written to it.") from err
        store.refusal = refusal
        try:
            store._check_and_migrate()
        except _UpgradeFirst:
            store.close()
            return cls._upgrade_then_open(path, mode)
        except health.DAMAGE as err:
            store.close()
            raise DamagedProjectError(path, health.describe(err)) from err
        except BaseException:
            store.close()
            raise
        return store

    @staticmethod
    def _probe(path: Path) -> None:
        """Refuse a file that is not a sound qcode project, reading it on a read-only connection only."""
        probe: sqlite3.Connection | None = None
        try:
            probe = connect(path, readonly=True)
            app_id, version, missing = health.probe(probe)
        except health.DAMAGE as err:
            if isinstance(err, sqlite3.Error) and health.primary_code(err) in (
                    health.SQLITE_CANTOPEN, health.SQLITE_IOERR, health.SQLITE_READONLY, health.SQLITE_FULL):
                raise health.translate(err, path, lost="the project was not opened", kept="Nothing was written to it.") from err
            raise DamagedProjectError(path, health.describe(err)) from err
        finally:
            if probe is not None:
                probe.close()
        if app_id != APPLICATION_ID:
            raise NotAProjectError(path, "it is a database of another program")
        if version > LATEST:
            raise ProjectTooNewError(path, version, LATEST)
        if version < 1:
            raise DamagedProjectError(path, "it records no format version")
        if missing:
            raise DamagedProjectError(path, "; ".join(missing[:3]))

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
        steps = pending_steps(self.conn.execute("PRAGMA user_version").fetchone()[0])
        if steps:
            if self.readonly:
                raise _UpgradeFirst()
            self.verify()
            backups.make_backup(self.conn, self.path, "before-upgrade", checked=True)
            for number, step in steps:
                apply_step(self.conn, number, step)

    def verify(self) -> None:
        """Check the file (`health.problems`) once per session; DamagedProjectError when it fails.

        A writable session then switches to write-ahead logging. Every first write calls this, so a damaged
        file is never written to; the app calls it on opening, to say at once that a file is damaged.
        """
        with self._thread_lock:
            if self._verified:
                return
            health.check_file(self.path, self.conn)
            self._mark_verified()

    def begin_verify(self) -> Callable[[], None]:
        """Start `verify`'s check on a read-only connection of its own, in a thread, while the caller reads.

        Returns the function that waits for the check and then acts as `verify` does (raising
        DamagedProjectError). Nothing may be written before it has returned.
        """
        if self._verified:
            return lambda: None
        found: list[list[str]] = []

        def work() -> None:
            try:
                conn = connect(self.path, readonly=True)
            except sqlite3.Error as err:
                found.append([health.describe(err)])
                return
            try:
                found.append(health.problems(conn))
            finally:
                conn.close()

        thread = threading.Thread(target=work, name="qcode-check", daemon=True)
        thread.start()

        def finish() -> None:
            thread.join()
            with self._thread_lock:
                if self._verified:
                    return
                problems = found[0] if found else ["the check stopped before it finished"]
                if problems:
                    raise DamagedProjectError(self.path, "; ".join(problems[:3]))
                self._mark_verified()

        return finish

    def _mark_verified(self) -> None:
        self._verified = True
        if not self.readonly:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = FULL")
            except sqlite3.Error as err:
                raise self._translate(err) from err

    def close(self) -> None:
        """Checkpoint the write-ahead log into the single project file and release the lock."""
        if self.conn is None:
            return
        try:
            if not self.readonly and self._verified:
                try:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    self.conn.execute("PRAGMA journal_mode = DELETE")
                except sqlite3.OperationalError:
                    pass  # another process is reading (or the disk is full): the next writer folds the WAL in
            self.conn.close()
        finally:
            self.conn = None  # type: ignore[assignment]
            if self._lock is not None:
                self._lock.release()

    # --- transactions --------------------------------------------------------------------------------

    def check_writable(self) -> None:
        """Raise the error that says why this store may not write, if it may not."""
        if self.readonly:
            if self.refusal is not None:
                raise self.refusal
            raise ReadOnlyProjectError()

    def _translate(self, err: sqlite3.Error) -> QcodeError:
        return health.translate(err, self.path, lost="this change was not written",
                                kept="The project holds every change made before it.")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls become savepoints of the outer transaction.

        A full disk, a file turned read-only or damage met while writing become the matching QcodeError,
        after the rollback.
        """
        self.check_writable()
        with self._thread_lock:
            if self._depth == 0:
                self.verify()
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as err:
                    raise self._translate(err) from err
                self._depth = 1
                try:
                    yield self.conn
                except BaseException as exc:
                    self._depth = 0
                    if self.conn.in_transaction:  # SQLite has already rolled back after a full disk
                        self.conn.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.Error) and health.primary_code(exc) in _TRANSLATED:
                        raise self._translate(exc) from exc
                    raise
                self._depth = 0
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error as err:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise self._translate(err) from err
            else:
                self._savepoint_counter += 1
                name = f"sp{self._savepoint_counter}"
                self.conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self.conn
                except BaseException:
                    self._depth -= 1
                    if self.conn.in_transaction:
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
            if health.is_disk_full(err):
                raise DiskFullError(f"the copy {target.name} was not written",
                                    "The project is unchanged, and no part of the copy was left.") from err
            raise ProjectFileError(f"A copy could not be written to {target}: {err}.") from err
        return target

    def backup(self, reason: str) -> Path:
        """A backup in the user data folder, after checking the file (never a backup of a damaged one)."""
        return backups.make_backup(self.conn, self.path, reason)

    def integrity_problems(self) -> list[str]:
        """What SQLite's integrity and foreign-key checks report (empty when all is well)."""
        problems = [row[0] for row in self.conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points to a missing {parent}")
        return problems
