"""Read-only SQL for the analysis layer: filtered codings, grouping keys, full-text matches."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from qcode.core.model import Filter

_OVERLAP = '(m.start IS NULL OR (m.start < c."end" AND m."end" > c.start))'
# A ranged member overlapping a coding starts less than the longest member's length before the coding: with
# the (source_id, start) index only the members near the coding are looked at, not every member of its source
# (a survey question holds one member per respondent). The subquery does not depend on the row, so SQLite
# evaluates it once per statement. A CROSS JOIN keeps the coding as the outer loop where SQLite would
# otherwise pick the members.
_LONGEST = '(SELECT coalesce(max("end" - start), 0) FROM case_member WHERE start IS NOT NULL)'
_WHOLE = "m.start IS NULL"
_NEAR = f'm.start < c."end" AND m.start > c.start - {_LONGEST} AND m."end" > c.start'


def filter_clause(conn: sqlite3.Connection, flt: Filter, *, source_column: str = "c.source_id") -> tuple[str, list[Any]]:
    """A WHERE clause over `coding c` for a filter, with its arguments.

    `source_column` names the source id the source conditions test (`id` of a `source c` row, for a clause
    over sources; only sources, folders and source attributes then make sense).

    Codes include their descendants; folders include their subfolders; several values of one attribute
    are alternatives, different attributes must all hold.
    """
    parts: list[str] = []
    args: list[Any] = []

    def ids_in(column: str, ids: tuple[int, ...] | list[int]) -> None:
        parts.append(f"{column} IN ({','.join('?' * len(ids))})")
        args.extend(ids)

    if flt.codes:
        parts.append(
            f"c.code_id IN (SELECT code_id FROM code_closure WHERE ancestor_id IN ({','.join('?' * len(flt.codes))}))"
        )
        args.extend(flt.codes)
    if flt.sources:
        ids_in(source_column, flt.sources)
    if flt.folders:
        marks = ",".join("?" * len(flt.folders))
        parts.append(
            f"""{source_column} IN (SELECT id FROM source WHERE folder_id IN (
                  WITH RECURSIVE sub(id) AS (SELECT id FROM folder WHERE id IN ({marks})
                  UNION SELECT f.id FROM folder f JOIN sub ON f.parent_id = sub.id) SELECT id FROM sub))"""
        )
        args.extend(flt.folders)
    if flt.cases:
        marks = ",".join("?" * len(flt.cases))
        # `+m.case_id`: a source's few memberships are found by its id, then their cases checked against the
        # list; without the +, SQLite probed the (source, case) index once per chosen case for every coding
        # (200,000 codings filtered to 100 cases: 3.3 s instead of 0.2 s)
        parts.append(
            f"EXISTS (SELECT 1 FROM case_member m WHERE m.source_id = c.source_id AND +m.case_id IN ({marks}) "
            f"AND {_OVERLAP})"
        )
        args.extend(flt.cases)
    if flt.coders:
        ids_in("c.coder_id", flt.coders)
    by_attribute: dict[int, list[Any]] = defaultdict(list)
    for attribute_id, value in flt.attributes:
        by_attribute[attribute_id].append(value)
    for attribute_id, values in by_attribute.items():
        marks = ",".join("?" * len(values))
        if attribute_scope(conn, attribute_id) == "source":
            parts.append(
                f"EXISTS (SELECT 1 FROM attribute_value v WHERE v.attribute_id = ? AND v.owner_id = {source_column} "
                f"AND v.value IN ({marks}))"
            )
            args.extend([attribute_id, *values])
            continue
        in_a_case = [
            f"""EXISTS (SELECT 1 FROM case_member m JOIN attribute_value v
                          ON v.owner_id = m.case_id AND v.attribute_id = ? AND v.value IN ({marks})
                        WHERE m.source_id = c.source_id AND {overlap})"""
            for overlap in (_WHOLE, _NEAR)
        ]
        parts.append(f"({' OR '.join(in_a_case)})")
        args.extend([attribute_id, *values] * 2)
    if flt.created_from:
        parts.append("c.created_at >= ?")
        args.append(flt.created_from)
    if flt.created_to:
        # a bare date includes the whole day
        parts.append("c.created_at <= ?")
        args.append(flt.created_to + ("T99" if len(flt.created_to) == 10 else ""))
    return (" AND ".join(parts) or "1"), args


def filtered_codings(
    conn: sqlite3.Connection, flt: Filter
) -> list[tuple[int, int, int, int, int, int]]:
    """(coding id, code id, source id, coder id, start, end) of every coding the filter lets through."""
    where, args = filter_clause(conn, flt)
    return conn.execute(
        f'SELECT c.id, c.code_id, c.source_id, c.coder_id, c.start, c."end" FROM coding c WHERE {where}', args
    ).fetchall()


def case_clause(conn: sqlite3.Connection, flt: Filter, column: str) -> tuple[str, list[Any]]:
    """A condition on a case id column: the case is one of the filter's cases and has its case attribute values.

    Empty ("1") when the filter says nothing about cases.
    """
    parts: list[str] = []
    args: list[Any] = []
    if flt.cases:
        parts.append(f"{column} IN ({','.join('?' * len(flt.cases))})")
        args.extend(flt.cases)
    by_attribute: dict[int, list[Any]] = defaultdict(list)
    for attribute_id, value in flt.attributes:
        by_attribute[attribute_id].append(value)
    for attribute_id, values in by_attribute.items():
        if attribute_scope(conn, attribute_id) != "case":
            continue
        parts.append(
            f"EXISTS (SELECT 1 FROM attribute_value v WHERE v.attribute_id = ? AND v.owner_id = {column} "
            f"AND v.value IN ({','.join('?' * len(values))}))"
        )
        args.append(attribute_id)
        args.extend(values)
    return (" AND ".join(parts) or "1"), args


def coding_cases(conn: sqlite3.Connection, flt: Filter) -> dict[int, list[int]]:
    """For each filtered coding, the cases one of whose members it overlaps.

    When the filter names cases or case attribute values, only the cases that satisfy them are counted.
    """
    where, args = filter_clause(conn, flt)
    cases_where, case_args = case_clause(conn, flt, "m.case_id")
    found: dict[int, list[int]] = defaultdict(list)
    rows = conn.execute(
        f"""SELECT c.id, m.case_id FROM coding c
            JOIN case_member m ON m.source_id = c.source_id AND {_WHOLE} AND {cases_where} WHERE {where}
            UNION
            SELECT c.id, m.case_id FROM coding c
            CROSS JOIN case_member m ON m.source_id = c.source_id AND {_NEAR} AND {cases_where} WHERE {where}""",
        [*case_args, *args, *case_args, *args],
    )
    for coding_id, case_id in rows:
        found[coding_id].append(case_id)
    return found


def attribute_scope(conn: sqlite3.Connection, attribute_id: int) -> str | None:
    """Whether an attribute belongs to cases or to sources ('case' or 'source'), or None when unknown."""
    row = conn.execute("SELECT scope FROM attribute WHERE id = ?", (attribute_id,)).fetchone()
    return row[0] if row else None


def closure_pairs(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(ancestor id, code id) for every pair of the code tree, each code its own ancestor too."""
    return conn.execute("SELECT ancestor_id, code_id FROM code_closure").fetchall()


