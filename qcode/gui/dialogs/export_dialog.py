"""The Export dialog: what, in which format, grouped how, filtered how (codes, folders, sources, cases,
attribute values, coders), pseudonymised or not, to which file.

A pseudonymised export is checked first for words that look like names the register lacks (see
`name_check_dialog`). The export itself runs on a worker with its own read-only connection, with progress
and Cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QUndoStack
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

from qcode.core.errors import QcodeError
from qcode.core.model import Filter
from qcode.core.project import (
    Grouping,
    Project,
    export,
    export_pseudonymised,
    exporter_for,
    name_check_scope,
    prepare_export,
    refuse_project_target,
)
from qcode.core.project import supported_exports as supported
from qcode.gui.dialogs.export_filters import ExportFilters
from qcode.gui.dialogs.name_check_dialog import NameCheck
from qcode.gui.support.plain_text import as_text
from qcode.gui.support.workers import CoreTask, ProgressTask

WHAT_LABELS = {
    "excerpts": "Coded excerpts",
    "frequencies": "Code frequencies",
    "matrix": "Codes by group (matrix)",
    "codebook": "Codebook",
    "memos": "Memos and journal",
    "transcript": "Coded transcript of one source",
    "all": "Everything (Excel: all sheets; CSV: a folder)",
}
NOT_GROUPED = "Not grouped"
FORMAT_LABELS = {"docx": "Word (.docx)", "xlsx": "Excel (.xlsx)", "csv": "CSV (.csv)"}
#: the part of a proposed file name that says what was exported (never a source's name)
FILE_NAMES = {"excerpts": "coded excerpts", "frequencies": "code frequencies", "matrix": "matrix",
              "codebook": "codebook", "memos": "memos", "transcript": "coded transcript", "all": "export"}


class ExportDialog(QDialog):
    exported = Signal(str)  # the path written

    def __init__(self, project: Project, parent: QWidget | None = None, *, source_id: int | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.project = project
        #: names registered from the check before a pseudonymised export are undo steps of the window
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.name_check: NameCheck | None = None
        self.task: ProgressTask | None = None  # the export being written
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

        self.pseudonymise = QCheckBox("&Pseudonymise (apply the name register)")
        self.pseudonymise.setToolTip("Every name in the register is replaced by its pseudonym in everything the "
                                     "export writes; File > Name register sets whether this is the default.")
        self.pseudonymise.setChecked(project.pseudonymise_exports)
        form.addRow("Privacy:", self.pseudonymise)

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
        self._named_for: tuple[str, str] | None = None  # (what, format) the target's name was proposed for
        self.after_export: QMessageBox | None = None  # the "open the file or its folder" box
        self._what_changed()

    # --- keeping the choices consistent ---------------------------------------------------------------

    def chosen_what(self) -> str:
        return self.what.currentData()

    def chosen_format(self) -> str:
        return self.format.currentData()

    def accepts(self) -> frozenset[str]:
        """The options the chosen export applies (the others are disabled, and never passed on)."""
        exporter = exporter_for(self.chosen_format(), self.chosen_what())
        return exporter.accepts if exporter is not None else frozenset()

    def _what_changed(self) -> None:
        what = self.chosen_what()
        has_none = self.group.count() > 0 and self.group.itemData(0) is None
        if what == "frequencies" and not has_none:  # a frequency table may be grouped, or not
            self.group.insertItem(0, NOT_GROUPED, None)
            self.group.setCurrentIndex(0)
        elif what != "frequencies" and has_none:
            self.group.removeItem(0)
        current = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt, label in FORMAT_LABELS.items():
            if what in supported(fmt):
                self.format.addItem(label, fmt)
        index = self.format.findData(current)
        self.format.setCurrentIndex(index if index >= 0 else 0)
        self.format.blockSignals(False)
        self._format_changed()

    def proposed_path(self, folder: Path | None = None) -> Path:
        """A file name from the project and the kind of export, in `folder` (else the project's folder)."""
        what, fmt = self.chosen_what(), self.chosen_format()
        base = (folder or self.project.path.parent) / f"{self.project.path.stem} - {FILE_NAMES[what]}"
        return base if fmt == "csv" and what == "all" else base.with_name(f"{base.name}.{fmt}")

    def _target_folder(self) -> Path | None:
        text = self.target.text().strip()
        return Path(text).parent if text else None

    def _format_changed(self) -> None:
        """A new kind of export gets a new name (in the folder chosen so far); a new format, its suffix."""
        fmt, what = self.chosen_format(), self.chosen_what()
        accepts = self.accepts()
        self.group.setEnabled("by" in accepts)
        self.source.setEnabled("transcript-source" in accepts)
        self.filters.set_accepted(accepts)
        self.with_frequencies.setEnabled("no-frequency-table" in accepts)
        previous = self._named_for
        if (what, fmt) == previous:
            return
        text = self.target.text().strip()
        if previous is not None and previous[0] == what and text:  # only the format changed
            base = Path(text)
            stem = base.name[: -len(base.suffix)] if base.suffix.lower() in (".docx", ".xlsx", ".csv") else base.name
            self.target.setText(str(base.with_name(stem if fmt == "csv" and what == "all" else f"{stem}.{fmt}")))
        else:
            self.target.setText(str(self.proposed_path(self._target_folder())))
        self._named_for = (what, fmt)

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
        try:  # never a project file, this one least of all (before asking whether to replace anything)
            refuse_project_target(Path(target), self.project.path)
        except QcodeError as err:
            QMessageBox.warning(self, "Export", as_text(str(err)))
            return
        if not self.confirm_replace(Path(target)):
            return
        what, fmt = self.chosen_what(), self.chosen_format()
        accepts = self.accepts()
        grouping = self.group.currentData() if "by" in accepts else None
        flt = self.filters.filter(accepts)
        source_id = self.source.currentData() if "transcript-source" in accepts else None
        filter_text = self.filters.describe(accepts)
        project_path = self.project.path
        with_frequencies = self.with_frequencies.isChecked() or "no-frequency-table" not in accepts
        coder = self.project.viewer().name

        pseudonymise = self.pseudonymise.isChecked()
        options = {"fmt": fmt, "what": what, "grouping": grouping, "flt": flt, "filter_text": filter_text,
                   "source_id": source_id, "frequency_table_at_end": with_frequencies}
        try:  # a request that cannot go is refused before the name check asks anything
            prepare_export(self.project, Path(target), **options)
        except QcodeError as err:
            QMessageBox.warning(self, "Export", as_text(err.message))
            return

        def work(progress: CoreTask) -> str:
            with Project.open(project_path, mode="read", coder=coder) as reader:  # the worker's own connection
                write = export_pseudonymised if pseudonymise else export
                return str(write(reader, Path(target), progress=progress, **options))

        self.buttons.setEnabled(False)
        if not pseudonymise:
            self.run_export(work)
            return
        checked = Filter(sources=(source_id,)) if source_id is not None else flt  # a transcript: its source
        self.name_check = NameCheck(self, self.project, self.undo_stack, flt=checked, scope=name_check_scope(fmt, what),
                                    proceed=lambda: self.run_export(work),
                                    stopped=lambda: self.buttons.setEnabled(True))
        self.name_check.start()

    def run_export(self, work: Callable[[CoreTask], str]) -> None:
        """Write the export on a worker, with progress and Cancel."""
        self.buttons.setEnabled(False)
        self.task = ProgressTask(self, work, label="Exporting…", describe=lambda text: f"Exporting: {text.lower()}…",
                                 error_title="Export", finished=self._done, failed=self._finish,
                                 cancelled=self._finish).start()  # cancelled: no warning, the dialog stays open

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog of the export under way, if any."""
        return self.task.dialog if self.task is not None else None

    def confirm_replace(self, target: Path) -> bool:
        """Ask before an export replaces a file (or fills a folder that already holds files)."""
        if target.is_dir():
            if not any(target.iterdir()):
                return True
            question = f"The folder '{target.name}' already holds files. Write the CSV files into it, " \
                       "replacing files of the same names?"
        elif target.exists():
            question = f"'{target.name}' already exists. Replace it with this export?"
        else:
            return True
        answer = QMessageBox.question(self, "Export", as_text(question))
        return answer in (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok)

    def _finish(self) -> None:
        self.task = None
        self.buttons.setEnabled(True)

    def _done(self, path: str) -> None:
        self._finish()
        self.exported.emit(path)
        self.accept()
        self.offer_to_open(Path(path))

    def offer_to_open(self, path: Path) -> QMessageBox:
        """After an export: open the file, or the folder that holds it (the box does not block)."""
        box = QMessageBox(QMessageBox.Icon.Information, "Export", f"Exported to {path.name}.",
                          parent=self.parentWidget() or self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(as_text(str(path.parent)))
        open_file = box.addButton("Open the folder" if path.is_dir() else "Open the file",
                                  QMessageBox.ButtonRole.AcceptRole)
        open_folder = None if path.is_dir() else box.addButton("Open the folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def clicked(button: object) -> None:
            if button is open_file:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            elif button is open_folder:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

        box.buttonClicked.connect(clicked)
        box.open()
        self.after_export = box
        return box
