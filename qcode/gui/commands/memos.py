"""Undo commands for memos: on a source, code, case or the project, and on passages."""

from __future__ import annotations

from qcode.core.model import Memo
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand


class EditMemo(CoreCommand):
    """Write the memo of the project, a source, code, coding or case; undo puts the previous text back."""

    def __init__(self, project: Project, kind: str, target_id: int | None, old: str, new: str, label: str) -> None:
        super().__init__(f"Edit memo on {label}")
        self.project = project
        self.kind = kind
        self.target_id = target_id
        self.old = old
        self.new = new

    def apply(self) -> None:
        self.project.set_memo(self.kind, self.target_id, self.new)

    def revert(self) -> None:
        self.project.set_memo(self.kind, self.target_id, self.old)


class AddRangeMemo(CoreCommand):
    """A memo on a passage of a source; undo deletes it, redo puts the same memo back."""

    def __init__(self, project: Project, source_id: int, start: int, end: int, text: str) -> None:
        super().__init__("Add memo on a passage")
        self.project = project
        self.args = (source_id, start, end, text)
        self.memo: Memo | None = None

    def apply(self) -> None:
        if self.memo is None:
            self.memo = self.project.add_range_memo(*self.args)
        else:
            self.project.restore_memo(self.memo)

    def revert(self) -> None:
        assert self.memo is not None
        self.project.delete_memo(self.memo.id)


class EditRangeMemo(CoreCommand):
    def __init__(self, project: Project, memo: Memo, text: str) -> None:
        super().__init__("Edit memo on a passage")
        self.project = project
        self.memo_id = memo.id
        self.old = memo.text
        self.new = text

    def apply(self) -> None:
        self.project.update_memo(self.memo_id, self.new)

    def revert(self) -> None:
        self.project.update_memo(self.memo_id, self.old)


class DeleteMemo(CoreCommand):
    def __init__(self, project: Project, memo: Memo) -> None:
        super().__init__("Delete memo")
        self.project = project
        self.memo = memo

    def apply(self) -> None:
        self.memo = self.project.delete_memo(self.memo.id)

    def revert(self) -> None:
        self.project.restore_memo(self.memo)
