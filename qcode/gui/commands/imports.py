"""The undo command of an import: the sources, cases and attributes one batch added."""

from __future__ import annotations

from qcode.core.model import AttributeSnapshot, CaseSnapshot, ImportOutcome, SourceSnapshot
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand


class ImportSources(CoreCommand):
    """Undo removes what a batch added (its sources, and the cases and attributes it created, as a survey or
    speaker cases do); redo puts exactly those back, with their ids (no re-reading of files)."""

    def __init__(self, project: Project, outcomes: list[ImportOutcome], *, case_ids: list[int] | None = None,
                 attribute_ids: list[int] | None = None) -> None:
        count = sum(len(o.source_ids) for o in outcomes)
        super().__init__(f"Import {count} source{'s' if count != 1 else ''}")
        self.project = project
        self.source_ids = [sid for o in outcomes for sid in o.source_ids]
        self.case_ids = list(case_ids or [])
        self.attribute_ids = list(attribute_ids or [])
        self.snapshots: list[SourceSnapshot] = []
        self.cases: list[CaseSnapshot] = []
        self.attributes: list[AttributeSnapshot] = []
        self._applied_by_push = True  # the worker already imported them

    def apply(self) -> None:
        # attributes, then cases (with their values), then the sources (with every case's members in them)
        for attribute in self.attributes:
            self.project.restore_attribute(attribute)
        for case in self.cases:
            self.project.restore_case(case)
        self.project.restore_sources(self.snapshots)

    def revert(self) -> None:
        self.snapshots = [self.project.source_snapshot(sid) for sid in self.source_ids]
        self.cases = [self.project.case_snapshot(cid) for cid in self.case_ids]
        self.attributes = [self.project.attribute_snapshot(aid) for aid in self.attribute_ids]
        self.project.delete_sources(self.source_ids)
        for case_id in self.case_ids:
            self.project.delete_case(case_id)
        for attribute_id in self.attribute_ids:
            self.project.delete_attribute(attribute_id)
