"""Coded segments: the excerpts of the chosen codes (with their sub-codes), or of a case, each row with its
code (path and colour), excerpt, source, location and coder, sortable by any column; the current row's whole
excerpt shows in a preview below the list, and the shared filters narrow the list.

The excerpts are read on a worker thread with a read connection of its own, so a code with tens of
thousands of excerpts never freezes the window; the table model hands rows to the view lazily. After
codings change in a few sources, only those sources' rows are read again and replaced (on the GUI
thread: a source's share is small), so applying a code updates the list at once.
Double-clicking an excerpt asks the window to open it in the document view, scrolled and selected.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import NotFoundError
from qcode.core.model import Excerpt, Filter
from qcode.core.project import Project
from qcode.gui.models.project_trees import swatch
from qcode.gui.support.codebook_cache import PATH_SEPARATOR, CodebookCache
from qcode.gui.support.item_opening import open_rows_with
from qcode.gui.support.plain_text import as_text, plain_label
from qcode.gui.support.workers import CoreTask
from qcode.gui.views.filter_bar import FilterBar

COLUMNS = ("Code", "Excerpt", "Source", "Location", "Coder")
CODE_COLUMN, EXCERPT_COLUMN, SOURCE_COLUMN, LOCATION_COLUMN, CODER_COLUMN = range(len(COLUMNS))
CODING_ROLE = Qt.ItemDataRole.UserRole + 10  # (source id, start, end)
SHOWN_CHARACTERS = 300  # of an excerpt in its row; the tooltip holds more
TOOLTIP_CHARACTERS = 2000
CODE_COLUMN_WIDTH = 180  # pixels, in a list wide enough for it
_TEXT_MARGIN = 3  # pixels, about Qt's margin either side of an item's icon and text
_FILTER_FIELDS = ("codes", "sources", "folders", "cases", "coders", "attributes", "created_from", "created_to")


def read_excerpts(path: Path, flt: Filter, coder: str | None = None) -> list[Excerpt]:
    """The excerpts a filter lets through, read with a connection of the worker's own for the window's coder."""
    with Project.open(path, mode="read", coder=coder) as reader:
        return reader.excerpts_matching(flt, with_location=True)


#: reads a listing's excerpts (an analysis cell's, say) with the worker's read-only project
ExcerptReader = Callable[[Project], list[Excerpt]]


def read_listing(path: Path, read: ExcerptReader, narrower: Filter | None, coder: str | None = None) -> list[Excerpt]:
    """A listing's excerpts, narrowed to those the panel's filters let through (all, when they are empty), read
    for the window's coder (in blind coding, their own codings only)."""
    with Project.open(path, mode="read", coder=coder) as reader:
        found = read(reader)
        if narrower is None:
            return []
        if narrower.is_empty():
            return found
        allowed = {e.coding.id for e in reader.excerpts_matching(narrower, with_location=False)}
        return [e for e in found if e.coding.id in allowed]


