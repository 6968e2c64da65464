"""Frequency aggregates kept current in the same transaction as every change.

Three tables, each for a code alone (tree 0) and for a code with all its descendants (tree 1):
- `code_source_stat` (code, source): coding rows and coded characters;
- `code_case_stat` (code, case): the codings overlapping one of the case's members: rows, sources, characters;
- `code_coder_stat` (code, coder, source): coding rows and coded characters of one coder's codings;
- `code_stat` (code): the totals, i.e. the unfiltered frequency table;
- `code_value_stat` (case attribute value, code): `code_case_stat` summed over the cases holding each value,
  so that a table by a case attribute reads a few thousand rows instead of summing every (code, case) row.
Coded characters are always the union of the ranges per source, so overlapping codings count once.

Callers say what changed (a coding in a source, a case's members, the codebook tree) and the affected
rows are recomputed from the codings with SQL window functions, so the aggregates cannot drift from the
rows they summarise. The exceptions are sums of those rows, where exact integer arithmetic moves what
changed: a case changing its value of an attribute moves its rows of `code_case_stat` from the old value's
sums to the new one's, which keeps setting hundreds of values (an import, an undo) cheap; and when codings
change in a few sources, what those sources' and cases' rows changed by is added to the codes' totals and to
the sums of the values those cases hold (applying a code stays quick). `qcode check` recomputes every sum
to compare.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

# union length of ranges sorted by start: each range adds what reaches past every earlier range's end
_UNION = 'sum(max(0, "end" - max(start, coalesce(reach, start))))'
_REACH = 'max("end") OVER (PARTITION BY {part} ORDER BY start, "end" ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)'

# codings of the selected codes, each once per (tree, code it counts for)
_CODINGS = """
SELECT 0 AS tree, c.code_id AS code_id, c.id AS coding_id, c.source_id, c.start, c."end", c.coder_id
  FROM coding c WHERE c.code_id IN ({own}) {source_clause}
UNION ALL
SELECT 1, cl.ancestor_id, c.id, c.source_id, c.start, c."end", c.coder_id
  FROM code_closure cl JOIN coding c ON c.code_id = cl.code_id
  WHERE cl.ancestor_id IN ({tree}) {source_clause}
"""

_SOURCE_STAT = "INSERT INTO code_source_stat(tree, code_id, source_id, excerpts, characters) {select}"
_SOURCE_STAT_SELECT = f"""
SELECT tree, code_id, source_id, count(*), {_UNION}
FROM (SELECT tree, code_id, source_id, start, "end", {_REACH.format(part="tree, code_id, source_id")} AS reach
      FROM ({{codings}}))
GROUP BY tree, code_id, source_id
"""

_CODER_STAT = "INSERT INTO code_coder_stat(tree, code_id, coder_id, source_id, excerpts, characters) {select}"
_CODER_STAT_SELECT = f"""
SELECT tree, code_id, coder_id, source_id, count(*), {_UNION}
FROM (SELECT tree, code_id, coder_id, source_id, start, "end",
             {_REACH.format(part="tree, code_id, coder_id, source_id")} AS reach
      FROM ({{codings}}))
GROUP BY tree, code_id, coder_id, source_id
"""

# A coding overlaps a ranged member only if the member starts less than the source's longest member before
# the coding starts: with the (source_id, start) index this bounds the search to the members near the coding
# (a survey question holds 10,000 members in one source). CROSS JOIN keeps the codings as the outer loop, so
# each coding looks up its few members instead of each member scanning the codings before it.
_LONGEST_MEMBER = ('SELECT source_id, max("end" - start) AS longest FROM case_member WHERE start IS NOT NULL '
                   "GROUP BY source_id")

_CASE_STAT = "INSERT INTO code_case_stat(tree, code_id, case_id, excerpts, sources, characters) {select}"
_CASE_STAT_SELECT = f"""
SELECT tree, code_id, case_id, count(*), count(DISTINCT source_id), {_UNION}
FROM (SELECT tree, code_id, case_id, source_id, start, "end",
             {_REACH.format(part="tree, code_id, case_id, source_id")} AS reach
      FROM ({{hits}}))
GROUP BY tree, code_id, case_id
"""
# (coding, case) pairs through members that are whole sources, and through members that are ranges
_WHOLE_HITS = """
SELECT DISTINCT x.tree, x.code_id, m.case_id, x.coding_id, x.source_id, x.start, x."end"
FROM ({codings}) x
JOIN case_member m ON m.source_id = x.source_id AND m.start IS NULL
WHERE m.case_id IN ({cases})
"""
_RANGED_HITS = f"""
SELECT DISTINCT x.tree, x.code_id, m.case_id, x.coding_id, x.source_id, x.start, x."end"
FROM ({{codings}}) x
CROSS JOIN ({_LONGEST_MEMBER}) w ON w.source_id = x.source_id
CROSS JOIN case_member m ON m.source_id = x.source_id
 AND m.start < x."end" AND m.start > x.start - w.longest AND m."end" > x.start
