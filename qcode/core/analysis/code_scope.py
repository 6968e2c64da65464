"""Which codes an analysis lists: every code, or the codes a `--code` filter names with their sub-codes."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from qcode.core.model import Filter
from qcode.core.store import codes as code_store
from qcode.core.store import queries


@dataclass(frozen=True)
class CodeScope:
    """The codes in scope in codebook order, with their paths ('A/B'), depths and tree links."""

    order: list[int]
    paths: dict[int, str]
    depths: dict[int, int]
    ancestors: dict[int, list[int]]  # code -> itself and every code above it that is in scope
    leaves: set[int]  # codes in scope without sub-codes

    def is_related(self, a: int, b: int) -> bool:
        """True when one of the two codes is the other or lies under it."""
        return a in self.ancestors.get(b, ()) or b in self.ancestors.get(a, ())


def code_scope(conn: sqlite3.Connection, flt: Filter) -> CodeScope:
    """The codes an analysis lists for a filter: all, or the `--code` codes with their sub-codes."""
    all_codes = code_store.codes(conn)
    names = code_store.code_paths(conn)
    pairs = queries.closure_pairs(conn)
    if flt.codes:
        chosen = set(flt.codes)
        wanted = {code for ancestor, code in pairs if ancestor in chosen}
    else:
        wanted = {c.id for c in all_codes}
    ancestors: dict[int, list[int]] = defaultdict(list)
    has_children: set[int] = set()
    for ancestor, code in pairs:
        if code in wanted and ancestor in wanted:
            ancestors[code].append(ancestor)
        if ancestor != code:
            has_children.add(ancestor)
    order = [c.id for c in all_codes if c.id in wanted]
    return CodeScope(
        order=order,
        paths={c: "/".join(names[c]) for c in order},
        depths={c: len(names[c]) - 1 for c in order},
        ancestors=dict(ancestors),
        leaves={c for c in order if c not in has_children},
    )
