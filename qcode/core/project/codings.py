"""Applying and removing codings, and reading them back by source, code or coder."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from qcode.core import autocode
from qcode.core.analysis.locations import describe_many
from qcode.core.errors import DuplicateCodingError, InvalidRangeError, InvalidRequestError, NotFoundError
from qcode.core.model import Coding, Excerpt, Filter, NewCoding
from qcode.core.project.base import ProjectBase
from qcode.core.store import aggregates, meta
from qcode.core.store import codes as code_store
from qcode.core.store import codings as coding_store
from qcode.core.store import excerpts as excerpt_store
from qcode.core.store import sources as source_store


class CodingsMixin(ProjectBase):
    """Applying and removing codings, one or a batch at a time, and reading them back by source, code or coder."""

    def coding(self, coding_id: int) -> Coding:
        """The coding with this id; NotFoundError when there is none."""
        found = coding_store.coding_by_id(self._store.read, coding_id)
        if found is None:
            raise NotFoundError("coding", f"with id {coding_id}")
        return found

    def _resolve_coder(self, coder_id: int | None) -> int:
        if coder_id is None:
            return self.current_coder.id
        if meta.coder_by_id(self._store.read, coder_id) is None:
            raise NotFoundError("coder", f"with id {coder_id}")
        return coder_id

    def coding_range(self, source_id: int, start: int, end: int) -> tuple[int, int]:
        """The passage a gesture codes for a chosen [start, end): without white space at its edges.

        Every coding gesture of the faces goes through it (selections, quick keys, quick code, in vivo,
        `qcode code`); autocoding trims the same way. Raises InvalidRequestError when the range holds only
        white space.
        """
        self._check_range(source_id, start, end)
        text = source_store.source_slice(self._store.read, source_id, start, end)
        trimmed = autocode.trim_whitespace(text, 0, len(text))
        if trimmed is None:
            raise InvalidRequestError("The selection holds only white space: select some words to code.")
        return start + trimmed[0], start + trimmed[1]

    def add_coding(
        self, source_id: int, code_id: int, start: int, end: int, *, coder_id: int | None = None
    ) -> Coding:
        """Apply a code to [start, end) of a source (code-point offsets)."""
        self._check_range(source_id, start, end)
        self._code(code_id)
        coder = self._resolve_coder(coder_id)
        read = self._store.read
        if coding_store.find_coding(read, source_id=source_id, code_id=code_id, coder_id=coder, start=start, end=end):
            raise DuplicateCodingError()
        with self._store.transaction() as tx:
            coding_id = coding_store.insert_coding(
                tx, source_id=source_id, code_id=code_id, coder_id=coder, start=start, end=end,
                created_at=self._store.now(), guid=self._store.new_guid(),
            )
            aggregates.after_coding_change(tx, [code_id], source_id, start, end)
        self._notify("coding", "added", (coding_id,), (source_id,))
        return self.coding(coding_id)

    def add_codings(self, batch: Iterable[NewCoding]) -> int:
        """Apply many codings in one transaction (autocoding, imports); exact duplicates are skipped.

        Returns the number of codings added.
        """
        return len(self.apply_codings(batch))

    def _check_ranges(self, ranges: Iterable[tuple[int, int, int]]) -> None:
        """Like `_check_range` for many (source_id, start, end), looking each source up once."""
        items = list(ranges)
        lengths = source_store.source_lengths(self._store.read, {source_id for source_id, _, _ in items})
        for source_id, start, end in items:
            if source_id not in lengths:
                lengths[source_id] = self._source(source_id).length  # raises NotFoundError
            length = lengths[source_id]
            if not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end > length or end <= start:
                raise InvalidRangeError(start, end, length)

    def _new_rows(self, items: list[NewCoding]) -> list[tuple[Any, ...]]:
        """(source, code, coder, start, end) of a batch's codings the project (and the batch) does not have yet."""
        read = self._store.read
        self._check_ranges((item.source_id, item.start, item.end) for item in items)
        for code_id in {item.code_id for item in items}:
            self._code(code_id)
        coders: dict[int | None, int] = {}
        # each code's codings read once, not once per (source, code) pair: a batch may touch every source
        existing = {code_id: coding_store.coding_keys_of_code(read, code_id) for code_id in {i.code_id for i in items}}
        rows = []
        for item in items:
            if item.coder_id not in coders:
                coders[item.coder_id] = self._resolve_coder(item.coder_id)
            coder = coders[item.coder_id]
            keys = existing[item.code_id].setdefault(item.source_id, set())
            key = (coder, item.start, item.end)
            if key in keys:
                continue
            keys.add(key)
            rows.append((item.source_id, item.code_id, coder, item.start, item.end))
        return rows

    def new_codings_only(self, batch: Iterable[NewCoding]) -> list[NewCoding]:
        """The codings of a batch that applying it would add (not already in the project, each once)."""
        rows = self._new_rows(list(batch))
        return [NewCoding(r[0], r[1], r[3], r[4], r[2]) for r in rows]

    def apply_codings(self, batch: Iterable[NewCoding]) -> list[Coding]:
        """Apply many codings in one transaction; returns the codings added (exact duplicates are skipped).

        `remove_codings` with their ids undoes it; `restore_codings` puts them back.
        """
        new = self._new_rows(list(batch))
        if not new:
            return []
        rows = [(*row, *stamp) for row, stamp in zip(new, self._store.stamps(len(new)), strict=True)]
        with self._store.transaction() as tx:
            ids = coding_store.insert_codings_returning_ids(tx, rows)
            self._after_batch(tx, [(r[0], r[1], r[3], r[4]) for r in rows])
        self._notify("coding", "added", tuple(ids), tuple(sorted({r[0] for r in rows})))
        return [Coding(i, r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for i, r in zip(ids, rows, strict=True)]

    def remove_codings(self, coding_ids: Iterable[int]) -> list[Coding]:
        """Remove many codings in one transaction; returns them, so that `restore_codings` can undo it."""
        ids = sorted(set(coding_ids))
        codings = coding_store.codings_by_ids(self._store.read, ids)
        if len(codings) != len(ids):
            missing = sorted(set(ids) - {c.id for c in codings})
            raise NotFoundError("coding", f"with id {missing[0]}")
        if not codings:
            return []
        with self._store.transaction() as tx:
            coding_store.delete_coding_rows(tx, ids)
            self._after_batch(tx, [(c.source_id, c.code_id, c.start, c.end) for c in codings])
        self._notify("coding", "removed", tuple(ids), tuple(sorted({c.source_id for c in codings})))
        return codings

    def restore_codings(self, codings: Iterable[Coding]) -> list[Coding]:
        """Put removed codings back exactly as they were (same ids and guids), in one transaction."""
        items = list(codings)
        if not items:
            return []
        self._check_ranges((c.source_id, c.start, c.end) for c in items)
        for code_id in {c.code_id for c in items}:
            self._code(code_id)
        with self._store.transaction() as tx:
            coding_store.restore_codings(tx, items)
            self._after_batch(tx, [(c.source_id, c.code_id, c.start, c.end) for c in items])
        self._notify("coding", "added", tuple(c.id for c in items), tuple(sorted({c.source_id for c in items})))
        return coding_store.codings_by_ids(self._store.read, [c.id for c in items])

    @staticmethod
    def _after_batch(tx: sqlite3.Connection, changed: list[tuple[int, int, int, int]]) -> None:
        """Bring the aggregates up to date after codings (source, code, start, end) were added or removed."""
        aggregates.after_codings_change(tx, changed)

    def remove_coding(self, coding_id: int) -> Coding:
        """Remove a coding; returns it, so that `restore_coding` can undo the removal."""
        coding = self.coding(coding_id)
        with self._store.transaction() as tx:
            coding_store.delete_coding_row(tx, coding_id)
            aggregates.after_coding_change(tx, [coding.code_id], coding.source_id, coding.start, coding.end)
        self._notify("coding", "removed", (coding_id,), (coding.source_id,))
        return coding

    def restore_coding(self, coding: Coding) -> Coding:
        """Put a removed coding back exactly as it was (same id and guid)."""
        self._check_range(coding.source_id, coding.start, coding.end)
        self._code(coding.code_id)
        with self._store.transaction() as tx:
            coding_store.restore_coding(tx, coding)
            aggregates.after_coding_change(tx, [coding.code_id], coding.source_id, coding.start, coding.end)
        self._notify("coding", "added", (coding.id,), (coding.source_id,))
        return self.coding(coding.id)

    def codings_for_source(self, source_id: int, *, coder_id: int | None = None) -> list[Coding]:
        """A source's codings in text order, of every coder or of one."""
        self._source(source_id)
        coder_id = self.visible_coder(coder_id)
        return coding_store.codings_for_source(self._store.read, source_id, () if coder_id is None else (coder_id,))

    def codings_for_code(
        self, code_id: int, *, include_descendants: bool = False, coder_id: int | None = None
    ) -> list[Coding]:
        """A code's codings, of every coder or of one; with `include_descendants`, those of its sub-codes too."""
        self._code(code_id)
        coder_id = self.visible_coder(coder_id)
        ids = code_store.descendants(self._store.read, [code_id]) if include_descendants else [code_id]
        return coding_store.codings_for_codes(self._store.read, ids, () if coder_id is None else (coder_id,))

    def codings_for_coder(self, coder_id: int) -> list[Coding]:
        """Every coding one coder made, by source and position."""
        self._resolve_coder(coder_id)
        self.visible_coder(coder_id)
        return coding_store.codings_for_coder(self._store.read, coder_id)

    def codings(self, flt: Filter | None = None) -> list[Coding]:
        """Every coding a filter lets through (all of them without one), in source then text order."""
        return coding_store.codings_for_filter(self._store.read, self.visible_filter(flt))

    def coding_count(self) -> int:
        """How many codings the project holds."""
        return coding_store.count_codings(self._store.read)

    def excerpts(
        self,
        code_id: int,
        *,
        include_descendants: bool = False,
        coder_id: int | None = None,
        with_location: bool = False,
    ) -> list[Excerpt]:
        """A code's codings with their text, in source then text order; locations when asked."""
        self._code(code_id)
        coder_id = self.visible_coder(coder_id)
        read = self._store.read
        ids = code_store.descendants(read, [code_id]) if include_descendants else [code_id]
        rows = excerpt_store.excerpts_for_codes(read, ids, () if coder_id is None else (coder_id,))
        return self._with_locations(rows, with_location)

    def excerpts_matching(self, flt: Filter | None = None, *, with_location: bool = True) -> list[Excerpt]:
        """Every coding a filter lets through, with its text and location, in source then text order."""
        rows = excerpt_store.excerpts_for_filter(self._store.read, self.visible_filter(flt))
        return self._with_locations(rows, with_location)

    def _with_locations(self, rows: list[tuple[Coding, str, str]], with_location: bool) -> list[Excerpt]:
        """Excerpts; with their locations described in one pass over the span index when asked."""
        if not with_location:
            return [Excerpt(coding, text, source_name, "") for coding, text, source_name in rows]
        locations = describe_many(self._store.read, [(coding.source_id, coding.start) for coding, _, _ in rows])
        return [Excerpt(coding, text, source_name, location)
                for (coding, text, source_name), location in zip(rows, locations, strict=True)]
