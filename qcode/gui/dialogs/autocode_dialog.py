"""The autocode dialog: what to look for, how much to code around it, where, and with which code.

It previews exactly what will be coded (source, location, passage, and the count) before anything is
written; the preview is computed on a worker with its own read connection, so a big project never freezes
the window. Applying codes the previewed passages in one undoable step (creating the code first when a
new name was typed). The same dialog codes all hits of a project search or of the find bar.
Activating a previewed passage (double-click or Enter) asks to show it in its source.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import NotFoundError, QcodeError
from qcode.core.model import Filter
from qcode.core.progress import Progress
from qcode.core.project import AutocodePreview, AutocodeRequest, Project
from qcode.gui.commands.base import push
from qcode.gui.commands.codings import CodePassages
from qcode.gui.dialogs.autocode_preview import PASSAGE_ROLE, PassageDelegate, PassageModel
from qcode.gui.support.plain_text import plain_label
from qcode.gui.support.workers import CoreTask

MODES = (
    ("keywords", "Keywords (whole words)"),
    ("text", "Exact text"),
    ("pattern", "Regular expression"),
    ("speakers", "What a speaker says"),
    ("search", "Project search query"),
)
PLACEHOLDERS = {
    "keywords": "Words or phrases, separated by commas: help, support, my mates",
    "text": "Any text, also inside words",
    "pattern": r"A regular expression, e.g. \bhelp(ed|ful)?\b",
    "search": 'Words, "a phrase" or prefix*, as in the search panel',
}
UNITS = (("hit", "Just the hit"), ("sentence", "The whole sentence"), ("paragraph", "The whole paragraph"),
         ("turn", "The whole speaker turn"))
DEBOUNCE_MS = 350
BACKGROUND_AT = 1500  # passages: a larger batch is written on a worker (a window must not freeze for it)
CONTEXT_CHARS = 50  # shown either side of a passage in the preview


def run_preview(path: Path, request: AutocodeRequest, progress: Progress, coder: str | None = None) -> AutocodePreview:
    """The preview through a read connection of its own, for the window's coder (on a worker thread)."""
    with Project.open(path, mode="read", coder=coder) as reader:
        return reader.preview_request(request, context=CONTEXT_CHARS, progress=progress)