class SegmentsModel(QAbstractTableModel):
    """The rows, in the core's order (source, start) until a column header is clicked; then sorted by it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.excerpts: list[Excerpt] = []
        self.coders: dict[int, str] = {}
        self.codes: dict[int, tuple[str, str]] = {}  # code id -> (path, colour)
        self.ranks: dict[int, int] = {}  # source id -> place in the listing order
        self.sort_column = -1  # -1: the core's order
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._icons: dict[str, QIcon] = {}

    def set_excerpts(self, excerpts: list[Excerpt], coders: dict[int, str],
                     codes: dict[int, tuple[str, str]] | None = None, ranks: dict[int, int] | None = None) -> None:
        self.beginResetModel()
        self.excerpts, self.coders = excerpts, coders
        if codes is not None:
            self.codes = codes
        if ranks is not None:
            self.ranks = ranks
        self._sort_rows()
        self.endResetModel()

    def replace(self, first: int, last: int, excerpts: list[Excerpt]) -> None:
        """Put `excerpts` in place of rows first..last-1 (in the core's order only)."""
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

    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """As Qt's, in one call instead of three: the view asks for every row's index after rows change."""
        if parent.isValid() or not (0 <= row < len(self.excerpts) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def code_path(self, excerpt: Excerpt) -> str:
        return self.codes.get(excerpt.coding.code_id, ("", ""))[0]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        excerpt = self.excerpts[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == CODE_COLUMN:
                return self.code_path(excerpt)
            if column == EXCERPT_COLUMN:
                return " ".join(excerpt.text[:SHOWN_CHARACTERS * 2].split())[:SHOWN_CHARACTERS]
            if column == SOURCE_COLUMN:
                return excerpt.source_name
            if column == LOCATION_COLUMN:
                return excerpt.location
            return self.coders.get(excerpt.coding.coder_id, "")
        if role == Qt.ItemDataRole.DecorationRole and column == CODE_COLUMN:
            color = self.codes.get(excerpt.coding.code_id, ("", "#ffffff"))[1]
            if color not in self._icons:
                self._icons[color] = swatch(color)
            return self._icons[color]
        if role == Qt.ItemDataRole.ToolTipRole and column in (CODE_COLUMN, EXCERPT_COLUMN):
            return as_text(self.code_path(excerpt) if column == CODE_COLUMN else excerpt.text[:TOOLTIP_CHARACTERS])
        if role == CODING_ROLE:
            return (excerpt.coding.source_id, excerpt.coding.start, excerpt.coding.end)
        return None

    def text(self, row: int, column: int) -> str:
        return str(self.data(self.index(row, column)) or "")

    # --- sorting (in Python, on keys made once: fast for tens of thousands of rows) -------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = column, order
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        if self.sort_column < 0:
            return
        column = self.sort_column

        def place(excerpt: Excerpt) -> tuple:
            c = excerpt.coding
            return (self.ranks.get(c.source_id, -1), c.start, c.end, c.id)

        keys: dict[int, Callable[[Excerpt], object]] = {
            CODE_COLUMN: lambda e: (self.code_path(e).casefold(), place(e)),
            EXCERPT_COLUMN: lambda e: (" ".join(e.text.split()).casefold(), place(e)),
            SOURCE_COLUMN: lambda e: (e.source_name.casefold(), place(e)),
            LOCATION_COLUMN: place,
            CODER_COLUMN: lambda e: (self.coders.get(e.coding.coder_id, "").casefold(), place(e)),
        }
        self.excerpts.sort(key=keys[column], reverse=self.sort_order == Qt.SortOrder.DescendingOrder)

    @property
    def in_core_order(self) -> bool:
        return self.sort_column < 0


def shown_code_path(path: str, metrics: QFontMetrics, width: int) -> str:
    """A code's path as it fits `width`: whole, else with its first categories replaced by "…" (the code's own
    name matters most), else the code's own name cut at the end."""
    if metrics.horizontalAdvance(path) <= width:
        return path
    parts = path.split(PATH_SEPARATOR)
    for first in range(1, len(parts)):
        shorter = PATH_SEPARATOR.join(["…", *parts[first:]])
        if metrics.horizontalAdvance(shorter) <= width:
            return shorter
    return metrics.elidedText(parts[-1], Qt.TextElideMode.ElideRight, width)


class _CodePathDelegate(QStyledItemDelegate):
    """Draws a code's path so that a narrow column keeps the code's own name (see `shown_code_path`)."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        rect = option.rect  # type: ignore[attr-defined]
        if rect.width() <= 0:
            return
        icon = option.decorationSize.width() if option.features & option.ViewItemFeature.HasDecoration else 0  # type: ignore[attr-defined]
        room = rect.width() - icon - 4 * _TEXT_MARGIN
        option.text = shown_code_path(option.text, option.fontMetrics, room)  # type: ignore[attr-defined]


class SegmentsPanel(QWidget):
    """The coded segments of the chosen codes (`show_codes`) or of a case (`show_case`), narrowed by the shared
    filters of its filter bar and by the window's coder filter."""

    open_requested = Signal(int, int, int)  # source id, start, end
    remove_requested = Signal(int)  # coding id
    loaded = Signal(int)  # number of excerpts shown, once a read finishes

    def __init__(self, project: Project, *, filter_kinds: tuple[str, ...] = ("folders", "sources", "cases",
                                                                              "attributes", "coders"),
                 hint: str = "Choose a code in the codebook to see its coded segments.",
                 codebook: CodebookCache | None = None) -> None:
        super().__init__()
        self.project = project
        #: the codes' paths and colours, listed once per change of the codebook (the window's, when it gives one)
        if codebook is None:
            codebook = CodebookCache(project)
            self.destroyed.connect(lambda *_: codebook.detach())
        self.codebook = codebook
        self.code_ids: tuple[int, ...] = ()
        self.case_ids: tuple[int, ...] = ()
        self.fixed: tuple[Filter, str] | None = None  # a query shown by `show_filter`, and what it is in words
        self.listing: tuple[ExcerptReader, str] | None = None  # excerpts shown by `show_excerpts`, and what
        self.coder_ids: tuple[int, ...] = ()
        self.hint = hint
        #: each source's place in the core's listing order (given by the window); rows follow that order
        self.source_ranks: Callable[[], dict[int, int]] | None = None
        self._ranks: dict[int, int] | None = None  # the order the rows shown were listed in
        self.title = plain_label(QLabel(hint))
        self.title.setAccessibleName("Coded segments title")
        self.title.setWordWrap(True)
        self.filters = FilterBar(project, kinds=filter_kinds, what="the coded segments")
        self.filters.changed.connect(self.refresh)
        self.model_ = SegmentsModel(self)
        self.view = QTreeView()
        self.view.setAccessibleName("Coded segments")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setItemDelegateForColumn(CODE_COLUMN, _CodePathDelegate(self.view))  # a path keeps its last part
        self.view.setModel(self.model_)
        header = self.view.header()
        header.setSectionResizeMode(EXCERPT_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.resizeSection(CODE_COLUMN, CODE_COLUMN_WIDTH)
        characters = self.fontMetrics().averageCharWidth()
        for column, width in ((SOURCE_COLUMN, 16), (LOCATION_COLUMN, 14), (CODER_COLUMN, 10)):
            header.resizeSection(column, width * characters)  # room for the excerpt; the tooltips hold more
        self._fitting_code_column = False
        self._code_column_dragged = False  # by the user: then its width stays as it was left
        header.sectionResized.connect(self._section_resized)
        self.view.viewport().installEventFilter(self)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the core's order until a header is clicked
        self.view.setSortingEnabled(True)
        open_rows_with(self.view, self._open)  # once per double-click or Enter
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.selectionModel().currentChanged.connect(lambda current, _old: self._preview(current))
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("Excerpt preview")
        self.preview.setPlaceholderText("The whole excerpt of the chosen row shows here.")
        self.setFocusProxy(self.view)
        # small minimums, so the panel fits a low dock (the preview can be dragged away entirely)
        self.view.setMinimumHeight(3 * self.fontMetrics().height())
        self.preview.setMinimumHeight(2 * self.fontMetrics().height())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(self.preview)
        splitter.setCollapsible(0, False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        self._generation = 0
        self._tasks: list[CoreTask] = []  # kept alive until they report

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_code_column()
        return False

    def _fit_code_column(self) -> None:
        """In a narrow list the Code column takes at most a third of the width, so the excerpt shows too."""
        if self._code_column_dragged:
            return
        self._fitting_code_column = True
        width = min(CODE_COLUMN_WIDTH, max(CODE_COLUMN_WIDTH // 2, self.view.viewport().width() // 3))
        self.view.header().resizeSection(CODE_COLUMN, width)
        self._fitting_code_column = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == CODE_COLUMN and not self._fitting_code_column and self.view.isVisible():
            self._code_column_dragged = True

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
        self.code_ids, self.case_ids, self.fixed, self.listing = tuple(code_ids), (), None, None
        if coder_ids is not None:
            self.coder_ids = tuple(coder_ids)
        self.refresh()

    def show_case(self, case_id: int | None) -> None:
        """Show every coded segment inside the case's sources and passages."""
        self.case_ids, self.code_ids, self.fixed, self.listing = (() if case_id is None else (case_id,)), (), None, None
        self.refresh()

    def show_filter(self, flt: Filter, what: str) -> None:
        """Show the coded segments a query selects, such as an analysis table's cell ('of Trust × Urban'); the
        filter bar and the coder filter narrow it further."""
        self.code_ids, self.case_ids, self.listing = (), (), None
        self.fixed = (flt, what)
        self.refresh()

    def show_excerpts(self, read: ExcerptReader, what: str) -> None:
        """Show the excerpts `read` returns (on a worker, with a read-only project), such as those counted in an
        analysis's cell ('of Trust × Urban'); the filter bar and the coder filter narrow them further."""
        self.code_ids, self.case_ids, self.fixed = (), (), None
        self.listing = (read, what)
        self.refresh()

    def set_coder(self, coder_id: int | None) -> None:
        """List only one coder's codings (None: every coder's)."""
        self.coder_ids = () if coder_id is None else (coder_id,)
        self.refresh()

    def query(self, **narrower: tuple[int, ...]) -> Filter | None:
        """The filter of the list: its codes or case, the filter bar's choices and the coder filter (None when
        they leave nothing, as when the bar's coders and the window's coder differ)."""
        chosen = self.filters.filter()
        if self.fixed is not None:  # the query's own choices; the bar fills in what it leaves open
            base = self.fixed[0]
            chosen = Filter(**{f: getattr(base, f) or getattr(chosen, f) for f in _FILTER_FIELDS})
        coders = self.coder_ids
        if coders and chosen.coders:
            coders = tuple(c for c in coders if c in chosen.coders)
            if not coders:
                return None
        return replace(chosen, codes=self.code_ids or chosen.codes, cases=self.case_ids or chosen.cases,
                       coders=coders or chosen.coders, **narrower)

    def refresh(self) -> None:
        """Read the excerpts again in the background; the rows shown stay until the new ones arrive."""
        self._generation += 1
        if not self.code_ids and not self.case_ids and self.fixed is None and self.listing is None:
            self.model_.set_excerpts([], {})
            self.title.setText(self.hint)
            self._preview(QModelIndex())
            return
        flt = self.query()
        path = self.project.path
        self._ranks = self.source_ranks() if self.source_ranks is not None else None
        coder = self.project.viewer().name
        if self.listing is not None:
            read = self.listing[0]
            task = CoreTask(lambda _task: read_listing(path, read, flt, coder), pause_collector=True)
        else:
            task = CoreTask(lambda _task: [] if flt is None else read_excerpts(path, flt, coder), pause_collector=True)
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
        sources changed, when a read is under way, when the rows are sorted by a column, or when no sources are
        named."""
        if not self.code_ids and not self.case_ids and self.fixed is None:
            if self.listing is not None:
                self.refresh()  # a listing is read whole again
            return
        ranks = self.source_ranks() if self.source_ranks is not None else None
        if (not source_ids or ranks is None or ranks is not self._ranks or self._tasks
                or not self.model_.in_core_order or self.query() is None
                or any(source_id not in ranks for source_id in source_ids)):
            self.refresh()
            return
        self.model_.codes = self.codebook.paths()
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
        flt = self.query(sources=(source_id,))
        fresh = self.project.excerpts_matching(flt) if flt is not None else []
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
        self.model_.set_excerpts(excerpts, {c.id: c.name for c in self.project.coders()}, self.codebook.paths(),
                                 self._ranks or {})
        self.view.verticalScrollBar().setValue(scroll)
        self._count_changed()

    def _count_changed(self) -> None:
        count = len(self.model_.excerpts)
        noun = f"{count} coded segment{'s' if count != 1 else ''}"
        if self.fixed is not None:
            what = f"of {self.fixed[1]}"
        elif self.listing is not None:
            what = f"of {self.listing[1]}"
        elif self.case_ids:
            try:
                what = f"of case '{self.project.case(self.case_ids[0]).name}'"
            except NotFoundError:
                what = "of a deleted case"
        else:
            existing = self.codebook.by_id()
            names = [existing[c].name for c in self.code_ids if c in existing]
            what = (f"of '{names[0]}'" if len(names) == 1 else f"of {len(names)} codes") + " (with sub-codes)"
        narrowed = f"; only {self.filters.description}" if self.filters.description else ""
        self.title.setText(f"{noun} {what}{narrowed}")
        self.loaded.emit(count)
        self._preview(self.view.currentIndex())

    def _failed(self, message: str, _details: str) -> None:
        if self._reporting_task() is not None:
            self.title.setText(message)

    def _preview(self, index: QModelIndex) -> None:
        """The whole excerpt of the current row, then a line naming its code, source, location and coder (the
        excerpt first: a low panel shows its first lines)."""
        if not index.isValid() or index.row() >= len(self.model_.excerpts):
            self.preview.setPlainText("")
            return
        excerpt = self.model_.excerpts[index.row()]
        where = ", ".join(filter(None, [excerpt.source_name, excerpt.location,
                                        self.model_.coders.get(excerpt.coding.coder_id, "")]))
        self.preview.setPlainText(f"{excerpt.text}\n\n{self.model_.code_path(excerpt)} — {where}")

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
