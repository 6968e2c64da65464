"""Matrix cells read from the maintained aggregates (`aggregates.py`) and the covering coding indexes.

The small readers return {code id: {column key as text: number}} for the codes asked, only the non-zero cells;
the large ones (by case, by source, per coder) return one text per group ("key,number,key,number,..."), which
travels from SQLite much faster than a row per cell, for numpy to parse (`analysis/bulk.py`). `tree` 1 counts a
code with its sub-codes, 0 alone. The callers (`analysis/matrix_fast.py`, `analysis/frequencies.py`) use them
only where they are exact; tests hold them to a recount from the coding rows.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

Cells = dict[int, dict[str, int]]


def _ids(values: Iterable[int]) -> str:
    return ",".join(str(int(v)) for v in sorted(set(values))) or "NULL"


def _among(column: str, codes: list[int] | None) -> str:
    """A condition limiting rows to some codes; none for all codes (None), so that the key order is used."""
    return "" if codes is None else f" AND {column} IN ({_ids(codes)})"


def _cells(rows: Iterable[tuple[int, object, int]]) -> Cells:
    found: Cells = defaultdict(dict)
    for code_id, key, value in rows:
        found[code_id][str(key)] = value
    return found


def cell_lists(conn: sqlite3.Connection, table: str, key: str, column: str, tree: int,
               codes: list[int] | None) -> list[tuple[int, str]]:
    """(code id, "key,number,key,number,...") of one aggregate table's cells (`code_source_stat` by source_id or
    `code_case_stat` by case_id; `column` excerpts or characters), one text per code read in key order."""
    if (table, key) not in (("code_source_stat", "source_id"), ("code_case_stat", "case_id")) or column not in (
            "excerpts", "characters"):
        raise ValueError(f"no cells {table}.{key}/{column}")
    return conn.execute(
        f"SELECT code_id, group_concat({key} || ',' || {column}) FROM {table} WHERE tree = ?"
        f"{_among('code_id', codes)} GROUP BY code_id", (tree,)).fetchall()


def coded_range_lists(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(source id, "start,end,start,end,...") of every coding, each source's ranges in text order (read from the
    covering index on source and range)."""
    return conn.execute(
        'SELECT source_id, group_concat(start || \',\' || "end") FROM coding GROUP BY source_id').fetchall()


def attribute_scope(conn: sqlite3.Connection, attribute_id: int | None) -> str | None:
    """"case" or "source", or None for an unknown attribute."""
    row = conn.execute("SELECT scope FROM attribute WHERE id = ?", (attribute_id,)).fetchone()
    return row[0] if row else None


def extra_case_counts(conn: sqlite3.Connection, codes: list[int] | None) -> list[tuple[int, int]]:
    """(code id, n) per code (of these codes, or of all): how many more times than once its codings are counted
    in the per-case aggregates, i.e. over each coding that overlaps members of k > 1 cases, k - 1. Only sources
    holding members of several cases are read."""
    return conn.execute(
        f"""SELECT code_id, sum(cases - 1) FROM (
                SELECT c.id, c.code_id, count(DISTINCT m.case_id) AS cases FROM coding c
                JOIN case_member m ON m.source_id = c.source_id
                 AND (m.start IS NULL OR (m.start < c."end" AND m."end" > c.start))
                WHERE c.source_id IN (SELECT source_id FROM case_member GROUP BY source_id
                                      HAVING count(DISTINCT case_id) > 1){_among('c.code_id', codes)}
                GROUP BY c.id HAVING count(DISTINCT m.case_id) > 1)
            GROUP BY code_id""").fetchall()


def codings_in_shared_members(conn: sqlite3.Connection) -> list[tuple[int, int, int, int, int, int]]:
    """(coding id, code id, source id, start, end, case id) of every coding, once per case it overlaps, in the sources whose
    members are not simply one case's whole sources (ranged members, or members of several cases)."""
    return conn.execute(
        """SELECT DISTINCT c.id, c.code_id, c.source_id, c.start, c."end", m.case_id FROM coding c
           JOIN case_member m ON m.source_id = c.source_id
            AND (m.start IS NULL OR (m.start < c."end" AND m."end" > c.start))
           WHERE c.source_id IN (SELECT source_id FROM case_member GROUP BY source_id
                                 HAVING count(DISTINCT case_id) > 1 OR max(start IS NOT NULL))""").fetchall()


