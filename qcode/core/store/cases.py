"""Cases, their members (whole sources or ranges), attributes and attribute values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from qcode.core.model import Attribute, Case, CaseMember
from qcode.core.store import aggregates
from qcode.core.store.connection import fresh_guid, inserted_id


def cases(conn: sqlite3.Connection) -> list[Case]:
    """Every case, by name (case-insensitive)."""
    return [Case(*r) for r in conn.execute("SELECT id, name, guid FROM cases ORDER BY name COLLATE NOCASE, id")]


def case_by_id(conn: sqlite3.Connection, case_id: int) -> Case | None:
    """The case with this id, or None."""
    row = conn.execute("SELECT id, name, guid FROM cases WHERE id = ?", (case_id,)).fetchone()
    return Case(*row) if row else None


def case_by_name(conn: sqlite3.Connection, name: str) -> Case | None:
    """The case of exactly this name, or None."""
    row = conn.execute("SELECT id, name, guid FROM cases WHERE name = ?", (name,)).fetchone()
    return Case(*row) if row else None


def insert_case(conn: sqlite3.Connection, name: str, guid: str, case_id: int | None = None) -> int:
    """A new case row; `case_id` puts back a deleted case under its old id."""
    return inserted_id(conn.execute("INSERT INTO cases(id, name, guid) VALUES (?, ?, ?)", (case_id, name, guid)))


def rename_case(conn: sqlite3.Connection, case_id: int, name: str) -> None:
    """Give a case a new name (the caller checks it is free)."""
    conn.execute("UPDATE cases SET name = ? WHERE id = ?", (name, case_id))


def delete_case(conn: sqlite3.Connection, case_id: int) -> None:
    """Delete a case; its members, per-case aggregates and values go with it, and its values' sums are redone."""
    pairs = aggregates.value_pairs(conn, [case_id])
    conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    aggregates.refresh_value_groups(conn, pairs)


def insert_member(
    conn: sqlite3.Connection, case_id: int, source_id: int, start: int | None, end: int | None,
    member_id: int | None = None,
) -> int:
    """A new membership row; `member_id` puts back a removed one under its old id."""
    return inserted_id(conn.execute(
        'INSERT INTO case_member(id, case_id, source_id, start, "end") VALUES (?, ?, ?, ?, ?)',
        (member_id, case_id, source_id, start, end),
    ))


def find_member(
    conn: sqlite3.Connection, case_id: int, source_id: int, start: int | None, end: int | None
) -> int | None:
    """The id of the membership of exactly this source range (None, None: the whole source) in a case, or None."""
    row = conn.execute(
        'SELECT id FROM case_member WHERE case_id = ? AND source_id = ? AND start IS ? AND "end" IS ?',
        (case_id, source_id, start, end),
    ).fetchone()
    return row[0] if row else None


def delete_member(conn: sqlite3.Connection, member_id: int) -> None:
    """Remove one membership row."""
    conn.execute("DELETE FROM case_member WHERE id = ?", (member_id,))


def members(conn: sqlite3.Connection, case_id: int | None = None, source_id: int | None = None) -> list[CaseMember]:
    """Case memberships, of one case and/or one source, or all of them."""
    sql = 'SELECT id, case_id, source_id, start, "end" FROM case_member WHERE 1'
    args: list[Any] = []
    if case_id is not None:
        sql += " AND case_id = ?"
        args.append(case_id)
    if source_id is not None:
        sql += " AND source_id = ?"
        args.append(source_id)
    return [CaseMember(*r) for r in conn.execute(sql + " ORDER BY source_id, start, id", args)]


# --- attributes ------------------------------------------------------------------------------------------


def _attribute(row: tuple[Any, ...]) -> Attribute:
    attr_id, name, type_, scope, choices = row
    return Attribute(attr_id, name, type_, scope, tuple(json.loads(choices)))


def attributes(conn: sqlite3.Connection, scope: str | None = None) -> list[Attribute]:
    """Every attribute, or those of one scope ('case' or 'source'), in their order."""
    sql = "SELECT id, name, type, scope, choices FROM attribute"
    args: tuple[Any, ...] = ()
    if scope:
        sql += " WHERE scope = ?"
        args = (scope,)
    return [_attribute(r) for r in conn.execute(sql + " ORDER BY scope, position, id", args)]


def attribute_by_id(conn: sqlite3.Connection, attribute_id: int) -> Attribute | None:
    """The attribute with this id, or None."""
    row = conn.execute("SELECT id, name, type, scope, choices FROM attribute WHERE id = ?", (attribute_id,))
    found = row.fetchone()
    return _attribute(found) if found else None


