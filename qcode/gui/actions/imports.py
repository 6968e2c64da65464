"""Importing from the GUI: files, folders or a drop onto the window; parsed off the GUI thread with progress
and Cancel; one undo step for the whole batch; a report of what was imported, skipped or refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from qcode.core.errors import QcodeError
from qcode.core.model import ImportOutcome
from qcode.core.project import ImportOptions, Project, SurveyOptions, importable_suffixes, unexpected_failure
from qcode.gui.commands.imports import ImportSources
from qcode.gui.dialogs.survey_dialog import ask_survey_options
from qcode.gui.support.workers import CoreTask, ProgressTask

SURVEY_SUFFIXES = (".csv", ".xlsx")
LAST_FOLDER_SETTING = "import/last-folder"


def summarise(outcomes: list[ImportOutcome]) -> tuple[str, str]:
    """A one-line summary and the per-file details for the report dialog."""
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in ("imported", "duplicate", "failed")}
    summary = (f"Imported {counts['imported']} file{'s' if counts['imported'] != 1 else ''}"
               f"; {counts['duplicate']} already in the project; {counts['failed']} could not be imported.")
    details = "\n".join(f"{o.status}: {Path(o.path).name}" + (f" — {o.reason}" if o.reason else "") for o in outcomes)
    return summary, details


class ImportFlow(QObject):
    finished = Signal(list)  # the outcomes, once the batch ends

    def __init__(self, parent: QWidget, project: Project, undo_stack: QUndoStack, *,
                 settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.window = parent
        self.project = project
        self.undo_stack = undo_stack
        self.task: ProgressTask | None = None  # the batch being imported
        self.show_report = True
        self.settings = settings
        self._before: tuple[set[int], set[int]] = (set(), set())  # case and attribute ids before the batch
        #: asks which column of a survey file is what (None: the user cancelled); tests replace it
        self.choose_survey: Callable[[Path, QWidget], SurveyOptions | None] = ask_survey_options

    def start_folder(self) -> str:
        """Where the file dialogs open: the folder last imported from, else the project's folder."""
        last = self.settings.value(LAST_FOLDER_SETTING, "") if self.settings is not None else ""
        return str(last) if last and Path(str(last)).is_dir() else str(self.project.path.parent)

    def _remember_folder(self, folder: str) -> None:
        if self.settings is not None:
            self.settings.setValue(LAST_FOLDER_SETTING, folder)

    def choose_files(self, folder_id: int | None = None) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(importable_suffixes()))
        files, _ = QFileDialog.getOpenFileNames(self.window, "Import sources", self.start_folder(),
                                                f"Sources ({patterns})")
        if files:
            self._remember_folder(str(Path(files[0]).parent))
            self.start(files, folder_id)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of sources", self.start_folder())
        if folder:
            self._remember_folder(str(Path(folder).parent))
            self.start([folder])

    def start(self, paths: list[str], folder_id: int | None = None) -> None:
        """Import files and folders (into a project folder, or by their own folders) on a worker thread.

        Survey spreadsheets chosen one by one (.csv, .xlsx) first ask which column is what.
        """
        if self.task is not None:
            QMessageBox.information(self.window, "qcode", "An import is already running.")
            return
        others, surveys, refused = self._survey_choices(paths)
        if not others and not surveys and not refused:
            return  # every survey was cancelled
        project = self.project
        self._before = ({c.id for c in project.cases()}, {a.id for a in project.attributes()})

        def work(progress: CoreTask) -> list[ImportOutcome]:
            outcomes = list(refused)
            if others:
                outcomes += project.import_paths(others, folder_id=folder_id, progress=progress)
            for path, survey in surveys:
                if progress.cancelled():
                    break
                outcomes += project.import_paths([path], folder_id=folder_id, progress=progress,
                                                 options=ImportOptions(survey=survey))
            return outcomes

        self.task = ProgressTask(self.window, work, label="Importing…", title="Import",
                                 describe=lambda text: f"Importing {text}…", error_title="Import",
                                 finished=self._done, failed=self._failed).start()

    def _survey_choices(self, paths: list[str]) -> tuple[list[str], list[tuple[str, SurveyOptions]], list[ImportOutcome]]:
        """Split off the survey files and ask for their columns: (other paths, surveys with their options,
        surveys that could not be read, as failed outcomes)."""
        others: list[str] = []
        surveys: list[tuple[str, SurveyOptions]] = []
        refused: list[ImportOutcome] = []
        for path in paths:
            if Path(path).suffix.lower() not in SURVEY_SUFFIXES or Path(path).is_dir():
                others.append(path)
                continue
            try:
                chosen = self.choose_survey(Path(path), self.window)
            except QcodeError as err:
                refused.append(ImportOutcome(path=str(path), status="failed", reason=err.message))
                continue
            except Exception as err:  # the file broke the reader of its columns: that file's failure
                refused.append(ImportOutcome(path=str(path), status="failed", reason=unexpected_failure(Path(path), err)))
                continue
            if chosen is not None:
                surveys.append((path, chosen))
        return others, surveys, refused

    def _done(self, outcomes: list[ImportOutcome]) -> None:
        self.task = None
        if any(o.source_ids for o in outcomes):
            cases, attributes = self._before
            self.undo_stack.push(ImportSources(
                self.project, outcomes, case_ids=sorted({c.id for c in self.project.cases()} - cases),
                attribute_ids=sorted({a.id for a in self.project.attributes()} - attributes)))
        if self.show_report:
            summary, details = summarise(outcomes)
            box = QMessageBox(QMessageBox.Icon.Information, "Import", summary, parent=self.window)
            box.setDetailedText(details)
            box.open()
        self.finished.emit(outcomes)

    def _failed(self) -> None:  # its message is shown
        self.task = None
        self.finished.emit([])
