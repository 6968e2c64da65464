"""The agreement table in the app: choose coders, unit and threshold; see the figures per code and per pair of
coders, with the method stated; save them to Excel or Word; open the disagreement review from here.

The figures are computed on a worker with the project's file opened read-only, with progress and Cancel.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.model import Filter
from qcode.core.project import AGREEMENT_HEADERS as HEADERS
from qcode.core.project import AGREEMENT_PLACES as PLACES
from qcode.core.project import AGREEMENT_UNIT_WORDS as UNIT_WORDS
from qcode.core.project import AGREEMENT_UNITS as UNITS
from qcode.core.project import AgreementReport, AgreementRequest, Project, export_agreement
from qcode.core.project import agreement_row_cells as row_cells
from qcode.gui.dialogs.export_filters import ExportFilters
from qcode.gui.support.workers import CoreTask, ProgressTask

ID_ROLE = Qt.ItemDataRole.UserRole


class AgreementDialog(QDialog):
    """Compute and show inter-coder agreement; `review_requested` asks the window for the disagreement review."""

    review_requested = Signal(object)  # the tuple of coder ids compared
    computed = Signal(object)  # the AgreementReport shown

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inter-coder agreement")
        self.setObjectName("AgreementDialog")
        self.project = project
        self.report: AgreementReport | None = None
        self.task: ProgressTask | None = None  # the figures being computed
        self.resize(1120, 680)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        scope_form = QFormLayout()  # beside the method's choices: what is compared
        self.coders = QListWidget()
        self.coders.setAccessibleName("Coders to compare")
        self.coders.setMaximumHeight(90)
        coding = {coder_id for _, coder_id in project.coders_by_source(c.id for c in project.coders())}
        for coder in project.coders():  # those who have coded something are ticked
            item = QListWidgetItem(coder.name)
            item.setData(ID_ROLE, coder.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if coder.id in coding else Qt.CheckState.Unchecked)
            self.coders.addItem(item)
        self.coders.itemChanged.connect(lambda _: self._enable())
        form.addRow("Coders:", self.coders)
        self.unit = QComboBox()
        self.unit.setAccessibleName("Unit")
        for unit in UNITS:
            self.unit.addItem(UNIT_WORDS[unit].capitalize(), unit)
        self.unit.setCurrentIndex(UNITS.index("paragraph"))
        form.addRow("Unit:", self.unit)
        self.scope = ExportFilters(project)  # codes (with sub-codes) and the sources compared; coders are above
        for label, button in self.scope.rows():
            if button is not self.scope.coders:
                scope_form.addRow(label, button)
        share_row = QHBoxLayout()
        self.use_share = QCheckBox("Coded when at least")
        self.share = QSpinBox()
        self.share.setRange(1, 100)
        self.share.setValue(50)
        self.share.setSuffix(" %")
        self.share.setAccessibleName("Minimum share of a unit")
        share_row.addWidget(self.use_share)
        share_row.addWidget(self.share)
        share_row.addWidget(QLabel("of it is coded"))
        share_row.addStretch(1)
        form.addRow("Threshold:", share_row)
        self.coded_only = QCheckBox("Leave out the units no coder coded")
        self.own = QCheckBox("Count each code's own codings only (not its sub-codes')")
        self.missing = QCheckBox("A coder who coded nothing in a source has not rated it (missing data)")
        form.addRow("", self.coded_only)
        form.addRow("", self.own)
        form.addRow("", self.missing)
        choices = QHBoxLayout()
        choices.addLayout(form, 3)
        choices.addLayout(scope_form, 2)
        layout.addLayout(choices)
        buttons = QHBoxLayout()
        self.compute_button = QPushButton("&Compute")
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.start)
        self.table_choice = QComboBox()
        self.table_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.table_choice.setAccessibleName("Table shown")
        self.table_choice.currentIndexChanged.connect(lambda _: self._fill())
        self.export_button = QPushButton("&Save table…")
        self.export_button.clicked.connect(self.choose_export)
        self.review_button = QPushButton("&Review disagreements…")
        self.review_button.clicked.connect(lambda: self.review_requested.emit(self.chosen_coders()))
        for widget in (self.compute_button, self.table_choice, self.export_button, self.review_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setAccessibleName("Agreement per code")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.method = QLabel()
        self.method.setWordWrap(True)
        self.method.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.method)
        self.unit.currentIndexChanged.connect(lambda _: self._enable())
        self.use_share.toggled.connect(lambda _: self._enable())
        self._enable()

    # --- choices --------------------------------------------------------------------------------------

    def chosen_coders(self) -> tuple[int, ...]:
        return tuple(int(self.coders.item(i).data(ID_ROLE)) for i in range(self.coders.count())
                     if self.coders.item(i).checkState() == Qt.CheckState.Checked)

    def request(self) -> AgreementRequest:
        unit = self.unit.currentData()
        share = float(self.share.value()) if self.use_share.isChecked() and unit != "character" else None
        chosen = self.scope.filter()
        return AgreementRequest(self.chosen_coders(), unit=unit, min_share=share,
                                coded_units_only=self.coded_only.isChecked(), own=self.own.isChecked(),
                                uncoded_as_missing=self.missing.isChecked(), code_ids=chosen.codes,
                                scope=Filter(sources=chosen.sources, folders=chosen.folders, cases=chosen.cases,
                                             attributes=chosen.attributes))

    def _enable(self) -> None:
        by_character = self.unit.currentData() == "character"
        self.use_share.setEnabled(not by_character)
        self.share.setEnabled(not by_character and self.use_share.isChecked())
        self.export_button.setEnabled(self.report is not None)
        self.review_button.setEnabled(len(self.chosen_coders()) >= 2)

    # --- computing on a worker ------------------------------------------------------------------------

    def start(self) -> None:
        if len(self.chosen_coders()) < 2:
            QMessageBox.warning(self, "Agreement", "Tick at least two coders to compare.")
            return
        request = self.request()
        path = self.project.path

        def work(task: CoreTask) -> AgreementReport:
            with Project.open(path, mode="read") as reader:  # the worker's own connection
                return reader.agreement(request, progress=task)

        self.compute_button.setEnabled(False)
        self.task = ProgressTask(self, work, label="Comparing the coders…", maximum=3, describe=lambda text: f"{text}…",
                                 error_title="Agreement", finished=self._done, failed=self._finish,
                                 cancelled=self._finish).start()

    def _finish(self) -> None:
        self.task = None
        self.compute_button.setEnabled(True)

    def _done(self, report: AgreementReport) -> None:
        self._finish()
        self.show_report(report)

    # --- showing --------------------------------------------------------------------------------------

    def show_report(self, report: AgreementReport) -> None:
        self.report = report
        names = {c.id: c.name for c in report.coders}
        self.table_choice.blockSignals(True)
        self.table_choice.clear()
        self.table_choice.addItem("All coders: " + ", ".join(names.values()), None)
        if len(report.coders) > 2:
            for a, b in report.pairs:
                self.table_choice.addItem(f"{names[a]} and {names[b]}", (a, b))
        self.table_choice.blockSignals(False)
        self.method.setText(report.method())
        self._fill()
        self._enable()
        self.computed.emit(report)

    def _fill(self) -> None:
        if self.report is None:
            return
        pair = self.table_choice.currentData()
        rows = self.report.rows if pair is None else self.report.pairs[pair]
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row_cells(row, self.report.request.unit)):
                text = "" if value is None else (f"{value:.{PLACES[c]}f}" if isinstance(value, float) else str(value))
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if value is None and c >= 4:
                    item.setToolTip("Undefined: the ratings do not vary")
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 360))

    def shown_rows(self) -> list[list[str]]:
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    # --- saving ---------------------------------------------------------------------------------------

    def choose_export(self) -> None:
        target, _ = QFileDialog.getSaveFileName(self, "Save the agreement table", "agreement.xlsx",
                                                "Excel (*.xlsx);;Word (*.docx)")
        if target:
            self.export_to(Path(target))

    def export_to(self, target: Path) -> Path | None:
        if self.report is None:
            return None
        if target.suffix.lower() not in (".xlsx", ".docx"):
            target = target.with_suffix(".xlsx")
        try:
            written = export_agreement(self.report, target, project_name=self.project.name)
        except QcodeError as err:
            QMessageBox.warning(self, "Agreement", err.message)
            return None
        QMessageBox.information(self, "Agreement", f"Saved the agreement table to {written}.")
        return written
