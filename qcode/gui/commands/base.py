"""Undo commands: each wraps one core call (`apply`) and its inverse (`revert`), nothing more.

`push` applies a command before putting it on the stack, so a change the core refuses (a duplicate
coding, a clashing name) raises there and never reaches the stack.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from qcode.core.errors import QcodeError
from qcode.gui.support.plain_text import as_text
from qcode.gui.support.workers import run_while_responsive

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
        QMessageBox.warning(parent, "qcode", as_text(err.message))
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


