"""Frequency aggregates kept current in the same transaction as every change.

Three tables, each for a code alone (tree 0) and for a code with all its descendants (tree 1):
- `code_source_stat` (code, source): coding rows and coded characters;
- `code_case_stat` (code, case): the codings overlapping one of the case's members: rows, sources, characters;
- `code_stat` (code): the totals, i.e. the unfiltered frequency table.
Coded characters are always the union of the ranges per source, so overlapping codings count once.

Callers say what changed (a coding in a source, a case's members, the codebook tree) and the affected
rows are recomputed from the codings with SQL window functions; nothing is patched by deltas, so the
aggregates cannot drift from the rows they summarise.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

# union length of ranges sorted by start: each range adds what reaches past every earlier range's end
_UNION = 'sum(max(0, "end" - max(start, coalesce(reach, start))))'
_REACH = 'max("end") OVER (PARTITION BY {part} ORDER BY start, "end" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)'

# codings of the selected codes, each once per (tree, code it counts for)
_CODINGS = """
SELECT 0 AS tree, c.code_id AS code_id, c.id AS coding_id, c.source_id, c.start, c."end"
  FROM coding c WHERE c.code_id IN ({own}) {source_clause}
UNION ALL
SELECT 1, cl.ancestor_id, c.id, c.source_id, c.start, c."end"
  FROM code_closure cl JOIN coding c ON c.code_id = cl.code_id
  WHERE cl.ancestor_id IN ({tree}) {source_clause}
"""

_SOURCE_STAT = f"""
INSERT INTO code_source_stat(tree, code_id, source_id, excerpts, characters)
SELECT tree, code_id, source_id, count(*), {_UNION}
FROM (SELECT tree, code_id, source_id, start, "end", {_REACH.format(part="tree, code_id, source_id")} AS reach
      FROM ({{codings}}))
GROUP BY tree, code_id, source_id
"""

# A coding overlaps a ranged member only if the member starts less than the source's longest member before
# the coding starts: with the (source_id, start) index this bounds the search to the members near the coding
# (a survey question holds 10,000 members in one source). CROSS JOIN keeps the codings as the outer loop, so
# each coding looks up its few members instead of each member scanning the codings before it.
_LONGEST_MEMBER = ('SELECT source_id, max("end" - start) AS longest FROM case_member WHERE start IS NOT NULL '
                   "GROUP BY source_id")

_CASE_STAT = f"""
INSERT INTO code_case_stat(tree, code_id, case_id, excerpts, sources, characters)
SELECT tree, code_id, case_id, count(*), count(DISTINCT source_id), {_UNION}
FROM (SELECT tree, code_id, case_id, source_id, start, "end",
             {_REACH.format(part="tree, code_id, case_id, source_id")} AS reach
      FROM (SELECT x.tree, x.code_id, m.case_id, x.coding_id, x.source_id, x.start, x."end"
            FROM ({{codings}}) x
            JOIN case_member m ON m.source_id = x.source_id AND m.start IS NULL
            WHERE m.case_id IN ({{cases}})
            UNION
            SELECT x.tree, x.code_id, m.case_id, x.coding_id, x.source_id, x.start, x."end"
            FROM ({{codings}}) x
            CROSS JOIN ({_LONGEST_MEMBER}) w ON w.source_id = x.source_id
            CROSS JOIN case_member m ON m.source_id = x.source_id
             AND m.start < x."end" AND m.start > x.start - w.longest AND m."end" > x.start
            WHERE m.case_id IN ({{cases}})))
