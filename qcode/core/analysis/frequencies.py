"""Code frequencies: excerpts, sources, cases and coded characters per code, optionally per group.

Two paths give the same numbers. The unfiltered table (and grouping by case, or by a case attribute when
no source is shared by two cases of one group; by source, by coder, one coder's table, and the tables of some
sources) is read from the aggregates the store keeps current. Anything else is the matrix of the filtered
codings (`matrix_bulk.tables`: the function behind `qcode matrix`, the exports' matrices and the app's matrix
view), counted once for each measure, with and without sub-codes. `cells_from_rows` counts the same coding by
coding; tests hold every path to it and to a plain recount.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from qcode.core.analysis import bulk, matrix_bulk
from qcode.core.analysis.code_scope import code_scope
from qcode.core.analysis.grouping import GROUP_KINDS as GROUP_KINDS
from qcode.core.analysis.grouping import Grouping as Grouping
from qcode.core.analysis.grouping import source_paths as source_paths
from qcode.core.analysis.order import name_key, value_key
from qcode.core.model import Counts, Filter, FrequencyRow
from qcode.core.store import aggregates, analysis_reads, matrix_reads, queries
from qcode.core.store import cases as case_store
from qcode.core.store import codes as code_store


def union_length(ranges: list[tuple[int, int]]) -> int:
    """Characters covered by a set of half-open ranges, overlaps counted once."""
    total = 0
    reach = -1
    for start, end in sorted(ranges):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def frequencies(conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None) -> list[FrequencyRow]:
    """The frequency table in codebook order; grouped tables list only codes with codings in a group."""
    rows_in_order = code_rows(conn)

    if flt.is_empty() and grouping is None:
        totals = aggregates.stat_totals(conn)
        zero = (0, 0, 0, 0)
        return [
            FrequencyRow(code_id, path, depth, Counts(*totals.get((0, code_id), zero)),
                         Counts(*totals.get((1, code_id), zero)))
            for code_id, path, depth in rows_in_order
        ]

    if (grouping is not None and grouping.kind == "source" and flt.is_empty()
            and not matrix_reads.has_ranged_members(conn)):
        return _by_source(conn, rows_in_order, grouping)
    fast = _fast_case_groups(conn, flt, grouping)
    if fast is None:
        fast = _fast_source_scope(conn, flt, grouping)
    if fast is None:
        fast = _fast_coders(conn, flt, grouping)
    if fast is None:
        return _matrix_rows(conn, flt, grouping, rows_in_order)
    return rows_from_cells(conn, fast, grouping, rows_in_order)


def rows_from_cells(conn: sqlite3.Connection, cells: dict[tuple[Any, ...], Counts], grouping: Grouping | None,
                    rows_in_order: list[tuple[int, str, int]]) -> list[FrequencyRow]:
    """The table's rows from counts per (group label, tree, code): every code when not grouped, else the codes
    with codings in each group, groups in their order."""
    if grouping is None:
        return [
            FrequencyRow(code_id, path, depth, cells.get((None, 0, code_id), Counts()),
                         cells.get((None, 1, code_id), Counts()))
            for code_id, path, depth in rows_in_order
        ]
    groups = sorted({key[0] for key in cells}, key=_group_order(conn, grouping))
    result = []
    for group in groups:
        for code_id, path, depth in rows_in_order:
            own = cells.get((group, 0, code_id))
            total = cells.get((group, 1, code_id))
            if own is None and total is None:
                continue
            result.append(FrequencyRow(code_id, path, depth, own or Counts(), total or Counts(), str(group)))
    return result


def code_rows(conn: sqlite3.Connection) -> list[tuple[int, str, int]]:
    """(code id, path, depth) of every code in codebook order: the rows of a frequency table."""
    paths = code_store.code_paths(conn)
    return [(c.id, "/".join(paths[c.id]), len(paths[c.id]) - 1) for c in code_store.codes(conn)]


def _group_order(conn: sqlite3.Connection, grouping: Grouping) -> Callable[[Any], tuple[Any, ...]]:
    """The sort key of a grouping's labels: the attribute's own order for its values, else by name."""
    if grouping.kind == "attribute" and grouping.attribute_id is not None:
        attribute = case_store.attribute_by_id(conn, grouping.attribute_id)
        if attribute is not None:
            return value_key(attribute)
    return lambda label: name_key(str(label))


def _fast_case_groups(
    conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None
) -> dict[tuple[Any, ...], Counts] | None:
    """Unfiltered tables grouped by case or case attribute, summed from the per-case aggregates."""
    if grouping is None or not flt.is_empty():
        return None
    group = aggregates.case_group_sql(conn, grouping.kind, grouping.attribute_id)
    if group is None:
        return None
    sql, args = group
    if grouping.kind == "attribute":
        if aggregates.groups_share_sources(conn, sql, args):
            return None
        totals = aggregates.value_group_totals(conn, grouping.attribute_id)  # type: ignore[arg-type]
    else:
        totals = aggregates.case_group_totals(conn, sql, args)
    return {
        (value, tree, code_id): Counts(excerpts, sources, cases, characters)
        for value, tree, code_id, excerpts, sources, cases, characters in totals
    }


def _fast_source_scope(
    conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None
) -> dict[tuple[Any, ...], Counts] | None:
    """Tables of some sources read from the per-source aggregates: filtered by source, folder or source
    attribute. Cases are counted through the members that are whole sources and the ranged members the codings
    overlap."""
    if grouping is None:
        source_level = not (flt.codes or flt.cases or flt.coders or flt.created_from or flt.created_to) and all(
            queries.attribute_scope(conn, a) == "source" for a, _ in flt.attributes)
        if not source_level or flt.is_empty():
            return None
        return source_scope_counts(conn, analysis_reads.sources_in_scope(conn, flt))
    return None


def source_scope_counts(conn: sqlite3.Connection, scope: list[int]) -> dict[tuple[Any, ...], Counts]:
    """Counts over some sources, summed with numpy from their per-source aggregate rows (read as one text per
    column): excerpts and characters add up, each row is one source; cases are those holding one of the sources
    whole, or a ranged member that one of their codings overlaps, each case once per (tree, code)."""
    tree, code, source, excerpts, characters = (bulk.parse_lists([text])
                                                for text in matrix_reads.source_stat_columns(conn, scope))
    if not len(tree):
        return {}
    hits = np.array(matrix_reads.ranged_hits_in_sources(conn, scope) if matrix_reads.has_ranged_members(conn, scope)
                    else [], dtype=np.int64).reshape(-1, 3)  # (tree, code, case)
    width = max(int(code.max()), int(hits[:, 1].max()) if len(hits) else 0) + 1
    key = tree * width + code
    members = np.array(matrix_reads.whole_members_of(conn, scope), dtype=np.int64).reshape(-1, 2)
    row, case = bulk.pairs_of(source, members)
    case_keys = [key[row], hits[:, 0] * width + hits[:, 1]]
    case_ids = [case, hits[:, 2]]
    every_key, every_case = np.concatenate(case_keys), np.concatenate(case_ids)
    span = int(every_case.max()) + 1 if len(every_case) else 1
    distinct = np.sort(every_key * span + every_case)  # each (key, case) once: sorted, repeats dropped
    distinct = distinct[np.concatenate(([True], distinct[1:] != distinct[:-1]))] if len(distinct) else distinct
    size = 2 * width
    found = zip(*(np.bincount(key, weights=weights, minlength=size).astype(np.int64).tolist()
                  for weights in (excerpts, None, characters)),
                np.bincount(distinct // span, minlength=size).tolist(), strict=True)
    return {(None, k // width, k % width): Counts(n_excerpts, n_sources, n_cases, n_characters)
            for k, (n_excerpts, n_sources, n_characters, n_cases) in enumerate(found) if n_sources}


def _by_source(conn: sqlite3.Connection, rows_in_order: list[tuple[int, str, int]],
               grouping: Grouping) -> list[FrequencyRow]:
    """The table by source from the per-source aggregates, one source at a time (a large project's table has
    hundreds of thousands of rows: only the result is held). Cases through members that are whole sources."""
    names = source_paths(conn)
    whole_cases = matrix_reads.whole_cases_per_source(conn)
    order = _group_order(conn, grouping)
    result = []
    for source_id in sorted(names, key=lambda s: order(names[s])):
        cases = whole_cases.get(source_id, 0)
        found = {(tree, code): Counts(excerpts, 1, cases, characters)
                 for tree, code, excerpts, characters in matrix_reads.source_rows(conn, source_id)}
        for code_id, path, depth in rows_in_order:
            own, total = found.get((0, code_id)), found.get((1, code_id))
            if own is None and total is None:
                continue
            result.append(FrequencyRow(code_id, path, depth, own or Counts(), total or Counts(), names[source_id]))
    return result


def _fast_coders(
    conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None
) -> dict[tuple[Any, ...], Counts] | None:
    """The table of one coder's codings, or the unfiltered table by coder, read from the per-(code, coder,
    source) aggregates; cases through whole-source members and the ranged members the codings overlap."""
    if grouping is None:
        if flt != Filter(coders=flt.coders) or len(flt.coders) != 1:
            return None
        coder: int | None = flt.coders[0]
    elif grouping.kind == "coder" and flt.is_empty():
        coder = None
    else:
        return None
    names = queries.coder_names(conn) if grouping is not None else {}
    found = matrix_reads.coder_groups(conn, coder)
    index = {(c, tree, code): i for i, (c, tree, code, *_) in enumerate(found)}
    ranged = [(index[(c, tree, code)], case) for c, tree, code, case in matrix_reads.ranged_case_hits(conn, coder)]
    cases = bulk.distinct_cases([row[6] for row in found], matrix_reads.whole_members(conn), ranged)
    return {(names[c] if grouping is not None else None, tree, code): Counts(excerpts, sources, n, characters)
            for (c, tree, code, excerpts, sources, characters, _), n in zip(found, cases, strict=True)}


def _matrix_rows(conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None,
                 rows_in_order: list[tuple[int, str, int]]) -> list[FrequencyRow]:
    """The table from the matrix counts of the filtered codings (`matrix_bulk.tables`, the function behind every
    matrix): every code is a row (the filter narrows the codings, not the table), each measure counted alone and
    with sub-codes; groups in the matrix's column order."""
    scope = code_scope(conn, Filter())
    found = matrix_bulk.tables(conn, flt, grouping, cells=_MEASURES, owns=(True, False), scope=scope, totals=False)
    own = np.stack([found.counts[(cell, True)][:-1, :-1] for cell in _MEASURES], axis=-1)  # code, column, measure
    tree = np.stack([found.counts[(cell, False)][:-1, :-1] for cell in _MEASURES], axis=-1)
    result = []
    counts = _SharedCounts().__getitem__
    for position, column in enumerate(found.columns):
        if grouping is None:
            present = list(range(len(rows_in_order)))
        else:
            present = np.flatnonzero((own[:, position, 0] > 0) | (tree[:, position, 0] > 0)).tolist()
        label = None if grouping is None else column.label
        owns, trees = own[present, position].tolist(), tree[present, position].tolist()
        for row, mine, with_subcodes in zip(present, owns, trees, strict=True):
            code_id, path, depth = rows_in_order[row]
            result.append(FrequencyRow(code_id, path, depth, counts(tuple(mine)), counts(tuple(with_subcodes)),
                                       label))
    return result


