"""Questions asked of the project: frequencies, text search, locations, integrity."""

from __future__ import annotations

from qcode.core.analysis import frequencies as freq
from qcode.core.analysis import locations
from qcode.core.analysis import search as text_search
from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import InvalidRequestError
from qcode.core.model import Filter, FrequencyRow, SearchHit
from qcode.core.project.base import ProjectBase
from qcode.core.store import aggregates, integrity, queries


class QueriesMixin(ProjectBase):
    """Questions asked of the project: code frequencies (filtered and grouped), text search, locations, integrity."""

    def frequencies(self, flt: Filter | None = None, *, group_by: Grouping | None = None) -> list[FrequencyRow]:
        """Per code: excerpts, sources, cases and coded characters, alone (`own`) and with sub-codes (`total`).

        Grouped by source, case, coder or an attribute's values, only the codes with codings in a group are
        listed for it.
        """
        if group_by is not None and group_by.kind not in freq.GROUP_KINDS:
            raise InvalidRequestError(f"Frequencies can be grouped by {', '.join(freq.GROUP_KINDS)}.")
        return freq.frequencies(self._store.read, self.visible_filter(flt), group_by)

    def excerpt_counts(self, flt: Filter | None = None) -> dict[int, int]:
        """Per code, its excerpts with its sub-codes' (the codebook's counts); read from the maintained totals
        when nothing is filtered, so it stays cheap enough to run after every coding."""
        flt = self.visible_filter(flt)
        if flt.is_empty():
            return aggregates.excerpt_totals(self._store.read)
        return {row.code_id: row.total.excerpts for row in self.frequencies(flt)}

    def cases_of_codings(self, flt: Filter | None = None) -> dict[int, list[int]]:
        """For each coding the filter lets through, the cases one of whose members it overlaps."""
        return queries.coding_cases(self._store.read, self.visible_filter(flt))

    def search(
        self,
        query: str,
        *,
        limit: int = 100,
        offset: int = 0,
        source_ids: tuple[int, ...] = (),
        flt: Filter | None = None,
    ) -> list[SearchHit]:
        """Full-text search; see `qcode.core.analysis.search` for the query language.

        A filter keeps the hits inside what it selects: with codes, coders or coding dates, hits that overlap
        a coding it lets through; with cases or case attribute values, hits inside the matching cases' members;
        with sources, folders or source attribute values, hits in those sources.
        """
        if limit < 1:
            raise InvalidRequestError("The number of search results to show must be at least 1.")
        return text_search.search(self._store.read, query, limit=limit, offset=max(0, offset), source_ids=source_ids,
                                  flt=self.visible_filter(flt, only_when_coded=True))

    def describe_location(self, source_id: int, start: int) -> str:
        """Where an offset sits, as reports cite it: "p. 4, ¶ 12", "00:12:31, Participant 3", "¶ 7, Marcus"."""
        self._source(source_id)
        return locations.describe_location(self._store.read, source_id, start)

    def check(self) -> list[str]:
        """Everything wrong with the project file (an empty list when it is sound)."""
        return self._store.integrity_problems() + integrity.consistency_problems(self._store.read)