def source_values(conn: sqlite3.Connection, attribute_id: int) -> dict[int, object]:
    """Every value of one attribute: owner (case or source) id -> value."""
    return dict(conn.execute("SELECT owner_id, value FROM attribute_value WHERE attribute_id = ?", (attribute_id,)))


def case_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Every case's name, by id."""
    return dict(conn.execute("SELECT id, name FROM cases"))


def source_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Every source's name, by id."""
    return dict(conn.execute("SELECT id, name FROM source"))


def coder_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Every coder's name, by id."""
    return dict(conn.execute("SELECT id, name FROM coder"))


def coding_counts_by_source(conn: sqlite3.Connection, source_ids: tuple[int, ...] | None = None,
                            coder_ids: tuple[int, ...] = ()) -> dict[int, int]:
    """How many codings each source holds (of these sources, or of all; by these coders, or by all); sources
    without codings are left out."""
    parts: list[str] = []
    args: list[int] = []
    if source_ids is not None:
        parts.append(f"source_id IN ({','.join('?' * len(source_ids))})")
        args.extend(source_ids)
    if coder_ids:
        parts.append(f"coder_id IN ({','.join('?' * len(coder_ids))})")
        args.extend(coder_ids)
    where = " AND ".join(parts) or "1"
    return dict(conn.execute(f"SELECT source_id, count(*) FROM coding WHERE {where} GROUP BY source_id", args))


