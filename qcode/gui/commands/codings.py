"""Undo commands for codings: one coding applied or removed, and many at once (autocoding, coding all search
hits) as one step in one transaction."""

from __future__ import annotations

from qcode.core.errors import QcodeError
from qcode.core.model import Coding, NewCoding
from qcode.core.project import Project
from qcode.gui.commands.base import LARGE_STEP, CoreCommand
from qcode.gui.commands.codebook import CreateCodePath

LARGE_BATCH = LARGE_STEP  # codings: undoing or redoing more runs on a worker, with the window painting meanwhile


class ApplyCodings(CoreCommand):
    """Apply a batch of codings; undo removes exactly the codings it added, redo puts the same ones back."""

    def __init__(self, project: Project, batch: list[NewCoding], label: str) -> None:
        super().__init__(label)
        self.project = project
        self.batch = batch
        self.runs_in_background = len(batch) > LARGE_BATCH
        self.codings: list[Coding] | None = None

    def apply(self) -> None:
        if self.codings is None:
            self.codings = self.project.apply_codings(self.batch)
        else:
            self.project.restore_codings(self.codings)

    def revert(self) -> None:
        if self.codings:
            self.project.remove_codings([c.id for c in self.codings])


class CodePassages(CoreCommand):
    """Code passages (source, start, end) with a code, creating the code (and parents it lacks) first when it is
    new (`new_code` is its path): one undo step.

    When coding fails, a code created for it is taken back before the error propagates.
    """

    def __init__(self, project: Project, ranges: list[tuple[int, int, int]], label: str, *,
                 code_id: int | None = None, new_code: str | None = None,
                 coder_id: int | None = None) -> None:
        super().__init__(label)
        self.project = project
        self.ranges = ranges
        self.runs_in_background = len(ranges) > LARGE_BATCH
        self.code_id = code_id
        self.coder_id = coder_id
        self.create = CreateCodePath(project, new_code) if new_code is not None else None
        self.codings: ApplyCodings | None = None

    def apply(self) -> None:
        if self.create is not None:
            self.create.apply()
            self.code_id = self.create.code_id
        assert self.code_id is not None
        if self.codings is None:
            batch = [NewCoding(s, self.code_id, start, end, self.coder_id) for s, start, end in self.ranges]
            self.codings = ApplyCodings(self.project, batch, self.text())
        try:
            self.codings.apply()
        except QcodeError:
            if self.create is not None:
                self.create.revert()
            raise

    def revert(self) -> None:
        if self.codings is not None:
            self.codings.revert()
        if self.create is not None:
            self.create.revert()

    @property
    def added(self) -> int:
        return len(self.codings.codings or []) if self.codings is not None else 0


class ApplyCode(CoreCommand):
    def __init__(self, project: Project, source_id: int, code_id: int, start: int, end: int, label: str) -> None:
        super().__init__(f"Apply code '{label}'")
        self.project = project
        self.args = (source_id, code_id, start, end)
        self.coding: Coding | None = None

    def apply(self) -> None:
        if self.coding is None:
            self.coding = self.project.add_coding(*self.args)
        else:
            self.project.restore_coding(self.coding)

    def revert(self) -> None:
        if self.coding is not None:
            self.project.remove_coding(self.coding.id)


class RemoveCoding(CoreCommand):
    def __init__(self, project: Project, coding: Coding, label: str) -> None:
        super().__init__(f"Remove coding '{label}'")
        self.project = project
        self.coding = coding

    def apply(self) -> None:
        self.project.remove_coding(self.coding.id)

    def revert(self) -> None:
        self.project.restore_coding(self.coding)
