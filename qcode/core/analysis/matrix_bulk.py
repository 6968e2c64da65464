"""Matrices of filtered codings counted with numpy over the coding rows read once.

What the maintained aggregates cannot answer (a filter on sources, folders, cases, coders or attribute values, or
the sources and cases cells) is counted here from the filtered coding rows, all at once instead of coding by
coding. The rows come from SQLite as one text; the conditions on cases (`--case`, a case attribute's values) are
applied here, from each coding's cases, so that SQLite is not asked for them coding by coding. The counts are
the row path's (`matrix._count`) exactly: a coding falls in its source's and coder's column, in the column of
every case in scope whose members it overlaps, and in the column of each value those cases (or its source) hold;
totals count distinct codings, sources and cases, and the union of characters. Tests hold both to a brute-force
recount.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from qcode.core.analysis import bulk
from qcode.core.analysis.code_scope import CodeScope
from qcode.core.analysis.grouping import Grouping
from qcode.core.analysis.groups import groups
from qcode.core.model import Filter, Matrix, MatrixColumn, MatrixRow
from qcode.core.store import analysis_reads, matrix_reads, queries

Ints = npt.NDArray[np.int64]
_EVERYTHING = MatrixColumn(None, "")  # the one column of a table without grouping
_MOST_SOURCES = 10_000  # sources named in one statement (SQLite takes at most 32,766 parameters)


@dataclass
class _Codings:
    """The filtered codings as arrays, one item per coding in id order."""

    ids: Ints
    code: Ints  # the code's position in the scope's order
    source: Ints
    coder: Ints
    start: Ints
    end: Ints

    def take(self, keep: npt.NDArray[np.bool_] | Ints) -> _Codings:
        """The codings a mask keeps (or an index array picks), in that order."""
        return _Codings(self.ids[keep], self.code[keep], self.source[keep], self.coder[keep], self.start[keep],
                        self.end[keep])


def matrix(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, cell: str, own: bool,
           scope: CodeScope) -> Matrix:
    """The matrix of a filter: codes in scope (rows) by the grouping's columns in scope, with totals."""
    found = tables(conn, flt, grouping, cells=(cell,), owns=(own,), scope=scope)
    return _assemble(scope, found.columns, found.counts[(cell, own)], cell)


@dataclass(frozen=True)
class Tables:
    """Several matrices of one filter and grouping, counted from one reading of the codings: for each (cell, own)
    asked, an array with a row per code in scope and the total row last, a column per column and the total column
    last (zeros when the totals were not asked for)."""

    columns: tuple[MatrixColumn, ...]
    counts: dict[tuple[str, bool], Ints]


def tables(conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None, *, cells: tuple[str, ...],
           owns: tuple[bool, ...], scope: CodeScope, totals: bool = True) -> Tables:
    """The counts of every cell kind in `cells` (excerpts, sources, cases, characters), each for every `own` in
    `owns` (a code alone, or with its sub-codes). No grouping: one column holding every coding the filter lets
    through (the frequency table's question). Without `totals` the total row and column are left at zero (a
    frequency table has none, and counting them is half of the work)."""
    found = _placed(conn, flt, grouping, scope, ids=False, ranges="characters" in cells, cases="cases" in cells)
    codings, place_coding, place_column, place_cases = found.codings, found.coding, found.column, found.cases
    shape = (len(scope.order) + 1, len(found.columns) + 1)  # the last row and column: the totals
    counts: dict[tuple[str, bool], Ints] = {}
    for own in owns:
        tree = _tree(scope, own, totals=totals)
        for cell in cells:
            if cell == "excerpts":
                counts[(cell, own)] = _excerpts(codings, place_coding, place_column, tree, shape, totals=totals)
            elif cell == "sources":
                counts[(cell, own)] = _distinct(codings.code[place_coding], place_column,
                                                codings.source[place_coding], tree, shape, totals=totals)
            elif cell == "cases":
                counts[(cell, own)] = _distinct(codings.code[place_cases[0]], place_cases[1], place_cases[2], tree,
                                                shape, totals=totals)
            else:
                counts[(cell, own)] = _characters(codings, place_coding, place_column, tree, shape, totals=totals)
    return Tables(found.columns, counts)