WHERE m.case_id IN ({{cases}})
"""


# The same per-source and per-coder rows, one statement per tree: a UNION ALL of both trees makes SQLite sort
# every row of both together before its window, while one tree alone reads the own codings in the order of the
# (code_id, source_id, start, "end") index and sorts only the descendants' (about 2.5 times less work in all).
# The recount of `qcode check` (`stale_rows`) keeps the formulation above, so the two check each other.
_TREE_CODINGS = {
    0: 'SELECT c.code_id AS code_id, c.source_id, c.coder_id, c.start, c."end" FROM coding c '
       "WHERE c.code_id IN ({codes}) {source_clause}",
    1: 'SELECT cl.ancestor_id AS code_id, c.source_id, c.coder_id, c.start, c."end" '
       "FROM code_closure cl JOIN coding c ON c.code_id = cl.code_id WHERE cl.ancestor_id IN ({codes}) {source_clause}",
}
_TREE_SOURCE_STAT = f"""
INSERT INTO code_source_stat(tree, code_id, source_id, excerpts, characters)
SELECT {{tree}}, code_id, source_id, count(*), {_UNION}
FROM (SELECT code_id, source_id, start, "end", {_REACH.format(part="code_id, source_id")} AS reach
      FROM ({{codings}}))
GROUP BY code_id, source_id
"""
_TREE_CODER_STAT = f"""
INSERT INTO code_coder_stat(tree, code_id, coder_id, source_id, excerpts, characters)
SELECT {{tree}}, code_id, coder_id, source_id, count(*), {_UNION}
FROM (SELECT code_id, coder_id, source_id, start, "end", {_REACH.format(part="code_id, coder_id, source_id")} AS reach
      FROM ({{codings}}))
GROUP BY code_id, coder_id, source_id
"""


def _insert_source_and_coder_stats(conn: sqlite3.Connection, per_tree: list[tuple[int, str]], source_clause: str) -> None:
    """Insert the per-source and per-coder rows of these (tree, code id list) pairs, restricted by `source_clause`."""
    for tree, codes in per_tree:
        codings = _TREE_CODINGS[tree].format(codes=codes, source_clause=source_clause)
        conn.execute(_TREE_SOURCE_STAT.format(tree=tree, codings=codings))
        conn.execute(_TREE_CODER_STAT.format(tree=tree, codings=codings))


def _case_stat(conn: sqlite3.Connection, *, codings: str, cases: str) -> None:
    """Insert the per-case rows of these codings and cases, joining only the kinds of members the cases have."""
    whole, ranged = conn.execute(
        f"SELECT max(start IS NULL), max(start IS NOT NULL) FROM case_member WHERE case_id IN ({cases})"
    ).fetchone()
    parts = [sql.format(codings=codings, cases=cases) for sql, wanted in ((_WHOLE_HITS, whole), (_RANGED_HITS, ranged))
             if wanted]
    if parts:
        conn.execute(_CASE_STAT.format(select=_CASE_STAT_SELECT.format(hits=" UNION ".join(parts))))


# cases whose members are all whole sources: their per-code rows are sums of the per-source rows
_WHOLE_ONLY = "SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM case_member WHERE start IS NOT NULL)"

# every code's totals (both trees) from its per-source and per-case rows
_TOTALS_SELECT = """
SELECT t.tree, t.id, coalesce(s.excerpts, 0), coalesce(s.sources, 0), coalesce(k.cases, 0), coalesce(s.characters, 0)
FROM (SELECT 0 AS tree, id FROM code UNION ALL SELECT 1, id FROM code) t
LEFT JOIN (SELECT tree, code_id, sum(excerpts) AS excerpts, count(*) AS sources, sum(characters) AS characters
           FROM code_source_stat GROUP BY tree, code_id) s ON s.tree = t.tree AND s.code_id = t.id