# --- full-text search ------------------------------------------------------------------------------------


def search_scope(conn: sqlite3.Connection, flt: Filter) -> dict[int, list[tuple[int, int]] | None]:
    """Where a filtered search may find hits: source id -> the ranges it may touch (None: the whole source).

    With codes, coders or coding dates, hits must overlap a coding the filter lets through. Otherwise cases
    and case attribute values confine hits to the member ranges of the matching cases, and sources, folders
    and source attribute values choose whole sources.
    """
    scope: dict[int, list[tuple[int, int]] | None] = {}
    if flt.codes or flt.coders or flt.created_from or flt.created_to:
        for _, _, source_id, _, start, end in filtered_codings(conn, flt):
            ranges = scope.setdefault(source_id, [])
            assert ranges is not None
            ranges.append((start, end))
        return scope
    # no coding conditions: sources pass the source conditions; case conditions hold in matching members
    source_flt = Filter(sources=flt.sources, folders=flt.folders,
                        attributes=tuple(a for a in flt.attributes if attribute_scope(conn, a[0]) == "source"))
    where, args = filter_clause(conn, source_flt, source_column="c.id")
    sources = [r[0] for r in conn.execute(f"SELECT c.id FROM source c WHERE {where}", args)]
    cases_where, case_args = case_clause(conn, flt, "m.case_id")
    if cases_where == "1":
        return dict.fromkeys(sources)
    wanted = set(sources)
    for source_id, start, end in conn.execute(
        f'SELECT m.source_id, m.start, m."end" FROM case_member m WHERE {cases_where}', case_args
    ):
        if source_id not in wanted:
            continue
        if start is None:
            scope[source_id] = None
        elif source_id not in scope or scope[source_id] is not None:
            scope.setdefault(source_id, [])
            scope[source_id].append((start, end))  # type: ignore[union-attr]
    return scope



def fts_sources(conn: sqlite3.Connection, match: str, source_ids: tuple[int, ...] = ()) -> list[int]:
    """Ids of the sources matching an FTS5 query, best first."""
    sql = "SELECT rowid FROM source_fts WHERE source_fts MATCH ?"
    args: list[Any] = [match]
    if source_ids:
        sql += f" AND rowid IN ({','.join('?' * len(source_ids))})"
        args.extend(source_ids)
    return [r[0] for r in conn.execute(sql + " ORDER BY rank", args)]


_CODING_COLUMNS = ("id", "code_id", "source_id", "coder_id", "start", "end")


def filtered_coding_columns(conn: sqlite3.Connection, flt: Filter, columns: tuple[str, ...]) -> list[str]:
    """Some columns of every coding the filter lets through, each as one text "value,value,..." (the codings in
    the same order in each), which travels from SQLite far faster than a row per coding (for numpy to parse).

    The conditions on the source are written so that SQLite reads the covering (coder, code, source, range)
    index rather than the source index and then each coding row."""
    if not columns or any(c not in _CODING_COLUMNS for c in columns):
        raise ValueError(f"no coding columns {columns}")
    where, args = filter_clause(conn, flt, source_column="+c.source_id")
    row = conn.execute(f"SELECT {', '.join(f'group_concat(c.{chr(34)}{c}{chr(34)})' for c in columns)} "
                       f"FROM coding c WHERE {where}", args).fetchone()
    return [text or "" for text in row]

def ranged_coding_cases(conn: sqlite3.Connection, flt: Filter) -> list[tuple[int, int]]:
    """(coding id, case id) for the filtered codings that overlap a member of a case that is part of a source (the
    whole-source members are matched by the caller); only sources with such members are read."""
    where, args = filter_clause(conn, flt)
    return conn.execute(
        f"""SELECT DISTINCT c.id, m.case_id FROM coding c CROSS JOIN case_member m ON m.source_id = c.source_id AND {_NEAR}
            WHERE c.source_id IN (SELECT source_id FROM case_member WHERE start IS NOT NULL) AND {where}""",
        args).fetchall()
