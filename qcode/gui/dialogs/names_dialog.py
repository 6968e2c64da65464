"""Project > Name register: the terms pseudonymised exports replace, with suggestions of names to add.

Every change is an undo command on the window's stack; the table follows the project's change notices, so
Undo in the main window updates it too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import RegisterEntry
from qcode.core.project import Change, NameSuggestion, Project
from qcode.gui.commands.base import push_or_warn
from qcode.gui.commands.names import AddName, EditName, RemoveName, SetPseudonymiseExports
from qcode.gui.dialogs.name_check_dialog import next_pseudonym
from qcode.gui.support.pending_edits import commit_open_editor
from qcode.gui.support.tables import fill_rows, row_table

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 40


def why_suggested(suggestion: NameSuggestion) -> str:
    """Why a name is suggested, in the suggestions' second column."""
    return "a speaker" if suggestion.reason == "speaker" else f"capitalised, {suggestion.occurrences} times"


class NamesDialog(QDialog):
    """The register as a table (term, pseudonym, applied), a line to add a term, and suggestions."""

    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.setWindowTitle("Name register")
        self.resize(760, 520)
        self._filling = False

        intro = QLabel("Names of people, places and organisations, with what a pseudonymised export writes "
                       "instead. A term matches as a whole word in any letter case, possessives included.")
        intro.setWordWrap(True)
        self.table = row_table("Registered names", ["Term", "Pseudonym", "Applied"], stretch=[0, 1], editable=True)
        self.table.itemChanged.connect(self._item_changed)

        self.term = QLineEdit(placeholderText="Term, e.g. Marcus")
        self.term.setAccessibleName("Term to register")
        self.pseudonym = QLineEdit(placeholderText="Pseudonym, e.g. P01")
        self.pseudonym.setAccessibleName("Its pseudonym")
        self.pseudonym.returnPressed.connect(self.add_current)
        add = QPushButton("&Add")
        add.clicked.connect(self.add_current)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        adding = QHBoxLayout()
        for widget in (self.term, self.pseudonym, add, self.remove_button):
            adding.addWidget(widget)

        self.suggestions = row_table("Suggested names", ["Suggested name", "Why", "Sources"], stretch=[0])
        self.suggestions.itemActivated.connect(lambda item: self.take_suggestion(item.row()))
        suggest = QPushButton("&Suggest names")
        suggest.clicked.connect(self.fill_suggestions)

        self.by_default = QCheckBox("Pseudonymise every &export unless I say otherwise (a setting of this project)")
        self.by_default.setToolTip("The Export dialog and REFI-QDA exports start with Pseudonymise ticked; on the "
                                   "command line, 'qcode export' pseudonymises unless --no-pseudonymise is given.")
        self.by_default.toggled.connect(self._default_toggled)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 3)
        layout.addLayout(adding)
        layout.addWidget(suggest, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.suggestions, 2)
        layout.addWidget(self.by_default)
        layout.addWidget(buttons)
        self._unsubscribe = project.subscribe(self._changed)
        self.finished.connect(lambda _result: self._unsubscribe())
        for widget in (self.term, self.pseudonym, add, self.remove_button, suggest, self.by_default):
            widget.setEnabled(not project.readonly)
        self.refresh()

    def save_pending(self) -> None:
        """Store a pseudonym being edited in the table (the window is closing)."""
        if self.project.is_open and not self.project.readonly:
            commit_open_editor(self.table)

    # --- the register --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the register as the project holds it."""
        self._filling = True
        entries = self.project.name_register()
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            term = QTableWidgetItem(entry.term)
            term.setFlags(term.flags() & ~Qt.ItemFlag.ItemIsEditable)
            term.setData(ENTRY_ROLE, entry)
            pseudonym = QTableWidgetItem(entry.pseudonym)
            applied = QTableWidgetItem()
            applied.setFlags((applied.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsEditable)
            applied.setCheckState(Qt.CheckState.Checked if entry.enabled else Qt.CheckState.Unchecked)
            for column, item in enumerate((term, pseudonym, applied)):
                self.table.setItem(row, column, item)
        self.by_default.setChecked(self.project.pseudonymise_exports)
        self._filling = False
        if self.pseudonym.text() == "" or self.pseudonym.text().startswith("P"):
            self.pseudonym.setText(self.next_pseudonym())

    def next_pseudonym(self) -> str:
        """P01, P02 ...: the first of these the register does not use yet."""
        return next_pseudonym(self.project)

    def _entry(self, row: int) -> RegisterEntry:
        item = self.table.item(row, 0)
        assert item is not None
        entry: RegisterEntry = item.data(ENTRY_ROLE)
        return entry

    def _changed(self, change: Change) -> None:
        if change.kind == "names":
            self.refresh()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or self.project.readonly:
            return
        entry = self._entry(item.row())
        if item.column() == 1 and item.text().strip() != entry.pseudonym:
            if not push_or_warn(self.undo_stack, EditName(self.project, entry, pseudonym=item.text()), self):
                self.refresh()
        elif item.column() == 2:
            enabled = item.checkState() == Qt.CheckState.Checked
            if enabled != entry.enabled:
                push_or_warn(self.undo_stack, EditName(self.project, entry, enabled=enabled), self)

    def _default_toggled(self, on: bool) -> None:
        if self._filling or on == self.project.pseudonymise_exports:
            return
        if not push_or_warn(self.undo_stack, SetPseudonymiseExports(self.project, on), self):
            self.refresh()

    def add_current(self) -> bool:
        """Register what the two fields hold; on success they empty for the next term."""
        if not self.term.text().strip():
            self.term.setFocus()
            return False
        if not push_or_warn(self.undo_stack, AddName(self.project, self.term.text(), self.pseudonym.text()), self):
            return False
        self.term.clear()
        self.pseudonym.setText(self.next_pseudonym())
        self.term.setFocus()
        return True

    def remove_selected(self) -> None:
        """Remove the selected terms (one undo step each)."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        for entry in [self._entry(row) for row in rows]:
            push_or_warn(self.undo_stack, RemoveName(self.project, entry), self)

    # --- suggestions ---------------------------------------------------------------------------------

    def fill_suggestions(self) -> None:
        """List names the register may lack; double-click (or Enter on) one to fill it in above."""
        found = self.project.suggest_names()
        fill_rows(self.suggestions, ((s.term, why_suggested(s), str(s.sources)) for s in found))

    def take_suggestion(self, row: int) -> None:
        """Put a suggested name in the term field, ready to be given a pseudonym and added."""
        item = self.suggestions.item(row, 0)
        if item is not None:
            self.term.setText(item.text())
            self.pseudonym.setFocus()
            self.pseudonym.selectAll()
