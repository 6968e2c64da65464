"""The coding query builder: pick codes (and coders) and operators, see the expression text it builds, or type
one; the text is read by the core's parser, and a fault is shown as the core words it, never as a traceback."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.project import Project
from qcode.gui.analysis.query_expression import OPERATORS, code_term, combine, grouped

ANY_CODER = "any coder"


def code_paths(project: Project) -> list[tuple[int, str]]:
    """(id, path) of every code in codebook order, in one pass (parents come before their children)."""
    paths: dict[int, str] = {}
    for code in project.codes():
        paths[code.id] = code.name if code.parent_id is None else f"{paths[code.parent_id]}/{code.name}"
    return list(paths.items())


class QueryBuilder(QWidget):
    """Builds a coding query's text; `submitted` when the user asks to run it (Enter or Run)."""

    changed = Signal(str)  # the expression text, whenever it changes
    submitted = Signal()

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.expression = QLineEdit()
        self.expression.setAccessibleName("Query expression")
        self.expression.setPlaceholderText('Build a query below, or type one, e.g. ("A" OR "B") AND "C"@Sam')
        self.expression.textChanged.connect(self._text_changed)
        self.expression.returnPressed.connect(self._submit)
        self.run_button = QPushButton("&Run query")
        self.run_button.clicked.connect(self._submit)

        row = QHBoxLayout()
        self.operator = QComboBox()
        self.operator.setAccessibleName("Operator")
        for word, name, meaning in OPERATORS:
            self.operator.addItem(name, word)
            self.operator.setItemData(self.operator.count() - 1, meaning, Qt.ItemDataRole.ToolTipRole)
        self.operator.currentIndexChanged.connect(lambda _: self._enable())
        self.distance = QSpinBox()
        self.distance.setAccessibleName("Characters apart at most")
        self.distance.setRange(0, 100_000)
        self.distance.setValue(50)
        self.distance.setSuffix(" characters")
        self.code = QComboBox()
        self.code.setAccessibleName("Code")
        self.code.setMinimumContentsLength(16)
        self.code.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.coder = QComboBox()
        self.coder.setAccessibleName("Coded by")
        self.add_button = QPushButton("&Add")
        self.add_button.setToolTip("Add the code to the query, joined to what is there by the operator")
        self.add_button.clicked.connect(self.add_term)
        self.group_button = QPushButton("( … )")
        self.group_button.setToolTip("Put the query so far in parentheses, so that the next operator applies to all "
                                     "of it")
        self.group_button.clicked.connect(self.group)
        self.clear_button = QPushButton("Clear")
        self.clear_button.clicked.connect(self.expression.clear)
        top = QHBoxLayout()
        for widget in (self.expression, self.group_button, self.clear_button):
            top.addWidget(widget)
        top.setStretch(0, 1)
        grid.addWidget(QLabel("Query:"), 0, 0)
        grid.addLayout(top, 0, 1)
        grid.addWidget(self.run_button, 0, 2)
        for widget in (self.operator, self.distance, self.code, QLabel("by"), self.coder, self.add_button):
            row.addWidget(widget)
        row.addStretch(1)
        grid.addWidget(QLabel("Add:"), 1, 0)
        grid.addLayout(row, 1, 1, 1, 2)
        self.message = QLabel()
        self.message.setAccessibleName("Query check")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.message, 2, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.refresh_choices()

    # --- choices ----------------------------------------------------------------------------------------

    def refresh_choices(self) -> None:
        """Fill the code and coder pickers from the project and check the query again (after the codebook or
        the coders changed)."""
        code_id, coder = self.code.currentData(), self.coder.currentText()
        self.code.blockSignals(True)
        self.code.clear()
        for code_id, path in code_paths(self.project):
            self.code.addItem(path, code_id)
        index = self.code.findData(code_id)
        self.code.setCurrentIndex(max(index, 0))
        self.code.blockSignals(False)
        self.coder.clear()
        self.coder.addItem(ANY_CODER)
        for person in self.project.coders():
            self.coder.addItem(person.name)
        self.coder.setCurrentIndex(max(self.coder.findText(coder), 0))
        self._text_changed(self.text())

    def chosen_term(self) -> str | None:
        """The code term the pickers describe, or None when the codebook is empty."""
        if self.code.currentIndex() < 0:
            return None
        coder = None if self.coder.currentIndex() <= 0 else self.coder.currentText()
        return code_term(self.code.currentText(), coder)

    # --- building ---------------------------------------------------------------------------------------

    def text(self) -> str:
        return self.expression.text()

    def set_text(self, text: str) -> None:
        self.expression.setText(text)

    def add_term(self) -> None:
        """Join the chosen code to the expression with the chosen operator (the first code stands alone)."""
        term = self.chosen_term()
        if term is None:
            return
        self.expression.setText(combine(self.text(), self.operator.currentData(), term,
                                        distance=self.distance.value()))

    def group(self) -> None:
        self.expression.setText(grouped(self.text()))

    # --- checking ---------------------------------------------------------------------------------------

    def error(self) -> str | None:
        """Why the expression cannot run (the core's words), or None when it can."""
        try:
            self.project.check_coding_query(self.text())
        except QcodeError as err:
            return err.message
        return None

    def _text_changed(self, text: str) -> None:
        problem = self.error() if text.strip() else None
        if not text.strip():
            self.message.setText("Choose a code and press Add; join more codes with an operator. The query text "
                                 "can be edited too.")
        else:
            self.message.setText(problem or "The query can be run.")
        self.message.setProperty("problem", problem is not None)
        self.message.setStyleSheet("color: #b3261e;" if problem is not None else "")
        self.run_button.setEnabled(bool(text.strip()) and problem is None)
        self._enable()
        self.changed.emit(text)

    def _enable(self) -> None:
        self.operator.setToolTip(str(self.operator.currentData(Qt.ItemDataRole.ToolTipRole) or ""))
        has_text = bool(self.text().strip())
        self.operator.setEnabled(has_text)
        self.distance.setVisible(self.operator.currentData() == "NEAR")
        self.distance.setEnabled(has_text)
        self.add_button.setEnabled(self.code.count() > 0)
        self.group_button.setEnabled(has_text)

    def _submit(self) -> None:
        if self.run_button.isEnabled():
            self.submitted.emit()
