"""Parts of the cases editor: the cell delegate (typed values), the new-attribute dialog, the case's sources."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import ATTRIBUTE_TYPES, Attribute, CaseMember
from qcode.core.project import Project
from qcode.gui.support.item_opening import open_rows_with
from qcode.gui.support.plain_text import as_text

ATTRIBUTE_ROLE = Qt.ItemDataRole.UserRole + 21  # the Attribute of an attribute column (None elsewhere)
MEMBER_ROLE = Qt.ItemDataRole.UserRole + 23
PLACEHOLDERS = {"number": "a number, e.g. 34", "date": "YYYY-MM-DD"}


class CellDelegate(QStyledItemDelegate):
    """A combo box for choice attributes, a line edit (with a hint of the expected form) for the rest."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        attribute: Attribute | None = index.data(ATTRIBUTE_ROLE)
        name = attribute.name if attribute else "case name"
        if attribute is not None and attribute.type == "choice" and attribute.choices:
            combo = QComboBox(parent)
            combo.setAccessibleName(f"Value of {name}")
            combo.addItem("(no value)", "")
            for choice in attribute.choices:
                combo.addItem(choice, choice)
            return combo
        editor = QLineEdit(parent)
        editor.setAccessibleName(f"Value of {name}" if attribute else "Case name")
        editor.setPlaceholderText(PLACEHOLDERS.get(attribute.type, "") if attribute else "")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText(value)

    def setModelData(self, editor: QWidget, model, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text())


class AttributeDialog(QDialog):
    """Name, type and (for a choice) the choices of a new case or source attribute."""

    def __init__(self, parent: QWidget | None = None, *, scope: str = "case") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New {scope} attribute")
        self.setMinimumWidth(380)
        form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setAccessibleName("Attribute name")
        self.type = QComboBox()
        self.type.setAccessibleName("Attribute type")
        self.type.addItems(list(ATTRIBUTE_TYPES))
        self.choices = QLineEdit()
        self.choices.setAccessibleName("Choices")
        self.choices.setPlaceholderText("comma-separated, e.g. 18-29, 30-49, 50+")
        self.choices.setEnabled(False)
        self.type.currentTextChanged.connect(lambda kind: self.choices.setEnabled(kind == "choice"))
        form.addRow("&Name:", self.name)
        form.addRow("&Type:", self.type)
        form.addRow("&Choices:", self.choices)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> tuple[str, str, tuple[str, ...]]:
        kind = self.type.currentText()
        choices = tuple(c.strip() for c in self.choices.text().split(",") if c.strip()) if kind == "choice" else ()
        return self.name.text(), kind, choices




def button(text: str, accessible: str, slot: Callable[[], object]) -> QPushButton:
    made = QPushButton(text)
    made.setAccessibleName(accessible)
    made.clicked.connect(lambda: slot())  # not `checked` as the first argument
    return made


class CaseMembersView(QWidget):
    """The sources (whole, or passages) of one case, with buttons to add the shown source or the selected
    passage, or remove one."""

    open_requested = Signal(int, int, int)  # source id, start, end (0, 0 for a whole source)
    assign_clicked = Signal(bool)  # True: the selected passage; False: the whole source shown
    remove_requested = Signal(int)  # member id

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.view = QTreeView()
        self.view.setAccessibleName("Sources of the case")
        self.view.setRootIsDecorated(False)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Source", "Part", "Text"])
        self.view.setModel(self.model)
        open_rows_with(self.view, self._open)  # once per double-click or Enter
        self.assign_button = button("Add this source", "Add the whole source shown in the document to the case",
                                    lambda: self.assign_clicked.emit(False))
        self.assign_button.setToolTip("Makes the whole source shown in the document part of the case.")
        self.assign_passage_button = button("Add the selected passage",
                                            "Add the passage selected in the document to the case",
                                            lambda: self.assign_clicked.emit(True))
        self.assign_passage_button.setToolTip("Makes only the passage selected in the document part of the case.")
        self.has_selection = False
        self._writable_case = False
        self.remove_button = button("Remove", "Remove the chosen source from the case", self._remove)
        self.title.setWordWrap(True)
        # two short rows rather than one long one, so the list fits beside the cases in a low panel
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.remove_button)
        adding = QHBoxLayout()
        adding.addWidget(self.assign_button)
        adding.addWidget(self.assign_passage_button)
        adding.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(adding)
        layout.addWidget(self.view)

    def show_case(self, case_id: int | None, *, any_cases: bool, writable: bool) -> None:
        self.model.removeRows(0, self.model.rowCount())
        self._writable_case = writable and case_id is not None
        self.assign_button.setEnabled(self._writable_case)
        self.assign_passage_button.setEnabled(self._writable_case and self.has_selection)
        self.remove_button.setEnabled(False)
        if case_id is None:
            self.title.setText("Choose a case to see its sources." if any_cases
                               else "No cases yet: add one with “New case”.")
            return
        members = self.project.case_members(case_id)
        name = self.project.case(case_id).name
        self.title.setText(f"Sources of {name}" if members else f"{name} has no sources yet.")
        names = {s.id: s.name for s in self.project.sources()}
        for member in members:
            if member.start is None or member.end is None:
                part, text = "whole source", "(the whole source)"
            else:
                part = self.project.describe_location(member.source_id, member.start)
                text = " ".join(self.project.source_slice(member.source_id, member.start, member.end).split())
            row = [QStandardItem(names.get(member.source_id, "?")), QStandardItem(part), QStandardItem(text[:200])]
            row[0].setData(member, MEMBER_ROLE)
            row[2].setToolTip(as_text(text[:2000]))
            self.model.appendRow(row)
        for column in (0, 1):
            self.view.resizeColumnToContents(column)
            self.view.setColumnWidth(column, self.view.columnWidth(column) + 16)
        self.remove_button.setEnabled(writable and bool(members))

    def set_has_selection(self, selected: bool) -> None:
        """Whether the document has a passage selected (only then can one be added)."""
        self.has_selection = selected
        self.assign_passage_button.setEnabled(self._writable_case and selected)

    def member_at(self, row: int) -> CaseMember | None:
        item = self.model.item(row, 0)
        return item.data(MEMBER_ROLE) if item is not None else None

    def _remove(self) -> None:
        member = self.member_at(max(self.view.currentIndex().row(), 0))
        if member is not None:
            self.remove_requested.emit(member.id)

    def _open(self, index: QModelIndex) -> None:
        member = self.member_at(index.row())
        if member is not None:
            self.open_requested.emit(member.source_id, member.start or 0, member.end or 0)