LEFT JOIN (SELECT tree, code_id, count(*) AS cases FROM code_case_stat GROUP BY tree, code_id) k
       ON k.tree = t.tree AND k.code_id = t.id"""


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
    source_ids: Iterable[int] | None = None,
    case_ids: Iterable[int] | None = None,
) -> None:
    """Recompute the aggregates of these codes (alone / with descendants).

    With `source_id` (or several `source_ids`), only those sources' rows of `code_source_stat` change; with
    `case_ids`, only those cases' rows of `code_case_stat` (all cases when None). `code_stat` is recomputed
    for every code named; when both sources and cases are named (a coding applied or removed), what their
    rows changed by is added to it instead (a top code's totals sum a row in most sources).
    """
    own, tree = sorted(set(own_codes)), sorted(set(tree_codes))
    if not own and not tree:
        return
    sources = None if source_id is None and source_ids is None else _ids(
        [*([] if source_id is None else [source_id]), *(source_ids or ())])
    source_clause = "" if sources is None else f"AND c.source_id IN ({sources})"
    narrow = sources is not None and case_ids is not None
    sources_before = _source_rows(conn, own, tree, sources) if narrow and sources is not None else {}
    cases_before: Rows = {}
    cases_after: Rows = {}
    for table in ("code_source_stat", "code_coder_stat"):
        for t, ids in _per_tree(own, tree):
            delete = f"DELETE FROM {table} WHERE tree = {t} AND code_id IN ({ids})"
            if sources is not None:
                delete += f" AND source_id IN ({sources})"
            conn.execute(delete)
    # a code without sub-codes counts the same with its descendants as alone: its tree rows are copies
    leaves = set(_leaves(conn, sorted(set(tree) & set(own))))
    copied, counted = _ids(leaves), _ids(c for c in tree if c not in leaves)
    _insert_source_and_coder_stats(conn, [(t, ids) for t, ids in ((0, _ids(own)), (1, counted)) if ids != "NULL"],
                                   source_clause)
    in_sources = "" if sources is None else f" AND source_id IN ({sources})"
    for table, columns in (("code_source_stat", "code_id, source_id, excerpts, characters"),
                           ("code_coder_stat", "code_id, coder_id, source_id, excerpts, characters")):
        conn.execute(f"INSERT INTO {table}(tree, {columns}) SELECT 1, {columns} FROM {table} "
                     f"WHERE tree = 0 AND code_id IN ({copied}){in_sources}")

    # a case's codings may lie in any of its sources, so its rows are recomputed over all sources
    all_codings = _CODINGS.format(own=_ids(own), tree=counted, source_clause="")
    case_columns = "code_id, case_id, excerpts, sources, characters"
    if case_ids is None:
        for t, ids in _per_tree(own, tree):
            conn.execute(f"DELETE FROM code_case_stat WHERE tree = {t} AND code_id IN ({ids})")
        _case_stat(conn, codings=all_codings, cases="SELECT id FROM cases")
        conn.execute(f"INSERT INTO code_case_stat(tree, {case_columns}) SELECT 1, {case_columns} FROM code_case_stat "
                     f"WHERE tree = 0 AND code_id IN ({copied})")
    else:
        cases = _ids(case_ids)
        if cases != "NULL":
            cases_before = _case_rows(conn, own, tree, cases)
            for t, ids in _per_tree(own, tree):
                conn.execute(f"DELETE FROM code_case_stat WHERE tree = {t} AND code_id IN ({ids}) "
                             f"AND case_id IN ({cases})")
            # only the codings in these cases' sources can count for them
            in_their_sources = f"AND c.source_id IN (SELECT source_id FROM case_member WHERE case_id IN ({cases}))"
            their_codings = _CODINGS.format(own=_ids(own), tree=counted, source_clause=in_their_sources)
            _case_stat(conn, codings=their_codings, cases=cases)
            conn.execute(f"INSERT INTO code_case_stat(tree, {case_columns}) SELECT 1, {case_columns} "
                         f"FROM code_case_stat WHERE tree = 0 AND code_id IN ({copied}) AND case_id IN ({cases})")
            cases_after = _case_rows(conn, own, tree, cases)
            _move_value_sums(conn, cases_before, cases_after)

    if narrow and sources is not None:
        _move_totals(conn, own, tree, (sources_before, _source_rows(conn, own, tree, sources)),
                     (cases_before, cases_after))
    else:
        _refresh_totals(conn, own, tree)
    if case_ids is None:
        refresh_value_groups(conn, value_pairs(conn), own=own, tree=tree)


#: (tree, code, source or case) -> the counts of its aggregate row
Rows = dict[tuple[int, int, int], tuple[int, ...]]


def _stat_rows(conn: sqlite3.Connection, sql: str, own: list[int], tree: list[int]) -> Rows:
    """(tree, code, source or case) -> the counts of the rows `sql` selects for these codes (alone / with
    descendants): it names `{t}` and `{ids}` and selects code, source or case, then counts."""
    rows = {}
    for t, ids in _per_tree(own, tree):
        for code_id, owner_id, *counts in conn.execute(sql.format(t=t, ids=ids)):
            rows[(t, code_id, owner_id)] = tuple(counts)
    return rows


def _case_rows(conn: sqlite3.Connection, own: list[int], tree: list[int], cases: str) -> Rows:
    """(tree, code, case) -> (excerpts, sources, characters): the per-case rows of these codes and cases."""
    return _stat_rows(conn, "SELECT code_id, case_id, excerpts, sources, characters FROM code_case_stat "
                            f"WHERE tree = {{t}} AND code_id IN ({{ids}}) AND case_id IN ({cases})", own, tree)


def _source_rows(conn: sqlite3.Connection, own: list[int], tree: list[int], sources: str) -> Rows:
    """(tree, code, source) -> (excerpts, characters): the per-source rows of these codes and sources."""
    return _stat_rows(conn, "SELECT code_id, source_id, excerpts, characters FROM code_source_stat "
                            f"WHERE tree = {{t}} AND code_id IN ({{ids}}) AND source_id IN ({sources})", own, tree)


def _move_totals(conn: sqlite3.Connection, own: list[int], tree: list[int], source_rows: tuple[Rows, Rows],
                 case_rows: tuple[Rows, Rows]) -> None:
    """Add to the codes' totals what their per-source and per-case rows changed by (before, after): the
    excerpts and characters they hold, and how many sources and cases have a row. Exact integer arithmetic;
    a code without totals yet gets them recomputed."""
    change: dict[tuple[int, int], list[int]] = {}  # (tree, code) -> excerpts, sources, cases, characters
    for sign, rows in ((-1, source_rows[0]), (1, source_rows[1])):
        for (t, code_id, _source), (excerpts, characters) in rows.items():
            total = change.setdefault((t, code_id), [0, 0, 0, 0])
            total[0] += sign * excerpts
            total[1] += sign
            total[3] += sign * characters
    for sign, rows in ((-1, case_rows[0]), (1, case_rows[1])):
        for t, code_id, _case in rows:
            change.setdefault((t, code_id), [0, 0, 0, 0])[2] += sign
    kept = {(t, code_id) for t, ids in _per_tree(own, tree)
            for (code_id,) in conn.execute(f"SELECT code_id FROM code_stat WHERE tree = {t} AND code_id IN ({ids})")}
    wanted = {(0, c) for c in own} | {(1, c) for c in tree}
    if wanted - kept:  # not kept before (it should be): recount
        _refresh_totals(conn, own, tree)
        return
    conn.executemany("UPDATE code_stat SET excerpts = excerpts + ?, sources = sources + ?, cases = cases + ?, "
                     "characters = characters + ? WHERE tree = ? AND code_id = ?",
                     [(*counts, t, code_id) for (t, code_id), counts in change.items() if any(counts)])


def _move_value_sums(conn: sqlite3.Connection, before: Rows, after: Rows) -> None:
    """Carry the change of a few cases' per-case rows into the sums of the values those cases hold.

    Each sum is over the cases holding a value, so it changes by exactly what the changed cases' rows changed
    by (exact integer arithmetic, as `move_case_between_values`); summing again every case of each value the
    changed cases hold takes ten times as long, and the sums are checked against a recount by `qcode check`.
    """
    changes = []
    for key in before.keys() | after.keys():
        old, new = before.get(key), after.get(key)
        if old != new:
            was, now = old or (0, 0, 0), new or (0, 0, 0)
            changes.append((key, (now[0] - was[0], now[1] - was[1], int(new is not None) - int(old is not None),
                                  now[2] - was[2])))
    if not changes:
        return
    held: dict[int, list[tuple[int, object]]] = {}
    for case_id, attribute_id, value in conn.execute(
            "SELECT v.owner_id, v.attribute_id, v.value FROM attribute_value v "
            "JOIN attribute a ON a.id = v.attribute_id AND a.scope = 'case' "
            f"WHERE v.owner_id IN ({_ids(key[2] for key, _ in changes)})"):
        held.setdefault(case_id, []).append((attribute_id, value))
    rows = [(attribute_id, value, t, code_id, *delta)
            for (t, code_id, case_id), delta in changes for attribute_id, value in held.get(case_id, ())]
    conn.executemany(
        f"""INSERT INTO code_value_stat{_VALUE_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(attribute_id, value, tree, code_id) DO UPDATE SET
                excerpts = excerpts + excluded.excerpts, sources = sources + excluded.sources,
                cases = cases + excluded.cases, characters = characters + excluded.characters""",
        rows,
    )
    conn.executemany("DELETE FROM code_value_stat WHERE attribute_id = ? AND value = ? AND tree = ? AND code_id = ? "
                     "AND cases <= 0", [row[:4] for row in rows])


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


def _leaves(conn: sqlite3.Connection, code_ids: list[int]) -> list[int]:
    """Those of these codes that have no sub-codes."""
    rows = conn.execute(f"SELECT ancestor_id FROM code_closure WHERE ancestor_id IN ({_ids(code_ids)}) "
                        "GROUP BY ancestor_id HAVING count(*) = 1")
    return [r[0] for r in rows]


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


def after_codings_change(conn: sqlite3.Connection, changed: Iterable[tuple[int, int, int, int]]) -> None:
    """Refresh what many codings (source, code, start, end) added or removed change, in one pass: every
    statement runs once for the batch, whatever the number of sources it touches."""
    rows = list(changed)
    if not rows:
        return
    codes = sorted({r[1] for r in rows})
    sources = sorted({r[0] for r in rows})
    cases = [r[0] for r in conn.execute(
        f"SELECT DISTINCT case_id FROM case_member WHERE source_id IN ({_ids(sources)})")]
    refresh(conn, own_codes=codes, tree_codes=_ancestors(conn, codes), source_ids=sources, case_ids=cases)


# --- many codings at once: exactly the groups whose codings changed ------------------------------------

# the (tree, code, coder, source) groups whose codings changed, from temp.changed_coding; then the same without
# the coder, and the (tree, code, case) rows that sum them
_CHANGED_GROUPS = (
    "CREATE TEMP TABLE changed_group(tree INTEGER NOT NULL, code_id INTEGER NOT NULL, coder_id INTEGER NOT NULL, "
    "source_id INTEGER NOT NULL, PRIMARY KEY (tree, code_id, coder_id, source_id)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO temp.changed_group SELECT 0, code_id, coder_id, source_id FROM temp.changed_coding",
    "INSERT OR IGNORE INTO temp.changed_group SELECT 1, cl.ancestor_id, x.coder_id, x.source_id "
    "FROM temp.changed_coding x JOIN code_closure cl ON cl.code_id = x.code_id",
    "CREATE TEMP TABLE changed_source_group(tree INTEGER NOT NULL, code_id INTEGER NOT NULL, "
    "source_id INTEGER NOT NULL, PRIMARY KEY (tree, code_id, source_id)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO temp.changed_source_group SELECT tree, code_id, source_id FROM temp.changed_group",
    "CREATE TEMP TABLE changed_case_group(tree INTEGER NOT NULL, code_id INTEGER NOT NULL, case_id INTEGER NOT NULL, "
    "PRIMARY KEY (tree, code_id, case_id)) WITHOUT ROWID",
    "INSERT OR IGNORE INTO temp.changed_case_group SELECT g.tree, g.code_id, m.case_id "
    "FROM temp.changed_source_group g JOIN case_member m ON m.source_id = g.source_id",
)
_TEMP_TABLES = ("changed_coding", "changed_group", "changed_source_group", "changed_case_group")
# the codings of the changed groups, as `_TREE_CODINGS` gives them (CROSS JOIN: the few groups drive the search)
_GROUP_CODINGS = {
    (0, "source"): 'SELECT g.code_id, g.source_id, c.coder_id, c.start, c."end" FROM temp.changed_source_group g '
                   "CROSS JOIN coding c ON c.code_id = g.code_id AND c.source_id = g.source_id WHERE g.tree = 0",
    (1, "source"): 'SELECT g.code_id, g.source_id, c.coder_id, c.start, c."end" FROM temp.changed_source_group g '
                   "CROSS JOIN code_closure cl ON cl.ancestor_id = g.code_id "
                   "CROSS JOIN coding c ON c.code_id = cl.code_id AND c.source_id = g.source_id WHERE g.tree = 1",
    (0, "coder"): 'SELECT g.code_id, g.source_id, g.coder_id, c.start, c."end" FROM temp.changed_group g '
                  "CROSS JOIN coding c ON c.coder_id = g.coder_id AND c.code_id = g.code_id AND c.source_id = g.source_id "
                  "WHERE g.tree = 0",
    (1, "coder"): 'SELECT g.code_id, g.source_id, g.coder_id, c.start, c."end" FROM temp.changed_group g '
                  "CROSS JOIN code_closure cl ON cl.ancestor_id = g.code_id "
                  "CROSS JOIN coding c ON c.coder_id = g.coder_id AND c.code_id = cl.code_id AND c.source_id = g.source_id "
                  "WHERE g.tree = 1",
}


def after_many_codings_change(conn: sqlite3.Connection, changed: Iterable[tuple[int, int, int]]) -> None:
    """Refresh what many codings (source, code, coder) added or removed change (a merge, a large batch).

    Only the rows of the (code, source), (code, coder, source) and (code, case) groups that hold a changed coding
    are recomputed: a merge that brings another coder's codings rewrites their groups and the groups of the
    codes above them, not the rest of the project. Cases of whole sources are summed from the per-source rows;
    cases with passages go through the per-coding computation. `qcode check` recounts all of it.
    """
    triples = sorted(set(changed))
    if not triples:
        return
    for table in _TEMP_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    conn.execute("CREATE TEMP TABLE changed_coding(source_id INTEGER NOT NULL, code_id INTEGER NOT NULL, "
                 "coder_id INTEGER NOT NULL)")
    conn.executemany("INSERT INTO temp.changed_coding VALUES (?, ?, ?)", triples)
    try:
        for sql in _CHANGED_GROUPS:
            conn.execute(sql)
        conn.execute("DELETE FROM code_source_stat WHERE (tree, code_id, source_id) IN "
                     "(SELECT tree, code_id, source_id FROM temp.changed_source_group)")
        conn.execute("DELETE FROM code_coder_stat WHERE (tree, code_id, coder_id, source_id) IN "
                     "(SELECT tree, code_id, coder_id, source_id FROM temp.changed_group)")
        for t in (0, 1):
            conn.execute(_TREE_SOURCE_STAT.format(tree=t, codings=_GROUP_CODINGS[(t, "source")]))
            conn.execute(_TREE_CODER_STAT.format(tree=t, codings=_GROUP_CODINGS[(t, "coder")]))
        own = [r[0] for r in conn.execute("SELECT DISTINCT code_id FROM temp.changed_source_group WHERE tree = 0")]
        tree = [r[0] for r in conn.execute("SELECT DISTINCT code_id FROM temp.changed_source_group WHERE tree = 1")]
        cases = [r[0] for r in conn.execute("SELECT DISTINCT case_id FROM temp.changed_case_group")]
        ranged = [r[0] for r in conn.execute(
            "SELECT DISTINCT case_id FROM case_member WHERE start IS NOT NULL "
            "AND case_id IN (SELECT case_id FROM temp.changed_case_group)")]
        conn.execute("DELETE FROM code_case_stat WHERE (tree, code_id, case_id) IN "
                     "(SELECT tree, code_id, case_id FROM temp.changed_case_group)")
        conn.execute(
            f"""INSERT INTO code_case_stat(tree, code_id, case_id, excerpts, sources, characters)
                SELECT k.tree, k.code_id, k.case_id, sum(s.excerpts), count(*), sum(s.characters)
                FROM temp.changed_case_group k
                CROSS JOIN (SELECT DISTINCT case_id, source_id FROM case_member) m ON m.case_id = k.case_id
                CROSS JOIN code_source_stat s ON s.tree = k.tree AND s.code_id = k.code_id AND s.source_id = m.source_id
                WHERE k.case_id IN ({_WHOLE_ONLY})
                GROUP BY k.tree, k.code_id, k.case_id"""
        )
    finally:
        for table in _TEMP_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS temp.{table}")
    if ranged:
        ranged_ids = _ids(ranged)
        for t, ids in _per_tree(own, tree):
            conn.execute(f"DELETE FROM code_case_stat WHERE tree = {t} AND code_id IN ({ids}) "
                         f"AND case_id IN ({ranged_ids})")
        in_their_sources = f"AND c.source_id IN (SELECT source_id FROM case_member WHERE case_id IN ({ranged_ids}))"
        _case_stat(conn, codings=_CODINGS.format(own=_ids(own), tree=_ids(tree), source_clause=in_their_sources),
                   cases=ranged_ids)
    _refresh_totals(conn, own, tree)
    refresh_value_groups(conn, value_pairs(conn, cases), own=own, tree=tree)


def after_membership_change(conn: sqlite3.Connection, case_ids: Iterable[int]) -> None:
    """Refresh the per-case rows of these cases for every code, then every code's case total."""
    cases = _ids(case_ids)
    if cases == "NULL":
        return
    conn.execute(f"DELETE FROM code_case_stat WHERE case_id IN ({cases})")
    _case_stat(conn, codings=_CODINGS.format(own="SELECT id FROM code", tree="SELECT id FROM code", source_clause=""),
               cases=cases)
    conn.execute(
        """UPDATE code_stat SET cases = coalesce(
               (SELECT count(*) FROM code_case_stat k WHERE k.tree = code_stat.tree AND k.code_id = code_stat.code_id),
               0)"""
    )
    refresh_value_groups(conn, value_pairs(conn, case_ids))


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
    """Recompute every aggregate (after a bulk load, or to repair).

    A case whose members are all whole sources holds every coding of those sources, so its per-code rows are
    the sums of the per-source rows (coded characters add up: ranges in different sources never overlap).
    Only cases with ranged members go through the per-coding computation. `qcode check` recounts all of it.
    """
    for table in ("code_source_stat", "code_coder_stat", "code_case_stat", "code_stat", "code_value_stat"):
        conn.execute(f"DELETE FROM {table}")
    everything = "SELECT id FROM code"
    # a code without sub-codes counts the same codings in both trees: its tree-1 rows are copies of its tree-0
    # rows (most codes of a codebook are such leaves), and only the codes above them go through the window
    parents = "SELECT DISTINCT ancestor_id FROM code_closure WHERE ancestor_id != code_id"
    _insert_source_and_coder_stats(conn, [(0, everything), (1, parents)], "")
    leaves = f"SELECT id FROM code WHERE id NOT IN ({parents})"
    conn.execute("INSERT INTO code_source_stat(tree, code_id, source_id, excerpts, characters) "
                 f"SELECT 1, code_id, source_id, excerpts, characters FROM code_source_stat WHERE tree = 0 "
                 f"AND code_id IN ({leaves})")
    conn.execute("INSERT INTO code_coder_stat(tree, code_id, coder_id, source_id, excerpts, characters) "
                 f"SELECT 1, code_id, coder_id, source_id, excerpts, characters FROM code_coder_stat WHERE tree = 0 "
                 f"AND code_id IN ({leaves})")
    conn.execute(
        f"""INSERT INTO code_case_stat(tree, code_id, case_id, excerpts, sources, characters)
            SELECT s.tree, s.code_id, m.case_id, sum(s.excerpts), count(*), sum(s.characters)
            FROM (SELECT DISTINCT case_id, source_id FROM case_member WHERE case_id IN ({_WHOLE_ONLY})) m
            JOIN code_source_stat s ON s.source_id = m.source_id
            GROUP BY s.tree, s.code_id, m.case_id"""
    )
    codings = _CODINGS.format(own=everything, tree=everything, source_clause="")
    _case_stat(conn, codings=codings, cases="SELECT DISTINCT case_id FROM case_member WHERE start IS NOT NULL")
    conn.execute(f"INSERT INTO code_stat(tree, code_id, excerpts, sources, cases, characters) {_TOTALS_SELECT}")
    conn.execute(f"INSERT INTO code_value_stat{_VALUE_COLUMNS} {_VALUE_SUMS} GROUP BY v.attribute_id, v.value, k.tree, "
                 "k.code_id")


# --- sums by case attribute values ----------------------------------------------------------------------

_VALUE_COLUMNS = "(attribute_id, value, tree, code_id, excerpts, sources, cases, characters)"
_VALUE_SUMS = """SELECT v.attribute_id, v.value, k.tree, k.code_id, sum(k.excerpts), sum(k.sources), count(*),
                        sum(k.characters)
                 FROM attribute_value v
                 JOIN attribute a ON a.id = v.attribute_id AND a.scope = 'case'
                 JOIN code_case_stat k ON k.case_id = v.owner_id"""


def value_pairs(conn: sqlite3.Connection, case_ids: Iterable[int] | None = None) -> list[tuple[int, object]]:
    """(attribute id, value) of the case attribute values these cases hold (every case when None)."""
    sql = ("SELECT DISTINCT v.attribute_id, v.value FROM attribute_value v "
           "JOIN attribute a ON a.id = v.attribute_id AND a.scope = 'case'")
    if case_ids is not None:
        sql += f" WHERE v.owner_id IN ({_ids(case_ids)})"
    return conn.execute(sql).fetchall()


def refresh_value_groups(
    conn: sqlite3.Connection,
    pairs: Iterable[tuple[int, object]],
    *,
    own: Iterable[int] | None = None,
    tree: Iterable[int] | None = None,
) -> None:
    """Recompute the sums of these (attribute, value) pairs: for the codes named (alone / with descendants),
    or for every code when neither is given."""
    everything = own is None and tree is None
    per_tree = [] if everything else _per_tree(sorted(set(own or ())), sorted(set(tree or ())))
    pairs = list(pairs)
    if not everything and len(pairs) > 20 and len(pairs) == len(value_pairs(conn)):
        # every value held by a case (a batch touching most cases): one statement per tree, not two per value
        for t, ids in per_tree:
            conn.execute(f"DELETE FROM code_value_stat WHERE tree = {t} AND code_id IN ({ids})")
            conn.execute(f"INSERT INTO code_value_stat{_VALUE_COLUMNS} {_VALUE_SUMS} "
                         f"WHERE k.tree = {t} AND k.code_id IN ({ids}) GROUP BY v.attribute_id, v.value, k.tree, "
                         "k.code_id")
        return
    for attribute_id, value in pairs:
        if everything:
            conn.execute("DELETE FROM code_value_stat WHERE attribute_id = ? AND value = ?", (attribute_id, value))
            conn.execute(f"INSERT INTO code_value_stat{_VALUE_COLUMNS} {_VALUE_SUMS} "
                         "WHERE v.attribute_id = ? AND v.value = ? GROUP BY k.tree, k.code_id", (attribute_id, value))
            continue
        for t, ids in per_tree:
            conn.execute(f"DELETE FROM code_value_stat WHERE attribute_id = ? AND value = ? AND tree = {t} "
                         f"AND code_id IN ({ids})", (attribute_id, value))
            conn.execute(f"INSERT INTO code_value_stat{_VALUE_COLUMNS} {_VALUE_SUMS} "
                         f"WHERE v.attribute_id = ? AND v.value = ? AND k.tree = {t} AND k.code_id IN ({ids}) "
                         "GROUP BY k.tree, k.code_id", (attribute_id, value))


def move_case_between_values(
    conn: sqlite3.Connection, attribute_id: int, case_id: int, old: object | None, new: object | None
) -> None:
    """A case's value of a case attribute changed: move its per-case rows from the old value's sums to the new."""
    if old is not None:
        conn.execute(
            """UPDATE code_value_stat SET excerpts = code_value_stat.excerpts - k.excerpts,
                      sources = code_value_stat.sources - k.sources, cases = code_value_stat.cases - 1,
                      characters = code_value_stat.characters - k.characters
               FROM code_case_stat k
               WHERE k.case_id = ? AND code_value_stat.attribute_id = ? AND code_value_stat.value = ?
                 AND code_value_stat.tree = k.tree AND code_value_stat.code_id = k.code_id""",
            (case_id, attribute_id, old),
        )
        conn.execute("DELETE FROM code_value_stat WHERE attribute_id = ? AND value = ? AND cases <= 0",
                     (attribute_id, old))
    if new is not None:
        conn.execute(
            f"""INSERT INTO code_value_stat{_VALUE_COLUMNS}
                SELECT ?, ?, k.tree, k.code_id, k.excerpts, k.sources, 1, k.characters
                FROM code_case_stat k WHERE k.case_id = ?
                ON CONFLICT(attribute_id, value, tree, code_id) DO UPDATE SET
                    excerpts = excerpts + excluded.excerpts, sources = sources + excluded.sources,
                    cases = cases + 1, characters = characters + excluded.characters""",
            (attribute_id, new, case_id),
        )


def value_group_totals(
    conn: sqlite3.Connection, attribute_id: int
) -> list[tuple[object, int, int, int, int, int, int]]:
    """What `case_group_totals` gives for a case attribute, read from the maintained sums."""
    return conn.execute(
        "SELECT value, tree, code_id, excerpts, sources, cases, characters FROM code_value_stat "
        "WHERE attribute_id = ?",
        (attribute_id,),
    ).fetchall()


def _differences(conn: sqlite3.Connection, fresh: str, stored: str) -> int:
    """Rows in which a recount (`fresh`, computed once into a temporary table) and the stored rows differ."""
    conn.execute("DROP TABLE IF EXISTS temp.recount")
    conn.execute(f"CREATE TEMP TABLE recount AS {fresh}")
    try:
        return int(conn.execute(
            f"SELECT (SELECT count(*) FROM (SELECT * FROM temp.recount EXCEPT {stored})) "
            f"+ (SELECT count(*) FROM ({stored} EXCEPT SELECT * FROM temp.recount))"
        ).fetchone()[0])
    finally:
        conn.execute("DROP TABLE temp.recount")


def stale_rows(conn: sqlite3.Connection) -> int:
    """How many rows of the per-source and per-code aggregates differ from a recount (0 when sound).

    The per-case rows are checked through the per-code case counts only: recounting every case's overlaps
    takes minutes on a large project.
    """
    everything = "SELECT id FROM code"
    codings = _CODINGS.format(own=everything, tree=everything, source_clause="")
    count = _differences(conn, _SOURCE_STAT_SELECT.format(codings=codings),
                         "SELECT tree, code_id, source_id, excerpts, characters FROM code_source_stat")
    count += _differences(conn, _CODER_STAT_SELECT.format(codings=codings),
                          "SELECT tree, code_id, coder_id, source_id, excerpts, characters FROM code_coder_stat")
    count += _differences(conn, _TOTALS_SELECT, "SELECT tree, code_id, excerpts, sources, cases, characters FROM code_stat")
    return count


def stale_value_groups(conn: sqlite3.Connection) -> int:
    """How many maintained sums by case attribute values differ from a recount (0 when all is well)."""
    fresh = f"{_VALUE_SUMS} GROUP BY v.attribute_id, v.value, k.tree, k.code_id"
    stored = ("SELECT attribute_id, value, tree, code_id, excerpts, sources, cases, characters "
              "FROM code_value_stat")
    return _differences(conn, fresh, stored)


def excerpt_totals(conn: sqlite3.Connection) -> dict[int, int]:
    """code_id -> its excerpts with its sub-codes', from the maintained totals."""
    return dict(conn.execute("SELECT code_id, excerpts FROM code_stat WHERE tree = 1"))


def stat_totals(conn: sqlite3.Connection) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    """(tree, code_id) -> (excerpts, sources, cases, characters)."""
    rows = conn.execute("SELECT tree, code_id, excerpts, sources, cases, characters FROM code_stat")
    return {(r[0], r[1]): r[2:] for r in rows}


def case_group_sql(conn: sqlite3.Connection, kind: str, attribute_id: int | None) -> tuple[str, tuple[Any, ...]] | None:
    """SQL selecting (case_id, value) pairs for grouping by case or by a case attribute; None otherwise."""
    if kind == "case":
        return "SELECT id AS case_id, name AS value FROM cases", ()
    if kind == "attribute" and attribute_id is not None:
        scope = conn.execute("SELECT scope FROM attribute WHERE id = ?", (attribute_id,)).fetchone()
        if scope and scope[0] == "case":
            return "SELECT owner_id AS case_id, value FROM attribute_value WHERE attribute_id = ?", (attribute_id,)
    return None


def case_group_totals(
    conn: sqlite3.Connection, group_sql: str, args: tuple[Any, ...] = ()
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


def groups_share_sources(conn: sqlite3.Connection, group_sql: str, args: tuple[Any, ...] = ()) -> bool:
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
