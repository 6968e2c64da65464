"""Matrix coding: codes by groups (sources, cases, coders or an attribute's values), one number per cell.

The one matrix function behind `qcode matrix`, the matrix of every export and the app's matrix view. A cell
counts the codings of a code (with its sub-codes, or alone with `own`) that fall in a column: `excerpts`
(coding rows), `sources` and `cases` (distinct), or `characters` (the union of the coded ranges, overlaps
once). A coding falls in its source's and its coder's column, in the column of every case whose members it
overlaps, and in the column of each value those cases (or its source) hold. Totals count without double
counting: the row total over the union of the row's cells, the last row over all codes in scope, so a total
can be less than the sum of its cells.

The unfiltered tables the app and the benchmark ask for most are read from the maintained aggregates
(`matrix_fast`); everything else is counted with numpy from the filtered coding rows read once (`matrix_bulk`).
`matrix_from_rows` counts the same coding by coding; tests hold all three to it and to a brute-force recount.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable

from qcode.core.analysis import matrix_bulk, matrix_fast
from qcode.core.analysis.code_scope import CodeScope, code_scope
from qcode.core.analysis.grouping import Grouping
from qcode.core.analysis.groups import Groups, groups
from qcode.core.analysis.ranges import union_length
from qcode.core.model import MATRIX_CELLS, Filter, Matrix, MatrixRow
from qcode.core.store import queries

PERCENT_MODES = ("none", "row", "column")
TOTAL = object()  # the key of the total row and column while counting
Key = tuple[object, object]  # (row: a code id or TOTAL, column: a column key or TOTAL)


class _Counter:
    """Counts one kind of cell for many keys without double counting."""

    def __init__(self, cell: str) -> None:
        self.cell = cell
        self.numbers: dict[Key, int] = defaultdict(int)
        self.sets: dict[Key, set[int]] = defaultdict(set)
        self.ranges: dict[Key, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))

    def add(self, key: Key, source: int, start: int, end: int, cases: Iterable[int]) -> None:
        """Count one coding (its source, range and the cases it counts for) in a cell."""
        if self.cell == "excerpts":
            self.numbers[key] += 1
        elif self.cell == "sources":
            self.sets[key].add(source)
        elif self.cell == "cases":
            self.sets[key].update(cases)
        else:
            self.ranges[key][source].append((start, end))

    def value(self, key: Key) -> int:
        """The number in a cell."""
        if self.cell == "excerpts":
            return self.numbers.get(key, 0)
        if self.cell in ("sources", "cases"):
            return len(self.sets.get(key, ()))
        per_source = self.ranges.get(key)
        return sum(union_length(r) for r in per_source.values()) if per_source else 0


def matrix(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, cell: str = "excerpts",
           own: bool = False) -> Matrix:
    """Codes in scope (rows, zeros included) by the grouping's columns in scope, with totals."""
    if cell not in MATRIX_CELLS:
        raise ValueError(f"unknown matrix cell {cell!r}")
    scope = code_scope(conn, flt)
    fast = matrix_fast.try_matrix(conn, flt, grouping, cell=cell, own=own, scope=scope)
    if fast is not None:
        return fast
    return matrix_bulk.matrix(conn, flt, grouping, cell=cell, own=own, scope=scope)


def matrix_from_rows(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, cell: str = "excerpts",
                     own: bool = False) -> Matrix:
    """The same matrix counted coding by coding in Python: the plain statement of what a cell counts, which the
    tests hold the aggregate and numpy paths to."""
    if cell not in MATRIX_CELLS:
        raise ValueError(f"unknown matrix cell {cell!r}")
    scope = code_scope(conn, flt)
    cases_cache: dict[str, dict[int, list[int]]] = {}

    def cases_of() -> dict[int, list[int]]:
        if "found" not in cases_cache:
            cases_cache["found"] = queries.coding_cases(conn, flt)
        return cases_cache["found"]

    grouped = groups(conn, grouping, flt, cases_of)
    counter = _Counter(cell)
    _count(conn, flt, scope, grouped, counter, own=own, cases_of=cases_of if cell == "cases" else None)
    return _assemble(scope, grouped, counter.value, cell)


