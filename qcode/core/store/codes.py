"""The codebook: codes in a tree, with a closure table of every ancestor/descendant pair."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from qcode.core.model import Code
from qcode.core.store.connection import inserted_id

_COLUMNS = "id, parent_id, name, color, definition, inclusion, exclusion, example, position, guid"


def codes(conn: sqlite3.Connection) -> list[Code]:
    """All codes, parents before children, siblings in their order."""
    rows = conn.execute(
        f"""WITH RECURSIVE tree(id, sort) AS (
              SELECT id, printf('%08d', position) FROM code WHERE parent_id IS NULL
              UNION ALL
              SELECT c.id, tree.sort || '/' || printf('%08d', c.position)
              FROM code c JOIN tree ON c.parent_id = tree.id)
            SELECT {", ".join("c." + col for col in _COLUMNS.split(", "))}
            FROM tree JOIN code c ON c.id = tree.id ORDER BY tree.sort"""
    )
    return [Code(*r) for r in rows]


def code_by_id(conn: sqlite3.Connection, code_id: int) -> Code | None:
    """The code with this id, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM code WHERE id = ?", (code_id,)).fetchone()
    return Code(*row) if row else None


def code_by_guid(conn: sqlite3.Connection, guid: str) -> Code | None:
    """The code with this stable identifier, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM code WHERE guid = ?", (guid,)).fetchone()
    return Code(*row) if row else None


def code_by_name_in(conn: sqlite3.Connection, parent_id: int | None, name: str) -> Code | None:
    """The code of this name (case-insensitive, as code names are unique) directly under `parent_id` (None: top level),
    or None."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM code WHERE coalesce(parent_id, 0) = ? AND name = ? COLLATE NOCASE",
        (parent_id or 0, name),
    ).fetchone()
    return Code(*row) if row else None


def codes_by_name(conn: sqlite3.Connection, name: str) -> list[Code]:
    """Every code of this name (case-insensitive), anywhere in the tree."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM code WHERE name = ? COLLATE NOCASE ORDER BY id", (name,))
    return [Code(*r) for r in rows]


def children(conn: sqlite3.Connection, parent_id: int | None) -> list[Code]:
    """The codes directly under `parent_id` (None: the top level), in their order."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM code WHERE coalesce(parent_id, 0) = ? ORDER BY position, id", (parent_id or 0,)
    )
    return [Code(*r) for r in rows]


def next_position(conn: sqlite3.Connection, parent_id: int | None) -> int:
    """The position a new last child of `parent_id` takes."""
    return int(conn.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM code WHERE coalesce(parent_id, 0) = ?", (parent_id or 0,)
    ).fetchone()[0])


def insert_code(
    conn: sqlite3.Connection,
    *,
    parent_id: int | None,
    name: str,
    color: str,
    definition: str,
    inclusion: str,
    exclusion: str,
    example: str,
    position: int,
    guid: str,
    created_at: str,
    code_id: int | None = None,
) -> int:
    """Insert a code (with a given id when restoring one) and its rows in the closure table."""
    new_id = inserted_id(conn.execute(
        "INSERT INTO code(id, parent_id, name, color, definition, inclusion, exclusion, example, position, guid, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code_id, parent_id, name, color, definition, inclusion, exclusion, example, position, guid, created_at),
    ))
    conn.execute("INSERT INTO code_closure(ancestor_id, code_id, depth) VALUES (?, ?, 0)", (new_id, new_id))
    if parent_id is not None:
        conn.execute(
            "INSERT INTO code_closure(ancestor_id, code_id, depth) "
            "SELECT ancestor_id, ?, depth + 1 FROM code_closure WHERE code_id = ?",
            (new_id, parent_id),
        )
    return new_id


def update_code_fields(conn: sqlite3.Connection, code_id: int, fields: dict[str, str]) -> None:
    """Set some of a code's fields (name, color, definition, inclusion, exclusion, example); an unknown field is a
    programming error."""
    allowed = {"name", "color", "definition", "inclusion", "exclusion", "example"}
    if not fields:
        return
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not code fields: {sorted(unknown)}")
    assignments = ", ".join(f"{key} = ?" for key in fields)
    conn.execute(f"UPDATE code SET {assignments} WHERE id = ?", (*fields.values(), code_id))


