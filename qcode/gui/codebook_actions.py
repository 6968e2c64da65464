"""Restructuring the codebook: merging codes (menu, dialog, Shift+drop) and moving them by drag and drop.

Each gesture is one undo step; a move or merge the core refuses shows its message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMessageBox, QWidget

from qcode.core.errors import QcodeError
from qcode.core.project import Project
from qcode.gui.commands import CoreCommand, MergeCodes, MoveCodes, push
from qcode.gui.dialogs.merge_dialog import MergeDialog
from qcode.gui.views.codebook_panel import CodebookPanel


class CodebookActions(QObject):
    def __init__(self, window: QWidget, project: Project, panel: CodebookPanel, undo_stack: QUndoStack,
                 status: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.panel = panel
        self.undo_stack = undo_stack
        self.status = status
        # queued: the drop event finishes before the tree is rebuilt from the project
        panel.model.drop_requested.connect(self.codes_dropped, Qt.ConnectionType.QueuedConnection)
        #: the keyboard's way to restructure (as in a word processor's outline view), also in the context menu
        self.move_actions: list[QAction] = []
        for label, step, keys in (("Move up", "up", "Alt+Shift+Up"), ("Move down", "down", "Alt+Shift+Down"),
                                  ("Move out one level", "out", "Alt+Shift+Left"),
                                  ("Move into the code above", "in", "Alt+Shift+Right")):
            action = QAction(label, panel.tree)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setEnabled(not project.readonly)
            action.triggered.connect(lambda _=False, s=step: self.step_current(s))
            panel.tree.addAction(action)
            self.move_actions.append(action)

    def _push(self, command: CoreCommand) -> bool:
        try:
            push(self.undo_stack, command)
        except QcodeError as err:
            QMessageBox.warning(self.window, "qcode", err.message)
            return False
        return True

    def _top_most(self, code_ids: list[int]) -> list[int]:
        """Drop codes whose parent (or grandparent…) is also chosen: they travel with it."""
        chosen = list(dict.fromkeys(code_ids))
        below = {d for c in chosen for d in self.project.descendants(c) if d != c}
        return [c for c in chosen if c not in below]

    # --- merging ------------------------------------------------------------------------------------

    def merge_codes(self, code_ids: list[int], target_id: int) -> bool:
        """Merge codes into a target as one undo step."""
        code_ids = [c for c in dict.fromkeys(code_ids) if c != target_id]
        if not code_ids or self.project.readonly:
            return False
        command = MergeCodes(self.project, code_ids, target_id)
        if not self._push(command):
            return False
        self.status(f"{command.text()}. Edit > Undo brings {'it' if len(code_ids) == 1 else 'them'} back.")
        return True

    def open_merge_dialog(self, code_ids: list[int] | None = None) -> MergeDialog | None:
        """Ask which code to merge the selected codes into (window-modal, not blocking)."""
        code_ids = code_ids if code_ids is not None else self.panel.selected_code_ids()
        if not code_ids or self.project.readonly:
            return None
        dialog = MergeDialog(self.project, code_ids, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._merge_chosen(dialog))
        dialog.open()
        return dialog

    def _merge_chosen(self, dialog: MergeDialog) -> None:
        target = dialog.chosen_code_id()
        if target is not None:
            self.merge_codes(dialog.code_ids, target)

    # --- moving -------------------------------------------------------------------------------------

    def move_codes(self, code_ids: list[int], parent_id: int | None, before_id: int | None = None) -> bool:
        """Hang codes under a parent (None: top level), before a sibling (None: at the end), as one undo step."""
        code_ids = self._top_most(code_ids)
        if not code_ids or self.project.readonly:
            return False
        first = self.project.code(code_ids[0]).name
        what = f"'{first}'" if len(code_ids) == 1 else f"{len(code_ids)} codes"
        if all(self.project.code(c).parent_id == parent_id for c in code_ids):
            label = f"Reorder {what}"
        elif parent_id is None:
            label = f"Move {what} to the top level"
        else:
            label = f"Move {what} under '{self.project.code(parent_id).name}'"
        return self._push(MoveCodes(self.project, code_ids, parent_id, before_id, label))

    def step_current(self, step: str) -> bool:
        """Move the current code one step: 'up', 'down', 'out' (beside its parent) or 'in' (under the code above)."""
        ids = self.panel.selected_code_ids()
        if len(ids) != 1:
            return False
        code = self.project.code(ids[0])
        siblings = [c.id for c in self.project.children(code.parent_id)]
        index = siblings.index(code.id)
        if step == "up" and index > 0:
            return self.move_codes([code.id], code.parent_id, siblings[index - 1])
        if step == "down" and index < len(siblings) - 1:
            after = siblings[index + 2] if index + 2 < len(siblings) else None
            return self.move_codes([code.id], code.parent_id, after)
        if step == "out" and code.parent_id is not None:
            parent = self.project.code(code.parent_id)
            uncles = [c.id for c in self.project.children(parent.parent_id)]
            after = uncles.index(parent.id) + 1
            return self.move_codes([code.id], parent.parent_id, uncles[after] if after < len(uncles) else None)
        if step == "in" and index > 0:
            return self.move_codes([code.id], siblings[index - 1], None)
        return False

    def codes_dropped(self, code_ids: list[int], parent_id: int | None, before_id: int | None, merge: bool) -> None:
        """A drop in the tree: onto a code nests (Shift: merges), between codes reorders, below them: top level."""
        if merge and parent_id is not None:
            self.merge_codes(code_ids, parent_id)
        else:
            self.move_codes(code_ids, parent_id, before_id)
