"""Coding gestures beyond 'select, then pick a code': in-vivo codes, quick keys 1–9, and the quick-code box.

Each gesture ends in undo commands, so every one of them is a single undoable step. Every gesture takes
the selection through `selection()`, which widens it to whole words when that option is on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QCompleter, QInputDialog, QLineEdit, QMainWindow, QMenu, QMessageBox

from qcode.core.errors import DuplicateCodingError, NotFoundError, QcodeError
from qcode.core.project import Project, snap_to_words
from qcode.gui.commands.base import push, push_or_warn
from qcode.gui.commands.codebook import CreateCode, CreateCodePath
from qcode.gui.commands.codings import ApplyCode
from qcode.gui.support.plain_text import as_text
from qcode.gui.views.document_view import DocumentView

IN_VIVO_MAX = 60
SNAP_SETTING = "coding/snap-to-words"
RECENT_CODES = 8  # codes offered by the document's "Code with" menu


def in_vivo_name(text: str) -> str:
    """A code name from selected words: one line, no '/', at most IN_VIVO_MAX characters."""
    name = " ".join(text.replace("/", "-").split()).strip(" .,;:!?\"'“”‘’")
    if len(name) > IN_VIVO_MAX:
        name = name[:IN_VIVO_MAX].rsplit(" ", 1)[0] + "…"
    return name


class CodingActions(QObject):
    quick_keys_changed = Signal(object)  # {digit: code id}

    def __init__(self, window: QMainWindow, project: Project, document: DocumentView, undo_stack: QUndoStack,
                 settings: QSettings | None, status: Callable[[str], None]) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.document = document
        self.undo_stack = undo_stack
        self.settings = settings
        self.status = status
        self.quick_keys: dict[int, int] = self._load_quick_keys()
        self.snap_words = settings is not None and str(settings.value(SNAP_SETTING, "false")).lower() == "true"
        self.recent_codes: list[int] = []  # the codes applied most recently, newest first
        self.actions: list[QAction] = []
        for digit in range(1, 10):
            action = QAction(f"Apply quick code {digit}", window)
            action.setShortcut(QKeySequence(str(digit)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _=False, d=digit: self.apply_quick_key(d))
            document.addAction(action)
            self.actions.append(action)

    # --- the selection ---------------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The document's selection to code (code points), widened to whole words when snapping is on, and
        without white space at its edges (None when it holds nothing else)."""
        selection = self.document.selection()
        if selection is None or self.document.source_id is None:
            return None
        if self.snap_words:
            selection = snap_to_words(self.document.source_text(), *selection)
        try:
            return self.project.coding_range(self.document.source_id, *selection)
        except QcodeError:  # only white space selected
            return None

    def set_snap_words(self, on: bool) -> None:
        """Widen selections to whole words before coding them (remembered in the settings)."""
        self.snap_words = bool(on)
        if self.settings is not None:
            self.settings.setValue(SNAP_SETTING, "true" if on else "false")

    # --- applying --------------------------------------------------------------------------------------

    def apply_code(self, code_id: int) -> bool:
        """Code the selection in the document with a code; a hint when nothing is selected."""
        selection = self.selection()
        if selection is None or self.document.source_id is None:
            self.status("Select some text in the document first, then choose a code.")
            return False
        if self.project.readonly:
            self.status("This project is open read-only.")
            return False
        label = self.project.code(code_id).name
        self.recent_codes = [code_id, *[c for c in self.recent_codes if c != code_id][:RECENT_CODES - 1]]
        try:
            push(self.undo_stack, ApplyCode(self.project, self.document.source_id, code_id, *selection, label))
        except DuplicateCodingError:  # said in the status bar: coding twice is no reason for a modal dialog
            self.status(f"This passage already has '{label}' from you; nothing changed.")
            return False
        except QcodeError as err:
            QMessageBox.warning(self.window, "qcode", as_text(err.message))
            return False
        return True

    def _push(self, command: ApplyCode | CreateCode | CreateCodePath) -> bool:
        return push_or_warn(self.undo_stack, command, self.window)

    def _create_and_apply(self, create: CreateCode | CreateCodePath, label: str) -> bool:
        """One undo step: create a code (with any parents it lacks), then code the selection with it."""
        selection = self.selection()
        if selection is None or self.document.source_id is None:
            self.status("Select some text in the document first.")
            return False
        self.undo_stack.beginMacro(label)
        try:
            if not self._push(create):
                return False
            assert create.code_id is not None
            name = self.project.code(create.code_id).name
            return self._push(ApplyCode(self.project, self.document.source_id, create.code_id, *selection, name))
        finally:
            self.undo_stack.endMacro()

    def code_in_vivo(self) -> bool:
        """A new top-level code named after the selected words, applied to them."""
        selection = self.selection()
        if selection is None or self.document.source_id is None:
            self.status("Select the words to use as the code's name first.")
            return False
        name = in_vivo_name(self.project.source_slice(self.document.source_id, *selection))
        if not name:
            self.status("The selection has no words to name a code after.")
            return False
        try:
            existing = self.project.find_code(name)
        except (NotFoundError, QcodeError):
            return self._create_and_apply(CreateCode(self.project, name, None), f"Code in vivo '{name}'")
        return self.apply_code(existing.id)

    # --- the document's context menu -------------------------------------------------------------------

    def extend_menu(self, menu: QMenu) -> None:
        """'Code with' the recently used codes and 'Code with…' any code (the quick-code box), for a selection."""
        if self.project.readonly or self.selection() is None:
            return
        first = menu.actions()[0] if menu.actions() else None
        recent = QMenu("Code &with", menu)
        for code_id in self.recent_codes:
            try:
                path = self.project.code_path(code_id, separator=" › ")
            except NotFoundError:  # deleted since
                continue
            recent.addAction(path.replace("&", "&&"), lambda c=code_id: self.apply_code(c))
        if recent.isEmpty():
            recent.addAction("(no code used yet)").setEnabled(False)
        menu.insertMenu(first, recent)
        picker = QAction("Code with…", menu)
        picker.triggered.connect(lambda: self.open_quick_code_box())
        menu.insertAction(first, picker)
        menu.insertSeparator(first)

    # --- quick keys ------------------------------------------------------------------------------------

    def _settings_key(self) -> str:
        return f"quick-keys/{self.project.metadata().get('guid', self.project.path.name)}"

    def _load_quick_keys(self) -> dict[int, int]:
        if self.settings is None:
            return {}
        stored = self.settings.value(self._settings_key(), "") or ""
        keys: dict[int, int] = {}
        for pair in str(stored).split(","):
            if ":" in pair:
                digit, code_id = pair.split(":", 1)
                if digit.isdigit() and code_id.isdigit():
                    keys[int(digit)] = int(code_id)
        return keys

    def assign_quick_key(self, digit: int, code_id: int) -> None:
        self.quick_keys = {d: c for d, c in self.quick_keys.items() if c != code_id}
        self.quick_keys[digit] = code_id
        if self.settings is not None:
            self.settings.setValue(self._settings_key(), ",".join(f"{d}:{c}" for d, c in sorted(self.quick_keys.items())))
        self.status(f"Key {digit} now applies '{self.project.code(code_id).name}'.")
        self.quick_keys_changed.emit(dict(self.quick_keys))

    def apply_quick_key(self, digit: int) -> bool:
        code_id = self.quick_keys.get(digit)
        if code_id is None:
            self.status(f"No code is assigned to key {digit}: right-click a code and choose 'Quick key'.")
            return False
        try:
            self.project.code(code_id)
        except NotFoundError:
            self.status(f"The code of key {digit} no longer exists.")
            return False
        return self.apply_code(code_id)

    # --- quick-code box --------------------------------------------------------------------------------

    def code_paths(self) -> list[str]:
        return [self.project.code_path(c.id) for c in self.project.codes()]

    def quick_code(self, text: str) -> bool:
        """Apply the code at a path ('Parent/Child') or with a unique name; an unknown one is created, with any
        parents its path lacks (`Project.find_or_create_code`), in the same undo step."""
        text = text.strip().strip("/")
        if not text:
            return False
        try:
            return self.apply_code(self.project.find_code(text).id)
        except NotFoundError:
            pass
        except QcodeError as err:
            QMessageBox.warning(self.window, "qcode", as_text(err.message))
            return False
        return self._create_and_apply(CreateCodePath(self.project, text), f"Create and apply '{text}'")

    def open_quick_code_box(self) -> None:
        """Ctrl+K: type part of a code's name (completion matches anywhere in the path), Enter applies it."""
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("Quick code")
        dialog.setLabelText("Code (a new name creates the code):")
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        completer = QCompleter(self.code_paths(), dialog)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit = dialog.findChild(QLineEdit)
        if edit is not None:
            edit.setCompleter(completer)
        dialog.textValueSelected.connect(self.quick_code)
        dialog.open()