def ancestors(conn: sqlite3.Connection, code_id: int) -> list[int]:
    """The code itself and every code above it, nearest first."""
    rows = conn.execute(
        "SELECT ancestor_id FROM code_closure WHERE code_id = ? ORDER BY depth", (code_id,)
    )
    return [r[0] for r in rows]


def descendants(conn: sqlite3.Connection, code_ids: Iterable[int]) -> list[int]:
    """The codes themselves and every code below them."""
    ids = list(code_ids)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT DISTINCT code_id FROM code_closure WHERE ancestor_id IN ({marks})", ids)
    return [r[0] for r in rows]


def move_code(conn: sqlite3.Connection, code_id: int, new_parent_id: int | None, position: int) -> None:
    """Re-hang a subtree; the caller has checked for cycles."""
    conn.execute(
        """DELETE FROM code_closure
           WHERE code_id IN (SELECT code_id FROM code_closure WHERE ancestor_id = :c)
             AND ancestor_id NOT IN (SELECT code_id FROM code_closure WHERE ancestor_id = :c)""",
        {"c": code_id},
    )
    if new_parent_id is not None:
        conn.execute(
            """INSERT INTO code_closure(ancestor_id, code_id, depth)
               SELECT up.ancestor_id, down.code_id, up.depth + down.depth + 1
               FROM code_closure up, code_closure down
               WHERE up.code_id = :p AND down.ancestor_id = :c""",
            {"p": new_parent_id, "c": code_id},
        )
    conn.execute("UPDATE code SET parent_id = ?, position = ? WHERE id = ?", (new_parent_id, position, code_id))


def set_positions(conn: sqlite3.Connection, ordered_ids: list[int]) -> None:
    """Number these codes 0, 1, 2 ... in the order given (their order among siblings)."""
    conn.executemany("UPDATE code SET position = ? WHERE id = ?", [(i, cid) for i, cid in enumerate(ordered_ids)])


def set_position_values(conn: sqlite3.Connection, places: list[tuple[int, int]]) -> None:
    """Set (code id, position) pairs as given (restoring an earlier order, gaps included)."""
    conn.executemany("UPDATE code SET position = ? WHERE id = ?", [(pos, cid) for cid, pos in places])


def reparent_children(conn: sqlite3.Connection, old_parent: int, new_parent: int | None) -> list[int]:
    """Move every child of `old_parent` under `new_parent`, appended after its children; returns them."""
    kids = [c.id for c in children(conn, old_parent)]
    position = next_position(conn, new_parent)
    for offset, kid in enumerate(kids):
        move_code(conn, kid, new_parent, position + offset)
    return kids


def delete_code_row(conn: sqlite3.Connection, code_id: int) -> None:
    """Delete one code row; its codings and closure rows go with it (the caller deletes children first)."""
    conn.execute("DELETE FROM code WHERE id = ?", (code_id,))


def code_paths(conn: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    """Each code's path from the top of the tree, as names."""
    rows = conn.execute(
        """SELECT cl.code_id, c.name FROM code_closure cl JOIN code c ON c.id = cl.ancestor_id
           ORDER BY cl.code_id, cl.depth DESC"""
    )
    paths: dict[int, list[str]] = {}
    for code_id, name in rows:
        paths.setdefault(code_id, []).append(name)
    return {code_id: tuple(names) for code_id, names in paths.items()}


def subtree_deepest_first(conn: sqlite3.Connection, code_id: int) -> list[int]:
    """The code and its descendants, deepest first (the order to delete them in)."""
    rows = conn.execute(
        "SELECT code_id FROM code_closure WHERE ancestor_id = ? ORDER BY depth DESC, code_id", (code_id,)
    )
    return [r[0] for r in rows]


def created_at(conn: sqlite3.Connection, code_ids: list[int]) -> dict[int, str]:
    """When each code was created (kept by snapshots, so that an undone deletion is exact)."""
    if not code_ids:
        return {}
    marks = ",".join("?" * len(code_ids))
    return dict(conn.execute(f"SELECT id, created_at FROM code WHERE id IN ({marks})", code_ids).fetchall())


def count_codes(conn: sqlite3.Connection) -> int:
    """How many codes the codebook holds."""
    return int(conn.execute("SELECT count(*) FROM code").fetchone()[0])
