"""The columns of a matrix (sources, cases, coders or an attribute's values) and which columns a coding falls in.

One order everywhere: an attribute's values in the attribute's own order (its choices as declared, numbers
numerically, dates chronologically, text alphabetically), and cases, sources and coders by name.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qcode.core.analysis.grouping import Grouping, source_paths
from qcode.core.analysis.order import name_key, value_key
from qcode.core.model import Attribute, Filter, MatrixColumn
from qcode.core.store import analysis_reads, queries
from qcode.core.store import cases as case_store

#: (coding id, source id, coder id) -> [(column key, the cases counted in that column, or None for the coding's)]
Membership = Callable[[int, int, int], list[tuple[object, frozenset[int] | None]]]


def attribute_of(conn: sqlite3.Connection, grouping: Grouping) -> Attribute:
    """The attribute whose values are the columns of a grouping."""
    found = case_store.attribute_by_id(conn, grouping.attribute_id) if grouping.attribute_id is not None else None
    if found is None:
        raise ValueError(f"no attribute for {grouping}")
    return found


@dataclass(frozen=True)
class Groups:
    """The ordered columns of a grouping and the function placing a coding in them."""

    columns: tuple[MatrixColumn, ...]
    membership: Membership
    uses_cases: bool  # the membership needs each coding's cases


def groups(conn: sqlite3.Connection, grouping: Grouping, flt: Filter,
           cases_of: Callable[[], dict[int, list[int]]]) -> Groups:
    """Columns in scope of a filter, and membership; `cases_of` gives the filtered codings' cases when needed."""
    kind = grouping.kind
    if kind == "source":
        paths = source_paths(conn)
        ids = analysis_reads.sources_in_scope(conn, flt)
        by_source = sorted((MatrixColumn(i, paths[i]) for i in ids), key=lambda c: name_key(c.label))
        return Groups(tuple(by_source), lambda coding, source, coder: [(source, None)], False)
    if kind == "coder":
        names = queries.coder_names(conn)
        ids = list(flt.coders) if flt.coders else list(names)
        by_coder = sorted((MatrixColumn(i, names[i]) for i in ids), key=lambda c: name_key(c.label))
        return Groups(tuple(by_coder), lambda coding, source, coder: [(coder, None)], False)
    if kind == "case":
        names = queries.case_names(conn)
        ids = analysis_reads.cases_in_scope(conn, flt)
        by_case = sorted((MatrixColumn(i, names[i]) for i in ids), key=lambda c: name_key(c.label))
        found = cases_of()
        return Groups(tuple(by_case),
                      lambda coding, source, coder: [(c, frozenset((c,))) for c in found.get(coding, ())], True)
    if kind == "attribute":
        attribute = attribute_of(conn, grouping)
        values = analysis_reads.attribute_values(conn, attribute.id)
        chosen = [v for a, v in flt.attributes if a == attribute.id]
        if attribute.scope == "source":
            owners: Iterable[int] = analysis_reads.sources_in_scope(conn, flt)
        else:
            owners = analysis_reads.cases_in_scope(conn, flt)
        present = {values[o] for o in owners if o in values}
        if chosen:
            present &= set(chosen)
        elif attribute.type == "choice":
            present |= set(attribute.choices)
        ordered = sorted(present, key=value_key(attribute))
        columns = tuple(MatrixColumn(v, str(v)) for v in ordered)
        wanted = set(ordered)
        if attribute.scope == "source":
            return Groups(columns, lambda coding, source, coder: (
                [(values[source], None)] if values.get(source) in wanted else []), False)
        found = cases_of()

        def by_case_value(coding: int, source: int, coder: int) -> list[tuple[object, frozenset[int] | None]]:
            by_value: dict[object, set[int]] = defaultdict(set)
            for case_id in found.get(coding, ()):
                value = values.get(case_id)
                if value in wanted:
                    by_value[value].add(case_id)
            return [(v, frozenset(c)) for v, c in by_value.items()]

        return Groups(columns, by_case_value, True)
    raise ValueError(f"unknown grouping {grouping}")
