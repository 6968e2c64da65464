"""How an analysis splits its counts: by source, case, coder, or the values of one attribute; and the sources'
display paths, which label the groups by source."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from qcode.core.store import sources as source_store

GROUP_KINDS = ("source", "case", "coder", "attribute")


@dataclass(frozen=True, slots=True)
class Grouping:
    """How to split a table of counts: by source, case, coder, or the values of one attribute."""

    kind: str
    attribute_id: int | None = None


def source_paths(conn: sqlite3.Connection) -> dict[int, str]:
    """Each source's display path, 'Folder/Sub/Name'."""
    folders = {f.id: f for f in source_store.folders(conn)}

    def folder_path(folder_id: int | None) -> str:
        parts = []
        while folder_id is not None:
            folder = folders[folder_id]
            parts.append(folder.name)
            folder_id = folder.parent_id
        return "/".join(reversed(parts))

    result = {}
    prefixes: dict[int | None, str] = {}
    for source_id, name, folder_id in source_store.source_folders(conn):
        if folder_id not in prefixes:
            prefixes[folder_id] = folder_path(folder_id)
        prefix = prefixes[folder_id]
        result[source_id] = f"{prefix}/{name}" if prefix else name
    return result