def cell_codings(conn: sqlite3.Connection, flt: Filter, grouping: Grouping, *, code_id: int | None,
                 column: object | None, own: bool, scope: CodeScope) -> list[int]:
    """Ids of the codings counted in one cell of `matrix` (code None: the total row; column None: the total
    column), in id order."""
    found = _placed(conn, flt, grouping, scope, ids=True, ranges=False, cases=False)
    keep = np.ones(len(found.coding), dtype=np.bool_)
    if column is not None:
        position = [i for i, c in enumerate(found.columns) if c.key == column]
        keep &= found.column == (position[0] if position else -1)
    if code_id is not None:  # the codes whose codings count in the row
        counted = np.array([code == code_id if own else code_id in scope.ancestors.get(code, ())
                            for code in scope.order], dtype=np.bool_)
        keep &= counted[found.codings.code[found.coding]]
    return sorted(set(found.codings.ids[found.coding[keep]].tolist()))


@dataclass
class _Placed:
    """The filtered codings, the columns in scope, and where the codings fall: (coding, column) once per column,
    and (coding, column, case) for the cases each place counts, when asked."""

    columns: tuple[MatrixColumn, ...]
    codings: _Codings
    coding: Ints
    column: Ints
    cases: tuple[Ints, Ints, Ints]


def _placed(conn: sqlite3.Connection, flt: Filter, grouping: Grouping | None, scope: CodeScope, *, ids: bool,
            ranges: bool, cases: bool) -> _Placed:
    columns = groups(conn, grouping, flt, lambda: {}).columns if grouping is not None else (_EVERYTHING,)
    case_attributes = sorted({a for a, _ in flt.attributes if matrix_reads.attribute_scope(conn, a) == "case"})
    by_case = grouping is not None and (grouping.kind == "case" or (grouping.kind == "attribute"
                                        and matrix_reads.attribute_scope(conn, grouping.attribute_id) == "case"))
    # SQLite applies the conditions on codes, sources, folders, coders, source attributes and dates
    plain = replace(flt, cases=(), attributes=tuple((a, v) for a, v in flt.attributes if a not in case_attributes))
    counted = _case_conditions(conn, flt, case_attributes)
    if counted is not None:
        plain = _narrowed(conn, plain, counted)
    ranged = matrix_reads.has_ranged_members(conn)
    codings = _read(conn, plain, scope, ids=ranged or ids, ranges=ranges)
    pairs = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if flt.cases or case_attributes or by_case or cases:
        pairs = _coding_cases(conn, plain, codings, ranged=ranged)
        if counted is not None:
            codings, pairs = _meeting(codings, pairs, counted)
    place_coding, place_column, place_cases = _places(conn, grouping, columns, codings, *pairs)
    return _Placed(columns, codings, place_coding, place_column, place_cases)


def _narrowed(conn: sqlite3.Connection, plain: Filter, counted: list[npt.NDArray[np.bool_]]) -> Filter:
    """The filter without its case conditions, narrowed to the sources a coding meeting them can lie in: those
    holding members of cases meeting each condition."""
    held = set(matrix_reads.member_sources(conn, np.flatnonzero(counted[0]).tolist()))
    for condition in counted[1:]:
        held &= set(matrix_reads.member_sources(conn, np.flatnonzero(condition).tolist()))
    if plain.sources:
        held &= set(plain.sources)
    if len(held) > _MOST_SOURCES:
        return plain  # all are read: `_meeting` applies the conditions anyway
    return replace(plain, sources=tuple(sorted(held)) or (-1,))  # -1: no source


def _meeting(codings: _Codings, pairs: tuple[Ints, Ints],
             counted: list[npt.NDArray[np.bool_]]) -> tuple[_Codings, tuple[Ints, Ints]]:
    """The codings that overlap, for each condition, a member of a case meeting it; and of their (coding, case)
    pairs, those of cases meeting every condition (the cases that count)."""
    pair_coding, pair_case = pairs
    keep = np.ones(len(codings.ids), dtype=np.bool_)
    every = counted[0]
    for condition in counted:
        hit = np.zeros(len(codings.ids), dtype=np.bool_)
        hit[pair_coding[_lookup(condition, pair_case)]] = True
        keep &= hit
        every = every & condition
    new_index = np.cumsum(keep) - 1
    wanted = keep[pair_coding] & _lookup(every, pair_case)
    return codings.take(keep), (new_index[pair_coding[wanted]], pair_case[wanted])


