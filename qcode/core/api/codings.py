"""Applying and removing codings, and reading them back by source, code or coder."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from qcode.core import autocode
from qcode.core.analysis.locations import LocationIndex, location_index
from qcode.core.api.base import ProjectBase
from qcode.core.errors import InvalidOperationError, NotFoundError
from qcode.core.model import Coding, Excerpt, Filter
from qcode.core.store import aggregates, meta
from qcode.core.store import codes as code_store
from qcode.core.store import codings as coding_store
from qcode.core.store import excerpts as excerpt_store
from qcode.core.store import sources as source_store

BULK_REBUILD_THRESHOLD = 2000


class DuplicateCodingError(InvalidOperationError):
    def __init__(self) -> None:
        super().__init__("This passage already has this code from this coder.")


@dataclass(frozen=True, slots=True)
class NewCoding:
    """One coding of a batch (`add_codings`); coder_id None means the current coder."""

    source_id: int
    code_id: int
    start: int
    end: int
    coder_id: int | None = None


class CodingsMixin(ProjectBase):
    def coding(self, coding_id: int) -> Coding:
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
        items = list(batch)
        read = self._store.read
        rows = []
        seen = set()
        lengths: dict[int, int] = {}
        for item in items:
            if item.source_id not in lengths:
                lengths[item.source_id] = self._source(item.source_id).length
            self._check_range(item.source_id, item.start, item.end)
            coder = self._resolve_coder(item.coder_id)
            key = (item.source_id, item.code_id, coder, item.start, item.end)
            if key in seen or coding_store.find_coding(
                read, source_id=item.source_id, code_id=item.code_id, coder_id=coder, start=item.start, end=item.end
            ):
                continue
            seen.add(key)
            rows.append((item.source_id, item.code_id, coder, item.start, item.end, self._store.now(), self._store.new_guid()))
        for code_id in {r[1] for r in rows}:
            self._code(code_id)
        if not rows:
            return 0
        with self._store.transaction() as tx:
            coding_store.insert_codings(tx, rows)
            if len(rows) >= BULK_REBUILD_THRESHOLD:
                aggregates.rebuild_all(tx)
            else:
                by_source: dict[int, list[tuple]] = defaultdict(list)
                for row in rows:
                    by_source[row[0]].append(row)
                for source_id, group in by_source.items():
                    start = min(r[3] for r in group)
                    end = max(r[4] for r in group)
                    aggregates.after_coding_change(tx, {r[1] for r in group}, source_id, start, end)
        self._notify("coding", "added", (), tuple(sorted({r[0] for r in rows})))
        return len(rows)

    def autocode_preview(
        self,
        code_id: int,
        *,
        pattern: str | None = None,
        keywords: Iterable[str] = (),
        unit: str = "hit",
        source_ids: Iterable[int] | None = None,
        coder_id: int | None = None,
    ) -> list[NewCoding]:
        """The codings autocoding would add: each hit of the pattern or keywords, widened to `unit`."""
        self._code(code_id)
        coder = self._resolve_coder(coder_id)
        ranges = self.autocode_ranges(pattern=pattern, keywords=keywords, unit=unit, source_ids=source_ids)
        return [NewCoding(source_id, code_id, start, end, coder) for source_id, start, end in ranges]

    def autocode_ranges(
        self,
        *,
        pattern: str | None = None,
        keywords: Iterable[str] = (),
        unit: str = "hit",
        source_ids: Iterable[int] | None = None,
    ) -> list[tuple[int, int, int]]:
        """(source id, start, end) of every hit of the pattern or keywords widened to `unit`; changes nothing."""
        regex = autocode.compile_pattern(pattern=pattern, keywords=keywords)
        read = self._store.read
        ids = list(source_ids) if source_ids is not None else [s.id for s in source_store.sources(read)]
        found: list[tuple[int, int, int]] = []
        for source_id in ids:
            self._source(source_id)
            text = source_store.source_text(read, source_id) or ""
            spans = source_store.spans(read, source_id)
            found.extend((source_id, start, end) for start, end in autocode.find_ranges(text, spans, regex, unit))
        return found

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
        self._source(source_id)
        return coding_store.codings_for_source(self._store.read, source_id, () if coder_id is None else (coder_id,))

    def codings_for_code(
        self, code_id: int, *, include_descendants: bool = False, coder_id: int | None = None
    ) -> list[Coding]:
        self._code(code_id)
        ids = code_store.descendants(self._store.read, [code_id]) if include_descendants else [code_id]
        return coding_store.codings_for_codes(self._store.read, ids, () if coder_id is None else (coder_id,))

    def codings_for_coder(self, coder_id: int) -> list[Coding]:
        self._resolve_coder(coder_id)
        return coding_store.codings_for_coder(self._store.read, coder_id)

    def codings(self, flt: Filter | None = None) -> list[Coding]:
        """Every coding a filter lets through (all of them without one), in source then text order."""
        return coding_store.codings_for_filter(self._store.read, flt or Filter())

    def coding_count(self) -> int:
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
        read = self._store.read
        ids = code_store.descendants(read, [code_id]) if include_descendants else [code_id]
        rows = excerpt_store.excerpts_for_codes(read, ids, () if coder_id is None else (coder_id,))
        return self._with_locations(rows, with_location)

    def excerpts_matching(self, flt: Filter | None = None, *, with_location: bool = True) -> list[Excerpt]:
        """Every coding a filter lets through, with its text and location, in source then text order."""
        rows = excerpt_store.excerpts_for_filter(self._store.read, flt or Filter())
        return self._with_locations(rows, with_location)

    def _with_locations(self, rows: list[tuple[Coding, str, str]], with_location: bool) -> list[Excerpt]:
        indexes: dict[int, LocationIndex] = {}
        result = []
        for coding, text, source_name in rows:
            location = ""
            if with_location:
                if coding.source_id not in indexes:
                    indexes[coding.source_id] = location_index(self._store.read, coding.source_id)
                location = indexes[coding.source_id].describe(coding.start)
            result.append(Excerpt(coding, text, source_name, location))
        return result