GROUP BY tree, code_id, case_id
"""


def _ids(values: Iterable[int]) -> str:
    return ",".join(str(int(v)) for v in sorted(set(values))) or "NULL"


def _per_tree(own: list[int], tree: list[int]) -> list[tuple[int, str]]:
    """(tree, id list) pairs; statements run once per tree so that each uses the (tree, code_id) key."""
    return [(t, _ids(ids)) for t, ids in ((0, own), (1, tree)) if ids]


def refresh(
    conn: sqlite3.Connection,
    *,
    own_codes: Iterable[int] = (),
    tree_codes: Iterable[int] = (),
    source_id: int | None = None,
    case_ids: Iterable[int] | None = None,
) -> None:
    """Recompute the aggregates of these codes (alone / with descendants).

    With `source_id`, only that source's rows of `code_source_stat` change; with `case_ids`, only those
    cases' rows of `code_case_stat` (all cases when None). `code_stat` is recomputed for every code named.
    """
    own, tree = sorted(set(own_codes)), sorted(set(tree_codes))
    if not own and not tree:
        return
    source_clause = "" if source_id is None else f"AND c.source_id = {int(source_id)}"
    for t, ids in _per_tree(own, tree):
        delete = f"DELETE FROM code_source_stat WHERE tree = {t} AND code_id IN ({ids})"
        if source_id is not None:
            delete += f" AND source_id = {int(source_id)}"
        conn.execute(delete)
    conn.execute(_SOURCE_STAT.format(codings=_CODINGS.format(own=_ids(own), tree=_ids(tree),
                                                              source_clause=source_clause)))

    # a case's codings may lie in any of its sources, so its rows are recomputed over all sources
    all_codings = _CODINGS.format(own=_ids(own), tree=_ids(tree), source_clause="")
    if case_ids is None:
        for t, ids in _per_tree(own, tree):
            conn.execute(f"DELETE FROM code_case_stat WHERE tree = {t} AND code_id IN ({ids})")
        conn.execute(_CASE_STAT.format(codings=all_codings, cases="SELECT id FROM cases"))
    else:
        cases = _ids(case_ids)
        if cases != "NULL":
            for t, ids in _per_tree(own, tree):
                conn.execute(f"DELETE FROM code_case_stat WHERE tree = {t} AND code_id IN ({ids}) "
                             f"AND case_id IN ({cases})")
            # only the codings in these cases' sources can count for them
            in_their_sources = f"AND c.source_id IN (SELECT source_id FROM case_member WHERE case_id IN ({cases}))"
            their_codings = _CODINGS.format(own=_ids(own), tree=_ids(tree), source_clause=in_their_sources)
            conn.execute(_CASE_STAT.format(codings=their_codings, cases=cases))

    _refresh_totals(conn, own, tree)


def _refresh_totals(conn: sqlite3.Connection, own: list[int], tree: list[int]) -> None:
    for t, ids in _per_tree(own, tree):
        conn.execute(f"DELETE FROM code_stat WHERE tree = {t} AND code_id IN ({ids})")
        conn.execute(
            f"""INSERT INTO code_stat(tree, code_id, excerpts, sources, cases, characters)
                SELECT {t}, c.id,
                       coalesce((SELECT sum(excerpts) FROM code_source_stat WHERE tree = {t} AND code_id = c.id), 0),
                       (SELECT count(*) FROM code_source_stat WHERE tree = {t} AND code_id = c.id),
                       (SELECT count(*) FROM code_case_stat WHERE tree = {t} AND code_id = c.id),
                       coalesce((SELECT sum(characters) FROM code_source_stat WHERE tree = {t} AND code_id = c.id), 0)
                FROM code c WHERE c.id IN ({ids})"""
        )


def _ancestors(conn: sqlite3.Connection, code_ids: list[int]) -> list[int]:
    rows = conn.execute(f"SELECT DISTINCT ancestor_id FROM code_closure WHERE code_id IN ({_ids(code_ids)})")
    return [r[0] for r in rows]


def cases_touching(conn: sqlite3.Connection, source_id: int, start: int, end: int) -> list[int]:
    """Cases whose members take in the whole source or overlap [start, end) in it."""
    rows = conn.execute(
        'SELECT DISTINCT case_id FROM case_member WHERE source_id = ? AND (start IS NULL OR (start < ? AND "end" > ?))',
        (source_id, end, start),
    )
    return [r[0] for r in rows]


def after_coding_change(conn: sqlite3.Connection, code_ids: Iterable[int], source_id: int, start: int, end: int) -> None:
    """Refresh what a coding added to or removed from (codes, source, range) changes."""
    codes = sorted(set(code_ids))
    refresh(
        conn,
        own_codes=codes,
        tree_codes=_ancestors(conn, codes),
        source_id=source_id,
        case_ids=cases_touching(conn, source_id, start, end),
    )


def after_membership_change(conn: sqlite3.Connection, case_ids: Iterable[int]) -> None:
    """Refresh the per-case rows of these cases for every code, then every code's case total."""
    cases = _ids(case_ids)
    if cases == "NULL":
        return
    conn.execute(f"DELETE FROM code_case_stat WHERE case_id IN ({cases})")
    conn.execute(
        _CASE_STAT.format(
            codings=_CODINGS.format(own="SELECT id FROM code", tree="SELECT id FROM code", source_clause=""),
            cases=cases,
        )
    )
    conn.execute(
        """UPDATE code_stat SET cases = coalesce(
               (SELECT count(*) FROM code_case_stat k WHERE k.tree = code_stat.tree AND k.code_id = code_stat.code_id),
               0)"""
    )


def after_tree_change(conn: sqlite3.Connection, code_ids: Iterable[int]) -> None:
    """Refresh codes whose own codings or whose descendants changed (both trees, all sources and cases)."""
    ids = sorted(set(code_ids))
    if ids:
        refresh(conn, own_codes=ids, tree_codes=ids)