def _count(conn: sqlite3.Connection, flt: Filter, scope: CodeScope, grouped: Groups, counter: _Counter, *,
           own: bool, cases_of: Callable[[], dict[int, list[int]]] | None) -> None:
    coding_cases = cases_of() if cases_of is not None else {}
    wanted = {c.key for c in grouped.columns}
    for coding_id, code_id, source_id, coder_id, start, end in queries.filtered_codings(conn, flt):
        if code_id not in scope.ancestors:
            continue
        places = [(key, cases) for key, cases in grouped.membership(coding_id, source_id, coder_id) if key in wanted]
        if not places:
            continue
        own_cases = coding_cases.get(coding_id, ())
        every_case: set[int] = set()
        for _, cases in places:
            every_case.update(own_cases if cases is None else cases)
        counted = (code_id,) if own else scope.ancestors[code_id]
        for row in (*counted, TOTAL):
            for key, cases in places:
                counter.add((row, key), source_id, start, end, own_cases if cases is None else cases)
            counter.add((row, TOTAL), source_id, start, end, frozenset(every_case))


def _assemble(scope: CodeScope, grouped: Groups, value: Callable[[Key], int], cell: str) -> Matrix:
    keys = [c.key for c in grouped.columns]
    rows = tuple(
        MatrixRow(code_id, scope.paths[code_id], scope.depths[code_id],
                  tuple(value((code_id, k)) for k in keys), value((code_id, TOTAL)))
        for code_id in scope.order
    )
    return Matrix(cell, grouped.columns, rows, tuple(value((TOTAL, k)) for k in keys), value((TOTAL, TOTAL)))


def percentages(result: Matrix, mode: str) -> tuple[list[list[float]], list[float]]:
    """Each row's cells and total as a percentage of its row total (`row`) or of its column's total (`column`);
    and the total row likewise. A zero total gives 0."""
    if mode not in ("row", "column"):
        raise ValueError(f"unknown percent mode {mode!r}")

    def share(part: int, whole: int) -> float:
        return round(100.0 * part / whole, 1) if whole else 0.0

    rows = []
    for row in result.rows:
        if mode == "row":
            rows.append([share(v, row.total) for v in (*row.cells, row.total)])
        else:
            rows.append([share(v, t) for v, t in zip((*row.cells, row.total),
                                                     (*result.column_totals, result.grand_total), strict=True)])
    if mode == "row":
        last = [share(v, result.grand_total) for v in (*result.column_totals, result.grand_total)]
    else:
        last = [share(v, v) for v in (*result.column_totals, result.grand_total)]
    return rows, last


def cell_codings(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, code_id: int | None,
                 column: object | None, own: bool = False) -> list[int]:
    """Ids of the codings counted in one cell: a code's row (None: the total row) and a column's key (None:
    the total column), in id order."""
    return matrix_bulk.cell_codings(conn, flt, grouping, code_id=code_id, column=column, own=own,
                                    scope=code_scope(conn, flt))


def cell_codings_from_rows(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, code_id: int | None,
                           column: object | None, own: bool = False) -> list[int]:
    """The same ids found coding by coding (`matrix_from_rows`'s way), in the order of the coding rows."""
    scope = code_scope(conn, flt)
    found_cases: dict[str, dict[int, list[int]]] = {}

    def cases_of() -> dict[int, list[int]]:
        if "found" not in found_cases:
            found_cases["found"] = queries.coding_cases(conn, flt)
        return found_cases["found"]

    grouped = groups(conn, grouping, flt, cases_of)
    wanted = {c.key for c in grouped.columns} if column is None else {column}
    result = []
    for coding_id, coded, source_id, coder_id, _, _ in queries.filtered_codings(conn, flt):
        if coded not in scope.ancestors:
            continue
        if code_id is not None and (coded != code_id if own else code_id not in scope.ancestors[coded]):
            continue
        if any(key in wanted for key, _ in grouped.membership(coding_id, source_id, coder_id)):
            result.append(coding_id)
    return result
