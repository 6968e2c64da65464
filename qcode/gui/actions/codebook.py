"""Editing the codebook: new codes and sub-codes, rename (F2), recolour, delete (Delete), the context menu,
merging codes (menu, dialog, Shift+drop) and moving them by drag and drop or from the keyboard.

Each gesture is one undo step; a change the core refuses shows its message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import QColorDialog, QInputDialog, QMenu, QMessageBox, QWidget

from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand, push_or_warn
from qcode.gui.commands.codebook import CreateCode, DeleteCode, EditCode, MergeCodes, MoveCodes
from qcode.gui.dialogs.merge_dialog import MergeDialog
from qcode.gui.models.project_trees import ID_ROLE, KIND_ROLE
from qcode.gui.support.plain_text import as_text
from qcode.gui.views.codebook_panel import CodebookPanel


class CodebookActions(QObject):
    def __init__(self, window: QWidget, project: Project, panel: CodebookPanel, undo_stack: QUndoStack,
                 status: Callable[[str], None], *, assign_quick_key: Callable[[int, int], None]) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.panel = panel
        self.undo_stack = undo_stack
        self.status = status
        self.assign_quick_key = assign_quick_key
        panel.new_code_requested.connect(lambda: self.new_code(None))
        panel.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        panel.tree.customContextMenuRequested.connect(self._menu)
        if not project.readonly:
            for label, keys, edit in (("Rename code", QKeySequence("F2"), self.rename_code),
                                      ("Delete code", QKeySequence(QKeySequence.StandardKey.Delete), self.delete_code)):
                shortcut = QAction(label, panel.tree)
                shortcut.setShortcut(keys)
                shortcut.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.triggered.connect(lambda _=False, e=edit: self._edit_current(e))
                panel.tree.addAction(shortcut)
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
        return push_or_warn(self.undo_stack, command, self.window)

    # --- creating and editing codes -----------------------------------------------------------------

    def current_code_id(self) -> int | None:
        index = self.panel.tree.currentIndex()
        return int(index.siblingAtColumn(0).data(ID_ROLE)) if index.isValid() and index.data(KIND_ROLE) == "code" \
            else None

    def _edit_current(self, edit: Callable[[int], object]) -> None:
        code_id = self.current_code_id()
        if code_id is not None:
            edit(code_id)

    def new_code(self, parent_id: int | None, name: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self.window, "New code", "Name of the new code:")
            if not ok or not name.strip():
                return False
        return self._push(CreateCode(self.project, name, parent_id))

    def rename_code(self, code_id: int, name: str | None = None) -> bool:
        code = self.project.code(code_id)
        if name is None:
            name, ok = QInputDialog.getText(self.window, "Rename code", "New name:", text=code.name)
            if not ok or not name.strip() or name == code.name:
                return False
        return self._push(EditCode(self.project, code_id, f"Rename code '{code.name}'", name=name))

    def recolor_code(self, code_id: int, color: str | None = None) -> bool:
        code = self.project.code(code_id)
        if color is None:
            chosen = QColorDialog.getColor(QColor(code.color), self.window, f"Colour of '{code.name}'")
            if not chosen.isValid():
                return False
            color = chosen.name()
        return self._push(EditCode(self.project, code_id, f"Recolour code '{code.name}'", color=color))

    def delete_code(self, code_id: int, *, confirm: bool = True) -> bool:
        """Delete a code with its sub-codes and codings, after saying how much goes (Undo brings it back)."""
        if confirm and not self.confirm_delete(code_id):
            return False
        return self._push(DeleteCode(self.project, code_id))

    def confirm_delete(self, code_id: int) -> bool:
        code = self.project.code(code_id)
        below = len(self.project.descendants(code_id)) - 1
        codings = len(self.project.codings_for_code(code_id, include_descendants=True))
        sub_codes = f"{below} sub-code{'s' if below != 1 else ''}"
        coded = f"{codings} coding{'s' if codings != 1 else ''}"
        if below and codings:
            text = f"Delete the code '{code.name}' with its {sub_codes} and {coded}?"
        elif below or codings:
            text = f"Delete the code '{code.name}' with its {sub_codes if below else coded}?"
        else:
            text = f"Delete the code '{code.name}'? It has no sub-codes and no codings."
        answer = QMessageBox.question(self.window, "Delete code", as_text(f"{text} Edit > Undo (Ctrl+Z) brings "
                                                                          "back everything deleted."))
        return answer in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok)

    def _menu(self, position: QPoint) -> None:
        if self.project.readonly:
            return
        tree = self.panel.tree
        code_id = self.current_code_id() if tree.indexAt(position).isValid() else None
        menu = QMenu(self.window)
        menu.addAction("New top-level code…", lambda: self.new_code(None))
        if code_id is not None:
            menu.addAction("New sub-code…", lambda: self.new_code(code_id))
            menu.addSeparator()
            menu.addAction("Rename…", lambda: self.rename_code(code_id)).setShortcut(QKeySequence("F2"))
            menu.addAction("Change colour…", lambda: self.recolor_code(code_id))
            selected = self.panel.selected_code_ids()
            merging = selected if code_id in selected else [code_id]
            menu.addAction("Merge into…" if len(merging) == 1 else f"Merge {len(merging)} codes into…",
                           lambda: self.open_merge_dialog(merging))
            move = menu.addMenu("Move")
            move.addActions(self.move_actions)
            keys = menu.addMenu("Quick key")
            for digit in range(1, 10):
                keys.addAction(str(digit), lambda d=digit: self.assign_quick_key(d, code_id))
            menu.addSeparator()
            menu.addAction("Delete (with its sub-codes and codings)", lambda: self.delete_code(code_id)).setShortcut(
                QKeySequence(QKeySequence.StandardKey.Delete))
        menu.exec(tree.viewport().mapToGlobal(position))
        menu.deleteLater()

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
