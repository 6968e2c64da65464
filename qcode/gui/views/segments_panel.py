"""Coded segments: the excerpts of the chosen codes (with their sub-codes), each with source, location and coder.

The excerpts are read on a worker thread with a read connection of its own, so a code with tens of
thousands of excerpts never freezes the window; the table model hands rows to the view lazily. After
codings change in a few sources, only those sources' rows are read again and replaced (on the GUI
thread: a source's share is small), so applying a code updates the list at once.
Double-clicking an excerpt asks the window to open it in the document view, scrolled and selected.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QTreeView, QVBoxLayout, QWidget

from qcode.core.model import Excerpt, Filter
from qcode.core.project import Project
from qcode.gui.support.plain_text import as_text, plain_label
from qcode.gui.support.workers import CoreTask

COLUMNS = ("Excerpt", "Source", "Location", "Coder")
CODING_ROLE = Qt.ItemDataRole.UserRole + 10  # (source id, start, end)
SHOWN_CHARACTERS = 300  # of an excerpt in its row; the tooltip holds more
TOOLTIP_CHARACTERS = 2000


def read_excerpts(path: Path, flt: Filter) -> list[Excerpt]:
    """The excerpts a filter lets through, read with a connection of the worker's own."""
    with Project.open(path, mode="read") as reader:
        return reader.excerpts_matching(flt, with_location=True)


class SegmentsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.excerpts: list[Excerpt] = []
        self.coders: dict[int, str] = {}

    def set_excerpts(self, excerpts: list[Excerpt], coders: dict[int, str]) -> None:
        self.beginResetModel()
        self.excerpts, self.coders = excerpts, coders
        self.endResetModel()

    def replace(self, first: int, last: int, excerpts: list[Excerpt]) -> None:
        """Put `excerpts` in place of rows first..last-1."""
        if last > first:
            self.beginRemoveRows(QModelIndex(), first, last - 1)
            del self.excerpts[first:last]
            self.endRemoveRows()
        if excerpts:
            self.beginInsertRows(QModelIndex(), first, first + len(excerpts) - 1)
            self.excerpts[first:first] = excerpts
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.excerpts)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        excerpt = self.excerpts[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return " ".join(excerpt.text[:SHOWN_CHARACTERS * 2].split())[:SHOWN_CHARACTERS]
            if column == 1:
                return excerpt.source_name
            if column == 2:
                return excerpt.location
            return self.coders.get(excerpt.coding.coder_id, "")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return as_text(excerpt.text[:TOOLTIP_CHARACTERS])
        if role == CODING_ROLE:
            return (excerpt.coding.source_id, excerpt.coding.start, excerpt.coding.end)
        return None

    def text(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)) or "")


