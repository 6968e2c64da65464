"""A source's attributes (year, setting, interviewer, ...) in a form: one typed field per source attribute.

OK applies every changed value as one undo step, or none of them when the core refuses one (a
number that is not a number, say), leaving the dialog open with the message. Values typed when the window
closes are applied the same way (`save_pending`); Cancel discards them.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import Attribute
from qcode.core.project import Project
from qcode.gui.commands.base import Batch, CoreCommand, push_or_warn
from qcode.gui.commands.cases import AddAttribute, SetAttributeValue
from qcode.gui.views.case_widgets import PLACEHOLDERS, AttributeDialog


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class SourceAttributesDialog(QDialog):
    def __init__(self, project: Project, source_id: int, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.source_id = source_id
        self.undo_stack = undo_stack
        self.setWindowTitle(f"Attributes of '{project.source(source_id).name}'")
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.form_host = QWidget()
        layout.addWidget(self.form_host)
        self.new_attribute = QPushButton("New source attribute…")
        self.new_attribute.setAccessibleName("New source attribute")
        self.new_attribute.clicked.connect(self._add_attribute)
        layout.addWidget(self.new_attribute)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.editors: dict[int, QLineEdit | QComboBox] = {}
        self._build()

    def _build(self) -> None:
        typed = {aid: editor_value(e) for aid, e in self.editors.items()}  # keep what was typed so far
        current = self.project.attribute_values("source", self.source_id)
        host = QWidget()
        form = QFormLayout(host)
        form.setContentsMargins(0, 0, 0, 0)
        self.editors = {}
        attributes = self.project.attributes("source")
        if not attributes:
            form.addRow(QLabel("This project has no source attributes yet."))
        for attribute in attributes:
            editor = self._editor(attribute, typed.get(attribute.id, _shown(current.get(attribute.name))))
            self.editors[attribute.id] = editor
            form.addRow(f"{attribute.name}:", editor)
        self.layout().replaceWidget(self.form_host, host)
        self.form_host.deleteLater()
        self.form_host = host

    @staticmethod
    def _editor(attribute: Attribute, value: str) -> QLineEdit | QComboBox:
        if attribute.type == "choice" and attribute.choices:
            combo = QComboBox()
            combo.addItem("(no value)", "")
            for choice in attribute.choices:
                combo.addItem(choice, choice)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.setAccessibleName(f"Value of {attribute.name}")
            return combo
        line = QLineEdit(value)
        line.setPlaceholderText(PLACEHOLDERS.get(attribute.type, ""))
        line.setAccessibleName(f"Value of {attribute.name}")
        return line

    def _add_attribute(self) -> None:
        dialog = AttributeDialog(self, scope="source")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        name, kind, choices = dialog.values()
        if push_or_warn(self.undo_stack, AddAttribute(self.project, name, kind, choices, scope="source"), self):
            self._build()

    def changes(self) -> list[CoreCommand]:
        label = f"source '{self.project.source(self.source_id).name}'"
        current = self.project.attribute_values("source", self.source_id)
        names = {a.id: a.name for a in self.project.attributes("source")}
        commands: list[CoreCommand] = []
        for attribute_id, editor in self.editors.items():
            typed = editor_value(editor).strip()
            if typed != _shown(current.get(names[attribute_id])):
                commands.append(SetAttributeValue(self.project, attribute_id, self.source_id, typed or None, label))
        return commands

    def apply(self) -> bool:
        """OK: store the changed values (one undo step) and close; a refused value keeps the dialog open."""
        if not self.save_pending():
            return False
        self.accept()
        return True

    def save_pending(self) -> bool:
        """Store the changed values as one undo step (also when the window closes with the dialog open);
        False when the core refused one, which the user is told."""
        if not self.project.is_open:
            return False
        commands = self.changes()
        if len(commands) > 1:
            commands = [Batch(f"Set attributes of '{self.project.source(self.source_id).name}'", commands)]
        return not commands or push_or_warn(self.undo_stack, commands[0], self)


def editor_value(editor: QLineEdit | QComboBox) -> str:
    return str(editor.currentData() or "") if isinstance(editor, QComboBox) else editor.text()