def _read(conn: sqlite3.Connection, flt: Filter, scope: CodeScope, *, ids: bool, ranges: bool) -> _Codings:
    """The filtered codings' code, source and coder, with their ids and ranges when asked (zeros otherwise)."""
    columns = ("code_id", "source_id", "coder_id", *(("id",) if ids else ()), *(("start", "end") if ranges else ()))
    found = dict(zip(columns, map(_parse, queries.filtered_coding_columns(conn, flt, columns)), strict=True))
    size = len(found["code_id"])
    none = np.zeros(size, dtype=np.int64)
    top = max([*scope.order, int(found["code_id"].max()) if size else 0]) + 1
    position = np.full(top, -1, dtype=np.int64)
    position[scope.order] = np.arange(len(scope.order))
    code = position[found["code_id"]]
    known = code >= 0  # a code filter leaves only codes in scope; without one every code is in scope
    codings = _Codings(found.get("id", none), code, found["source_id"], found["coder_id"], found.get("start", none),
                       found.get("end", none))
    if ids:  # in id order, for finding codings by id
        order = np.argsort(codings.ids, kind="stable")
        known = known[order]
        codings = codings.take(order)
    return codings.take(known)


def _parse(text: str) -> Ints:
    return bulk.parse_lists([text])


def _lookup(member: npt.NDArray[np.bool_], ids: Ints) -> npt.NDArray[np.bool_]:
    """member[ids], False past its end."""
    inside = ids < len(member)
    found = np.zeros(len(ids), dtype=np.bool_)
    found[inside] = member[ids[inside]]
    return found


def _case_conditions(conn: sqlite3.Connection, flt: Filter,
                     case_attributes: list[int]) -> list[npt.NDArray[np.bool_]] | None:
    """One mask over case ids per condition of the filter on cases (its cases; each case attribute's values), or
    None when it has none."""
    chosen: list[list[int]] = []
    if flt.cases:
        chosen.append(analysis_reads.cases_in_scope(conn, Filter(cases=flt.cases)))
    for attribute in case_attributes:
        values = tuple((a, v) for a, v in flt.attributes if a == attribute)
        chosen.append(analysis_reads.cases_in_scope(conn, Filter(attributes=values)))
    if not chosen:
        return None
    size = max((max(ids) for ids in chosen if ids), default=0) + 1
    masks = []
    for ids in chosen:
        mask = np.zeros(size, dtype=np.bool_)
        mask[ids] = True
        masks.append(mask)
    return masks


