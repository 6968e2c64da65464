"""What every part of the Project API shares: the store, notification, lookups that raise clearly."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from qcode.core.errors import AmbiguousNameError, InvalidNameError, InvalidRangeError, NotFoundError
from qcode.core.model import Code, Coder, Filter, Folder, Source
from qcode.core.store import aggregates
from qcode.core.store import codes as code_store
from qcode.core.store import sources as source_store
from qcode.core.store.database import Store
from qcode.core.text_rules import printable_name

if TYPE_CHECKING:
    from qcode.core.importers.base import ParsedSource

T = TypeVar("T")
CODE_COLORS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)


class ProjectBase:
    """Declares what `Project` provides to the API mixins."""

    _store: Store
    _notify: Callable[..., None]
    describe_location: Callable[[int, int], str]

    if TYPE_CHECKING:  # provided by Project and by the mixins beside this one

        @property
        def current_coder(self) -> Coder: ...

        def folder(self, folder_id: int) -> Folder: ...

        def visible_filter(self, flt: Filter | None = None, *, only_when_coded: bool = False) -> Filter: ...

        def visible_coder(self, coder_id: int | None) -> int | None: ...

        def refuse_if_blind(self, what: str = "a comparison of coders") -> None: ...

        def _insert_parsed(self, tx: sqlite3.Connection, parsed: ParsedSource, folder_id: int | None,
                           original_name: str, position: int | None = None) -> int: ...

        def _insert_many_parsed(self, tx: sqlite3.Connection, items: list[ParsedSource], folder_id: int | None,
                                original_name: str, first_position: int) -> list[int]: ...

    # --- lookups ---------------------------------------------------------------------------------------

    def _source(self, source_id: int) -> Source:
        found = source_store.source_by_id(self._store.read, source_id)
        if found is None:
            raise NotFoundError("source", f"with id {source_id}")
        return found

    def _code(self, code_id: int) -> Code:
        found = code_store.code_by_id(self._store.read, code_id)
        if found is None:
            raise NotFoundError("code", f"with id {code_id}")
        return found

    def _check_range(self, source_id: int, start: int, end: int) -> Source:
        source = self._source(source_id)
        if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end > source.length or end <= start:
            raise InvalidRangeError(start, end, source.length)
        return source

    @staticmethod
    def _clean_name(name: str, what: str) -> str:
        cleaned = " ".join(printable_name(str(name)).split())
        if not cleaned or "/" in cleaned:
            raise InvalidNameError(what)
        return cleaned

    def _code_path_in(self, tx: sqlite3.Connection, path: str, *, color: str | None = None) -> tuple[int, tuple[int, ...]]:
        """Inside a transaction: the code at `path`, created with any missing parents (names matched
        case-insensitively); returns its id and the ids created, parents first. New codes get `color`, or the
        next colour of the palette."""
        parts = [self._clean_name(part, "code") for part in path.strip().strip("/").split("/")]
        parent: int | None = None
        created: list[int] = []
        for part in parts:
            found = code_store.code_by_name_in(tx, parent, part)
            if found is not None:
                parent = found.id
                continue
            parent = code_store.insert_code(
                tx, parent_id=parent, name=part,
                color=color or CODE_COLORS[code_store.count_codes(tx) % len(CODE_COLORS)], definition="",
                inclusion="", exclusion="", example="", position=code_store.next_position(tx, parent),
                guid=self._store.new_guid(), created_at=self._store.now(),
            )
            created.append(parent)
        if created:
            aggregates.after_tree_change(tx, created)
        assert parent is not None
        return parent, tuple(created)


def resolve_path(
    what: str,
    ref: str,
    by_name: list[T],
    lookup_in: Callable[[list[str]], T | None],
    describe: Callable[[T], str],
    by_id: T | None = None,
) -> T:
    """Resolve 'Name' or 'A/B/Name' to one item; a bare name matching several items is ambiguous.

    `by_id` is the item whose id the reference spells, when it is all digits.
    """
    parts = [p.strip() for p in ref.strip().strip("/").split("/")]
    if len(parts) == 1:
        if by_id is not None and all(item != by_id for item in by_name):
            by_name = [by_id, *by_name]  # '12' may be an id or a name: both are candidates
        if not by_name:
            raise NotFoundError(what, f"'{ref}'")
        if len(by_name) > 1:
            raise AmbiguousNameError(what, ref, [describe(item) for item in by_name])
        return by_name[0]
    found = lookup_in(parts)
    if found is None:
        raise NotFoundError(what, f"'{ref}'")
    return found
