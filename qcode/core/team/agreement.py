"""Inter-coder agreement over a project: which units each coder coded with each code, and the figures.

A *unit* is one character, or one paragraph, speaker turn or sentence (or a whole source, for code presence
per source) of every source in scope, coded or not. For each code and unit, a coder's value is 1 when they coded
any part of the unit (or at least `min_share` percent of its characters) with the code, else 0. The codings of a
code's sub-codes count for the code unless `own` is set, as in the frequency tables.

The last row, `(all codes)`, pools every (unit, code) pair of the codes in scope, each code counting only its own
codings there, so that a coding is never counted twice. Every figure comes from `statistics.figures`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from qcode.core.autocode import sentence_around
from qcode.core.errors import AgreementCancelled, InvalidRequestError
from qcode.core.model import Coder, Filter
from qcode.core.progress import NoProgress, Progress
from qcode.core.team import statistics
from qcode.core.team.statistics import Figures, Pattern

if TYPE_CHECKING:
    from qcode.core.project import Project

UNITS = ("character", "paragraph", "turn", "sentence", "source")
ALL_CODES = "(all codes)"
UNIT_WORDS = {"character": "character", "paragraph": "paragraph", "turn": "speaker turn", "sentence": "sentence",
              "source": "source (code presence)"}


@dataclass(frozen=True, slots=True)
class AgreementRequest:
    """What to compare: the coders (two or more), the unit, and the scope."""

    coder_ids: tuple[int, ...]
    unit: str = "paragraph"
    min_share: float | None = None  # percent of a unit's characters; None: any part of it
    coded_units_only: bool = False
    own: bool = False
    uncoded_as_missing: bool = False  # a coder with no coding at all in a source: missing there, not "0"
    code_ids: tuple[int, ...] = ()  # these codes and their sub-codes; () for every code
    scope: Filter = field(default_factory=Filter)  # sources, folders, cases, attribute values


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """A row of the agreement table: a code (or all codes together) and its figures."""

    code_id: int | None  # None for (all codes)
    code: str  # the code's path, or "(all codes)"
    figures: Figures


@dataclass(frozen=True)
class AgreementReport:
    """The agreement table of a request: the coders compared, the number of sources, a row per code, and the rows of
    every pair of coders."""

    request: AgreementRequest
    coders: tuple[Coder, ...]
    sources: int
    rows: list[AgreementRow]
    pairs: dict[tuple[int, int], list[AgreementRow]]  # (coder id, coder id) -> rows of that pair

    def method(self) -> str:
        """The method in words, as a methods section states it."""
        r = self.request
        unit = UNIT_WORDS[r.unit]
        if r.unit == "character":
            rule = "each character counts as coded by a coder who coded it with the code"
        elif r.min_share is None:
            rule = f"a {unit} counts as coded by a coder who coded any part of it with the code"
        else:
            rule = (f"a {unit} counts as coded by a coder who coded at least {r.min_share:g}% of its characters "
                    "with the code")
        scope = ("units that at least one coder coded (uncoded units left out)" if r.coded_units_only
                 else "every unit of the sources in scope, coded or not")
        if r.uncoded_as_missing:
            scope += ("; a coder who coded nothing in a source counts as missing there (not as having found no "
                      "code), and only units that at least two coders rated count")
        names = ", ".join(c.name for c in self.coders)
        kappa = ("Cohen's kappa" if len(self.coders) == 2
                 else "Light's kappa (the mean of the pairwise Cohen's kappas)")
        subcodes = "its own codings only" if r.own else "its codings and those of its sub-codes"
        return (
            f"Agreement between {names} over {self.sources} sources, unit: {unit}; {rule}. Scope: {scope}. "
            f"Each code counts {subcodes}; '(all codes)' pools every (unit, code) pair, each code with its own "
            f"codings. Statistics: percent agreement (mean over coder pairs), {kappa}, Brennan-Prediger's "
            "free-marginal kappa (two categories), Krippendorff's alpha (nominal, all coders). An empty cell is a "
            "statistic that is undefined because the ratings do not vary."
        )


def compute(project: Project, request: AgreementRequest, *, progress: Progress | None = None) -> AgreementReport:
    """The agreement table of `request` (one row per code, then `(all codes)`, and the tables of coder pairs)."""
    progress = progress or NoProgress()
    project.refuse_if_blind("inter-coder agreement")
    coders = _check(project, request)
    width = len(coders)
    index = {c.id: i for i, c in enumerate(coders)}
    paths, parents = _codebook(project)
    in_scope = _codes_in_scope(project, request.code_ids, paths)
    source_ids = _scope_sources(project, request.scope)
    progress.step(0, 3, "Reading the codings")
    raw = project.coding_ranges(index)
    ordered = [code_id for code_id in paths if code_id in in_scope]
    full_set = (1 << width) - 1
    groups: dict[int, list[int]] = {full_set: source_ids}
    if request.uncoded_as_missing:  # sources grouped by the coders who coded anything in them
        rated: dict[int, int] = {}
        for source_id, coder_id in project.coders_by_source(index):
            rated[source_id] = rated.get(source_id, 0) | (1 << index[coder_id])
        groups = {}
        for source_id in source_ids:
            groups.setdefault(rated.get(source_id, 0), []).append(source_id)
    per_code: dict[int, Counter[Pattern]] = {code_id: Counter() for code_id in ordered}
    pooled_patterns: Counter[Pattern] = Counter()
    for number, (raters, group) in enumerate(sorted(groups.items())):
        if raters.bit_count() < 2:
            continue  # nobody to compare with in these sources
        if progress.cancelled():
            raise AgreementCancelled()
        progress.step(1 + number, 2 + len(groups), "Comparing the coders")
        codes, pooled = _group_patterns(project, request, group, raw, index, in_scope, parents, ordered, raters)
        for code_id, patterns in codes.items():
            per_code[code_id].update(patterns)
        pooled_patterns.update(pooled)

    def rows_for(positions: tuple[int, ...]) -> list[AgreementRow]:
        def fig(patterns: Counter[Pattern]) -> Figures:
            chosen = patterns if len(positions) == width else statistics.project(patterns, positions)
            return statistics.figures(chosen, coded_units_only=request.coded_units_only)

        out = [AgreementRow(code_id, "/".join(paths[code_id]), fig(per_code[code_id])) for code_id in ordered]
        out.append(AgreementRow(None, ALL_CODES, fig(pooled_patterns)))
        return out

    table = rows_for(tuple(range(width)))
    pairs = {(coders[i].id, coders[j].id): rows_for((i, j)) for i, j in combinations(range(width), 2)}
    progress.step(2 + len(groups), 2 + len(groups), "")
    return AgreementReport(request, coders, len(source_ids), table, pairs)


def _group_patterns(
    project: Project, request: AgreementRequest, source_ids: list[int], raw: list[tuple[int, int, int, int, int]],
    index: dict[int, int], in_scope: set[int], parents: dict[int, int | None], ordered: list[int], raters: int,
) -> tuple[dict[int, Counter[Pattern]], Counter[Pattern]]:
    """Per code, and pooled over the codes, the patterns of the units of some sources; the coders outside
    `raters` (a bit per coder) rated none of them, so their values are missing (None)."""
    width = len(index)
    units = _Scope(project, source_ids, request.unit)
    own = units.counts(raw, width, request.min_share, coders=index, codes=in_scope,
                       parents=None if request.own else parents)
    if request.own:
        per_row = own.counts
    elif own.tree is not None:
        per_row = own.tree
    else:  # the union of a code's and its sub-codes' ranges, per coder, decides
        rows = units.scoped(raw, index, in_scope)
        tree_rows = list(rows)
        for code_id, source_id, coder, start, end in rows:
            ancestor = parents.get(code_id)
            while ancestor is not None:
                if ancestor in in_scope:
                    tree_rows.append((ancestor, source_id, coder, start, end))
                ancestor = parents.get(ancestor)
        tree_rows.sort()
        per_row = units.counts(tree_rows, width, request.min_share).counts
    pooled: Counter[int] = Counter()
    per_code: dict[int, Counter[Pattern]] = {}
    for code_id in ordered:
        counts = own.counts.get(code_id, Counter())
        pooled.update(counts)
        pooled[0] += units.total - sum(counts.values())
        full = Counter(per_row.get(code_id, Counter()))
        full[0] += units.total - sum(full.values())
        per_code[code_id] = _patterns(full, width, raters)
    return per_code, _patterns(pooled, width, raters)


# --- checks and lookups ---------------------------------------------------------------------------------


def _check(project: Project, request: AgreementRequest) -> tuple[Coder, ...]:
    if request.unit not in UNITS:
        raise InvalidRequestError(f"The unit of agreement is one of {', '.join(UNITS)}, not '{request.unit}'.")
    if len(set(request.coder_ids)) != len(request.coder_ids):
        raise InvalidRequestError("Name each coder once.")
    if len(request.coder_ids) < 2:
        raise InvalidRequestError("Agreement needs at least two coders.")
    if request.min_share is not None:
        if request.unit == "character":
            raise InvalidRequestError("A minimum share applies to paragraphs, turns, sentences and sources, "
                                      "not to single characters.")
        if not 0 < request.min_share <= 100:
            raise InvalidRequestError(f"The minimum share is a percentage above 0 and at most 100, not "
                                      f"{request.min_share:g}.")
    return tuple(project.coder(coder_id) for coder_id in request.coder_ids)


def _codebook(project: Project) -> tuple[dict[int, tuple[str, ...]], dict[int, int | None]]:
    """Code paths in codebook order, and each code's parent."""
    parents = {c.id: c.parent_id for c in project.codes()}
    paths = {row.code_id: tuple(row.path.split("/")) for row in project.frequencies()}
    return paths, parents