def attributes_by_name(conn: sqlite3.Connection, name: str) -> list[Attribute]:
    """Every attribute of this name (case-insensitive): at most one per scope."""
    rows = conn.execute(
        "SELECT id, name, type, scope, choices FROM attribute WHERE name = ? COLLATE NOCASE ORDER BY scope", (name,)
    )
    return [_attribute(r) for r in rows]


def insert_attribute(
    conn: sqlite3.Connection, name: str, type_: str, scope: str, choices: tuple[str, ...],
    attribute_id: int | None = None, position: int | None = None, guid: str | None = None,
) -> int:
    """A new attribute, last in its scope unless `position` is given; `attribute_id` restores a deleted one;
    `guid` is its identity (fresh when None)."""
    if position is None:
        found = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM attribute WHERE scope = ?", (scope,))
        position = found.fetchone()[0]
    return inserted_id(conn.execute(
        "INSERT INTO attribute(id, name, type, scope, choices, position, guid) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (attribute_id, name, type_, scope, json.dumps(list(choices), ensure_ascii=False), position,
         guid or fresh_guid()),
    ))


def attribute_position(conn: sqlite3.Connection, attribute_id: int) -> int:
    """An attribute's place among the attributes (0 when unknown)."""
    row = conn.execute("SELECT position FROM attribute WHERE id = ?", (attribute_id,)).fetchone()
    return row[0] if row else 0


def update_attribute(conn: sqlite3.Connection, attribute_id: int, *, name: str, choices: tuple[str, ...]) -> None:
    """Rename an attribute and set its choices (for a choice attribute)."""
    conn.execute(
        "UPDATE attribute SET name = ?, choices = ? WHERE id = ?",
        (name, json.dumps(list(choices), ensure_ascii=False), attribute_id),
    )


def delete_attribute(conn: sqlite3.Connection, attribute_id: int) -> None:
    """Delete an attribute; its values go with it (foreign keys cascade)."""
    conn.execute("DELETE FROM attribute WHERE id = ?", (attribute_id,))


def set_value(conn: sqlite3.Connection, attribute_id: int, owner_id: int, value: object) -> None:
    """Set (or with None clear) a value; a case's frequency sums by that attribute's values follow it."""
    row = conn.execute(
        "SELECT a.scope, v.value FROM attribute a LEFT JOIN attribute_value v ON v.attribute_id = a.id "
        "AND v.owner_id = ? WHERE a.id = ?",
        (owner_id, attribute_id),
    ).fetchone()
    if value is None:
        conn.execute("DELETE FROM attribute_value WHERE attribute_id = ? AND owner_id = ?", (attribute_id, owner_id))
    else:
        conn.execute(
            "INSERT INTO attribute_value(attribute_id, owner_id, value) VALUES (?, ?, ?) "
            "ON CONFLICT(attribute_id, owner_id) DO UPDATE SET value = excluded.value",
            (attribute_id, owner_id, value),
        )
    if row is not None and row[0] == "case":
        stored = conn.execute("SELECT value FROM attribute_value WHERE attribute_id = ? AND owner_id = ?",
                              (attribute_id, owner_id)).fetchone()
        new = None if stored is None else stored[0]
        if new != row[1] or type(new) is not type(row[1]):
            aggregates.move_case_between_values(conn, attribute_id, owner_id, row[1], new)


def set_source_values(conn: sqlite3.Connection, rows: Iterable[tuple[int, int, object]]) -> None:
    """Set many values of source attributes at once: (attribute_id, source_id, value) each, none of them None
    (source attributes have no frequency sums to follow them)."""
    conn.executemany(
        "INSERT INTO attribute_value(attribute_id, owner_id, value) VALUES (?, ?, ?) "
        "ON CONFLICT(attribute_id, owner_id) DO UPDATE SET value = excluded.value",
        rows,
    )


def values_of(conn: sqlite3.Connection, scope: str, owner_id: int) -> dict[int, object]:
    """The attribute values of one case or source: attribute id -> value."""
    rows = conn.execute(
        "SELECT v.attribute_id, v.value FROM attribute_value v JOIN attribute a ON a.id = v.attribute_id "
        "WHERE a.scope = ? AND v.owner_id = ?",
        (scope, owner_id),
    )
    return dict(rows)


def values_for_attribute(conn: sqlite3.Connection, attribute_id: int) -> dict[int, object]:
    """Every value of one attribute: owner (case or source) id -> value."""
    return dict(conn.execute("SELECT owner_id, value FROM attribute_value WHERE attribute_id = ?", (attribute_id,)))
