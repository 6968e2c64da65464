"""Undo commands for team work: merging another coder's project, and resolving a disagreement."""

from __future__ import annotations

import tempfile
from pathlib import Path

from qcode.core.errors import InvalidRequestError
from qcode.core.model import Coding
from qcode.core.project import MergeReport, Project, Resolution
from qcode.gui.commands.base import CoreCommand


class MergeProject(CoreCommand):
    """Merge another project file in; undo takes back everything the merge added or changed, coders included.

    The first merge keeps a copy of the file as it was merged, and redo merges that copy again with the same
    choices: it adds exactly what the merge added, even when the file has been moved or changed since.
    """

    runs_in_background = True

    def __init__(self, project: Project, other: Path, choices: dict[str, str]) -> None:
        super().__init__(f"Merge {other.name}")
        self.project = project
        self.other = other
        self.choices = choices
        self.report: MergeReport | None = None
        self._kept: tempfile.TemporaryDirectory[str] | None = None  # removed with the command

    def apply(self) -> None:
        if self._kept is None:
            kept = tempfile.TemporaryDirectory(prefix="qcode-merge-")
            with Project.open(self.other, mode="read") as other:
                other.save_copy(Path(kept.name) / self.other.name)
            self._kept = kept
        report = self.project.merge_project(Path(self._kept.name) / self.other.name, choices=self.choices)
        if not report.applied:
            raise InvalidRequestError(f"{len(report.needs_choice)} conflicts of {self.other.name} need a choice; "
                                      "nothing was merged.")
        report.other = str(self.other)
        self.report = report

    def revert(self) -> None:
        if self.report is not None and self.report.applied:
            self.project.unmerge(self.report.record)


class ResolveDisagreement(CoreCommand):
    """Remove some codings and add others in one step (accepting a coder's version, or removing a passage)."""

    def __init__(self, project: Project, resolution: Resolution, label: str) -> None:
        super().__init__(label)
        self.project = project
        self.resolution = resolution
        self.added: list[Coding] | None = None

    def apply(self) -> None:
        with self.project.atomic():
            self.project.remove_codings([c.id for c in self.resolution.remove])
            if self.added is None:
                self.added = self.project.apply_codings(self.resolution.add)
            else:
                self.project.restore_codings(self.added)

    def revert(self) -> None:
        with self.project.atomic():
            if self.added:
                self.project.remove_codings([c.id for c in self.added])
            self.project.restore_codings(self.resolution.remove)


class SetBlindCoding(CoreCommand):
    """Turn blind coding on or off for the team (a setting stored in the project)."""

    def __init__(self, project: Project, on: bool) -> None:
        super().__init__("Start blind coding" if on else "End blind coding")
        self.project = project
        self.on = on
        self.before = project.blind_coding

    def apply(self) -> None:
        self.project.set_blind_coding(self.on)

    def revert(self) -> None:
        self.project.set_blind_coding(self.before)
