"""What every part of the Project API shares: the store, notification, lookups that raise clearly."""

from __future__ import annotations

from collections.abc import Callable

from qcode.core.errors import AmbiguousNameError, InvalidNameError, InvalidRangeError, NotFoundError
from qcode.core.model import Code, Coder, Source
from qcode.core.store import codes as code_store
from qcode.core.store import sources as source_store
from qcode.core.store.database import Store
from qcode.core.text_rules import printable_name


class ProjectBase:
    """Declares what `Project` provides to the API mixins."""

    _store: Store
    _notify: Callable[..., None]
    current_coder: Coder
    describe_location: Callable[[int, int], str]

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


def resolve_path(
    what: str,
    ref: str,
    by_name: list,
    lookup_in: Callable[[list[str]], object | None],
    describe: Callable[[object], str],
    by_id: object | None = None,
) -> object:
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
