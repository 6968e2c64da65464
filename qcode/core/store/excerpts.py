"""Codings with their text, cut by SQLite so only the excerpts travel, not whole sources."""

from __future__ import annotations

import sqlite3
from typing import Any

from qcode.core.model import Coding, Filter
from qcode.core.store.queries import filter_clause

_ORDER = ' ORDER BY s.folder_id IS NOT NULL, s.folder_id, s.position, s.name, c.start, c."end", c.id'
_SELECT = """SELECT c.id, c.source_id, c.code_id, c.coder_id, c.start, c."end", c.created_at, c.guid,
                    substr(s.text, c.start + 1, c."end" - c.start), s.name
             FROM coding c JOIN source s ON s.id = c.source_id"""


def excerpts_for_codes(
    conn: sqlite3.Connection, code_ids: list[int], coder_ids: tuple[int, ...] = ()
) -> list[tuple[Coding, str, str]]:
    """(coding, excerpt text, source name) in source then text order."""
    marks = ",".join("?" * len(code_ids))
    sql = f"{_SELECT} WHERE c.code_id IN ({marks})"
    args: list[Any] = list(code_ids)
    if coder_ids:
        sql += f" AND c.coder_id IN ({','.join('?' * len(coder_ids))})"
        args.extend(coder_ids)
    return [(Coding(*row[:8]), row[8], row[9]) for row in conn.execute(sql + _ORDER, args)]


def excerpts_for_filter(conn: sqlite3.Connection, flt: Filter) -> list[tuple[Coding, str, str]]:
    """(coding, excerpt text, source name) of every coding the filter lets through."""
    where, args = filter_clause(conn, flt)
    return [(Coding(*row[:8]), row[8], row[9]) for row in conn.execute(f"{_SELECT} WHERE {where}{_ORDER}", args)]
