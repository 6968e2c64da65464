"""Co-occurrence: which codes appear together, as pairs of codings and as shared coded characters.

For every pair of codes A < B (by path), `count` is the number of pairs (a coding of A, a coding of B) in one
source that overlap by at least one character, or (by mode) share a paragraph, share a speaker turn, or lie
within N characters of each other. `jaccard` is |characters coded A and B| / |characters coded A or B| over
all sources, from the union of each code's ranges per source. Pairs with a count of 0 are left out.

By default the leaf codes are paired, each with its own codings; with `with_descendants` every code is, a
parent standing for the union of its sub-codes (a code is never paired with a code above or below it).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from qcode.core.analysis import cooccurrence_fast as fast
from qcode.core.analysis import ranges as rng
from qcode.core.analysis.code_scope import CodeScope, code_scope
from qcode.core.model import CooccurrenceRow, Filter
from qcode.core.store import analysis_reads, queries

MODES = ("overlap", "paragraph", "turn", "near")


@dataclass(frozen=True)
class Mode:
    """How close two codings must be: `kind` is overlap, paragraph, turn or near (within `distance` characters)."""

    kind: str = "overlap"
    distance: int = 0


def parse_mode(text: str) -> Mode:
    """'overlap', 'paragraph', 'turn' or 'near:N'; ValueError with a readable message otherwise."""
    text = text.strip()
    if text in ("overlap", "paragraph", "turn"):
        return Mode(text)
    if text.startswith("near:"):
        number = text[len("near:"):]
        if number.isdigit():
            return Mode("near", int(number))
    raise ValueError(f"--mode takes overlap, paragraph, turn or near:N (N a number of characters), not '{text}'.")


def _counted_codes(scope: CodeScope, with_descendants: bool) -> dict[int, tuple[int, ...]]:
    """code of a coding -> the codes it counts for."""
    if with_descendants:
        return {code: tuple(ups) for code, ups in scope.ancestors.items()}
    return {code: (code,) for code in scope.leaves}


def cooccurrence(conn: sqlite3.Connection, flt: Filter, *, mode: Mode = Mode(),
                 with_descendants: bool = False) -> list[CooccurrenceRow]:
    """Every pair of codes that co-occurs at least once, ordered by the paths of A, then B."""
    scope = code_scope(conn, flt)
    counted = _counted_codes(scope, with_descendants)
    if mode.kind in ("overlap", "near"):
        return _bulk_rows(conn, flt, scope, counted, mode, with_descendants)
    rows = analysis_reads.coded_ranges(conn, flt, counted)
    return _rows(scope, *_counts(rows, scope, counted, mode, with_descendants, conn))


def _rank(scope: CodeScope) -> dict[int, int]:
    """Codes ranked by path, so that each pair is keyed (A, B) with A before B."""
    return {code: i for i, code in enumerate(sorted(scope.order, key=lambda c: (scope.paths[c].casefold(),
                                                                                 scope.paths[c])))}


Counted = tuple[dict[tuple[int, int], int], dict[tuple[int, int], int], dict[int, int]]


def _bulk_rows(conn: sqlite3.Connection, flt: Filter, scope: CodeScope, counted: dict[int, tuple[int, ...]],
               mode: Mode, with_descendants: bool) -> list[CooccurrenceRow]:
    """The rows by overlap or nearness, every coding counted at once (`cooccurrence_fast`)."""
    rank = _rank(scope)
    code_of = sorted(rank, key=rank.__getitem__)
    related: set[tuple[int, int]] = set()
    if with_descendants:
        for code, ups in scope.ancestors.items():
            related.update((min(rank[code], rank[u]), max(rank[code], rank[u])) for u in ups if u != code)
    arrays = fast.coded_arrays(analysis_reads.coded_range_lists(conn, flt, counted))
    pairs, coded = fast.pair_counts(*arrays, counted, rank, related, mode.distance, mode.kind == "overlap")
    rows = []
    paths = [scope.paths[c] for c in code_of]
    for a, b, count, shared in pairs:  # ranked by path already: a before b, in order
        either = coded[a] + coded[b] - shared
        rows.append(CooccurrenceRow(code_of[a], code_of[b], paths[a], paths[b], count,
                                    round(shared / either, 4) if either else 0.0))
    if len({p.casefold() for p in paths}) < len(paths):  # paths equal but for case: the full order decides
        rows.sort(key=lambda r: (r.path_a.casefold(), r.path_b.casefold(), r.path_a, r.path_b))
    return rows


def _rows(scope: CodeScope, counts: dict[tuple[int, int], int], shared: dict[tuple[int, int], int],
          coded: dict[int, int]) -> list[CooccurrenceRow]:
    rows = []
    for (a, b), count in counts.items():
        either = coded[a] + coded[b] - shared[(a, b)]
        rows.append(CooccurrenceRow(a, b, scope.paths[a], scope.paths[b], count,
                                    round(shared[(a, b)] / either, 4) if either else 0.0))
    rows.sort(key=lambda r: (r.path_a.casefold(), r.path_b.casefold(), r.path_a, r.path_b))
    return rows


def _counts(rows: list[tuple[int, int, int, int]], scope: CodeScope, counted: dict[int, tuple[int, ...]],
            mode: Mode, with_descendants: bool, conn: sqlite3.Connection) -> Counted:
    """Pair counts, shared and coded characters, counted source by source (every mode)."""
    by_source: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # source -> (start, end, code)
    for source_id, start, end, code_id in rows:
        items = by_source[source_id]
        for counted_code in counted[code_id]:
            items.append((start, end, counted_code))  # in text order already
    units = {}
    if mode.kind in ("paragraph", "turn"):
        units = analysis_reads.unit_spans(conn, by_source, mode.kind)

    rank = _rank(scope)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    coded: dict[int, int] = defaultdict(int)  # code -> its coded characters over all sources
    for source_id, items in by_source.items():
        if mode.kind in ("paragraph", "turn"):
            pairs: Iterable[tuple[int, int]] = _unit_pairs(items, rng.UnitIndex(units.get(source_id, ())))
        else:
            pairs = _near_pairs(items, 0 if mode.kind == "overlap" else mode.distance, mode.kind == "overlap")
        in_source: set[tuple[int, int]] = set()
        for a, b in pairs:
            code_a, code_b = items[a][2], items[b][2]
            if code_a == code_b or (with_descendants and scope.is_related(code_a, code_b)):
                continue
            key = (code_a, code_b) if rank[code_a] < rank[code_b] else (code_b, code_a)
            counts[key] += 1
            in_source.add(key)
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for start, end, code in items:
            spans[code].append((start, end))
        merged = {code: rng.merge(r) for code, r in spans.items()}
        for code, ranges in merged.items():
            coded[code] += rng.length(ranges)
        for a, b in in_source:
            shared[(a, b)] += rng.intersection_length(merged[a], merged[b])
    return counts, shared, coded


def _near_pairs(items: list[tuple[int, int, int]], distance: int, strict: bool) -> list[tuple[int, int]]:
    """Index pairs of ranges (sorted by start) that overlap (`strict`) or lie within `distance` characters."""
    pairs: list[tuple[int, int]] = []
    active: list[tuple[int, int]] = []  # (the offset a later range must start before, index)
    slack = 0 if strict else distance + 1  # overlapping: start < end; near: start <= end + distance
    for index, (start, end, _) in enumerate(items):
        active = [entry for entry in active if start < entry[0]]
        pairs.extend((i, index) for _, i in active)
        active.append((end + slack, index))
    return pairs


def _unit_pairs(items: list[tuple[int, int, int]], units: rng.UnitIndex) -> set[tuple[int, int]]:
    """Index pairs of ranges that share at least one unit (each pair once)."""
    in_unit: dict[int, list[int]] = defaultdict(list)
    for index, (start, end, _) in enumerate(items):
        for unit in units.touching(start, end):
            in_unit[unit].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in in_unit.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                pairs.add((a, b))
    return pairs


def pair_codings(conn: sqlite3.Connection, flt: Filter, code_a: int, code_b: int, *, mode: Mode = Mode(),
                 with_descendants: bool = False) -> list[tuple[int, int]]:
    """The coding id pairs (a coding of A, a coding of B) behind one row, in source and text order."""
    scope = code_scope(conn, flt)
    counted = _counted_codes(scope, with_descendants)
    by_source: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
    for coding_id, code_id, source_id, _, start, end in queries.filtered_codings(conn, flt):
        for counted_code in counted.get(code_id, ()):
            if counted_code in (code_a, code_b):
                by_source[source_id].append((start, end, counted_code, coding_id))
    units = analysis_reads.unit_spans(conn, by_source, mode.kind) if mode.kind in ("paragraph", "turn") else {}
    found = []
    for source_id in sorted(by_source):
        items = sorted(by_source[source_id])
        plain = [(s, e, c) for s, e, c, _ in items]
        if mode.kind in ("paragraph", "turn"):
            pairs = sorted(_unit_pairs(plain, rng.UnitIndex(units.get(source_id, ()))))
        else:
            pairs = _near_pairs(plain, 0 if mode.kind == "overlap" else mode.distance, mode.kind == "overlap")
        for i, j in pairs:
            if {items[i][2], items[j][2]} == {code_a, code_b} and items[i][2] != items[j][2]:
                first, second = (items[i], items[j]) if items[i][2] == code_a else (items[j], items[i])
                found.append((first[3], second[3]))
    return found