class AutocodeDialog(QDialog):
    preview_ready = Signal()  # a preview (or an error) is shown
    applied = Signal(int)  # the number of codings added
    open_requested = Signal(int, int, int)  # source id, start, end: show a previewed passage in its source

    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None, *,
                 source_id: int | None = None, code_id: int | None = None, mode: str = "keywords",
                 text: str = "", case_sensitive: bool = False, scope: str = "all") -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.source_id = source_id
        self.setWindowTitle("Autocode")
        self.setAccessibleName("Autocode")
        self.preview_result: AutocodePreview | None = None
        #: a search's filters, from the search panel ("Code all hits…" codes only the hits it lists)
        self.search_filter: Filter | None = None
        self._generation = 0
        self._tasks: dict[QObject, tuple[int, CoreTask]] = {}  # running previews, by their task's signals
        self._retired: list[CoreTask] = []  # reported, kept alive while their thread winds up
        self._applying: tuple[CoreTask, CodePassages, int] | None = None  # a large batch being written
        self._close_when_applied = False

        self.mode = QComboBox()
        self.mode.setAccessibleName("Look for")
        for key, label in MODES:
            self.mode.addItem(label, key)
        self.query = QLineEdit(text)
        self.query.setAccessibleName("Words, text or pattern to look for")
        self.query.setClearButtonEnabled(True)
        self.match_case = QCheckBox("Match case")
        self.match_case.setAccessibleName("Match case")
        self.match_case.setChecked(case_sensitive)
        self.speakers = QListWidget()
        self.speakers.setAccessibleName("Speakers")
        self.speakers.setMaximumHeight(110)
        for name, turns in project.speakers():
            item = QListWidgetItem(f"{name} ({turns} turn{'s' if turns != 1 else ''})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.speakers.addItem(item)
        self.unit = QComboBox()
        self.unit.setAccessibleName("How much to code around each hit")
        for key, label in UNITS:
            self.unit.addItem(label, key)
        self.scope = QComboBox()
        self.scope.setAccessibleName("Where to look")
        self._fill_scope()
        self.code = QComboBox()
        self.code.setEditable(True)
        self.code.setAccessibleName("Code to apply")
        self.code.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        paths = [project.code_path(c.id) for c in project.codes()]
        self.code.addItems(paths)
        completer = QCompleter(paths, self.code)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.code.setCompleter(completer)
        self.code.lineEdit().setPlaceholderText("A code of the codebook, or a new name (Parent/Child)")
        self.code.setCurrentText(project.code_path(code_id) if code_id is not None else "")

        form = QFormLayout()
        form.addRow("Look for:", self.mode)
        self.query_label = QLabel("Words:")
        form.addRow(self.query_label, self.query)
        form.addRow("", self.match_case)
        self.speakers_label = QLabel("Speakers:")
        form.addRow(self.speakers_label, self.speakers)
        form.addRow("Code:", self.unit)
        form.addRow("In:", self.scope)
        form.addRow("With the code:", self.code)

        self.status = plain_label(QLabel())
        self.status.setAccessibleName("Preview summary")
        self.status.setWordWrap(True)
        self.model_ = PassageModel()
        self.table = QTreeView()
        self.table.setAccessibleName("Passages that will be coded")
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setModel(self.model_)
        self.model_.chosen_changed.connect(self._ticks_changed)
        self.table.setItemDelegateForColumn(2, PassageDelegate(self.table))
        self.table.setToolTip("Double-click a passage to see it in its source")
        self.table.activated.connect(self._open_passage)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        buttons = QDialogButtonBox()
        self.preview_button = QPushButton("Preview")
        self.preview_button.setAccessibleName("Preview")
        self.preview_button.clicked.connect(self.preview)
        self.apply_button = QPushButton("Code passages")
        self.apply_button.setAccessibleName("Code the previewed passages")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self._apply_and_close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(820, 600)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.preview)
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))
        self.set_scope(scope)
        self._mode_changed()
        for signal in (self.mode.currentIndexChanged, self.query.textChanged, self.match_case.toggled,
                       self.unit.currentIndexChanged, self.scope.currentIndexChanged, self.code.currentTextChanged,
                       self.speakers.itemChanged):
            signal.connect(self._inputs_changed)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._set_stale("")
        if self._ready_to_preview():
            self._timer.start(0)

    # --- inputs -------------------------------------------------------------------------------------

    def _fill_scope(self) -> None:
        self.scope.addItem("All sources", "all")
        for folder in self.project.folders():
            self.scope.addItem(f"Folder: {self.project.folder_path(folder.id)}", f"folder:{folder.id}")
        if self.source_id is not None:
            self.scope.addItem(f"This source: {self.project.source(self.source_id).name}", "source")

    def set_scope(self, scope: str | int) -> None:
        """'all', 'source' (the current one) or a folder id."""
        data = f"folder:{scope}" if isinstance(scope, int) else scope
        index = self.scope.findData(data)
        self.scope.setCurrentIndex(max(0, index))

    def _scope_source_ids(self) -> tuple[int, ...] | None:
        data = self.scope.currentData()
        if data == "source" and self.source_id is not None:
            return (self.source_id,)
        if isinstance(data, str) and data.startswith("folder:"):
            folders = {int(data.split(":", 1)[1])}
            grew = True
            all_folders = self.project.folders()
            while grew:
                more = {f.id for f in all_folders if f.parent_id in folders} - folders
                folders |= more
                grew = bool(more)
            return tuple(s.id for s in self.project.sources() if s.folder_id in folders)
        return None

    def _mode_changed(self) -> None:
        mode = self.mode.currentData()
        speakers = mode == "speakers"
        for widget in (self.query, self.query_label):
            widget.setVisible(not speakers)
        for widget in (self.speakers, self.speakers_label):
            widget.setVisible(speakers)
        self.match_case.setVisible(mode in ("keywords", "text", "pattern"))
        self.query_label.setText({"keywords": "Words:", "text": "Text:", "pattern": "Pattern:",
                                  "search": "Query:"}.get(mode, "Words:"))
        self.query.setPlaceholderText(PLACEHOLDERS.get(mode, ""))
        if speakers and self.speakers.count() == 0:
            self._set_stale("No speaker turns were found in this project's sources.")

    def chosen_speakers(self) -> tuple[str, ...]:
        return tuple(self.speakers.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.speakers.count())
                     if self.speakers.item(row).checkState() == Qt.CheckState.Checked)

    def check_speaker(self, name: str) -> None:
        for row in range(self.speakers.count()):
            if self.speakers.item(row).data(Qt.ItemDataRole.UserRole) == name:
                self.speakers.item(row).setCheckState(Qt.CheckState.Checked)

    def _code_choice(self) -> tuple[int | None, str]:
        """(id of the chosen code or None for a new one, the path typed); errors raise QcodeError."""
        text = self.code.currentText().strip().strip("/")
        if not text:
            return None, ""
        try:
            return self.project.find_code(text).id, text
        except NotFoundError:
            return None, text

    def _ready_to_preview(self) -> bool:
        if self.mode.currentData() == "speakers":
            return bool(self.chosen_speakers())
        return bool(self.query.text().strip())

    def request(self) -> AutocodeRequest:
        """The request the inputs describe (QcodeError when the code's name is ambiguous)."""
        code_id, _path = self._code_choice()
        return AutocodeRequest(
            mode=self.mode.currentData(), text=self.query.text(), speakers=self.chosen_speakers(),
            case_sensitive=self.match_case.isChecked(), unit=self.unit.currentData(),
            source_ids=self._scope_source_ids(), code_id=code_id, coder_id=self._coder_id(),
            search_filter=self.search_filter if self.mode.currentData() == "search" else None)

    def _coder_id(self) -> int | None:
        return None if self.project.readonly else self.project.current_coder.id

    def _inputs_changed(self, *_args: object) -> None:
        self._set_stale("")
        if self._ready_to_preview():
            self._timer.start(DEBOUNCE_MS)

    def _set_stale(self, message: str) -> None:
        self._generation += 1
        self.preview_result = None
        self.model_.set_passages([])
        self.apply_button.setEnabled(False)
        self.apply_button.setText("Code passages")
        if not message:
            message = ("Choose the speakers whose turns to code." if self.mode.currentData() == "speakers"
                       else "Type what to look for; the passages that will be coded are listed here first.")
        self.status.setText(message)

    # --- preview ------------------------------------------------------------------------------------

    def preview(self) -> None:
        """Find the passages on a worker; the list and count replace the previous preview."""
        self._timer.stop()
        if not self._ready_to_preview():
            self._set_stale("")
            return
        try:
            request = self.request()
        except QcodeError as err:
            self._set_stale(err.message)
            self.preview_ready.emit()
            return
        for _generation, running in self._tasks.values():
            running.cancel()
        self._set_stale("Finding the passages…")
        path = self.project.path
        coder = self.project.viewer().name
        task = CoreTask(lambda progress: run_preview(path, request, progress, coder))
        task.signals.finished.connect(self._previewed)
        task.signals.failed.connect(self._failed)
        self._tasks[task.signals] = (self._generation, task)
        self._retired = []
        task.start()

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _reported(self) -> bool:
        """True when the task that just reported is the latest preview."""
        generation, task = self._tasks.pop(self.sender(), (-1, None))
        if task is not None:
            self._retired.append(task)
        return generation == self._generation

    def _previewed(self, result: AutocodePreview) -> None:
        if not self._reported():
            return
        self.preview_result = result
        self.model_.set_passages(result.passages)
        count = len(result.passages)
        noun = "passage" if count == 1 else "passages"
        _code_id, path = self._code_choice()
        target = f"with “{path}”" if path else "(choose or type a code below)"
        if result.request.code_id is None and path:
            target += " (a new code)"
        summary = f"{count} {noun} will be coded {target}."
        if result.already:
            summary += f" {result.already} already coded so are left out."
        if self.project.readonly:
            summary += " This project is open read-only."
        self.status.setText(summary if count else f"Nothing to code. {summary if result.already else ''}".strip())
        self.apply_button.setEnabled(bool(count and path) and not self.project.readonly)
        self.apply_button.setText(f"Code {count} {noun}")
        self.preview_ready.emit()

    def _ticks_changed(self, count: int) -> None:
        """Untick a passage in the preview to leave it out; the button counts what will be coded."""
        noun = "passage" if count == 1 else "passages"
        _code_id, path = self._code_choice()
        self.apply_button.setText(f"Code {count} {noun}")
        self.apply_button.setEnabled(bool(count and path) and not self.project.readonly)

    def _failed(self, message: str, _details: str) -> None:
        if self._reported():
            self._set_stale(message)
            self.preview_ready.emit()

    # --- applying -----------------------------------------------------------------------------------

    def apply(self) -> int:
        """Code exactly the previewed passages, as one undo step; returns the number of codings added.

        A batch of more than `BACKGROUND_AT` passages is written on a worker, so that the window stays
        responsive: then this returns 0 at once, and `applied` reports the number when it is done.
        """
        preview = self.preview_result
        if preview is None or not preview.passages or self.project.readonly or self._applying is not None:
            return 0
        code_id, path = self._code_choice()
        if not path:
            self.status.setText("Choose a code from the codebook or type the name of a new one.")
            return 0
        request = preview.request
        ranges = [(p.source_id, p.start, p.end) for p in self.model_.chosen()]  # the ones left ticked
        count = len(ranges)
        if not count:
            self.status.setText("Every passage is unticked: tick the ones to code.")
            return 0
        label = f"Autocode {count} passage{'s' if count != 1 else ''} with '{path}'"
        if code_id is not None and code_id != request.code_id:  # another code than previewed: preview again
            self.preview()
            return 0
        try:
            command = CodePassages(self.project, ranges, label, code_id=code_id,
                                   new_code=path if code_id is None else None, coder_id=request.coder_id)
            if count > BACKGROUND_AT:
                self._apply_in_background(command, count)
                return 0
            push(self.undo_stack, command)
        except QcodeError as err:
            self.status.setText(err.message)
            return 0
        return self._after_applying(command, count)

    def _after_applying(self, command: CodePassages, count: int) -> int:
        added = command.added
        self.applied.emit(added)
        preview = self.preview_result
        if preview is not None:
            self.preview_result = replace(preview, passages=[], already=preview.already + count)
        return added

    def _apply_in_background(self, command: CodePassages, count: int) -> None:
        """Write the codings on a worker (one transaction, as ever), then record the step for undo."""
        task = CoreTask(lambda _task: command.apply())
        self._applying = (task, command, count)
        task.signals.finished.connect(self._applied_in_background)
        task.signals.failed.connect(self._background_failed)
        self.apply_button.setEnabled(False)
        self.status.setText(f"Coding {count} passages…")
        task.start()

    def _applied_in_background(self, _result: object) -> None:
        if self._applying is None:
            return
        _task, command, count = self._applying
        self._applying = None
        command._applied_by_push = True  # done on the worker: the stack records it without doing it again
        self.undo_stack.push(command)
        self._after_applying(command, count)
        if self._close_when_applied:
            self.accept()

    def _background_failed(self, message: str, _details: str) -> None:
        self._applying = None
        self._close_when_applied = False
        self.status.setText(message)
        self.apply_button.setEnabled(True)

    def _open_passage(self, index: QModelIndex) -> None:
        passage = index.data(PASSAGE_ROLE)
        if passage is not None:
            self.open_requested.emit(passage.source_id, passage.start, passage.end)

    def reject(self) -> None:
        """Closing while a large batch is being written waits for it (the window must not change meanwhile)."""
        if self._applying is not None:
            self._close_when_applied = True
            return
        super().reject()

    def _apply_and_close(self) -> None:
        if self.apply():
            self.accept()
        elif self._applying is not None:
            self._close_when_applied = True
