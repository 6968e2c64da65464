"""Choosing what the columns of a survey spreadsheet are, before it is imported.

Each column gets a role: the respondent ID (each row becomes a case named by it), open answers (each
such column becomes a source, each answer part of its respondent's case), a case attribute (typed:
numbers, dates and choices are recognised), or not imported. The roles start from the core's
suggestions (`survey_columns`); the dialog returns the `SurveyOptions` the import takes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.project import SurveyColumns, SurveyOptions, survey_columns
from qcode.gui.support.plain_text import plain_label

ROLE_LABELS = {"ignore": "Not imported", "id": "Respondent ID", "text": "Open answers (a source)",
               "attribute": "Case attribute"}


class SurveyDialog(QDialog):
    def __init__(self, path: Path, columns: SurveyColumns, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.columns = columns
        self.setWindowTitle(f"Import survey answers: {self.path.name}")
        self.setMinimumSize(680, 420)
        layout = QVBoxLayout(self)
        intro = QLabel("Say what each column holds. Each row becomes a case named by its respondent ID; each "
                       "column of open answers becomes a source whose answers belong to their respondents' "
                       "cases; case attributes (numbers, dates and choices are recognised) let you compare "
                       "codes by group.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.sheet = QComboBox()
        self.sheet.setAccessibleName("Sheet")
        self.sheet.addItems(list(columns.sheets))
        if columns.sheet is not None:
            self.sheet.setCurrentText(columns.sheet)
        self.sheet.currentTextChanged.connect(self._sheet_chosen)
        if columns.sheets:
            form.addRow("&Sheet:", self.sheet)
        layout.addLayout(form)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Survey columns")
        self.table.setHorizontalHeaderLabels(["Column", "First answers", "Import as"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.message = plain_label(QLabel())
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.role_boxes: list[QComboBox] = []
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.columns.columns))
        self.role_boxes = []
        for row, column in enumerate(self.columns.columns):
            name = QTableWidgetItem(f"{column.reference}: {column.header}")
            if column.name:  # the question text is shown; the column's code in the file is a hover away
                name.setToolTip(f"Column {column.reference}, headed '{column.name}' in the file")
            examples = QTableWidgetItem(" · ".join(e[:60] for e in column.examples))
            examples.setToolTip("\n".join(column.examples))
            for item in (name, examples):
                item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, examples)
            box = QComboBox()
            box.setAccessibleName(f"Import column {column.header} as")
            for role, label in ROLE_LABELS.items():
                box.addItem(label, role)
            box.setCurrentIndex(box.findData(column.role))
            box.currentIndexChanged.connect(self._show_state)
            self.table.setCellWidget(row, 2, box)
            self.role_boxes.append(box)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self._show_state()

    def _show_state(self) -> None:
        """What still stops the import, or how the suggestions were made."""
        notes = "".join(f" Note: {note}." for note in self.columns.notes)
        self.message.setText(self.problem() or f"Suggested from the first {self.columns.rows_seen} rows: "
                             f"change any column's role before importing.{notes}")

    def _sheet_chosen(self, sheet: str) -> None:
        try:
            self.columns = survey_columns(self.path, sheet)
        except QcodeError as err:
            self.message.setText(err.message)
            return
        self._fill()

    def roles(self) -> dict[int, str]:
        return {column.index: str(box.currentData())
                for column, box in zip(self.columns.columns, self.role_boxes, strict=True)}

    def set_role(self, index: int, role: str) -> None:
        self.role_boxes[index].setCurrentIndex(self.role_boxes[index].findData(role))

    def problem(self) -> str:
        """Why the choice cannot be imported yet (empty when it can)."""
        chosen = list(self.roles().values())
        if chosen.count("id") != 1:
            return "Choose exactly one column as the respondent ID."
        if "text" not in chosen:
            return "Choose at least one column of open answers to import."
        return ""

    def options(self) -> SurveyOptions:
        return self.columns.options(self.roles())

    def _accept_if_valid(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        self.accept()


def ask_survey_options(path: Path, parent: QWidget | None) -> SurveyOptions | None:
    """Ask which column is what; None when the user cancels. A file that cannot be read raises its error."""
    dialog = SurveyDialog(path, survey_columns(Path(path)), parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.options()
    finally:
        dialog.deleteLater()
