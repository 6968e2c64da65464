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
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate, combinations
from typing import TYPE_CHECKING

from qcode.core.autocode import sentence_around
from qcode.core.errors import InvalidRequestError
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


class AgreementCancelled(Exception):
    """The caller cancelled the computation (nothing was changed, nothing is returned)."""


@dataclass(frozen=True, slots=True)
class AgreementRequest:
    """What to compare: the coders (two or more), the unit, and the scope."""

    coder_ids: tuple[int, ...]
    unit: str = "paragraph"
    min_share: float | None = None  # percent of a unit's characters; None: any part of it
    coded_units_only: bool = False
    own: bool = False
    code_ids: tuple[int, ...] = ()  # these codes and their sub-codes; () for every code
    scope: Filter = field(default_factory=Filter)  # sources, folders, cases, attribute values


@dataclass(frozen=True, slots=True)
class AgreementRow:
    code_id: int | None  # None for (all codes)
    code: str  # the code's path, or "(all codes)"
    figures: Figures


@dataclass(frozen=True)
class AgreementReport:
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
    coders = _check(project, request)
    index = {c.id: i for i, c in enumerate(coders)}
    paths, parents = _codebook(project)
    in_scope = _codes_in_scope(project, request.code_ids, paths)
    source_ids = _scope_sources(project, request.scope)
    wanted = set(source_ids)

    grouped: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}  # (code, source) -> ranges per coder
    for coding in project.codings(Filter(coders=tuple(index))):
        if coding.source_id not in wanted or coding.code_id not in in_scope:
            continue
        key = (coding.code_id, coding.source_id)
        if key not in grouped:
            grouped[key] = [[] for _ in coders]
        grouped[key][index[coding.coder_id]].append((coding.start, coding.end))

    total_units = 0
    units_of: dict[int, _Units | int] = {}
    needed = {source_id for _, source_id in grouped}
    for done, source_id in enumerate(source_ids):
        if progress.cancelled():
            raise AgreementCancelled()
        if done % 100 == 0:
            progress.step(done, len(source_ids), "Reading the units")
        units = _units(project, source_id, request.unit)
        total_units += units if isinstance(units, int) else len(units.starts)
        if source_id in needed:
            units_of[source_id] = units

    own_masks = _masks(grouped, units_of, request.min_share)
    if request.own:
        row_masks = own_masks
    else:
        tree: dict[tuple[int, int], list[list[tuple[int, int]]]] = {}
        for (code_id, source_id), ranges in grouped.items():
            ancestor: int | None = parents.get(code_id)
            while ancestor is not None:
                if ancestor in in_scope:
                    slot = tree.setdefault((ancestor, source_id), [[] for _ in coders])
                    for i, own_ranges in enumerate(ranges):
                        slot[i] += own_ranges
                ancestor = parents.get(ancestor)
        for key, ranges in grouped.items():
            slot = tree.setdefault(key, [[] for _ in coders])
            for i, own_ranges in enumerate(ranges):
                slot[i] += own_ranges
        row_masks = _masks(tree, units_of, request.min_share)

    width = len(coders)
    ordered = [code_id for code_id in paths if code_id in in_scope]
    pooled: Counter[int] = Counter()
    for code_id in ordered:
        counts = own_masks.get(code_id, Counter())
        pooled.update(counts)
        pooled[0] += total_units - sum(counts.values())
    per_code = {}
    for code_id in ordered:
        counts = row_masks.get(code_id, Counter())
        full = Counter(counts)
        full[0] += total_units - sum(counts.values())
        per_code[code_id] = _patterns(full, width)
    pooled_patterns = _patterns(pooled, width)

    def rows_for(positions: tuple[int, ...]) -> list[AgreementRow]:
        def fig(patterns: Counter[Pattern]) -> Figures:
            chosen = patterns if len(positions) == width else statistics.project(patterns, positions)
            return statistics.figures(chosen, coded_units_only=request.coded_units_only)

        rows = [AgreementRow(code_id, "/".join(paths[code_id]), fig(per_code[code_id])) for code_id in ordered]
        rows.append(AgreementRow(None, ALL_CODES, fig(pooled_patterns)))
        return rows

    rows = rows_for(tuple(range(width)))
    pairs = {(coders[i].id, coders[j].id): rows_for((i, j)) for i, j in combinations(range(width), 2)}
    progress.step(len(source_ids), len(source_ids), "")
    return AgreementReport(request, coders, len(source_ids), rows, pairs)


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


# --- units ------------------------------------------------------------------------------------------------


class _Units:
    """A source's units in text order, with the furthest end reached so far (units may nest or overlap)."""

    def __init__(self, bounds: Iterable[tuple[int, int]]) -> None:
        ordered = sorted({(s, e) for s, e in bounds if e > s})
        self.starts = [s for s, _ in ordered]
        self.ends = [e for _, e in ordered]
        self.reach = list(accumulate(self.ends, max))

    def overlapping(self, lo: int, hi: int) -> Iterable[int]:
        """The indexes of the units overlapping [lo, hi)."""
        first = bisect_right(self.starts, lo) - 1
        while first > 0 and self.reach[first - 1] > lo:
            first -= 1
        index = max(first, 0)
        while index < len(self.starts) and self.starts[index] < hi:
            if self.ends[index] > lo:
                yield index
            index += 1


def _units(project: Project, source_id: int, unit: str) -> _Units | int:
    """The source's units; for characters, just how many there are."""
    if unit == "character":
        return project.source(source_id).length
    if unit == "source":
        length = project.source(source_id).length
        return _Units([(0, length)])
    if unit in ("paragraph", "turn"):
        return _Units((s.start, s.end) for s in project.spans(source_id, unit))
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
    return _Units(sentences)


# --- who coded which unit -------------------------------------------------------------------------------


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Ranges sorted and joined where they overlap or touch."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _masks(
    grouped: dict[tuple[int, int], list[list[tuple[int, int]]]],
    units_of: dict[int, _Units | int],
    min_share: float | None,
) -> dict[int, Counter[int]]:
    """Per code, how many units each set of coders (a bit mask, bit i for coder i) coded; 0 only where a coder
    touched a unit without reaching the minimum share (the caller adds the untouched units)."""
    out: dict[int, Counter[int]] = defaultdict(Counter)
    for (code_id, source_id), per_coder in grouped.items():
        units = units_of[source_id]
        counts = out[code_id]
        if isinstance(units, int):  # characters: sweep over the coders' range ends
            events: list[tuple[int, int]] = []
            for i, ranges in enumerate(per_coder):
                for start, end in _merged(ranges):
                    events.append((start, 1 << i))
                    events.append((end, -(1 << i)))
            events.sort()
            mask = 0
            previous = 0
            for position, change in events:
                if mask and position > previous:
                    counts[mask] += position - previous
                previous = position
                mask += change
            continue
        covered: dict[int, list[int]] = {}
        for i, ranges in enumerate(per_coder):
            for start, end in _merged(ranges):
                for u in units.overlapping(start, end):
                    share = covered.setdefault(u, [0] * len(per_coder))
                    share[i] += min(end, units.ends[u]) - max(start, units.starts[u])
        for u, shares in covered.items():
            length = units.ends[u] - units.starts[u]
            mask = 0
            for i, chars in enumerate(shares):
                if chars > 0 and (min_share is None or chars * 100 >= min_share * length):
                    mask |= 1 << i
            counts[mask] += 1
    return out


def _patterns(masks: Counter[int], width: int) -> Counter[Pattern]:
    return Counter({tuple((mask >> i) & 1 for i in range(width)): count for mask, count in masks.items()})
