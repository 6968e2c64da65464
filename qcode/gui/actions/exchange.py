"""REFI-QDA from the File menu: import a project (as a new qcode project), import a codebook into the open
project (one undo step), and export the project or its codebook (pseudonymised when the researcher ticks it,
after the check of names the register lacks); each on a worker with progress and Cancel, and a report of
what came in and what was left out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMenu, QMessageBox, QWidget

from qcode.core.errors import QcodeError
from qcode.core.model import Filter
from qcode.core.project import ExchangeReport, Project, export_pseudonymised, name_check_scope
from qcode.gui.commands.exchange import ImportCodebook, ImportProject
from qcode.gui.dialogs.name_check_dialog import NameCheck
from qcode.gui.support.workers import CoreTask, ProgressTask


def import_as_new_project(source: Path, target: Path, coder: str, progress: CoreTask) -> ExchangeReport:
    """Read a .qdpx whole, then make a new qcode project of it (no file is left behind when this fails)."""
    from qcode.core.project import read_qdpx

    doc = read_qdpx(source, progress=progress)
    project = Project.create(target, name=doc.name or source.stem)
    try:
        project.name_coder(coder)
        return project.import_refi_document(doc, file_name=source.name, progress=progress)
    except BaseException:
        project.close()
        target.unlink(missing_ok=True)
        raise
    finally:
        if project.is_open:
            project.close()


class ExchangeFlow(QObject):
    finished = Signal(object)  # the ExchangeReport, or the written path of an export; None when it failed

    def __init__(self, window: QWidget, project: Project, undo_stack: QUndoStack, session: object | None) -> None:
        super().__init__(window)
        self.window = window
        self.project = project
        self.undo_stack = undo_stack
        self.session = session
        self.task: ProgressTask | None = None  # the import or export under way
        self.show_report = True
        self.export_box: QMessageBox | None = None  # "pseudonymise?" before a REFI-QDA export
        self.name_check: NameCheck | None = None

    def add_actions(self, menu: QMenu) -> None:
        writable = not self.project.readonly
        for label, slot, enabled in (
            ("Import a REFI-QDA pro&ject (.qdpx) as a new project…", self.choose_project_import, True),
            ("Import a REFI-QDA project (.qdpx) into this project…", self.choose_merge_import, writable),
            ("Import a REFI-QDA code&book (.qdc)…", self.choose_codebook_import, writable),
            ("Export as a REFI-QDA project (.qdpx)…", lambda: self.choose_export(codebook_only=False), True),
            ("Export the codebook as REFI-QDA (.qdc)…", lambda: self.choose_export(codebook_only=True), True),
        ):
            action = QAction(label, self.window)
            action.triggered.connect(slot)
            action.setEnabled(enabled)
            menu.addAction(action)

    # --- choosing files ---------------------------------------------------------------------------------

    def choose_project_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Import a REFI-QDA project", "",
                                                "REFI-QDA projects (*.qdpx)")
        if not chosen:
            return
        target, _ = QFileDialog.getSaveFileName(self.window, "Save the imported project as",
                                                str(Path(chosen).with_suffix(".qcode")), "qcode projects (*.qcode)")
        if target:
            self.import_project(Path(chosen), Path(target if target.endswith(".qcode") else target + ".qcode"))

    def choose_merge_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Import a REFI-QDA project into this project", "",
                                                "REFI-QDA projects (*.qdpx)")
        if chosen:
            self.import_into_project(Path(chosen))

    def choose_codebook_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self.window, "Import a REFI-QDA codebook", "",
                                                "REFI-QDA codebooks (*.qdc);;REFI-QDA projects (*.qdpx)")
        if chosen:
            self.import_codebook(Path(chosen))

    def choose_export(self, *, codebook_only: bool) -> None:
        suffix = "qdc" if codebook_only else "qdpx"
        what = "codebook" if codebook_only else "project"
        chosen, _ = QFileDialog.getSaveFileName(self.window, f"Export the {what} as REFI-QDA",
                                                str(self.project.path.with_suffix(f".{suffix}")),
                                                f"REFI-QDA {what}s (*.{suffix})")
        if chosen:
            self.ask_and_export(Path(chosen if chosen.endswith(f".{suffix}") else f"{chosen}.{suffix}"),
                                codebook_only=codebook_only)

    def ask_and_export(self, target: Path, *, codebook_only: bool) -> QMessageBox | None:
        """Export, asking first whether to pseudonymise when the project has a register to apply (ticked when
        the project pseudonymises by default); returns the box asking, if any (it does not block)."""
        default = self.project.pseudonymise_exports
        if not default and not self.project.pseudonymiser().pseudonyms:
            self.export(target, codebook_only=codebook_only)
            return None
        what = "codebook" if codebook_only else "project"
        box = QMessageBox(QMessageBox.Icon.Question, "REFI-QDA", f"Export the {what} as {target.name}.",
                          parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        checkbox = QCheckBox("Pseudonymise (apply the name register)", box)
        checkbox.setChecked(default)
        box.setCheckBox(checkbox)
        export_button = box.addButton("Export", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)

        def clicked(button: object) -> None:
            if button is export_button:
                self.export(target, codebook_only=codebook_only, pseudonymise=checkbox.isChecked())

        box.buttonClicked.connect(clicked)
        box.open()
        self.export_box = box
        return box

    # --- the work ---------------------------------------------------------------------------------------

    def import_project(self, source: Path, target: Path) -> None:
        coder = self.project.current_coder.name if not self.project.readonly else ""

        def done(report: ExchangeReport) -> None:
            self._report("Import", f"Imported {source.name} as {target.name}.", report)
            session = self.session
            if session is not None:
                session.open(target, self.window)  # type: ignore[attr-defined]

        self._run("Importing", lambda task: import_as_new_project(source, target, coder or "Importer", task), done)

    def import_into_project(self, source: Path) -> None:
        """Merge a .qdpx into the open project: one undo step takes all of it back."""
        project = self.project

        def done(report: ExchangeReport) -> None:
            record = report.record
            if record is not None and (any(record.new_ids.values()) or record.values or record.memos):
                self.undo_stack.push(ImportProject(project, source.name, record))
            self._report("Import", f"Imported {source.name} into this project.", report)

        self._run("Importing", lambda task: project.import_refi(source, progress=task), done)

    def import_codebook(self, source: Path) -> None:
        project = self.project

        def done(report: ExchangeReport) -> None:
            added = report.created.get("codes", ())
            if added:
                command = ImportCodebook(project, added)
                self.undo_stack.push(command)
            self._report("Import", f"Imported the codebook {source.name}.", report)

        self._run("Importing", lambda task: project.import_refi(source, codebook_only=True, progress=task), done)

    def export(self, target: Path, *, codebook_only: bool, pseudonymise: bool = False) -> None:
        """Write the project (or its codebook); pseudonymised after the check of names the register lacks."""
        project = self.project
        fmt = "qdc" if codebook_only else "qdpx"

        def done(path: Path) -> None:
            status = getattr(self.window, "statusBar", None)
            if status is not None:
                which = "pseudonymised" if pseudonymise else "not pseudonymised"
                status().showMessage(f"Exported to {path} ({which})", 8000)

        if not pseudonymise:
            self._run("Exporting", lambda task: project.export_refi(target, codebook_only=codebook_only,
                                                                    progress=task), done)
            return
        path = project.path
        coder = project.viewer().name  # whose codings the file holds in blind coding

        def work(task: CoreTask) -> Path:
            with Project.open(path, mode="read", coder=coder) as reader:  # the worker's own connection
                return export_pseudonymised(reader, target, fmt=fmt, progress=task)

        self.name_check = NameCheck(self.window, project, self.undo_stack, flt=Filter(), scope=name_check_scope(fmt, None),
                                    proceed=lambda: self._run("Exporting", work, done),
                                    stopped=lambda: self.finished.emit(None))
        self.name_check.start()

    def _run(self, label: str, work: Callable[[CoreTask], object], done: Callable) -> None:
        if self.task is not None:
            QMessageBox.information(self.window, "qcode", "An import or export is already running.")
            return
        self.task = ProgressTask(self.window, work, label=f"{label}…", title="REFI-QDA",
                                 describe=lambda text: f"{label}: {text}…", error_title="REFI-QDA",
                                 finished=lambda result: self._done(result, done), failed=self._failed,
                                 report_errors=self.show_report).start()

    def _done(self, result: object, done: Callable) -> None:
        self.task = None
        try:
            done(result)
        except QcodeError as err:
            QMessageBox.warning(self.window, "REFI-QDA", err.message)
        self.finished.emit(result)

    def _failed(self) -> None:  # its message is shown (unless reports are off)
        self.task = None
        self.finished.emit(None)

    def _report(self, title: str, summary: str, report: ExchangeReport) -> None:
        if not self.show_report:
            return
        lines = report.lines()
        text = summary + (f" {len(report.left_out)} kinds of things were left out (see Details)."
                          if report.left_out else "")
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.window)
        box.setDetailedText("\n".join(lines) or "Nothing new: everything was already in the project.")
        box.open()
