"""The undo commands of REFI-QDA imports: a codebook (the codes it added) and a project merged into the open one."""

from __future__ import annotations

from qcode.core.model import CodeSnapshot
from qcode.core.project import ImportRecord, ImportUndo, Project
from qcode.gui.commands.base import CoreCommand


class ImportCodebook(CoreCommand):
    """Undo deletes the codes an import added (codes it matched stay as they were); redo puts exactly those
    back, with their ids and guids (no re-reading of the file)."""

    def __init__(self, project: Project, code_ids: tuple[int, ...]) -> None:
        super().__init__(f"Import {len(code_ids)} code{'s' if len(code_ids) != 1 else ''}")
        self.project = project
        added = set(code_ids)
        # the topmost added codes: deleting one takes its added sub-codes with it
        self.roots = [c.id for c in project.codes() if c.id in added and c.parent_id not in added]
        self.snapshots: list[CodeSnapshot] = []
        self._applied_by_push = True  # the worker already imported them

    def apply(self) -> None:
        for snapshot in self.snapshots:
            self.project.restore_codes(snapshot)

    def revert(self) -> None:
        self.snapshots = [self.project.code_snapshot(code_id) for code_id in self.roots]
        for code_id in reversed(self.roots):
            self.project.delete_code(code_id)


class ImportProject(CoreCommand):
    """Undo takes back everything a project import added or changed; redo puts exactly that back (same ids
    and identifiers, no re-reading of the file)."""

    runs_in_background = True  # an import can bring thousands of codings

    def __init__(self, project: Project, name: str, record: ImportRecord) -> None:
        super().__init__(f"Import {name}")
        self.project = project
        self.record = record
        self.undo_state: ImportUndo | None = None
        self._applied_by_push = True  # the worker already imported it

    def apply(self) -> None:
        if self.undo_state is not None:
            self.project.put_back_refi_import(self.undo_state)

    def revert(self) -> None:
        self.undo_state = self.project.take_back_refi_import(self.record)
