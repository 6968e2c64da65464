"""Coders as a team sees them: stable identities, renaming, blind coding, agreement and merging projects."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qcode.core.errors import (
    DuplicateNameError,
    InvalidNameError,
    InvalidOperationError,
    InvalidRangeError,
    NotFoundError,
)
from qcode.core.model import Coder, Coding, Filter
from qcode.core.progress import Progress
from qcode.core.project.base import ProjectBase
from qcode.core.store import aggregates, meta
from qcode.core.store import codings as coding_store
from qcode.core.store import exchange as exchange_store
from qcode.core.store import team as team_store
from qcode.core.team import blind
from qcode.core.text_rules import printable_name

if TYPE_CHECKING:
    from qcode.core.team.agreement import AgreementReport, AgreementRequest
    from qcode.core.team.merge import MergeRecord, MergeReport


@dataclass(frozen=True)
class CodingIdentities:
    """Every coding of a project by identity and by (source, code, coder, start, end), each to its id."""

    guids: dict[str, int]
    keys: dict[tuple[int, int, int, int, int], int]

BLIND_KEY = "blind_coding"
BULK_CODINGS = 2000  # a batch larger than this recomputes exactly the groups it changed, which is then quicker


def _refresh_aggregates(tx: sqlite3.Connection, changed: list[tuple[int, int, int, int, int]]) -> None:
    """Bring the aggregates up to date after codings (source, code, coder, start, end) were added or removed."""
    if len(changed) > BULK_CODINGS:
        aggregates.after_many_codings_change(tx, [(r[0], r[1], r[2]) for r in changed])
    else:
        aggregates.after_codings_change(tx, [(r[0], r[1], r[3], r[4]) for r in changed])


class TeamMixin(ProjectBase):
    """The part of `Project` for team work: coders with stable identities, blind coding, the reads and writes a merge of
    coders' projects needs, and inter-coder agreement."""

    coders: Callable[[], list[Coder]]
    codings: Callable[..., list[Coding]]
    coder: Callable[[int], Coder]
    _coder_id: int | None
    _coder_name: str | None

    def add_coder(self, name: str, *, color: str, guid: str | None = None) -> Coder:
        """A new coder with a given identity (a merge brings another project's coders in this way)."""
        name = " ".join(str(name).split())
        if not name:
            raise InvalidNameError("coder")
        if meta.coder_by_name(self._store.read, name) is not None:
            raise DuplicateNameError("coder", name, "in this project")
        if guid and guid in self.coder_guids().values():
            raise DuplicateNameError("coder with the identifier", guid)
        with self._store.transaction() as tx:
            coder_id = meta.insert_coder_with_guid(tx, name, color, guid or self._store.new_guid())
        self._notify("coder", "added", (coder_id,))
        return meta.coder_by_id(self._store.read, coder_id)  # type: ignore[return-value]

    def remove_coder(self, coder_id: int) -> None:
        """Remove a coder who has no codings or memos left (the undo of a merge that added them). The session's
        own coder is added again, with a new identity, when it next codes."""
        coder = meta.coder_by_id(self._store.read, coder_id)
        if coder is None:
            raise NotFoundError("coder", f"with id {coder_id}")
        if meta.coder_in_use(self._store.read, coder_id):
            raise InvalidOperationError(f"{coder.name} still has codings or memos in this project, so they stay "
                                        "a coder of it.")
        with self._store.transaction() as tx:
            meta.delete_coder(tx, coder_id)
        if self._coder_id == coder_id:
            self._coder_id = None
            self._coder_name = coder.name
        self._notify("coder", "removed", (coder_id,))

    def coder_in_use(self, coder_id: int) -> bool:
        """Whether any coding or memo of the project belongs to the coder."""
        return meta.coder_in_use(self._store.read, coder_id)

    def coder_guids(self) -> dict[int, str]:
        """Each coder's stable identity (a UUID), by id: it stays when the coder is renamed."""
        return exchange_store.guids(self._store.read, "coder")

    def coder_by_guid(self, guid: str) -> Coder:
        """The coder with this stable identity; raises NotFoundError when the project has none."""
        for coder_id, known in self.coder_guids().items():
            if known == guid:
                found = meta.coder_by_id(self._store.read, coder_id)
                if found is not None:
                    return found
        raise NotFoundError("coder", f"with the identifier {guid}")

    def rename_coder(self, coder_id: int, name: str) -> Coder:
        """Give a coder another name; their codings, memos and identity stay theirs."""
        coder = meta.coder_by_id(self._store.read, coder_id)
        if coder is None:
            raise NotFoundError("coder", f"with id {coder_id}")
        name = " ".join(printable_name(str(name)).split())
        if not name:
            raise InvalidNameError("coder")
        other = meta.coder_by_name(self._store.read, name)
        if other is not None and other.id != coder_id:
            raise DuplicateNameError("coder", name, "in this project")
        with self._store.transaction() as tx:
            meta.update_coder(tx, coder_id, name=name, color=coder.color)
        self._notify("coder", "changed", (coder_id,))
        return meta.coder_by_id(self._store.read, coder_id)  # type: ignore[return-value]

    # --- blind coding ----------------------------------------------------------------------------------

    @property
    def blind_coding(self) -> bool:
        """True while each coder is to see only their own codings (the team has not compared yet)."""
        return meta.get_meta(self._store.read, BLIND_KEY) == "on"

    def set_blind_coding(self, on: bool) -> None:
        """Start blind coding, or end it so that the team can compare; stored in the project for everyone."""
        with self._store.transaction() as tx:
            meta.set_meta(tx, BLIND_KEY, "on" if on else "off")
        self._notify("project", "changed")

    def viewer(self) -> Coder:
        """The coder this session shows codings for in blind coding: the session's coder, never added by asking
        (one who has not coded yet is returned with id 0 and sees nothing)."""
        if self._coder_id is not None:
            return self.coder(self._coder_id)
        from qcode.core.project.facade import CODER_COLORS, default_coder_name

        name = self._coder_name or default_coder_name()
        found = meta.coder_by_name(self._store.read, " ".join(printable_name(name).split()))
        return found if found is not None else Coder(0, name, CODER_COLORS[0])

    def visible_filter(self, flt: Filter | None = None, *, only_when_coded: bool = False) -> Filter:
        """The filter a listing, count or export of codings applies: as given, or, in blind coding, narrowed to
        the viewer's codings (`BlindCodingError` when it names other coders). See `qcode.core.team.blind`."""
        flt = flt or Filter()
        if not self.blind_coding:
            return flt
        names = {c.id: c.name for c in self.coders()} if flt.coders else None
        return blind.narrowed(flt, self.viewer(), names=names, only_when_coded=only_when_coded)

    def visible_coder(self, coder_id: int | None) -> int | None:
        """The one coder whose codings a listing shows (None: every coder), as blind coding allows."""
        flt = self.visible_filter(Filter(coders=() if coder_id is None else (coder_id,)))
        return flt.coders[0] if flt.coders else None

    def refuse_if_blind(self, what: str = "a comparison of coders") -> None:
        """Refuse, with `BlindCodingError`, a request that compares coders while blind coding is on."""
        if self.blind_coding:
            blind.refuse_comparison(self.viewer(), what)

    # --- merging ---------------------------------------------------------------------------------------

    def coding_records(self) -> list[tuple[int, int, int, int, int, int, str, str]]:
        """(id, source, code, coder, start, end, created_at, guid) of every coding: what a merge reads."""
        return team_store.coding_records(self._store.read)

    def coding_identities(self) -> CodingIdentities:
        """Every coding's id by its identity and by (source, code, coder, start, end): how a merge finds the codings a
        project already holds."""
        records = self.coding_records()
        return CodingIdentities({r[7]: r[0] for r in records}, {(r[1], r[2], r[3], r[4], r[5]): r[0] for r in records})

    def insert_codings(self, rows: Iterable[tuple[int, int, int, int, int, str, str]]) -> list[int]:
        """Add codings as another project holds them: (source, code, coder, start, end, created_at, guid) each,
        keeping their identity and date, in one transaction; the caller has left out the ones already here."""
        items = list(rows)
        if not items:
            return []
        self._check_ranges_of(items)
        with self._store.transaction() as tx:
            ids = coding_store.insert_codings_returning_ids(tx, items)
            _refresh_aggregates(tx, [(r[0], r[1], r[2], r[3], r[4]) for r in items])
        self._notify("coding", "added", tuple(ids), tuple(sorted({r[0] for r in items})))
        return ids

    def remove_many_codings(self, coding_ids: Iterable[int]) -> None:
        """Remove codings in one transaction, as a merge's undo does with the tens of thousands it added."""
        ids = sorted(set(coding_ids))
        codings = coding_store.codings_by_ids(self._store.read, ids)
        if not codings:
            return
        with self._store.transaction() as tx:
            coding_store.delete_coding_rows(tx, [c.id for c in codings])
            _refresh_aggregates(tx, [(c.source_id, c.code_id, c.coder_id, c.start, c.end) for c in codings])
        self._notify("coding", "removed", tuple(c.id for c in codings), tuple(sorted({c.source_id for c in codings})))

    def _check_ranges_of(self, items: list[tuple[int, int, int, int, int, str, str]]) -> None:
        lengths: dict[int, int] = {}
        for source_id, _code_id, _coder_id, start, end, *_ in items:
            if source_id not in lengths:
                lengths[source_id] = self._source(source_id).length
            if not 0 <= start < end <= lengths[source_id]:
                raise InvalidRangeError(start, end, lengths[source_id])
        for code_id in {item[1] for item in items}:
            self._code(code_id)

    def merge_project(self, other_path: str | os.PathLike[str], *, prefer: str | None = None,
                      choices: dict[str, str] | None = None, dry_run: bool = False) -> MergeReport:
        """Merge another coder's project file into this one (see `qcode.core.team.merge` for the rules)."""
        from qcode.core.team.merge import merge_project

        return merge_project(self, other_path, prefer=prefer, choices=choices, dry_run=dry_run)  # type: ignore[arg-type]

    @contextmanager
    def changes_summarised(self) -> Iterator[None]:
        """Tell subscribers of a large change (a merge, its undo) once per subject when it is done, instead of
        once per step: one Change per kind, with no ids (meaning "reload"). Nothing is told if it fails."""
        heard: dict[str, set[str]] = {}

        def collect(kind: str, action: str, ids: tuple[int, ...] = (), source_ids: tuple[int, ...] = ()) -> None:
            heard.setdefault(kind, set()).add(action)

        self._notify = collect
        try:
            yield
        except BaseException:
            del self._notify  # the class's own method again
            raise
        del self._notify
        for kind, actions in heard.items():
            action = "added" if actions == {"added"} else "removed" if actions == {"removed"} else "changed"
            self._notify(kind, action)

    def forget_rolled_back_coder(self) -> None:
        """After a rolled-back transaction that added this session's coder, add it again when next needed."""
        coder_id = getattr(self, "_coder_id", None)
        if coder_id is not None and meta.coder_by_id(self._store.read, coder_id) is None:
            self._coder_id = None

    def unmerge(self, record: MergeRecord) -> None:
        """Take back a merge (what its report's record lists)."""
        from qcode.core.team.merge import unmerge

        unmerge(self, record)  # type: ignore[arg-type]

    # --- reads for whole-project team queries ----------------------------------------------------------

    def coding_ranges(self, coder_ids: Iterable[int]) -> list[tuple[int, int, int, int, int]]:
        """(code, source, coder, start, end) of the coders' codings, by code, source and start."""
        self.refuse_if_blind()
        return team_store.coding_ranges(self._store.read, coder_ids)

    def span_bounds(self, kind: str) -> list[tuple[int, int, int]]:
        """(source, start, end) of every span of a kind (paragraph, turn, ...), by source and start."""
        return team_store.span_bounds(self._store.read, kind)

    def coders_by_source(self, coder_ids: Iterable[int]) -> list[tuple[int, int]]:
        """(source, coder) for each source and each of the coders who coded anything in it."""
        self.refuse_if_blind()
        return team_store.coders_by_source(self._store.read, coder_ids)

    def source_lengths(self) -> dict[int, int]:
        """Each source's length in code points, by id."""
        return team_store.source_lengths(self._store.read)

    # --- agreement -------------------------------------------------------------------------------------

    def agreement(self, request: AgreementRequest, *, progress: Progress | None = None) -> AgreementReport:
        """The inter-coder agreement table of a request (see `qcode.core.team.agreement`)."""
        from qcode.core.team.agreement import compute

        return compute(self, request, progress=progress)  # type: ignore[arg-type]