class _SharedCounts(dict[tuple[int, ...], Counts]):
    """One `Counts` per distinct set of numbers (a table by source repeats a few small ones thousands of times,
    and making a frozen dataclass costs more than finding one)."""

    def __missing__(self, numbers: tuple[int, ...]) -> Counts:
        made = self[numbers] = Counts(*numbers)
        return made


_MEASURES = ("excerpts", "sources", "cases", "characters")  # in the order of `Counts`


def cells_from_rows(conn: sqlite3.Connection, flt: Filter,
                    grouping: Grouping | None) -> dict[tuple[Any, ...], Counts]:
    """Counts for every (group label, tree, code) with codings, counted coding by coding in Python: the plain
    statement of the table, which the tests hold the aggregate and matrix paths to."""
    rows = queries.filtered_codings(conn, flt)
    cases_of = queries.coding_cases(conn, flt)
    ancestors: dict[int, list[int]] = defaultdict(list)
    for ancestor_id, code_id in queries.closure_pairs(conn):
        ancestors[code_id].append(ancestor_id)
    groups_of = _group_function(conn, grouping, cases_of)

    excerpts: dict[tuple[Any, ...], int] = defaultdict(int)
    sources: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    cases: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    ranges: dict[tuple[Any, ...], dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for coding_id, code_id, source_id, coder_id, start, end in rows:
        coding_cases = cases_of.get(coding_id, ())
        for label, allowed_cases in groups_of(coding_id, source_id, coder_id):
            case_set = coding_cases if allowed_cases is None else allowed_cases
            for tree, counted in ((0, (code_id,)), (1, ancestors[code_id])):
                for counted_id in counted:
                    key = (label, tree, counted_id)
                    excerpts[key] += 1
                    sources[key].add(source_id)
                    cases[key].update(case_set)
                    ranges[key][source_id].append((start, end))
    return {
        key: Counts(
            excerpts[key], len(sources[key]), len(cases[key]),
            sum(union_length(r) for r in ranges[key].values()),
        )
        for key in excerpts
    }


def _group_function(conn: sqlite3.Connection, grouping: Grouping | None,
                    cases_of: dict[int, list[int]]) -> Callable[[int, int, int], list[tuple[Any, ...]]]:
    """A function (coding id, source id, coder id) -> [(group label, cases counted in it or None for all)]."""
    if grouping is None:
        return lambda coding_id, source_id, coder_id: [(None, None)]
    if grouping.kind == "source":
        names = source_paths(conn)
        return lambda coding_id, source_id, coder_id: [(names[source_id], None)]
    if grouping.kind == "coder":
        coder_names = queries.coder_names(conn)
        return lambda coding_id, source_id, coder_id: [(coder_names[coder_id], None)]
    if grouping.kind == "case":
        case_names = queries.case_names(conn)
        return lambda coding_id, source_id, coder_id: [(case_names[c], (c,)) for c in cases_of.get(coding_id, ())]
    if grouping.kind == "attribute" and grouping.attribute_id is not None:
        values = queries.source_values(conn, grouping.attribute_id)
        if queries.attribute_scope(conn, grouping.attribute_id) == "source":
            return lambda coding_id, source_id, coder_id: (
                [(values[source_id], None)] if source_id in values else []
            )

        def by_case_value(coding_id: int, source_id: int, coder_id: int) -> list[tuple[Any, ...]]:
            by_value: dict[object, list[int]] = defaultdict(list)
            for case_id in cases_of.get(coding_id, ()):
                if case_id in values:
                    by_value[values[case_id]].append(case_id)
            return list(by_value.items())

        return by_case_value
    raise ValueError(f"unknown grouping {grouping}")
