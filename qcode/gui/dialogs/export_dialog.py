"""The Export dialog: what, in which format, grouped how, filtered how (codes, folders, sources, cases,
attribute values, coders), to which file.

The export itself runs on a worker with its own read-only connection, with progress and Cancel.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import QcodeError
from qcode.core.exporters import SUPPORTED, export, refuse_project_target
from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.dialogs.export_filters import ExportFilters
from qcode.gui.support.workers import CoreTask

WHAT_LABELS = {
    "excerpts": "Coded excerpts",
    "frequencies": "Code frequencies",
    "matrix": "Codes by group (matrix)",
    "codebook": "Codebook",
    "memos": "Memos and journal",
    "transcript": "Coded transcript of one source",
    "all": "Everything (Excel: all sheets; CSV: a folder)",
}
FILTERED = {"excerpts", "frequencies", "matrix", "all"}  # the exports that the filters narrow
FORMAT_LABELS = {"docx": "Word (.docx)", "xlsx": "Excel (.xlsx)", "csv": "CSV (.csv)"}


class ExportDialog(QDialog):
    exported = Signal(str)  # the path written

    def __init__(self, project: Project, parent: QWidget | None = None, *, source_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.project = project
        self.task: CoreTask | None = None
        self.progress: QProgressDialog | None = None
        form = QFormLayout(self)

        self.what = QComboBox()
        for key, label in WHAT_LABELS.items():
            self.what.addItem(label, key)
        self.what.setAccessibleName("What to export")
        form.addRow("&What:", self.what)

        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        form.addRow("&Format:", self.format)

        self.group = QComboBox()
        self.group.setAccessibleName("Group the matrix by")
        self.group.addItem("Cases", Grouping("case"))
        self.group.addItem("Sources", Grouping("source"))
        self.group.addItem("Coders", Grouping("coder"))
        for attribute in project.attributes():
            self.group.addItem(f"{attribute.scope.capitalize()} attribute: {attribute.name}",
                               Grouping("attribute", attribute.id))
        form.addRow("&Group by:", self.group)

        self.filters = ExportFilters(project)
        for label, button in self.filters.rows():
            form.addRow(label, button)

        self.source = QComboBox()
        self.source.setAccessibleName("Source of the transcript")
        for source in project.sources():
            self.source.addItem(project.source_path(source.id), source.id)
        if source_id is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(source_id)))
        form.addRow("&Transcript of:", self.source)

        self.with_frequencies = QCheckBox("Add a frequency table at the end of the Word report")
        self.with_frequencies.setChecked(True)
        form.addRow("", self.with_frequencies)

        row = QHBoxLayout()
        self.target = QLineEdit()
        self.target.setAccessibleName("File to write")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.target)
        row.addWidget(browse)
        form.addRow("Save as:", row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

        self.what.currentIndexChanged.connect(self._what_changed)
        self.format.currentIndexChanged.connect(self._format_changed)
        self._what_changed()

    # --- keeping the choices consistent ---------------------------------------------------------------

    def chosen_what(self) -> str:
        return self.what.currentData()

    def chosen_format(self) -> str:
        return self.format.currentData()

    def _what_changed(self) -> None:
        what = self.chosen_what()
        current = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt, label in FORMAT_LABELS.items():
            if what in SUPPORTED[fmt]:
                self.format.addItem(label, fmt)
        index = self.format.findData(current)
        self.format.setCurrentIndex(index if index >= 0 else 0)
        self.format.blockSignals(False)
        self.group.setEnabled(what in ("matrix", "all"))
        self.source.setEnabled(what == "transcript")
        self.filters.set_enabled(what in FILTERED)
        self._format_changed()

    def _format_changed(self) -> None:
        fmt = self.chosen_format()
        self.with_frequencies.setEnabled(fmt == "docx" and self.chosen_what() in ("excerpts", "all"))
        text = self.target.text().strip()
        base = Path(text) if text else self.project.path.parent / f"{self.project.path.stem}-{self.chosen_what()}"
        if fmt == "csv" and self.chosen_what() == "all":
            self.target.setText(str(base.with_suffix("")))
        else:
            self.target.setText(str(base.with_suffix(f".{fmt}")))

    def _browse(self) -> None:
        fmt = self.chosen_format()
        if fmt == "csv" and self.chosen_what() == "all":
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the CSV files")
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Export to", self.target.text(),
                                                    f"{FORMAT_LABELS[fmt]} (*.{fmt})")
        if chosen:
            self.target.setText(chosen)

    # --- running --------------------------------------------------------------------------------------

    def start(self) -> None:
        target = self.target.text().strip()
        if not target:
            QMessageBox.warning(self, "Export", "Choose where to save the export.")
            return
        try:
            refuse_project_target(Path(target), self.project.path)
        except QcodeError as err:
            QMessageBox.warning(self, "Export", str(err))
            return
        what, fmt = self.chosen_what(), self.chosen_format()
        grouping = self.group.currentData()
        flt = self.filters.filter() if what in FILTERED else Filter()
        source_id = self.source.currentData() if what == "transcript" else None
        filter_text = self.filters.describe() if what in FILTERED else ""
        project_path = self.project.path
        with_frequencies = self.with_frequencies.isChecked()

        def work(progress: CoreTask) -> str:
            with Project.open(project_path, mode="read") as reader:  # the worker's own connection
                return str(export(reader, Path(target), fmt=fmt, what=what, grouping=grouping, flt=flt,
                                  filter_text=filter_text, source_id=source_id, progress=progress,
                                  frequency_table_at_end=with_frequencies))

        self.task = CoreTask(work)
        self.progress = QProgressDialog("Exporting…", "Cancel", 0, 0, self)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.task.cancel)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._done)
        self.task.signals.failed.connect(self._failed)
        self.buttons.setEnabled(False)
        self.task.start()

    def _progress(self, done: int, total: int, text: str) -> None:
        dialog = self.progress  # setValue runs pending events, which may finish the export and clear it
        if dialog is not None:
            dialog.setLabelText(f"Exporting: {text.lower()}…" if text else "Exporting…")
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)

    def _finish(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.task = None
        self.buttons.setEnabled(True)

    def _done(self, path: str) -> None:
        self._finish()
        self.exported.emit(path)
        self.accept()

    def _failed(self, message: str, details: str) -> None:
        asked_to_stop = self.task is not None and self.task.cancelled()
        self._finish()
        if asked_to_stop:  # the researcher pressed Cancel: nothing to warn about, the dialog stays open
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Export", message, parent=self)
        if details:
            box.setDetailedText(details)
        box.open()
