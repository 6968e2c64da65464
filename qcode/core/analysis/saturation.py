"""Saturation: whether new sources still bring new codes.

Sources are taken in an order (import order, name, or an attribute of the source or of its case); for each,
the leaf codes first applied in it (by any coder the filter lets through) and the number of leaf codes seen so
far. Every source in scope gets a row, those with no new code or no coding at all too. A coding of a code that
has sub-codes is not counted: saturation is judged on the codebook's most specific codes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from qcode.core.analysis.code_scope import code_scope
from qcode.core.analysis.grouping import source_paths
from qcode.core.analysis.order import name_key, value_key
from qcode.core.errors import InvalidRequestError
from qcode.core.model import Filter, SaturationRow
from qcode.core.store import analysis_reads, queries
from qcode.core.store import cases as case_store

ORDERS = ("import", "name", "attribute")


def saturation(conn: sqlite3.Connection, flt: Filter, *, order: str = "import",
               attribute_id: int | None = None) -> list[SaturationRow]:
    """One row per source in scope, in the chosen order."""
    if order not in ORDERS or (order == "attribute") != (attribute_id is not None):
        raise InvalidRequestError("Saturation orders sources by import, name or attribute:NAME.")
    scope = code_scope(conn, flt)
    names = source_paths(conn)
    sources = _sources(conn, flt)
    ordered, values = _ordered(conn, sources, names, order, attribute_id)
    rank = {source: position for position, source in enumerate(ordered)}
    first: dict[int, int] = {}  # leaf code -> the position of the first source in scope coded with it
    pairs = analysis_reads.code_source_pairs(conn, flt, scope.leaves, first_only=order == "import")
    for code_id, source_id in pairs:
        position = rank.get(source_id)
        if position is not None and (code_id not in first or position < first[code_id]):
            first[code_id] = position
    new_at: dict[int, list[int]] = defaultdict(list)
    for code_id in scope.order:  # codebook order within a source
        if code_id in first:
            new_at[first[code_id]].append(code_id)
    rows = []
    seen = 0
    for position, source_id in enumerate(ordered):
        new = new_at.get(position, [])
        seen += len(new)
        rows.append(SaturationRow(position + 1, source_id, names[source_id], tuple(scope.paths[c] for c in new),
                                  seen, tuple(new), values.get(source_id)))
    return rows


def _sources(conn: sqlite3.Connection, flt: Filter) -> list[int]:
    """The sources in scope: those passing the source conditions and, with case conditions, holding a member of
    a matching case."""
    scope = queries.search_scope(conn, Filter(sources=flt.sources, folders=flt.folders, cases=flt.cases,
                                              attributes=flt.attributes))
    return sorted(scope)


def _ordered(conn: sqlite3.Connection, sources: list[int], names: dict[int, str], order: str,
             attribute_id: int | None) -> tuple[list[int], dict[int, object]]:
    """The sources in order, and by an attribute the value that placed each (those without one come last)."""
    if order == "import":
        return sorted(sources), {}
    if order == "name":
        return sorted(sources, key=lambda s: (*name_key(names[s]), s)), {}
    attribute = case_store.attribute_by_id(conn, attribute_id)  # type: ignore[arg-type]
    if attribute is None:
        raise InvalidRequestError("That attribute does not exist.")
    key = value_key(attribute)
    if attribute.scope == "source":
        values = analysis_reads.attribute_values(conn, attribute.id)
        chosen = {s: values[s] for s in sources if s in values}
    else:
        # a source shared by cases with different values is placed by the earliest of them
        held = analysis_reads.first_case_values(conn, attribute.id)
        chosen = {s: min(held[s], key=key) for s in sources if held.get(s)}
    # sources without a value come last, in import order
    return sorted(sources, key=lambda s: (0, key(chosen[s]), s) if s in chosen else (1, (), s)), chosen
