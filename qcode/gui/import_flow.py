"""Importing from the GUI: files, folders or a drop onto the window; parsed off the GUI thread with progress
and Cancel; one undo step for the whole batch; a report of what was imported, skipped or refused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from qcode.core.api.source_snapshots import SourceSnapshot
from qcode.core.importers import importable_suffixes
from qcode.core.model import ImportOutcome
from qcode.core.project import Project
from qcode.gui.commands import CoreCommand
from qcode.gui.workers import CoreTask


class ImportSources(CoreCommand):
    """Undo removes the sources a batch added; redo puts exactly those sources back (no re-reading of files)."""

    def __init__(self, project: Project, outcomes: list[ImportOutcome]) -> None:
        count = sum(len(o.source_ids) for o in outcomes)
        super().__init__(f"Import {count} source{'s' if count != 1 else ''}")
        self.project = project
        self.source_ids = [sid for o in outcomes for sid in o.source_ids]
        self.snapshots: list[SourceSnapshot] = []
        self._applied_by_push = True  # the worker already imported them

    def apply(self) -> None:
        self.project.restore_sources(self.snapshots)

    def revert(self) -> None:
        self.snapshots = [self.project.source_snapshot(sid) for sid in self.source_ids]
        self.project.delete_sources(self.source_ids)


def summarise(outcomes: list[ImportOutcome]) -> tuple[str, str]:
    """A one-line summary and the per-file details for the report dialog."""
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in ("imported", "duplicate", "failed")}
    summary = (f"Imported {counts['imported']} file{'s' if counts['imported'] != 1 else ''}"
               f"; {counts['duplicate']} already in the project; {counts['failed']} could not be imported.")
    details = "\n".join(f"{o.status}: {Path(o.path).name}" + (f" — {o.reason}" if o.reason else "") for o in outcomes)
    return summary, details


class ImportFlow(QObject):
    finished = Signal(list)  # the outcomes, once the batch ends

    def __init__(self, parent: QWidget, project: Project, undo_stack: QUndoStack) -> None:
        super().__init__(parent)
        self.window = parent
        self.project = project
        self.undo_stack = undo_stack
        self.task: CoreTask | None = None
        self.dialog: QProgressDialog | None = None
        self.show_report = True

    def choose_files(self, folder_id: int | None = None) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(importable_suffixes()))
        files, _ = QFileDialog.getOpenFileNames(self.window, "Import sources", "", f"Sources ({patterns})")
        if files:
            self.start(files, folder_id)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of sources")
        if folder:
            self.start([folder])

    def start(self, paths: list[str], folder_id: int | None = None) -> None:
        """Import files and folders (into a project folder, or by their own folders) on a worker thread."""
        if self.task is not None:
            QMessageBox.information(self.window, "qcode", "An import is already running.")
            return
        project = self.project
        self.task = CoreTask(lambda progress: project.import_paths(paths, folder_id=folder_id, progress=progress))
        self.dialog = QProgressDialog("Importing…", "Cancel", 0, 0, self.window)
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.canceled.connect(self.task.cancel)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._done)
        self.task.signals.failed.connect(self._failed)
        self.task.start()

    def _progress(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog
        if dialog is not None:  # setValue on a modal dialog processes events: the import may finish in there
            dialog.setLabelText(f"Importing {text}…" if text else "Importing…")
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
        self.dialog = None
        self.task = None

    def _done(self, outcomes: list[ImportOutcome]) -> None:
        self._close()
        if any(o.source_ids for o in outcomes):
            self.undo_stack.push(ImportSources(self.project, outcomes))
        if self.show_report:
            summary, details = summarise(outcomes)
            box = QMessageBox(QMessageBox.Icon.Information, "Import", summary, parent=self.window)
            box.setDetailedText(details)
            box.open()
        self.finished.emit(outcomes)

    def _failed(self, message: str, details: str) -> None:
        self._close()
        box = QMessageBox(QMessageBox.Icon.Warning, "Import", message, parent=self.window)
        if details:
            box.setDetailedText(details)
        box.open()
        self.finished.emit([])