def simple_members(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(case id, source id) of the members that are whole sources held by that case alone."""
    return conn.execute(
        """SELECT case_id, source_id FROM case_member WHERE source_id IN (
               SELECT source_id FROM case_member GROUP BY source_id
               HAVING count(DISTINCT case_id) = 1 AND max(start IS NOT NULL) = 0)
           GROUP BY case_id, source_id""").fetchall()


def valued_cases_share_sources(conn: sqlite3.Connection, attribute_id: int | None) -> bool:
    """True when some source holds members of two different cases that both have a value of this attribute (a
    coding may then count for two of its values, or twice for one)."""
    return conn.execute(
        """SELECT 1 FROM case_member m JOIN attribute_value v ON v.owner_id = m.case_id AND v.attribute_id = ?
           GROUP BY m.source_id HAVING count(DISTINCT m.case_id) > 1 LIMIT 1""", (attribute_id,)).fetchone() is not None


def cases_share_sources(conn: sqlite3.Connection) -> bool:
    """True when some source holds members of two different cases (a coding may then be in two cases)."""
    return conn.execute(
        "SELECT 1 FROM case_member GROUP BY source_id HAVING count(DISTINCT case_id) > 1 LIMIT 1").fetchone() is not None


def excerpts_by_coder(conn: sqlite3.Connection, codes: list[int] | None) -> Cells:
    """Each code's own codings per coder (the covering index on coder and code answers it)."""
    return _cells(conn.execute(
        # `+code_id`: read the (coder, code, ...) index alone rather than the code index and then each row
        f"SELECT code_id, coder_id, count(*) FROM coding WHERE 1{_among('+code_id', codes)} GROUP BY coder_id, code_id"))


def excerpts_by_case_value(conn: sqlite3.Connection, attribute_id: int, tree: int, codes: list[int] | None) -> Cells:
    """Excerpts per (code, case attribute value), from `code_value_stat`."""
    return _cells(conn.execute(
        f"SELECT code_id, value, excerpts FROM code_value_stat WHERE attribute_id = ? AND tree = ?"
        f"{_among('code_id', codes)}", (attribute_id, tree)))


def excerpts_by_source_value(conn: sqlite3.Connection, attribute_id: int, tree: int,
                             codes: list[int] | None) -> Cells:
    """Excerpts per (code, source attribute value), summed from `code_source_stat`."""
    return _cells(conn.execute(
        f"""SELECT k.code_id, v.value, sum(k.excerpts) FROM code_source_stat k
            JOIN attribute_value v ON v.attribute_id = ? AND v.owner_id = k.source_id
            WHERE k.tree = ?{_among('k.code_id', codes)} GROUP BY k.code_id, v.value""", (attribute_id, tree)))


# --- frequencies of some sources, from the per-source aggregates ------------------------------------------


def has_ranged_members(conn: sqlite3.Connection, source_ids: list[int] | None = None) -> bool:
    """True when a case has a member that is part of a source (in these sources, or in any)."""
    where = "" if source_ids is None else f" AND source_id IN ({_ids(source_ids)})"
    return conn.execute(f"SELECT 1 FROM case_member WHERE start IS NOT NULL{where} LIMIT 1").fetchone() is not None


def source_stat_columns(conn: sqlite3.Connection, source_ids: list[int]) -> tuple[str, str, str, str, str]:
    """(tree, code id, source id, excerpts, characters) of the per-source aggregate rows of these sources, each
    column as one comma-separated text (one pass over the covering index)."""
    row = conn.execute(
        f"""SELECT group_concat(tree), group_concat(code_id), group_concat(source_id), group_concat(excerpts),
                   group_concat(characters) FROM code_source_stat WHERE source_id IN ({_ids(source_ids)})""").fetchone()
    return tuple(text or "" for text in row)  # type: ignore[return-value]


def whole_members_of(conn: sqlite3.Connection, source_ids: list[int]) -> list[tuple[int, int]]:
    """(source id, case id) of the case members that are whole sources, among these sources."""
    return conn.execute(f"SELECT DISTINCT source_id, case_id FROM case_member WHERE start IS NULL "
                        f"AND source_id IN ({_ids(source_ids)})").fetchall()


def ranged_hits_in_sources(conn: sqlite3.Connection, source_ids: list[int]) -> list[tuple[int, int, int]]:
    """(tree, code id, case id) for the codings in these sources that overlap a ranged case member."""
    where = f"c.source_id IN ({_ids(source_ids)})"
    return conn.execute(f"SELECT DISTINCT tree, code_id, case_id FROM ({_RANGED_HITS.format(where=where)})").fetchall()


def whole_cases_per_source(conn: sqlite3.Connection) -> dict[int, int]:
    """source id -> the number of cases that hold the whole source."""
    return dict(conn.execute(
        "SELECT source_id, count(DISTINCT case_id) FROM case_member WHERE start IS NULL GROUP BY source_id"))


def source_rows(conn: sqlite3.Connection, source_id: int) -> list[tuple[int, int, int, int]]:
    """(tree, code id, excerpts, characters) of one source's per-source aggregate rows (from the covering
    index), so that a table by source is built one source at a time."""
    return conn.execute("SELECT tree, code_id, excerpts, characters FROM code_source_stat WHERE source_id = ?",
                        (source_id,)).fetchall()


def coder_groups(conn: sqlite3.Connection, coder_id: int | None = None) -> list[tuple[int, int, int, int, int, int, str]]:
    """(coder id, tree, code id, excerpts, sources, characters, "source id,source id,...") per coder (or of one
    coder) from the per-(code, coder, source) aggregates, in one pass over their covering index; the source lists
    let the caller count cases."""
    where = "" if coder_id is None else f"WHERE coder_id = {int(coder_id)}"
    return conn.execute(
        f"""SELECT coder_id, tree, code_id, sum(excerpts), count(*), sum(characters), group_concat(source_id)
            FROM code_coder_stat {where} GROUP BY coder_id, tree, code_id""").fetchall()


# (tree, code, case, coder) of the codings (chosen by `where`, over `coding c`) in sources with ranged members
# that overlap one of them, each once; with the (source_id, start) index only the members near a coding are read
_LONGEST = '(SELECT coalesce(max("end" - start), 0) FROM case_member WHERE start IS NOT NULL)'
_RANGED_HITS = f"""
WITH hits AS (
    SELECT DISTINCT c.code_id, m.case_id, c.coder_id FROM coding c
    CROSS JOIN case_member m ON m.source_id = c.source_id AND m.start < c."end" AND m.start > c.start - {_LONGEST}
     AND m."end" > c.start
    WHERE c.source_id IN (SELECT source_id FROM case_member WHERE start IS NOT NULL) AND {{where}})
SELECT 0 AS tree, code_id, case_id, coder_id FROM hits
UNION
SELECT 1, cl.ancestor_id, h.case_id, h.coder_id FROM hits h JOIN code_closure cl ON cl.code_id = h.code_id"""


def ranged_case_hits(conn: sqlite3.Connection, coder_id: int | None = None) -> list[tuple[int, int, int, int]]:
    """(coder id, tree, code id, case id) for the codings (of every coder, or of one) that overlap a ranged case
    member: what counting cases through whole members leaves out."""
    where = "1" if coder_id is None else f"c.coder_id = {int(coder_id)}"
    return conn.execute(f"SELECT coder_id, tree, code_id, case_id FROM ({_RANGED_HITS.format(where=where)})").fetchall()


def whole_members(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(source id, case id) of every case member that is a whole source."""
    return conn.execute("SELECT DISTINCT source_id, case_id FROM case_member WHERE start IS NULL").fetchall()




def member_sources(conn: sqlite3.Connection, case_ids: Iterable[int]) -> list[int]:
    """Ids of the sources holding a member (whole or part) of one of these cases."""
    return [r[0] for r in conn.execute(
        f"SELECT DISTINCT source_id FROM case_member WHERE case_id IN ({_ids(case_ids)}) ORDER BY source_id")]
