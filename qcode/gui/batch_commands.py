"""Undo commands for many codings at once (autocoding, coding all search hits): one step, one transaction."""

from __future__ import annotations

from qcode.core.api.codings import NewCoding
from qcode.core.model import Coding
from qcode.core.project import Project
from qcode.gui.commands import CoreCommand


class ApplyCodings(CoreCommand):
    """Apply a batch of codings; undo removes exactly the codings it added, redo puts the same ones back."""

    def __init__(self, project: Project, batch: list[NewCoding], label: str) -> None:
        super().__init__(label)
        self.project = project
        self.batch = batch
        self.codings: list[Coding] | None = None

    def apply(self) -> None:
        if self.codings is None:
            self.codings = self.project.apply_codings(self.batch)
        else:
            self.project.restore_codings(self.codings)

    def revert(self) -> None:
        if self.codings:
            self.project.remove_codings([c.id for c in self.codings])