def _coding_cases(conn: sqlite3.Connection, flt: Filter, codings: _Codings, *, ranged: bool) -> tuple[Ints, Ints]:
    """(coding position, case id) for every case one of whose members a coding overlaps, each pair once: whole-source
    members matched here by source, members that are parts of sources by SQLite."""
    whole = np.array(sorted(matrix_reads.whole_members(conn)), dtype=np.int64).reshape(-1, 2)
    top = max(int(codings.source.max()) if len(codings.source) else 0, int(whole[:, 0].max()) if len(whole) else 0) + 1
    per_source = np.bincount(whole[:, 0], minlength=top)
    first = np.concatenate(([0], np.cumsum(per_source)[:-1]))
    repeat = per_source[codings.source]
    item = np.repeat(np.arange(len(codings.source)), repeat)
    within = np.arange(len(item)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    cases = whole[first[codings.source[item]] + within, 1]
    hits = np.array(queries.ranged_coding_cases(conn, flt) if ranged else [], dtype=np.int64).reshape(-1, 2)
    if len(hits):
        at = np.minimum(np.searchsorted(codings.ids, hits[:, 0]), max(len(codings.ids) - 1, 0))
        found = codings.ids[at] == hits[:, 0] if len(codings.ids) else np.zeros(len(hits), dtype=np.bool_)
        item = np.concatenate((item, at[found]))
        cases = np.concatenate((cases, hits[found, 1]))
        span = int(cases.max()) + 1
        pairs = _unique(item * span + cases)
        item, cases = pairs // span, pairs % span
    return item.astype(np.int64), cases.astype(np.int64)


def _column_lookup(keys: dict[int, int], size: int) -> Ints:
    """An array id -> column position (-1: no column)."""
    lookup = np.full(max([size, *keys]) + 1, -1, dtype=np.int64)
    for owner, position in keys.items():
        lookup[owner] = position
    return lookup


def _places(conn: sqlite3.Connection, grouping: Grouping | None, columns: tuple[MatrixColumn, ...],
            codings: _Codings, pair_coding: Ints, pair_case: Ints) -> tuple[Ints, Ints, tuple[Ints, Ints, Ints]]:
    """Where the codings fall: (coding, column) once per column, and (coding, column, case) for the cases each
    place counts (the case itself by case or case attribute; otherwise the coding's cases)."""
    if grouping is None:  # one column: every coding, with its cases
        every = np.arange(len(codings.ids), dtype=np.int64)
        return every, np.zeros(len(every), dtype=np.int64), (pair_coding, np.zeros(len(pair_coding), dtype=np.int64),
                                                            pair_case)
    kind = grouping.kind
    position = {column.key: i for i, column in enumerate(columns)}
    if kind in ("case", "attribute") and (kind == "case" or matrix_reads.attribute_scope(
            conn, grouping.attribute_id) == "case"):
        if kind == "case":
            by_case = {int(key): i for key, i in position.items()}  # type: ignore[call-overload]
        else:
            values = analysis_reads.attribute_values(conn, int(grouping.attribute_id or 0))
            by_case = {case: position[value] for case, value in values.items() if value in position}
        top = int(pair_case.max()) if len(pair_case) else 0
        column = _column_lookup(by_case, top)[pair_case]
        hit = column >= 0
        triple = (pair_coding[hit], column[hit], pair_case[hit])
        once = _unique(triple[0] * (len(columns) + 1) + triple[1])
        return once // (len(columns) + 1), once % (len(columns) + 1), triple
    if kind == "source":
        owner, keys = codings.source, {int(key): i for key, i in position.items()}  # type: ignore[call-overload]
    elif kind == "coder":
        owner, keys = codings.coder, {int(key): i for key, i in position.items()}  # type: ignore[call-overload]
    else:  # a source attribute
        values = analysis_reads.attribute_values(conn, int(grouping.attribute_id or 0))
        owner, keys = codings.source, {s: position[v] for s, v in values.items() if v in position}
    top = int(owner.max()) if len(owner) else 0
    column = _column_lookup(keys, top)[owner]
    place = np.flatnonzero(column >= 0)
    # each coding in one column at most: its cases count there
    with_place = column[pair_coding] >= 0
    triple = (pair_coding[with_place], column[pair_coding[with_place]], pair_case[with_place])
    return place, column[place], triple


def _tree(scope: CodeScope, own: bool, *, totals: bool = True) -> tuple[Ints, Ints]:
    """(code position, row) for every row a code's codings count in: itself (and every code above it in scope
    unless `own`), and the total row (when `totals`)."""
    index = {code: i for i, code in enumerate(scope.order)}
    total = len(scope.order)
    pairs = [(i, i) for i in range(total)] if own else [
        (index[code], index[up]) for code in scope.order for up in scope.ancestors.get(code, ()) if up in index]
    if totals:
        pairs.extend((i, total) for i in range(total))
    found = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return found[:, 0], found[:, 1]


def _expand(code: Ints, tree: tuple[Ints, Ints], n_codes: int) -> tuple[Ints, Ints]:
    """(item index, row) for each item of a code: one per row the code counts in."""
    order = np.argsort(tree[0], kind="stable")
    codes, rows = tree[0][order], tree[1][order]
    per_code = np.bincount(codes, minlength=n_codes)
    first = np.concatenate(([0], np.cumsum(per_code)[:-1]))
    repeat = per_code[code]
    item = np.repeat(np.arange(len(code)), repeat)
    within = np.arange(len(item)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return item, rows[first[code[item]] + within]


def _excerpts(codings: _Codings, place_coding: Ints, place_column: Ints, tree: tuple[Ints, Ints],
              shape: tuple[int, int], *, totals: bool = True) -> Ints:
    n_codes, width = shape[0] - 1, shape[1]
    counts = np.zeros(shape, dtype=np.int64)
    item, row = _expand(codings.code[place_coding], tree, n_codes)
    np.add.at(counts, (row, place_column[item]), 1)
    if not totals:
        return counts
    placed = _unique(place_coding)  # a coding counts once in the total column
    item, row = _expand(codings.code[placed], tree, n_codes)
    counts[:, width - 1] = np.bincount(row, minlength=shape[0])
    return counts


def _distinct(code: Ints, column: Ints, thing: Ints, tree: tuple[Ints, Ints], shape: tuple[int, int], *,
              totals: bool = True) -> Ints:
    """Distinct things (sources, cases) per cell, row total, column total and grand total."""
    counts = np.zeros(shape, dtype=np.int64)
    if not len(code):
        return counts
    span = int(thing.max()) + 1
    width = shape[1]
    base = _unique((code * width + column) * span + thing)
    code, column, thing = base // span // width, base // span % width, base % span
    item, row = _expand(code, tree, shape[0] - 1)
    cell = row * width + column[item]
    if totals:  # and the row totals, each thing once
        cell, every = np.concatenate((cell, row * width + width - 1)), np.concatenate((thing[item], thing[item]))
    else:
        every = thing[item]
    keys = _unique(cell * span + every)
    counts += np.bincount(keys // span, minlength=shape[0] * width).reshape(shape)
    return counts


def _characters(codings: _Codings, place_coding: Ints, place_column: Ints, tree: tuple[Ints, Ints],
                shape: tuple[int, int], *, totals: bool = True) -> Ints:
    """The union of coded characters per cell (each source's ranges merged), row total, column total and grand
    total."""
    counts = np.zeros(shape, dtype=np.int64)
    if not len(place_coding):
        return counts
    width = shape[1]
    item, row = _expand(codings.code[place_coding], tree, shape[0] - 1)
    coding = place_coding[item]
    cells = row * width + place_column[item]
    if totals:  # and the row totals, each character once
        cells = np.concatenate((cells, row * width + width - 1))
        coding = np.concatenate((coding, coding))
    source, start, end = codings.source[coding], codings.start[coding], codings.end[coding]
    span = int(source.max()) + 1
    group = cells * span + source
    band = int(end.max()) + 1
    if (int(group.max()) + 1) * band < 2**62:  # one key sorts faster than two
        order = np.argsort(group * band + start)
    else:
        order = np.lexsort((start, group))
    group, start, end = group[order], start[order], end[order]
    first = np.concatenate(([True], group[1:] != group[:-1]))
    rank = np.cumsum(first) - 1
    lift = rank * band
    reach = np.maximum.accumulate(end + lift) - lift  # the furthest end so far in the group
    before = np.concatenate(([0], reach[:-1]))
    before[first] = start[first]
    added = np.maximum(0, end - np.maximum(start, before))
    counts += np.bincount(group // span, weights=added, minlength=shape[0] * width).astype(np.int64).reshape(shape)
    return counts


def _unique(keys: Ints) -> Ints:
    """The distinct numbers, sorted (sorting is several times faster here than numpy's hashing `unique`)."""
    ordered = np.sort(keys)
    if not len(ordered):
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _assemble(scope: CodeScope, columns: tuple[MatrixColumn, ...], counts: Ints, cell: str) -> Matrix:
    values = counts.tolist()
    rows = tuple(MatrixRow(code_id, scope.paths[code_id], scope.depths[code_id], tuple(line[:-1]), line[-1])
                 for code_id, line in zip(scope.order, values, strict=False))
    return Matrix(cell, columns, rows, tuple(values[-1][:-1]), values[-1][-1])
