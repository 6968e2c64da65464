"""Undo commands: each wraps one core call (`apply`) and its inverse (`revert`), nothing more.

`push` applies a command before putting it on the stack, so a change the core refuses (a duplicate
coding, a clashing name) raises there and never reaches the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from qcode.core.api.codebook import CodeOrder, CodeSnapshot, MergeSnapshot
from qcode.core.errors import QcodeError
from qcode.core.model import Coding, Memo
from qcode.core.project import Project
from qcode.gui.workers import run_while_responsive

LARGE_STEP = 1500  # codings a step touches beyond which it runs on a worker while the window keeps painting


class CoreCommand(QUndoCommand):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._applied_by_push = False

    def apply(self) -> None:  # overridden by every command
        return None

    def revert(self) -> None:  # overridden by every command
        return None

    #: set by commands whose undo and redo can take longer than a frame (thousands of codings): they then run
    #: on a worker while the event loop goes on (see `run_while_responsive`)
    runs_in_background = False

    def redo(self) -> None:
        if self._applied_by_push:
            self._applied_by_push = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, step: Callable[[], None]) -> None:
        if self.runs_in_background:
            run_while_responsive(step, f"{self.text()}…")
        else:
            step()


def push(stack: QUndoStack, command: CoreCommand) -> None:
    """Apply the command (errors propagate, the stack is untouched), then record it."""
    command._run(command.apply)
    command._applied_by_push = True
    stack.push(command)


def push_or_warn(stack: QUndoStack, command: CoreCommand, parent: QWidget | None) -> bool:
    """Apply and record a command; when the core refuses it, show the core's message and return False."""
    try:
        push(stack, command)
    except QcodeError as err:
        QMessageBox.warning(parent, "qcode", err.message)
        return False
    return True


class Batch(CoreCommand):
    """Commands undone and redone together, as one step."""

    def __init__(self, label: str, commands: list[CoreCommand]) -> None:
        super().__init__(label)
        self.commands = commands

    def apply(self) -> None:
        done: list[CoreCommand] = []
        try:
            for command in self.commands:
                command.apply()
                done.append(command)
        except Exception:
            for command in reversed(done):  # all or nothing: a refused step takes back the ones before it
                command.revert()
            raise

    def revert(self) -> None:
        for command in reversed(self.commands):
            command.revert()


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
