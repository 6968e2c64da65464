"""Checks of what SQLite's own constraints cannot see: offsets inside texts, a sound tree, current aggregates."""

from __future__ import annotations

import sqlite3

from qcode.core.store import aggregates, word_counts


def consistency_problems(conn: sqlite3.Connection) -> list[str]:
    """What `qcode check` finds wrong beyond SQLite's own check, one readable line per problem (empty when all is
    well): codings, spans or case members outside their source's text, a source whose recorded length is not its
    text's, a code tree index out of step with the tree or holding a cycle, memos of deleted objects, and
    frequency aggregates and per-source word counts that differ from a recount."""
    problems: list[str] = []
    for coding_id, source, start, end, length in conn.execute(
        """SELECT c.id, s.name, c.start, c."end", s.length FROM coding c JOIN source s ON s.id = c.source_id
           WHERE c.start < 0 OR c."end" > s.length OR c."end" <= c.start"""
    ):
        problems.append(f"coding {coding_id} ({start}-{end}) lies outside '{source}' ({length} characters)")
    for span_kind, source, start, end in conn.execute(
        """SELECT p.kind, s.name, p.start, p."end" FROM span p JOIN source s ON s.id = p.source_id
           WHERE p."end" > s.length"""
    ):
        problems.append(f"{span_kind} span {start}-{end} lies outside '{source}'")
    for member_id, source in conn.execute(
        """SELECT m.id, s.name FROM case_member m JOIN source s ON s.id = m.source_id
           WHERE m.start IS NOT NULL AND m."end" > s.length"""
    ):
        problems.append(f"case member {member_id} lies outside '{source}'")
    for source_id, name, length in conn.execute(
        "SELECT id, name, length FROM source WHERE length != length(text)"
    ):
        # SQLite's length() stops at a NUL character; the store counts code points as Python does
        real = len(conn.execute("SELECT text FROM source WHERE id = ?", (source_id,)).fetchone()[0] or "")
        if real != length:
            problems.append(f"source '{name}' records {length} characters but holds {real}")
    for (code_id,) in conn.execute(
        """SELECT id FROM code c WHERE parent_id IS NOT NULL AND NOT EXISTS
           (SELECT 1 FROM code_closure cl WHERE cl.ancestor_id = c.parent_id AND cl.code_id = c.id AND cl.depth = 1)"""
    ):
        problems.append(f"code {code_id} is missing from the code tree index")
    for (code_id,) in conn.execute(
        "SELECT code_id FROM code_closure WHERE ancestor_id = code_id AND depth > 0"
    ):
        problems.append(f"code {code_id} is its own ancestor (a cycle in the code tree)")
    for (memo_id, kind) in conn.execute(
        """SELECT id, target_kind FROM memo m WHERE
             (target_kind = 'source' AND NOT EXISTS (SELECT 1 FROM source WHERE id = m.target_id))
          OR (target_kind = 'code' AND NOT EXISTS (SELECT 1 FROM code WHERE id = m.target_id))
          OR (target_kind = 'coding' AND NOT EXISTS (SELECT 1 FROM coding WHERE id = m.target_id))
          OR (target_kind = 'case' AND NOT EXISTS (SELECT 1 FROM cases WHERE id = m.target_id))"""
    ):
        problems.append(f"memo {memo_id} belongs to a {kind} that no longer exists")
    stale = aggregates.stale_rows(conn)
    if stale:
        problems.append(f"{stale} rows of the frequency aggregates are out of date")
    stale_values = aggregates.stale_value_groups(conn)
    if stale_values:
        problems.append(f"{stale_values} frequency sums by case attribute values are out of date")
    stale_words = word_counts.stale_sources(conn)
    if stale_words:
        shown = ", ".join(f"'{name}'" for name in stale_words[:5]) + (" …" if len(stale_words) > 5 else "")
        problems.append(f"the stored word counts of {len(stale_words)} "
                        f"{'source are' if len(stale_words) == 1 else 'sources are'} out of date ({shown})")
    stale_totals = word_counts.stale_totals(conn)
    if stale_totals:
        problems.append(f"the stored totals of {stale_totals} {'word are' if stale_totals == 1 else 'words are'} "
                        "out of date")
    return problems
