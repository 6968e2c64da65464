"""Exact undo of deleting sources and folders: snapshots of everything they take with them, and their restore."""

from __future__ import annotations

import sqlite3

from qcode.core.errors import InvalidOperationError
from qcode.core.model import Folder, FolderSnapshot, SourceSnapshot
from qcode.core.project.base import ProjectBase
from qcode.core.store import aggregates
from qcode.core.store import cases as case_store
from qcode.core.store import codings as coding_store
from qcode.core.store import memos as memo_store
from qcode.core.store import sources as source_store


class SourceSnapshotsMixin(ProjectBase):
    """Exact undo of deleting sources and folders: snapshots of all they take with them, and their restore."""

    def source_snapshot(self, source_id: int) -> SourceSnapshot:
        """A source as it is now, with its text, spans, codings, memos, case memberships and attribute values, for
        restoring it exactly after deletion."""
        source = self._source(source_id)
        read = self._store.read
        codings = coding_store.codings_for_source(read, source_id)
        own = memo_store.memo_for(read, "source", source_id)
        memos = ([own] if own is not None else []) + memo_store.memos_in_source(read, source_id) + \
            memo_store.memos_of(read, "coding", [c.id for c in codings])
        return SourceSnapshot(
            source=source, text=source_store.source_text(read, source_id) or "",
            position=source_store.source_position(read, source_id), spans=source_store.spans(read, source_id),
            codings=codings, memos=memos, members=case_store.members(read, source_id=source_id),
            values=case_store.values_of(read, "source", source_id),
        )

    def folder_snapshot(self, folder_id: int) -> FolderSnapshot:
        """A folder with its subfolders (parents first) and snapshots of every source in them."""
        self.folder(folder_id)
        read = self._store.read
        subtree = set(source_store.folder_subtree(read, [folder_id]))
        by_id = {f.id: f for f in source_store.folders(read) if f.id in subtree}
        ordered: list[Folder] = []

        def visit(folder: Folder) -> None:
            if folder in ordered:
                return
            if folder.parent_id in by_id:
                visit(by_id[folder.parent_id])
            ordered.append(folder)

        for folder in by_id.values():
            visit(folder)
        sources = [self.source_snapshot(sid) for sid in source_store.source_ids_in_folders(read, [folder_id])]
        return FolderSnapshot(ordered, sources)

    def restore_folder(self, snapshot: FolderSnapshot) -> None:
        """Undo deleting a folder: its subfolders and sources come back with their ids, in one transaction."""
        with self._store.transaction() as tx:
            for folder in snapshot.folders:
                if source_store.folder_by_id(tx, folder.id) is not None:
                    raise InvalidOperationError(f"The folder '{folder.name}' is already in the project.")
                source_store.insert_folder(tx, folder.parent_id, folder.name, folder_id=folder.id,
                                           position=folder.position)
            self._restore_sources_in(tx, snapshot.sources)
        self._notify("folder", "added", tuple(f.id for f in snapshot.folders))
        if snapshot.sources:
            self._notify("source", "added", tuple(s.source.id for s in snapshot.sources))

    def restore_sources(self, snapshots: list[SourceSnapshot]) -> None:
        """Undo deleting sources: put each back with its ids, in one transaction."""
        with self._store.transaction() as tx:
            self._restore_sources_in(tx, snapshots)
        self._notify("source", "added", tuple(s.source.id for s in snapshots))

    def _restore_sources_in(self, tx: sqlite3.Connection, snapshots: list[SourceSnapshot]) -> None:
        for snap in snapshots:
            source = snap.source
            if source_store.source_by_id(tx, source.id) is not None:
                raise InvalidOperationError(f"The source '{source.name}' is already in the project.")
            source_store.insert_source(
                tx, name=source.name, kind=source.kind, text=snap.text, sha256=source.sha256,
                original_name=source.original_name, imported_at=source.imported_at, folder_id=source.folder_id,
                meta=source.meta, source_id=source.id, position=snap.position,
            )
            source_store.insert_spans(tx, source.id, snap.spans)
            for coding in snap.codings:
                coding_store.restore_coding(tx, coding)
            for memo in snap.memos:
                memo_store.restore_memo(tx, memo)
            for member in snap.members:
                case_store.insert_member(tx, member.case_id, member.source_id, member.start, member.end,
                                         member_id=member.id)
            for attribute_id, value in snap.values.items():
                case_store.set_value(tx, attribute_id, source.id, value)
            aggregates.after_coding_change(tx, {c.code_id for c in snap.codings}, source.id, 0, len(snap.text))
            aggregates.after_membership_change(tx, {m.case_id for m in snap.members})