def _codes_in_scope(project: Project, code_ids: tuple[int, ...], paths: dict[int, tuple[str, ...]]) -> set[int]:
    if not code_ids:
        return set(paths)
    return {code_id for chosen in code_ids for code_id in project.descendants(chosen)}


def _scope_sources(project: Project, scope: Filter) -> list[int]:
    from qcode.core.team.scope import sources_in_scope

    return sources_in_scope(project, scope)


# --- units and who coded them ---------------------------------------------------------------------------


@dataclass
class _Counts:
    counts: dict[int, Counter[int]]  # code -> how many units each set of coders (bit i: coder i) coded
    tree: dict[int, Counter[int]] | None = None  # the same with each code's sub-codes, when asked for


class _Scope:
    """The units of the sources in scope, numbered across sources in the order of the sources' ids.

    Per source: its units' starts and ends and the number of its first unit; across sources, the same units
    on one line of characters (each source after the one before), so that one search finds a range's units.
    """

    def __init__(self, project: Project, source_ids: list[int], unit: str) -> None:
        self.unit = unit
        lengths = project.source_lengths()
        source_ids = sorted(source_ids)
        self.base: dict[int, int] = {}
        self.offset: dict[int, int] = {}  # the source's first character on the line of all sources
        self.starts: dict[int, list[int]] = {source_id: [] for source_id in source_ids}
        self.ends: dict[int, list[int]] = {source_id: [] for source_id in source_ids}
        self.nested: set[int] = set()  # sources whose units overlap (walked with care)
        if unit == "character":
            self.base = {source_id: 0 for source_id in source_ids}
            self.total = sum(lengths[source_id] for source_id in source_ids)
            return
        if unit in ("paragraph", "turn"):
            bounds: list[tuple[int, int, int]] = project.span_bounds(unit)  # by source, start and end
        elif unit == "source":
            bounds = [(source_id, 0, lengths[source_id]) for source_id in source_ids]
        else:
            bounds = [(source_id, s, e) for source_id in source_ids for s, e in sorted(_sentences(project, source_id))]
        last_source, reach = -1, 0
        starts: list[int] = []
        ends: list[int] = []
        for source_id, start, end in bounds:
            if end <= start or source_id not in self.starts:
                continue
            if source_id != last_source:
                starts, ends, reach, last_source = self.starts[source_id], self.ends[source_id], 0, source_id
            elif starts[-1] == start and ends[-1] == end:
                continue  # the same unit twice
            if start < reach:
                self.nested.add(source_id)
            reach = max(reach, end)
            starts.append(start)
            ends.append(end)
        total = 0
        line = 0
        self.line_starts: list[int] = []
        self.line_ends: list[int] = []
        for source_id in source_ids:
            self.base[source_id] = total
            self.offset[source_id] = line
            self.line_starts += [line + s for s in self.starts[source_id]]
            self.line_ends += [line + e for e in self.ends[source_id]]
            total += len(self.starts[source_id])
            line += lengths[source_id] + 1
        self.total = total

    def scoped(self, rows: list[tuple[int, int, int, int, int]], coders: dict[int, int],
               codes: set[int]) -> list[tuple[int, int, int, int, int]]:
        """The rows of the codes and sources in scope, with each coder as their position among the coders."""
        return [(code_id, source_id, coders[coder_id], start, end) for code_id, source_id, coder_id, start, end in rows
                if code_id in codes and source_id in self.base]

    def counts(self, rows: list[tuple[int, int, int, int, int]], width: int, min_share: float | None, *,
               coders: dict[int, int] | None = None, codes: set[int] | None = None,
               parents: dict[int, int | None] | None = None) -> _Counts:
        """Per code, the units each set of coders coded, from rows (code, source, coder, start, end) by code.

        With `coders` and `codes`, the rows name coders by id and may lie out of scope (see `scoped`). With
        `parents`, the counts with sub-codes come too when that is quick (`_Counts.tree`).
        """
        if self.unit != "character" and min_share is None and not self.nested and width <= 8:
            return self._any_part(rows, width, coders, codes, parents)
        if coders is not None and codes is not None:
            rows = self.scoped(rows, coders, codes)
        rows = sorted(rows)  # by code, source, coder and start: each coder's ranges can then be joined
        counts: dict[int, Counter[int]] = defaultdict(Counter)
        masks: dict[int, dict[int, int]] = defaultdict(dict)
        group: list[tuple[int, int, int, int, int]] = []
        for row in rows:
            if group and (row[0] != group[0][0] or row[1] != group[0][1]):
                self._group(group, width, min_share, counts, masks)
                group = []
            group.append(row)
        if group:
            self._group(group, width, min_share, counts, masks)
        if self.unit != "character":
            counts = {code_id: Counter(found.values()) for code_id, found in masks.items()}
        return _Counts(counts)

    def _any_part(self, rows: list[tuple[int, int, int, int, int]], width: int, coders: dict[int, int] | None,
                  codes: set[int] | None, parents: dict[int, int | None] | None) -> _Counts:
        """`counts` when touching any part of a unit codes it: every code at once (see `unit_marks`)."""
        from qcode.core.team.unit_marks import count_units

        coders = coders if coders is not None else {i: i for i in range(width)}
        codes = codes if codes is not None else {row[0] for row in rows}
        own, tree = count_units(rows, line_starts=self.line_starts, line_ends=self.line_ends, offset=self.offset,
                                coders=coders, codes=codes, parents=parents)
        return _Counts(own, tree)

    def _group(self, group: list[tuple[int, int, int, int, int]], width: int, min_share: float | None,
               counts: dict[int, Counter[int]], masks: dict[int, dict[int, int]]) -> None:
        """One code in one source: each coder's ranges joined, then matched to units (or swept, by character)."""
        code_id, source_id = group[0][0], group[0][1]
        merged: list[tuple[int, int, int]] = []  # (coder, start, end), the ranges of each coder joined
        for _, _, coder, start, end in group:
            if merged and merged[-1][0] == coder and start <= merged[-1][2]:
                if end > merged[-1][2]:
                    merged[-1] = (coder, merged[-1][1], end)
            else:
                merged.append((coder, start, end))
        if self.unit == "character":
            events = sorted([(start, 1 << coder) for coder, start, _ in merged]
                            + [(end, -(1 << coder)) for coder, _, end in merged])
            mask, previous, tally = 0, 0, counts[code_id]
            for position, change in events:
                if mask and position > previous:
                    tally[mask] += position - previous
                previous = position
                mask += change
            return
        starts, ends, base = self.starts[source_id], self.ends[source_id], self.base[source_id]
        nested = source_id in self.nested
        found = masks[code_id]
        covered: dict[int, list[int]] = {}
        for coder, start, end in merged:
            bit = 1 << coder
            i = bisect_right(starts, start) - 1
            if nested:
                i = 0
            elif i < 0 or ends[i] <= start:
                i += 1
            while i < len(starts) and starts[i] < end:
                if ends[i] > start:
                    if min_share is None:
                        found[base + i] = found.get(base + i, 0) | bit
                    else:
                        share = covered.setdefault(i, [0] * width)
                        share[coder] += min(end, ends[i]) - max(start, starts[i])
                i += 1
        for i, shares in covered.items():
            length = ends[i] - starts[i]
            mask = 0
            for coder, chars in enumerate(shares):
                if chars * 100 >= min_share * length:  # type: ignore[operator]
                    mask |= 1 << coder
            if mask:
                found[base + i] = mask


def _sentences(project: Project, source_id: int) -> list[tuple[int, int]]:
    """The sentences of each paragraph of a source."""
    text = project.source_text(source_id)
    sentences = []
    for paragraph in project.spans(source_id, "paragraph"):
        position = paragraph.start
        while position < paragraph.end:
            while position < paragraph.end and text[position].isspace():
                position += 1
            if position >= paragraph.end:
                break
            start, end = sentence_around(text, position, position + 1, (paragraph.start, paragraph.end))
            sentences.append((start, end))
            position = max(end, position + 1)
    return sentences


def _patterns(masks: Counter[int], width: int, raters: int) -> Counter[Pattern]:
    """Masks as patterns: 1 or 0 for each coder who rated the units, None for the others."""
    out: Counter[Pattern] = Counter()
    for mask, count in masks.items():
        if count:
            out[tuple(((mask >> i) & 1) if (raters >> i) & 1 else None for i in range(width))] += count
    return out
