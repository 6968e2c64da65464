"""Read-only SQL for matrix coding, co-occurrence, coding queries, word counts and saturation.

Everything here reads; the analysis modules in `qcode.core.analysis` combine the rows. Filters mean what they
mean everywhere (`queries.filter_clause`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from qcode.core.model import Filter
from qcode.core.store.queries import attribute_scope, case_clause, filter_clause


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for first in range(0, len(ids), size):
        yield ids[first:first + size]


def sources_in_scope(conn: sqlite3.Connection, flt: Filter) -> list[int]:
    """Ids of the sources that pass the filter's source conditions (sources, folders, source attributes)."""
    source_flt = Filter(sources=flt.sources, folders=flt.folders,
                        attributes=tuple(a for a in flt.attributes if attribute_scope(conn, a[0]) == "source"))
    where, args = filter_clause(conn, source_flt, source_column="c.id")
    return [r[0] for r in conn.execute(f"SELECT c.id FROM source c WHERE {where} ORDER BY c.id", args)]


def cases_in_scope(conn: sqlite3.Connection, flt: Filter) -> list[int]:
    """Ids of the cases that pass the filter's case conditions (cases, case attribute values)."""
    where, args = case_clause(conn, flt, "k.id")
    return [r[0] for r in conn.execute(f"SELECT k.id FROM cases k WHERE {where} ORDER BY k.id", args)]


def attribute_values(conn: sqlite3.Connection, attribute_id: int) -> dict[int, object]:
    """owner id -> value of one attribute."""
    return dict(conn.execute("SELECT owner_id, value FROM attribute_value WHERE attribute_id = ?", (attribute_id,)))


def unit_spans(conn: sqlite3.Connection, source_ids: Iterable[int], kind: str) -> dict[int, list[tuple[int, int]]]:
    """source id -> (start, end) of its spans of one kind (paragraphs, turns), in text order."""
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for chunk in _chunks(sorted(set(source_ids))):
        rows = conn.execute(
            f'SELECT source_id, start, "end" FROM span WHERE kind = ? AND source_id IN ({",".join("?" * len(chunk))}) '
            "ORDER BY source_id, start",
            [kind, *chunk],
        )
        for source_id, start, end in rows:
            found[source_id].append((start, end))
    return found


def slices(conn: sqlite3.Connection, ranges: Iterable[tuple[int, int, int]]) -> list[str]:
    """The text of each (source id, start, end), cut by SQLite (code-point offsets), in the order given."""
    return [conn.execute("SELECT substr(text, ? + 1, ? - ?) FROM source WHERE id = ?",
                         (start, end, start, source_id)).fetchone()[0] for source_id, start, end in ranges]


def source_text(conn: sqlite3.Connection, source_id: int) -> str:
    """The whole text of a source (empty for an unknown id)."""
    row = conn.execute("SELECT text FROM source WHERE id = ?", (source_id,)).fetchone()
    return row[0] if row else ""


def coding_ids_of_codes(conn: sqlite3.Connection, code_ids: Iterable[int], flt: Filter) -> list[tuple[int, int, int, int, int, int]]:
    """(coding id, code id, source id, coder id, start, end) of the filtered codings of these codes (alone)."""
    ids = sorted(set(code_ids))
    if not ids:
        return []
    where, args = filter_clause(conn, flt)
    found: list[tuple[int, int, int, int, int, int]] = []
    for chunk in _chunks(ids):
        found += conn.execute(
            f'SELECT c.id, c.code_id, c.source_id, c.coder_id, c.start, c."end" FROM coding c '
            f'WHERE c.code_id IN ({",".join("?" * len(chunk))}) AND {where}',
            [*chunk, *args],
        ).fetchall()
    return found


def first_case_values(conn: sqlite3.Connection, attribute_id: int) -> dict[int, list[object]]:
    """source id -> the values of a case attribute held by the cases with a member in that source."""
    found: dict[int, list[object]] = defaultdict(list)
    rows = conn.execute(
        """SELECT DISTINCT m.source_id, v.value FROM case_member m
           JOIN attribute_value v ON v.owner_id = m.case_id AND v.attribute_id = ?""",
        (attribute_id,),
    )
    for source_id, value in rows:
        found[source_id].append(value)
    return found


def code_source_pairs(conn: sqlite3.Connection, flt: Filter, code_ids: Iterable[int], *,
                      first_only: bool = False) -> list[tuple[int, int]]:
    """(code id, source id) of every source holding a filtered coding of these codes (each pair once); with
    `first_only`, only each code's first source in import order."""
    where, args = filter_clause(conn, flt)
    ids = ",".join(str(int(i)) for i in sorted(set(code_ids))) or "NULL"
    pick = "c.code_id, min(c.source_id)" if first_only else "c.code_id, c.source_id"
    group = "c.code_id" if first_only else "c.code_id, c.source_id"
    return conn.execute(f"SELECT {pick} FROM coding c WHERE c.code_id IN ({ids}) AND {where} GROUP BY {group}",
                        args).fetchall()


def coded_ranges(conn: sqlite3.Connection, flt: Filter, code_ids: Iterable[int]) -> list[tuple[int, int, int, int]]:
    """(source id, start, end, code id) of the filtered codings of these codes, in source then text order."""
    where, args = filter_clause(conn, flt)
    ids = ",".join(str(int(i)) for i in sorted(set(code_ids))) or "NULL"
    return conn.execute(
        f'SELECT c.source_id, c.start, c."end", c.code_id FROM coding c WHERE c.code_id IN ({ids}) AND {where} '
        'ORDER BY c.source_id, c.start, c."end"', args).fetchall()


def coded_range_lists(conn: sqlite3.Connection, flt: Filter, code_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(code id, "source,start,end,source,start,end,...") of the filtered codings of these codes, in no set order:
    one text per code travels far faster than a row per coding (co-occurrence reads every coding)."""
    where, args = filter_clause(conn, flt)
    ids = ",".join(str(int(i)) for i in sorted(set(code_ids))) or "NULL"
    return conn.execute(
        f"""SELECT c.code_id, group_concat(c.source_id || ',' || c.start || ',' || c."end") FROM coding c
            WHERE c.code_id IN ({ids}) AND {where} GROUP BY c.code_id""", args).fetchall()
