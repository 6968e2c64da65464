"""Questions of the data: matrix coding, co-occurrence, coding queries, word frequencies with keyword in
context, and saturation. Each result leads back to the excerpts behind it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from qcode.core.analysis import coding_query as cq
from qcode.core.analysis import cooccurrence as co
from qcode.core.analysis import matrix as mx
from qcode.core.analysis import saturation as sat
from qcode.core.analysis import words
from qcode.core.analysis.grouping import GROUP_KINDS, Grouping, source_paths
from qcode.core.analysis.locations import describe_many
from qcode.core.errors import InvalidRequestError, NotFoundError
from qcode.core.model import (
    MATRIX_CELLS,
    Attribute,
    Code,
    Coder,
    Coding,
    CooccurrenceRow,
    Excerpt,
    Filter,
    KwicLine,
    Matrix,
    NewCoding,
    Passage,
    SaturationRow,
    WordCount,
    WordTally,
)
from qcode.core.project.base import ProjectBase
from qcode.core.store import analysis_reads, meta, queries
from qcode.core.store import codes as code_store
from qcode.core.store import codings as coding_store

#: the project's own stop list, in the `project` table: words one per line, case-folded, sorted
STOP_WORDS_KEY = "stop_words"


class AnalysisMixin(ProjectBase):
    """Matrix coding, co-occurrence, coding queries, words and saturation on `Project`."""

    if TYPE_CHECKING:  # provided by the mixins beside this one

        def find_code(self, ref: str | int) -> Code: ...

        def coders(self) -> list[Coder]: ...

        def attribute(self, attribute_id: int) -> Attribute: ...

        def apply_codings(self, batch: Iterable[NewCoding]) -> list[Coding]: ...

    # --- matrix coding ---------------------------------------------------------------------------------

    def _check_grouping(self, columns: Grouping) -> None:
        if columns.kind not in GROUP_KINDS:
            raise InvalidRequestError(f"A matrix's columns are one of {', '.join(GROUP_KINDS)}.")
        if columns.kind == "attribute" and (
                columns.attribute_id is None or queries.attribute_scope(self._store.read, columns.attribute_id) is None):
            raise NotFoundError("attribute", f"with id {columns.attribute_id}")

    def matrix(self, flt: Filter | None = None, *, columns: Grouping, cell: str = "excerpts",
               own: bool = False) -> Matrix:
        """Codes by groups: one row per code in scope (zeros included), one column per group, then totals.

        `cell` is excerpts (coding rows), sources, cases or characters (the union of coded ranges). A row
        includes its sub-codes' codings unless `own`. Totals never count a coding, source, case or character
        twice, so a total may be less than the sum of its cells (`Matrix.note` says so).
        """
        if cell not in MATRIX_CELLS:
            raise InvalidRequestError(f"A matrix cell counts one of {', '.join(MATRIX_CELLS)}.")
        self._check_grouping(columns)
        return mx.matrix(self._store.read, self.visible_filter(flt), columns, cell=cell, own=own)

    def matrix_cell_excerpts(self, flt: Filter | None = None, *, columns: Grouping, code_id: int | None,
                             column: object | None, own: bool = False) -> list[Excerpt]:
        """The excerpts counted in one cell of `matrix` (code None: the total row; column None: the total column)."""
        self._check_grouping(columns)
        if code_id is not None:
            self._code(code_id)
        ids = mx.cell_codings(self._store.read, self.visible_filter(flt), columns, code_id=code_id, column=column, own=own)
        return self.excerpts_of_codings(ids)

    def excerpts_of_codings(self, coding_ids: Iterable[int]) -> list[Excerpt]:
        """Codings by id with their text, source and location, in source then text order."""
        read = self._store.read
        codings = coding_store.codings_by_ids(read, sorted(set(coding_ids)))
        shown = self.visible_filter().coders
        if shown:  # blind coding: the viewer's codings only
            codings = [c for c in codings if c.coder_id in shown]
        codings.sort(key=lambda c: (c.source_id, c.start, c.end, c.id))
        names = source_paths(read)
        texts = analysis_reads.slices(read, [(c.source_id, c.start, c.end) for c in codings])
        locations = describe_many(read, [(c.source_id, c.start) for c in codings])
        return [Excerpt(coding, text, names[coding.source_id], location)
                for coding, text, location in zip(codings, texts, locations, strict=True)]

    # --- co-occurrence ---------------------------------------------------------------------------------

    def cooccurrence(self, flt: Filter | None = None, *, mode: str = "overlap",
                     with_descendants: bool = False) -> list[CooccurrenceRow]:
        """Pairs of codes whose codings co-occur (`mode`: overlap, paragraph, turn or near:N), with the number
        of coding pairs and the Jaccard index of their coded characters."""
        return co.cooccurrence(self._store.read, self.visible_filter(flt), mode=self._mode(mode),
                               with_descendants=with_descendants)

    @staticmethod
    def _mode(mode: str) -> co.Mode:
        try:
            return co.parse_mode(mode)
        except ValueError as err:
            raise InvalidRequestError(str(err)) from None

    def cooccurrence_excerpts(self, flt: Filter | None = None, *, code_a: int, code_b: int, mode: str = "overlap",
                              with_descendants: bool = False) -> list[tuple[Excerpt, Excerpt]]:
        """The pairs of excerpts (one of A, one of B) counted for a pair of codes."""
        self._code(code_a)
        self._code(code_b)
        pairs = co.pair_codings(self._store.read, self.visible_filter(flt), code_a, code_b, mode=self._mode(mode),
                                with_descendants=with_descendants)
        excerpts = {e.coding.id: e for e in self.excerpts_of_codings({i for pair in pairs for i in pair})}
        return [(excerpts[a], excerpts[b]) for a, b in pairs]

    # --- coding queries --------------------------------------------------------------------------------

    def coding_query(self, expression: str, flt: Filter | None = None) -> list[Passage]:
        """The passages a coding query selects (see `qcode.core.analysis.coding_query`), merged per source, in
        source then text order. Unknown codes and coders are refused before anything is computed."""
        return self._query(expression, flt or Filter())[0]

    def check_coding_query(self, expression: str) -> None:
        """Raise what running a coding query would refuse (QuerySyntaxError pointing at the fault, NotFoundError
        for an unknown code or coder) without computing anything: for checking a query as it is typed."""
        self._resolve_query(cq.parse(expression))

    def coding_query_excerpts(self, expression: str,
                              flt: Filter | None = None) -> list[tuple[Passage, list[Excerpt]]]:
        """Each passage of a coding query with the excerpts behind it: the codings of the query's codes (by its
        coders, within the filter) that overlap the passage, in text order."""
        passages, codings = self._query(expression, flt or Filter())
        by_source: dict[int, list[tuple[int, int, int]]] = {}
        for coding_id, source_id, start, end in codings:
            by_source.setdefault(source_id, []).append((start, end, coding_id))
        behind = [[c for s, e, c in by_source.get(p.source_id, ()) if s < p.end and e > p.start] for p in passages]
        excerpts = {e.coding.id: e for e in self.excerpts_of_codings({i for ids in behind for i in ids})}
        return [(p, sorted((excerpts[i] for i in ids), key=lambda e: (e.coding.start, e.coding.end, e.coding.id)))
                for p, ids in zip(passages, behind, strict=True)]

    def _query(self, expression: str, flt: Filter) -> tuple[list[Passage], list[tuple[int, int, int, int]]]:
        """The passages of a query, and (coding id, source id, start, end) of every coding its codes contribute."""
        read = self._store.read
        flt = self.visible_filter(flt)
        tree = cq.parse(expression)
        resolved = self._resolve_query(tree)

        used: dict[int, tuple[int, int, int, int]] = {}

        def ranges_of(ref: cq.Code) -> cq.Passages:
            code_ids, coder_id = resolved[ref]
            rows = [r for r in analysis_reads.coding_ids_of_codes(read, code_ids, flt)
                    if coder_id is None or r[3] == coder_id]
            used.update((r[0], (r[0], r[2], r[4], r[5])) for r in rows)
            return cq.group_codings(rows)

        passages = cq.merged(cq.evaluate(tree, ranges_of, lambda kind, ids: analysis_reads.unit_spans(read, ids, kind)))
        return self._passages(passages), list(used.values())

    def _resolve_query(self, tree: cq.Node) -> dict[cq.Code, tuple[list[int], int | None]]:
        """Each code reference of a query: the codes it stands for (with sub-codes) and its coder, if any."""
        read = self._store.read
        resolved: dict[cq.Code, tuple[list[int], int | None]] = {}
        for ref in cq.codes_of(tree):
            code = self.find_code(ref.path)
            coder_id = None
            if ref.coder is not None:
                found = [c for c in self.coders() if c.name.casefold() == ref.coder.casefold()]
                if not found:
                    raise NotFoundError("coder", f"'{ref.coder}'")
                coder_id = self.visible_coder(found[0].id)
            resolved[ref] = (code_store.descendants(read, [code.id]), coder_id)
        return resolved

    def _passages(self, ranges: list[tuple[int, int, int]]) -> list[Passage]:
        read = self._store.read
        names = source_paths(read)
        texts = analysis_reads.slices(read, ranges)
        locations = describe_many(read, [(source_id, start) for source_id, start, _ in ranges])
        return [Passage(source_id, start, end, names[source_id], location, text)
                for (source_id, start, end), text, location in zip(ranges, texts, locations, strict=True)]

    def code_passages(self, passages: Iterable[Passage | tuple[int, int, int]], code_id: int) -> list[Coding]:
        """Code every passage with one code, by the current coder, in one transaction; returns the codings added
        (a passage the coder already coded so is skipped). `remove_codings` with their ids undoes it."""
        self._code(code_id)
        items = [p if isinstance(p, tuple) else (p.source_id, p.start, p.end) for p in passages]
        return self.apply_codings(NewCoding(s, code_id, start, end) for s, start, end in items)

    # --- words -----------------------------------------------------------------------------------------

    def word_frequencies(self, flt: Filter | None = None, *, min_length: int = 1, stop_words: Iterable[str] = (),
                         use_builtin_stop_words: bool = True, use_project_stop_words: bool = True,
                         limit: int | None = 100, tally: WordTally | None = None) -> list[WordCount]:
        """Word counts over the coded text of the filter's codes (text coded twice counts once), or over the
        sources in scope; case-folded, most frequent first. `stop_words`, the built-in English stop words and
        the project's own stop list (`stop_words()`) are left out. `tally`, from `word_tally` with the same
        filter, saves counting again when only these choices change."""
        if use_project_stop_words:
            stop_words = [*stop_words, *self.stop_words()]
        if min_length < 1:
            raise InvalidRequestError("The shortest word to count must be at least 1 character long.")
        if limit is not None and limit < 1:
            raise InvalidRequestError("The number of words to list must be at least 1.")
        counted = tally if tally is not None else self.word_tally(flt)
        return words.most_frequent(counted, min_length=min_length, stop_words=stop_words,
                                   use_builtin_stop_words=use_builtin_stop_words, limit=limit)

    def word_tally(self, flt: Filter | None = None) -> WordTally:
        """Every word of the text a filter selects with its counts, before any is left out (see
        `word_frequencies`)."""
        return words.word_tally(self._store.read, self.visible_filter(flt, only_when_coded=True))

    def stop_words(self) -> list[str]:
        """The project's own stop list: words the word counts leave out besides the built-in English ones, sorted.
        It lives in the project, so everyone on the team counts words the same way."""
        stored = meta.get_meta(self._store.read, STOP_WORDS_KEY) or ""
        return [w for w in stored.split("\n") if w]

    def set_stop_words(self, stop_words: Iterable[str]) -> list[str]:
        """Replace the project's stop list in one transaction; returns it as stored (case-folded, sorted, each
        word once). Each entry must be one word as word counts see it (letters and digits)."""
        chosen: set[str] = set()
        for entry in stop_words:
            found = words.words_of(entry)
            if len(found) != 1:
                raise InvalidRequestError(f"A stop word is one word (letters and digits), not '{entry}'.")
            chosen.add(found[0])
        ordered = sorted(chosen)
        with self._store.transaction() as tx:
            meta.set_meta(tx, STOP_WORDS_KEY, "\n".join(ordered))
        self._notify("project", "changed")
        return ordered

    def kwic(self, word: str, flt: Filter | None = None, *, width: int = 40,
             limit: int | None = None) -> list[KwicLine]:
        """Keyword in context: every occurrence of one word in scope (the first `limit`), with `width` characters
        either side."""
        found = words.words_of(word)
        if len(found) != 1:
            raise InvalidRequestError(f"Keyword in context looks for one word (letters and digits), not '{word}'.")
        if width < 0:
            raise InvalidRequestError("The context width must be 0 or more characters.")
        if limit is not None and limit < 1:
            raise InvalidRequestError("The number of lines to list must be at least 1.")
        return words.kwic(self._store.read, self.visible_filter(flt, only_when_coded=True), found[0], width=width,
                          limit=limit)

    # --- saturation ------------------------------------------------------------------------------------

    def saturation_excerpts(self, source_id: int, flt: Filter | None = None, *, order: str = "import",
                            attribute_id: int | None = None) -> list[Excerpt]:
        """The excerpts behind one row of `saturation`: the codings, in that source, of the codes first applied
        there (within the filter), in text order."""
        self._source(source_id)
        flt = self.visible_filter(flt)
        rows = [r for r in self.saturation(flt, order=order, attribute_id=attribute_id) if r.source_id == source_id]
        if not rows or not rows[0].new_code_ids:
            return []
        new = set(rows[0].new_code_ids)
        found = analysis_reads.coding_ids_of_codes(self._store.read, new, flt)
        return self.excerpts_of_codings(r[0] for r in found if r[2] == source_id)

    def saturation(self, flt: Filter | None = None, *, order: str = "import",
                   attribute_id: int | None = None) -> list[SaturationRow]:
        """Per source in the chosen order (import, name, or attribute with `attribute_id`): the leaf codes first
        applied there and the number of leaf codes seen so far."""
        if order == "attribute" and attribute_id is not None:
            self.attribute(attribute_id)
        return sat.saturation(self._store.read, self.visible_filter(flt), order=order, attribute_id=attribute_id)
