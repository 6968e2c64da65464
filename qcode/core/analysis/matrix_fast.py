"""Matrices read from the maintained aggregates instead of the coding rows, where those answer exactly.

Unfiltered matrices (or ones narrowed to some codes only) of excerpts by case, source, coder or a case or
source attribute, and of characters by case or source. Excerpts add up over codes (each coding has one code),
so the last row is a sum of each column's own counts; a row's total is the sum of its cells when no coding can
fall in two columns, which holds by source and by coder always, and by a case attribute when no source holds
members of two different cases with a value of it (`matrix_reads.valued_cases_share_sources`). By case, the
totals take off what the codings in sources shared by cases add twice, counted from those codings alone.
Otherwise, and for other cells, None tells `matrix` to count from the coding rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

import numpy as np
import numpy.typing as npt

from qcode.core.analysis import bulk
from qcode.core.analysis.code_scope import CodeScope
from qcode.core.analysis.grouping import Grouping
from qcode.core.analysis.groups import groups
from qcode.core.analysis.ranges import union_length
from qcode.core.model import Filter, Matrix, MatrixColumn, MatrixRow
from qcode.core.store import matrix_reads as aggregates


def try_matrix(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, cell: str, own: bool,
               scope: CodeScope) -> Matrix | None:
    """The matrix from the aggregates when they answer it exactly; None to compute it from the coding rows."""
    # unfiltered, or rows narrowed to some branches (each row, and each coding's one code, stay exact)
    if not (flt.is_empty() or (flt == Filter(codes=flt.codes) and cell == "excerpts")):
        return None
    if cell not in ("excerpts", "characters") or (cell == "characters" and grouping.kind not in ("case", "source")):
        return None
    kind = grouping.kind
    by_cases = kind == "case" or (kind == "attribute" and aggregates.attribute_scope(conn, grouping.attribute_id) == "case")
    shared = by_cases and aggregates.cases_share_sources(conn)
    # by case, a coding in two cases' members is in both cells; the totals count it once (corrected below); by
    # a case attribute, only cases holding a value of it matter (survey respondents without one do not)
    if shared and kind != "case" and aggregates.valued_cases_share_sources(conn, grouping.attribute_id):
        return None
    tree = 0 if own else 1
    codes = scope.order
    among = list(codes) if flt.codes else None  # None: every code, read in key order without a list
    measure = "excerpts" if cell == "excerpts" else "characters"
    columns = groups(conn, grouping, flt, lambda: {}).columns
    if kind in ("case", "source"):
        return _dense_matrix(conn, kind, cell, own, scope, among, columns, shared=shared and kind == "case")
    if kind == "coder":
        own_counts = aggregates.excerpts_by_coder(conn, among)
        cells = own_counts if own else _tree_sums(own_counts, scope)
        column_totals = _column_sums(own_counts)
    elif kind == "attribute" and grouping.attribute_id is not None and measure == "excerpts":
        attribute = grouping.attribute_id
        if aggregates.attribute_scope(conn, attribute) == "case":
            cells = aggregates.excerpts_by_case_value(conn, attribute, tree, among)
            column_totals = _column_sums(aggregates.excerpts_by_case_value(conn, attribute, 0, among))
        else:
            cells = aggregates.excerpts_by_source_value(conn, attribute, tree, among)
            column_totals = _column_sums(aggregates.excerpts_by_source_value(conn, attribute, 0, among))
    else:
        return None
    keys = [str(c.key) for c in columns]  # the readers' keys are text
    zeros = [0] * len(keys)
    empty: dict[str, int] = {}
    rows = []
    for code_id in codes:
        row = cells.get(code_id, empty)
        values = tuple(map(row.get, keys, zeros))
        rows.append(MatrixRow(code_id, scope.paths[code_id], scope.depths[code_id], values, sum(values)))
    totals = tuple(map(column_totals.get, keys, zeros))
    return Matrix(cell, columns, tuple(rows), totals, sum(totals))


def _dense_matrix(conn: sqlite3.Connection, kind: str, cell: str, own: bool, scope: CodeScope,
                  among: list[int] | None, columns: tuple[MatrixColumn, ...], *, shared: bool = False) -> Matrix:
    """By case or source: the cells as one codes x columns array. Excerpts are read for the codes alone and summed
    up the tree (a product with the tree's 0/1 matrix); characters, which do not add up, are read as asked.

    `shared` (excerpts by case when some source holds members of several cases): a coding may lie in several
    cells of its row, so each row total, and the grand total, lose the extra times the codings in those sources
    were counted, read from those codings alone."""
    table, key = ("code_case_stat", "case_id") if kind == "case" else ("code_source_stat", "source_id")
    codes = scope.order
    column_ids = [int(c.key) for c in columns]  # type: ignore[call-overload]  # case and source ids
    extra = np.zeros(len(codes), dtype=np.float64)  # per code (alone): codings counted in more than one column
    own_extra = extra
    if shared:
        position = {code: i for i, code in enumerate(codes)}
        for code_id, times in aggregates.extra_case_counts(conn, among):
            if code_id in position:
                extra[position[code_id]] += times
    if cell == "excerpts":
        alone = _dense(aggregates.cell_lists(conn, table, key, "excerpts", 0, among), codes, column_ids)
        tree = None if own else _tree_matrix(scope)
        cells = alone if tree is None else tree @ alone
        own_extra = extra
        if tree is not None:
            extra = tree @ extra
        totals = alone.sum(axis=0)  # each coding has one code: the codes alone add up without double counting
    else:
        cells = _dense(aggregates.cell_lists(conn, table, key, "characters", 0 if own else 1, among), codes,
                       column_ids)
        per_key = source_coded_characters(conn)
        if kind == "case":
            per_key, correction, grand = _case_characters(conn, per_key, scope, own)
            extra = np.array([correction.get(code, 0) for code in codes], dtype=np.float64)
            own_extra = np.zeros(0)
        totals = np.array([per_key.get(i, 0) for i in column_ids], dtype=np.float64)
    values = cells.astype(np.int64)
    row_totals = (values.sum(axis=1) - extra.astype(np.int64)).tolist()
    rows = tuple(MatrixRow(code_id, scope.paths[code_id], scope.depths[code_id], tuple(row), total)
                 for code_id, row, total in zip(codes, values.tolist(), row_totals, strict=True))
    column_totals = tuple(totals.astype(np.int64).tolist())
    if cell == "characters" and kind == "case":
        return Matrix(cell, columns, rows, column_totals, grand)
    return Matrix(cell, columns, rows, column_totals, sum(column_totals) - int(own_extra.sum()))


def _case_characters(conn: sqlite3.Connection, per_source: dict[int, int], scope: CodeScope,
                     own: bool) -> tuple[dict[int, int], dict[int, int], int]:
    """Characters by case beyond the cells: each case's coded characters (any code), what each row's sum of
    cells counts twice, and the grand total.

    A source held whole by one case alone adds its coded characters to that case (`per_source`); in the other
    sources (ranged members, members of several cases) the codings that overlap each case are merged here."""
    per_case: dict[int, int] = defaultdict(int)
    grand = 0
    for case_id, source_id in aggregates.simple_members(conn):
        per_case[case_id] += per_source.get(source_id, 0)
        grand += per_source.get(source_id, 0)
    # (code or None for any code, case or None for any case, source) -> ranges
    found: dict[tuple[int | None, int | None, int], list[tuple[int, int]]] = defaultdict(list)
    for _, code_id, source_id, start, end, case_id in aggregates.codings_in_shared_members(conn):
        counted = (code_id,) if own else scope.ancestors.get(code_id, ())
        for code in (*counted, None):
            found[(code, case_id, source_id)].append((start, end))
            found[(code, None, source_id)].append((start, end))
    correction: dict[int, int] = defaultdict(int)
    for (code, in_case, _), ranges in found.items():
        length = union_length(ranges)
        if code is None:
            if in_case is None:
                grand += length
            else:
                per_case[in_case] += length
        elif in_case is None:
            correction[code] -= length  # the row counts these characters once
        else:
            correction[code] += length  # the row's cells count them once per case
    return per_case, correction, grand


def _dense(lists: list[tuple[int, str]], codes: list[int], column_ids: list[int]) -> npt.NDArray[np.float64]:
    """A codes x columns array from each code's "key,number,..." text (keys outside the columns left out)."""
    found = np.zeros((len(codes), len(column_ids)), dtype=np.float64)
    row_of = {code: i for i, code in enumerate(codes)}
    lists = [(code, text) for code, text in lists if code in row_of and text]
    if not lists or not column_ids:
        return found
    numbers = bulk.parse_lists([text for _, text in lists]).reshape(-1, 2)
    lengths = [text.count(",") // 2 + 1 for _, text in lists]
    rows = np.repeat(np.array([row_of[code] for code, _ in lists], dtype=np.int64), lengths)
    position = np.full(max(max(column_ids), int(numbers[:, 0].max())) + 1, -1, dtype=np.int64)
    position[column_ids] = np.arange(len(column_ids))
    columns = position[numbers[:, 0]]
    wanted = columns >= 0
    found[rows[wanted], columns[wanted]] = numbers[wanted, 1]
    return found


def _tree_matrix(scope: CodeScope) -> npt.NDArray[np.float64]:
    """codes x codes: 1 where the column's code counts for the row's code (itself or a code above it)."""
    index = {code: i for i, code in enumerate(scope.order)}
    tree = np.zeros((len(index), len(index)), dtype=np.float64)
    for code, ups in scope.ancestors.items():
        if code in index:
            for up in ups:
                tree[index[up], index[code]] = 1.0
    return tree


def source_coded_characters(conn: sqlite3.Connection) -> dict[int, int]:
    """source id -> characters coded with any code (the union of every coding's range), from every source's
    ranges at once."""
    per_source = aggregates.coded_range_lists(conn)
    if not per_source:
        return {}
    numbers = bulk.parse_lists([text for _, text in per_source]).reshape(-1, 2)
    lengths = [text.count(",") // 2 + 1 for _, text in per_source]
    group = np.repeat(np.arange(len(per_source)), lengths)
    order = np.lexsort((numbers[:, 1], numbers[:, 0], group))
    group, start, end = group[order], numbers[order, 0], numbers[order, 1]
    band = int(end.max()) + 1
    lift = group * band
    reach = np.maximum.accumulate(end + lift) - lift  # the furthest end so far in the source
    before = np.concatenate(([0], reach[:-1]))
    first = np.concatenate(([True], group[1:] != group[:-1]))
    before[first] = start[first]
    added = np.maximum(0, end - np.maximum(start, before))  # what each range adds past every earlier one
    totals = np.bincount(group, weights=added, minlength=len(per_source)).astype(np.int64).tolist()
    return {source_id: total for (source_id, _), total in zip(per_source, totals, strict=True)}


def _column_sums(cells: dict[int, dict[str, int]]) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for row in cells.values():
        for key, value in row.items():
            sums[key] += value
    return sums


def _tree_sums(own: dict[int, dict[str, int]], scope: CodeScope) -> dict[int, dict[str, int]]:
    """Each code's cells with its sub-codes': excerpts add up down the tree."""
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code_id, row in own.items():
        for ancestor in scope.ancestors.get(code_id, ()):
            target = result[ancestor]
            for key, value in row.items():
                target[key] += value
    return result
