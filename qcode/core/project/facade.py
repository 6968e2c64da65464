"""The Project facade: the public API every face (GUI, CLI, benchmark, tests) uses.

A `Project` wraps one open project file. Its methods validate, then change the file in one transaction
each, then tell subscribers what changed. The methods are grouped by subject in the modules of this package;
this module holds the lifecycle, coders and change notification.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from qcode.core.errors import InvalidNameError, NotFoundError
from qcode.core.model import Backup, Coder
from qcode.core.project.analysis import AnalysisMixin
from qcode.core.project.autocode import AutocodeMixin
from qcode.core.project.cases import CasesMixin
from qcode.core.project.codebook import CodebookMixin
from qcode.core.project.codings import CodingsMixin
from qcode.core.project.exchange import ExchangeMixin
from qcode.core.project.importing import ImportMixin
from qcode.core.project.memos import MemosMixin
from qcode.core.project.names import NamesMixin
from qcode.core.project.queries import QueriesMixin
from qcode.core.project.source_snapshots import SourceSnapshotsMixin
from qcode.core.project.sources import SourcesMixin
from qcode.core.project.team import TeamMixin
from qcode.core.store import backups, meta
from qcode.core.store.database import Store, new_guid, now_iso
from qcode.core.text_rules import printable_name

CODER_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


@dataclass(frozen=True, slots=True)
class Change:
    """What a write changed: `kind` is the subject (source, folder, code, coding, memo, case, attribute, project)."""

    kind: str
    action: str  # "added", "changed", "removed"
    ids: tuple[int, ...] = ()
    #: for codings: the sources they lie in (so views can update just those)
    source_ids: tuple[int, ...] = ()


Listener = Callable[[Change], None]


def default_coder_name() -> str:
    """$QCODE_CODER, else the system user name."""
    name = os.environ.get("QCODE_CODER", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "coder"
    except (KeyError, OSError):  # no user database entry (containers)
        return "coder"


class Project(SourcesMixin, SourceSnapshotsMixin, ImportMixin, CodebookMixin, CodingsMixin, AutocodeMixin, MemosMixin,
              CasesMixin, QueriesMixin, NamesMixin, ExchangeMixin, TeamMixin, AnalysisMixin):
    """An open qcode project."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._listeners: list[Listener] = []
        self._coder_id: int | None = None
        self._coder_name: str | None = None

    # --- lifecycle -------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        *,
        name: str | None = None,
        clock: Callable[[], str] | None = None,
        guids: Callable[[], str] | None = None,
    ) -> Project:
        """Make a new project file (refusing to overwrite) and open it.

        `clock` and `guids` replace the wall clock and random identifiers (for reproducible builds).
        """
        store = Store.create(Path(path), name=name, clock=clock or now_iso, guids=guids or new_guid)
        return cls(store)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, mode: str = "write", holder: str | None = None,
             coder: str | None = None) -> Project:
        """Open a project: mode "write" (locks it), "read" (never writes) or "auto" (read-only if it must be).

        Opening writes nothing; the file is checked before the first change (or by `verify`). `holder` names
        a command that holds the project, for the message another process gets ("the command 'qcode
        import'"); an app window leaves it out. `coder` names the session's coder (see `name_coder`): a
        window's worker reads for the window's coder, which matters in blind coding.
        """
        project = cls(Store.open(Path(path), mode=mode, holder=holder))
        if coder is not None:
            try:
                project.name_coder(coder)
            except InvalidNameError:
                project.close()
                raise
        return project

    def verify(self) -> None:
        """Check the file now (pages, names, ranges; linear in its size): DamagedProjectError when it fails.

        The first change of a session does this anyway; the app calls it on opening so that a damaged
        project is reported at once, before anything is shown or written.
        """
        self._store.verify()

    def begin_verify(self) -> Callable[[], None]:
        """`verify` on a connection of its own, in a thread, so that a face can read meanwhile.

        Returns the function that waits for the check and raises DamagedProjectError when it failed; nothing
        may be changed before it has returned (the app builds its window meanwhile).
        """
        return self._store.begin_verify()

    @property
    def readonly_reason(self) -> str | None:
        """Why a project opened with mode "auto" cannot be changed here (None when it can)."""
        refusal = self._store.refusal
        return refusal.message if refusal is not None and self.readonly else None

    def close(self) -> None:
        """Close the project: checkpoint the WAL into the one file and release the lock."""
        self._store.close()

    @property
    def is_open(self) -> bool:
        """False once closed (work finishing in the background checks it before reading more)."""
        return self._store.conn is not None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        """The project file."""
        return self._store.path

    @property
    def readonly(self) -> bool:
        """Whether this project was opened for reading only (or is held by another process); writes then raise."""
        return self._store.readonly

    @property
    def locked_elsewhere(self) -> bool:
        """True when opened read-only because another process holds the project."""
        return self._store.locked_elsewhere

    @property
    def name(self) -> str:
        """The project's title (its file name when it has none)."""
        return meta.get_meta(self._store.read, "name") or self.path.stem

    def metadata(self) -> dict[str, str]:
        """All of the project's metadata (name, guid, created_at, created_with ...)."""
        return meta.all_meta(self._store.read)

    def rename_project(self, name: str) -> None:
        """Give the project another title."""
        if not name.strip():
            raise InvalidNameError("project")
        with self._store.transaction() as tx:
            meta.set_meta(tx, "name", name.strip())
        self._notify("project", "changed")

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Make several changes one transaction, for a face whose one action takes several calls.

        Either every change inside is kept, or none is when an error escapes. Subscribers hear of each change
        as it is made, so the GUI, which undoes step by step, does not use this.
        """
        with self._store.transaction():
            yield

    # --- change notification ---------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` after every committed change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _notify(self, kind: str, action: str, ids: tuple[int, ...] = (), source_ids: tuple[int, ...] = ()) -> None:
        change = Change(kind, action, ids, source_ids)
        for listener in list(self._listeners):
            listener(change)

    # --- coders ----------------------------------------------------------------------------------------

    def coders(self) -> list[Coder]:
        """Everyone who has coded in this project, in the order they joined."""
        return meta.coders(self._store.read)

    def coder(self, coder_id: int) -> Coder:
        """The coder with this id; NotFoundError when there is none."""
        found = meta.coder_by_id(self._store.read, coder_id)
        if found is None:
            raise NotFoundError("coder", coder_id)
        return found

    def ensure_coder(self, name: str, *, color: str | None = None) -> Coder:
        """The coder of that name, created when new."""
        name = " ".join(printable_name(name).split())
        if not name:
            raise InvalidNameError("coder")
        found = meta.coder_by_name(self._store.read, name)
        if found is not None:
            return found
        with self._store.transaction() as tx:
            count = len(meta.coders(tx))
            coder_id = meta.insert_coder(tx, name, color or CODER_COLORS[count % len(CODER_COLORS)],
                                         self._store.new_guid())
        self._notify("coder", "added", (coder_id,))
        return self.coder(coder_id)

    def use_coder(self, name: str) -> Coder:
        """Make `name` the coder of this session's codings and memos (created when new)."""
        coder = self.ensure_coder(name)
        self._coder_id = coder.id
        return coder

    def name_coder(self, name: str) -> None:
        """Name this session's coder without adding it yet: it is added with the first change that needs it."""
        name = " ".join(printable_name(name).split())
        if not name:
            raise InvalidNameError("coder")
        self._coder_name = name
        self._coder_id = None

    @property
    def current_coder(self) -> Coder:
        """This session's coder; by default $QCODE_CODER or the system user name."""
        if self._coder_id is None:
            name = self._coder_name or default_coder_name()
            if self.readonly:
                found = meta.coder_by_name(self._store.read, name)
                if found is not None:
                    return found
                return Coder(0, name, CODER_COLORS[0])
            return self.use_coder(name)
        return self.coder(self._coder_id)

    # --- safety ----------------------------------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """Write a backup into the user data folder now (the newest five are kept)."""
        return self._store.backup(reason)

    def backup_if_due(self, *, min_interval_hours: float = 4.0) -> Path | None:
        """A backup unless one was made within the interval (the GUI calls this off its main thread)."""
        if not backups.backup_due(self.path, min_interval_hours * 3600):
            return None
        return self._store.backup("open")

    @staticmethod
    def list_backups(path: str | os.PathLike[str]) -> list[Backup]:
        """The automatic backups of the project at `path`, newest first (the project need not open)."""
        return backups.list_backups(Path(path))

    @staticmethod
    def check_backup(backup: str | os.PathLike[str]) -> list[str]:
        """What the check before writing finds in a backup (empty when it is sound), so one can choose which
        backup to restore. Linear in the backup's size; reads only."""
        return backups.backup_problems(Path(backup))

    @staticmethod
    def restore_backup(backup: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
        """Bring a backup back as a new project file at `target` (never overwriting)."""
        return backups.restore_backup(Path(backup), Path(target))

    @classmethod
    def backup_on_open(cls, path: str | os.PathLike[str], *, min_interval_hours: float = 4.0) -> Path | None:
        """The rotating backup the app makes when it opens a project, on a read-only connection of its own.

        Returns the new backup, or None when one was made within the interval.
        """
        with cls.open(path, mode="read") as reader:
            return reader.backup_if_due(min_interval_hours=min_interval_hours)

    def save_copy(self, target: str | os.PathLike[str]) -> Path:
        """Write a consistent copy of the project to a new file (never overwriting); this project stays open."""
        return self._store.copy_to(Path(target))