class SegmentsPanel(QWidget):
    open_requested = Signal(int, int, int)  # source id, start, end
    remove_requested = Signal(int)  # coding id
    loaded = Signal(int)  # number of excerpts shown, once a read finishes

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.code_ids: tuple[int, ...] = ()
        self.coder_ids: tuple[int, ...] = ()
        #: each source's place in the core's listing order (given by the window); rows follow that order
        self.source_ranks: Callable[[], dict[int, int]] | None = None
        self._ranks: dict[int, int] | None = None  # the order the rows shown were listed in
        self.title = plain_label(QLabel("Choose a code in the codebook to see its coded segments."))
        self.title.setAccessibleName("Coded segments title")
        self.model_ = SegmentsModel(self)
        self.view = QTreeView()
        self.view.setAccessibleName("Coded segments")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setModel(self.model_)
        self.view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.setFocusProxy(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view)
        self._generation = 0
        self._tasks: list[CoreTask] = []  # kept alive until they report

    def locating(self) -> bool:
        """Whether a read of the excerpts is still under way."""
        return bool(self._tasks)

    @property
    def code_id(self) -> int | None:
        return self.code_ids[0] if len(self.code_ids) == 1 else None

    def show_code(self, code_id: int | None) -> None:
        self.show_codes([] if code_id is None else [code_id])

    def show_codes(self, code_ids: list[int], coder_ids: tuple[int, ...] | None = None) -> None:
        """Show the excerpts of these codes and their sub-codes (of some coders only, when given)."""
        self.code_ids = tuple(code_ids)
        if coder_ids is not None:
            self.coder_ids = tuple(coder_ids)
        self.refresh()

    def set_coder(self, coder_id: int | None) -> None:
        """List only one coder's codings (None: every coder's)."""
        self.coder_ids = () if coder_id is None else (coder_id,)
        self.refresh()

    def refresh(self) -> None:
        """Read the excerpts again in the background; the rows shown stay until the new ones arrive."""
        self._generation += 1
        if not self.code_ids:
            self.model_.set_excerpts([], {})
            self.title.setText("Choose a code in the codebook to see its coded segments.")
            return
        flt = Filter(codes=self.code_ids, coders=self.coder_ids)
        path = self.project.path
        self._ranks = self.source_ranks() if self.source_ranks is not None else None
        task = CoreTask(lambda _task: read_excerpts(path, flt))
        task.generation = self._generation  # type: ignore[attr-defined]
        # bound methods, so that a closed panel is disconnected instead of called
        task.signals.finished.connect(self._show)
        task.signals.failed.connect(self._failed)
        self._tasks.append(task)
        if not self.model_.excerpts:
            self.title.setText("Reading the coded segments…")
        task.start()

    def refresh_sources(self, source_ids: tuple[int, ...]) -> None:
        """Replace only the rows of sources whose codings changed; read everything again when the order of
        sources changed, when a read is under way, or when no sources are named."""
        if not self.code_ids:
            return
        ranks = self.source_ranks() if self.source_ranks is not None else None
        if (not source_ids or ranks is None or ranks is not self._ranks or self._tasks
                or any(source_id not in ranks for source_id in source_ids)):
            self.refresh()
            return
        for source_id in sorted(set(source_ids)):
            self._replace_source(source_id, ranks)
        self._count_changed()

    def _replace_source(self, source_id: int, ranks: dict[int, int]) -> None:
        """Rows are in the core's order (source, start, end, id), so a source's block is found by bisection."""
        excerpts = self.model_.excerpts

        def key(excerpt: Excerpt) -> tuple[int, ...]:
            c = excerpt.coding
            return (ranks.get(c.source_id, -1), c.start, c.end, c.id)

        rank = ranks[source_id]
        first = bisect_left(excerpts, (rank,), key=key)
        last = bisect_left(excerpts, (rank + 1,), key=key)
        fresh = self.project.excerpts_matching(Filter(codes=self.code_ids, coders=self.coder_ids, sources=(source_id,)))
        self.model_.replace(first, last, fresh)

    def _reporting_task(self) -> CoreTask | None:
        """The task whose signal is being delivered, no longer kept; None when it is not the newest one."""
        task = next((t for t in self._tasks if t.signals is self.sender()), None)
        if task is None:
            return None
        self._tasks.remove(task)
        return task if task.generation == self._generation else None  # type: ignore[attr-defined]

    def _show(self, excerpts: list[Excerpt]) -> None:
        if self._reporting_task() is None or not self.project.is_open:
            return  # a newer request is on its way, or the project was closed meanwhile
        scroll = self.view.verticalScrollBar().value()
        self.model_.set_excerpts(excerpts, {c.id: c.name for c in self.project.coders()})
        self.view.verticalScrollBar().setValue(scroll)
        self._count_changed()

    def _count_changed(self) -> None:
        existing = {c.id: c.name for c in self.project.codes()}
        names = [existing[c] for c in self.code_ids if c in existing]
        what = f"'{names[0]}'" if len(names) == 1 else f"{len(names)} codes"
        count = len(self.model_.excerpts)
        self.title.setText(f"{count} coded segment{'s' if count != 1 else ''} of {what} (with sub-codes)")
        self.loaded.emit(count)

    def _failed(self, message: str, _details: str) -> None:
        if self._reporting_task() is not None:
            self.title.setText(message)

    def _menu(self, position: QPoint) -> None:
        index = self.view.indexAt(position)
        if not index.isValid():
            return
        coding = self.model_.excerpts[index.row()].coding
        menu = QMenu(self)
        menu.addAction("Open in the document", lambda: self._open(index))
        if not self.project.readonly:
            menu.addAction("Remove this coding", lambda: self.remove_requested.emit(coding.id))
        menu.exec(self.view.viewport().mapToGlobal(position))
        menu.deleteLater()

    def _open(self, index: QModelIndex) -> None:
        coding = self.model_.excerpts[index.row()].coding
        self.open_requested.emit(coding.source_id, coding.start, coding.end)
