"""Matrices read from the maintained aggregates instead of the coding rows, where those answer exactly.

Unfiltered matrices (or ones narrowed to some codes only) of excerpts by case, source, coder or a case or
source attribute, and of characters by case or source. Excerpts add up over codes (each coding has one code),
so the last row is a sum of each column's own counts; a row's total is the sum of its cells when no coding can
fall in two columns, which holds by source and by coder always, and by case or case attribute when no source
holds members of two different cases (`matrix_reads.cases_share_sources`). Otherwise, and for other cells, None
tells `matrix` to count from the coding rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from qcode.core.analysis.code_scope import CodeScope
from qcode.core.analysis.frequencies import Grouping
from qcode.core.analysis.groups import groups
from qcode.core.model import Filter, Matrix, MatrixRow
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
    if by_cases and aggregates.cases_share_sources(conn):
        return None
    tree = 0 if own else 1
    codes = scope.order
    among = list(codes) if flt.codes else None  # None: every code, read in key order without a list
    measure = "excerpts" if cell == "excerpts" else "characters"
    if kind == "case":
        cells = aggregates.cells_by_case(conn, tree, measure, among)
        column_totals = (aggregates.column_sums(conn, "code_case_stat", "case_id", among) if cell == "excerpts"
                         else aggregates.case_coded_characters(conn))
    elif kind == "source":
        cells = aggregates.cells_by_source(conn, tree, measure, among)
        column_totals = (aggregates.column_sums(conn, "code_source_stat", "source_id", among) if cell == "excerpts"
                         else aggregates.source_coded_characters(conn))
    elif kind == "coder":
        own_counts = aggregates.excerpts_by_coder(conn, among)
        cells = own_counts if own else _tree_sums(own_counts, scope)
        column_totals = _column_sums(own_counts)
    elif kind == "attribute" and grouping.attribute_id is not None:
        attribute = grouping.attribute_id
        if aggregates.attribute_scope(conn, attribute) == "case":
            cells = aggregates.excerpts_by_case_value(conn, attribute, tree, among)
            column_totals = _column_sums(aggregates.excerpts_by_case_value(conn, attribute, 0, among))
        else:
            cells = aggregates.excerpts_by_source_value(conn, attribute, tree, among)
            column_totals = _column_sums(aggregates.excerpts_by_source_value(conn, attribute, 0, among))
    else:
        return None
    columns = groups(conn, grouping, flt, lambda: {}).columns
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
