"""The undo command of a REFI-QDA codebook import: the codes it added."""

from __future__ import annotations

from qcode.core.model import CodeSnapshot
from qcode.core.project import Project
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
