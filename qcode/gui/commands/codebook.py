"""Undo commands for the codebook: create, edit, delete, merge and move codes."""

from __future__ import annotations

from qcode.core.errors import QcodeError
from qcode.core.model import CodeOrder, CodeSnapshot, MergeSnapshot
from qcode.core.project import Project
from qcode.gui.commands.base import LARGE_STEP, CoreCommand


class CreateCode(CoreCommand):
    def __init__(self, project: Project, name: str, parent_id: int | None) -> None:
        super().__init__(f"Create code '{name}'")
        self.project = project
        self.name = name
        self.parent_id = parent_id
        self.snapshot: CodeSnapshot | None = None
        self.code_id: int | None = None

    def apply(self) -> None:
        if self.snapshot is None:
            self.code_id = self.project.create_code(self.name, parent_id=self.parent_id).id
        else:
            self.project.restore_codes(self.snapshot)

    def revert(self) -> None:
        assert self.code_id is not None
        self.snapshot = self.project.code_snapshot(self.code_id)
        self.project.delete_code(self.code_id)


class CreateCodePath(CoreCommand):
    """Find or create the code a path names (`Project.find_or_create_code`); undo takes back every code it created,
    parents included, and redo restores them exactly."""

    def __init__(self, project: Project, path: str) -> None:
        super().__init__(f"Create code '{path}'")
        self.project = project
        self.path = path
        self.code_id: int | None = None
        self.created: tuple[int, ...] = ()
        self.snapshot: CodeSnapshot | None = None

    def apply(self) -> None:
        if self.snapshot is None:
            code, self.created = self.project.find_or_create_code(self.path)
            self.code_id = code.id
        else:
            self.project.restore_codes(self.snapshot)

    def revert(self) -> None:
        if self.created:  # the first code created holds the others (they are its sub-codes)
            self.snapshot = self.project.code_snapshot(self.created[0])
            self.project.delete_code(self.created[0])


class EditCode(CoreCommand):
    """Change fields of a code (name, colour, definition, ...); undo puts the old values back."""

    def __init__(self, project: Project, code_id: int, label: str, **fields: str) -> None:
        super().__init__(label)
        self.project = project
        self.code_id = code_id
        self.new = fields
        code = project.code(code_id)
        self.old = {key: getattr(code, key) for key in fields}

    def apply(self) -> None:
        self.project.update_code(self.code_id, **self.new)

    def revert(self) -> None:
        self.project.update_code(self.code_id, **self.old)


class DeleteCode(CoreCommand):
    def __init__(self, project: Project, code_id: int) -> None:
        super().__init__(f"Delete code '{project.code(code_id).name}'")
        self.project = project
        self.code_id = code_id
        self.snapshot = project.code_snapshot(code_id)
        self.runs_in_background = len(self.snapshot.codings) > LARGE_STEP

    def apply(self) -> None:
        self.snapshot = self.project.code_snapshot(self.code_id)
        self.project.delete_code(self.code_id)

    def revert(self) -> None:
        self.project.restore_codes(self.snapshot)


class MergeCodes(CoreCommand):
    """Merge one or more codes into a target; undo brings each back exactly (ids, GUIDs, codings, memos)."""

    def __init__(self, project: Project, code_ids: list[int], target_id: int) -> None:
        target = project.code(target_id).name
        if len(code_ids) == 1:
            label = f"Merge '{project.code(code_ids[0]).name}' into '{target}'"
        else:
            label = f"Merge {len(code_ids)} codes into '{target}'"
        super().__init__(label)
        self.project = project
        self.code_ids = list(code_ids)
        self.target_id = target_id
        self.snapshots: list[MergeSnapshot] = []
        counts = project.excerpt_counts()
        self.runs_in_background = sum(counts.get(c, 0) for c in (*code_ids, target_id)) > LARGE_STEP

    def apply(self) -> None:
        self.snapshots = []
        try:
            for code_id in self.code_ids:
                snapshot = self.project.merge_snapshot(code_id, self.target_id)
                self.project.merge_codes(code_id, self.target_id)
                self.snapshots.append(snapshot)
        except QcodeError:
            self.revert()  # a refused merge leaves none of them done
            raise

    def revert(self) -> None:
        for snapshot in reversed(self.snapshots):
            self.project.unmerge_codes(snapshot)
        self.snapshots = []


class MoveCodes(CoreCommand):
    """Hang codes under a parent (None: top level), before a sibling (None: at the end); undo restores the order."""

    def __init__(self, project: Project, code_ids: list[int], parent_id: int | None, before_id: int | None,
                 label: str) -> None:
        super().__init__(label)
        self.project = project
        self.code_ids = list(code_ids)
        self.parent_id = parent_id
        self.before_id = before_id
        self.order: CodeOrder | None = None

    def apply(self) -> None:
        parents = [self.project.code(c).parent_id for c in self.code_ids] + [self.parent_id]
        self.order = self.project.code_order(parents)
        try:
            for code_id in self.code_ids:
                self.project.move_code(code_id, self.parent_id, before_id=self.before_id)
        except QcodeError:
            self.revert()
            raise
        # a drop that leaves every code where it was is not worth an undo step
        self.setObsolete(self.project.code_order(parents) == self.order)

    def revert(self) -> None:
        if self.order is not None:
            self.project.restore_code_order(self.order)