def after_source_removed(conn: sqlite3.Connection, code_ids: Iterable[int], case_ids: Iterable[int]) -> None:
    """A deleted source took its per-source rows with it; its cases' rows and the totals need recomputing."""
    after_membership_change(conn, case_ids)
    ids = sorted(set(code_ids))
    if ids:
        _refresh_totals(conn, ids, _ancestors(conn, ids))


def rebuild_all(conn: sqlite3.Connection) -> None:
    """Recompute every aggregate (after a bulk load, or to repair)."""
    for table in ("code_source_stat", "code_case_stat", "code_stat"):
        conn.execute(f"DELETE FROM {table}")
    everything = "SELECT id FROM code"
    codings = _CODINGS.format(own=everything, tree=everything, source_clause="")
    conn.execute(_SOURCE_STAT.format(codings=codings))
    conn.execute(_CASE_STAT.format(codings=codings, cases="SELECT id FROM cases"))
    conn.execute(
        """INSERT INTO code_stat(tree, code_id, excerpts, sources, cases, characters)
           SELECT t.tree, t.id, coalesce(s.excerpts, 0), coalesce(s.sources, 0), coalesce(k.cases, 0),
                  coalesce(s.characters, 0)
           FROM (SELECT 0 AS tree, id FROM code UNION ALL SELECT 1, id FROM code) t
           LEFT JOIN (SELECT tree, code_id, sum(excerpts) AS excerpts, count(*) AS sources,
                             sum(characters) AS characters FROM code_source_stat GROUP BY tree, code_id) s
                  ON s.tree = t.tree AND s.code_id = t.id
           LEFT JOIN (SELECT tree, code_id, count(*) AS cases FROM code_case_stat GROUP BY tree, code_id) k
                  ON k.tree = t.tree AND k.code_id = t.id"""
    )


def stat_totals(conn: sqlite3.Connection) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(tree, code_id) -> (excerpts, sources, cases, characters)."""
    rows = conn.execute("SELECT tree, code_id, excerpts, sources, cases, characters FROM code_stat")
    return {(r[0], r[1]): r[2:] for r in rows}


def case_group_sql(conn: sqlite3.Connection, kind: str, attribute_id: int | None) -> tuple[str, tuple] | None:
    """SQL selecting (case_id, value) pairs for grouping by case or by a case attribute; None otherwise."""
    if kind == "case":
        return "SELECT id AS case_id, name AS value FROM cases", ()
    if kind == "attribute" and attribute_id is not None:
        scope = conn.execute("SELECT scope FROM attribute WHERE id = ?", (attribute_id,)).fetchone()
        if scope and scope[0] == "case":
            return "SELECT owner_id AS case_id, value FROM attribute_value WHERE attribute_id = ?", (attribute_id,)
    return None


def case_group_totals(
    conn: sqlite3.Connection, group_sql: str, args: tuple = ()
) -> list[tuple[object, int, int, int, int, int, int]]:
    """Sum the per-case rows by a grouping of cases.

    `group_sql` selects (case_id, group value) pairs. Returns (group, tree, code_id, excerpts, sources, cases,
    characters). Exact only when no source has members of two cases of one group: see `groups_share_sources`.
    """
    # CROSS JOIN keeps the aggregate table as the outer loop, scanned in key order; looking each case up in
    # the (small) grouping is much faster than the other way round at 100,000+ rows
    return conn.execute(
        f"""SELECT g.value, k.tree, k.code_id, sum(k.excerpts), sum(k.sources), count(*), sum(k.characters)
            FROM code_case_stat k CROSS JOIN ({group_sql}) g ON g.case_id = k.case_id
            GROUP BY k.tree, k.code_id, g.value""",
        args,
    ).fetchall()


def groups_share_sources(conn: sqlite3.Connection, group_sql: str, args: tuple = ()) -> bool:
    """True when some source has members of two different cases that fall in the same group."""
    shared = conn.execute(
        "SELECT 1 FROM case_member GROUP BY source_id HAVING count(DISTINCT case_id) > 1 LIMIT 1"
    ).fetchone()
    if shared is None:  # the common case (one case per source) needs no closer look
        return False
    # two members of one source in one group: counted per (source, group), never pair by pair, so that a
    # survey question with 10,000 respondents in one source is checked in one pass
    row = conn.execute(
        f"""WITH g AS ({group_sql})
            SELECT 1 FROM case_member m JOIN g ON g.case_id = m.case_id
            GROUP BY m.source_id, g.value HAVING count(DISTINCT m.case_id) > 1
            LIMIT 1""",
        args,
    ).fetchone()
    return row is not None
