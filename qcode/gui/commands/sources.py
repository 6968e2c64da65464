"""Undo commands for folders and sources: each wraps one core call and its inverse.

Deleting takes a snapshot first, so that undo puts back exactly what went (ids, codings, memos, cases).
"""

from __future__ import annotations

from qcode.core.model import FolderSnapshot, SourceSnapshot
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand


class CreateFolder(CoreCommand):
    def __init__(self, project: Project, name: str, parent_id: int | None) -> None:
        super().__init__(f"Create folder '{name.strip()}'")
        self.project = project
        self.name = name
        self.parent_id = parent_id
        self.snapshot: FolderSnapshot | None = None
        self.folder_id: int | None = None

    def apply(self) -> None:
        if self.snapshot is None:
            self.folder_id = self.project.create_folder(self.name, parent_id=self.parent_id).id
        else:
            self.project.restore_folder(self.snapshot)

    def revert(self) -> None:
        assert self.folder_id is not None
        self.snapshot = self.project.folder_snapshot(self.folder_id)
        self.project.delete_folder(self.folder_id, recursive=True)


class RenameFolder(CoreCommand):
    def __init__(self, project: Project, folder_id: int, name: str) -> None:
        self.old = project.folder(folder_id).name
        super().__init__(f"Rename folder '{self.old}'")
        self.project = project
        self.folder_id = folder_id
        self.new = name

    def apply(self) -> None:
        self.project.rename_folder(self.folder_id, self.new)

    def revert(self) -> None:
        self.project.rename_folder(self.folder_id, self.old)


class MoveFolder(CoreCommand):
    def __init__(self, project: Project, folder_id: int, parent_id: int | None) -> None:
        folder = project.folder(folder_id)
        super().__init__(f"Move folder '{folder.name}'")
        self.project = project
        self.folder_id = folder_id
        self.old = folder.parent_id
        self.new = parent_id

    def apply(self) -> None:
        self.project.move_folder(self.folder_id, self.new)

    def revert(self) -> None:
        self.project.move_folder(self.folder_id, self.old)


class DeleteFolder(CoreCommand):
    """Delete a folder with its subfolders and sources."""

    def __init__(self, project: Project, folder_id: int) -> None:
        super().__init__(f"Delete folder '{project.folder(folder_id).name}'")
        self.project = project
        self.folder_id = folder_id
        self.snapshot: FolderSnapshot | None = None

    def apply(self) -> None:
        self.snapshot = self.project.folder_snapshot(self.folder_id)
        self.project.delete_folder(self.folder_id, recursive=True)

    def revert(self) -> None:
        assert self.snapshot is not None
        self.project.restore_folder(self.snapshot)


class RenameSource(CoreCommand):
    def __init__(self, project: Project, source_id: int, name: str) -> None:
        self.old = project.source(source_id).name
        super().__init__(f"Rename source '{self.old}'")
        self.project = project
        self.source_id = source_id
        self.new = name

    def apply(self) -> None:
        self.project.rename_source(self.source_id, self.new)

    def revert(self) -> None:
        self.project.rename_source(self.source_id, self.old)


class MoveSources(CoreCommand):
    def __init__(self, project: Project, source_ids: list[int], folder_id: int | None) -> None:
        count = len(source_ids)
        super().__init__(f"Move {count} source{'s' if count != 1 else ''}")
        self.project = project
        self.old = {sid: project.source(sid).folder_id for sid in source_ids}
        self.new = folder_id

    def apply(self) -> None:
        self.project.move_sources(list(self.old), self.new)

    def revert(self) -> None:
        for folder_id in set(self.old.values()):
            self.project.move_sources([sid for sid, f in self.old.items() if f == folder_id], folder_id)


class DeleteSources(CoreCommand):
    def __init__(self, project: Project, source_ids: list[int]) -> None:
        count = len(source_ids)
        label = f"'{project.source(source_ids[0]).name}'" if count == 1 else f"{count} sources"
        super().__init__(f"Delete {label}")
        self.project = project
        self.source_ids = source_ids
        self.snapshots: list[SourceSnapshot] = []

    def apply(self) -> None:
        self.snapshots = [self.project.source_snapshot(sid) for sid in self.source_ids]
        self.project.delete_sources(self.source_ids)

    def revert(self) -> None:
        self.project.restore_sources(self.snapshots)
