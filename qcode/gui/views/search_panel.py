"""Project-wide text search: a query box, the hits with source, location and context, and "Load more".

Searches run on a worker with its own read-only connection, so a big project never freezes the window;
results of a search that has since been replaced are dropped. The query language is the core's
(`qcode.core.analysis.search`): words, "a phrase", prefix*. Activating a hit (double-click or Enter)
emits `open_requested(source_id, start, end)`; "Code all hits…" emits `code_all_requested(query)`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QKeyEvent,
    QPainter,
    QPalette,
    QStandardItem,
    QStandardItemModel,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import NotFoundError
from qcode.core.model import Filter, SearchHit
from qcode.core.project import Project
from qcode.gui.support.plain_text import as_text, plain_label
from qcode.gui.support.workers import CoreTask
from qcode.gui.views.filter_bar import FilterBar

PAGE_SIZE = 100
CONTEXT_CHARS = 60
HIT_ROLE = Qt.ItemDataRole.UserRole + 20  # (source id, start, end)
HTML_ROLE = Qt.ItemDataRole.UserRole + 21
MARGIN = 4
QUERY_HELP = ('Words are all looked for; "a phrase" finds words in sequence; a trailing * finds words that '
              "start so (help* finds help, helped, helpful). Case and accents are ignored.")


@dataclass(frozen=True, slots=True)
class SearchResult:
    source_id: int
    start: int
    end: int
    source_name: str
    location: str
    before: str
    hit: str
    after: str


@dataclass(frozen=True, slots=True)
class _Request:
    task: CoreTask
    generation: int
    query: str
    limit: int
    append: bool


def _squash(text: str) -> str:
    """Runs of white space as one space, keeping one at either end where there was some."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def context_parts(window: str, start: int, end: int, *, cut_left: bool, cut_right: bool) -> tuple[str, str, str]:
    """The text before, of and after the hit at window[start:end], on one line, with … where it was cut."""
    before = _squash(window[:start]).lstrip()
    after = _squash(window[end:]).rstrip()
    if cut_left and " " in before:  # start and end on whole words
        before = before[before.find(" ") + 1:]
    if cut_right and after.rfind(" ") > 0:
        after = after[:after.rfind(" ")]
    return ("…" if cut_left else "") + before, " ".join(window[start:end].split()), after + ("…" if cut_right else "")


def describe_hits(reader: Project, hits: list[SearchHit]) -> list[SearchResult]:
    """Location and context of each hit (hits whose source has just been deleted are left out)."""
    lengths: dict[int, int] = {}
    results = []
    for hit in hits:
        try:
            if hit.source_id not in lengths:
                lengths[hit.source_id] = reader.source(hit.source_id).length
            left = max(0, hit.start - CONTEXT_CHARS)
            right = min(lengths[hit.source_id], hit.end + CONTEXT_CHARS)
            window = reader.source_slice(hit.source_id, left, right)
            location = reader.describe_location(hit.source_id, hit.start)
        except NotFoundError:
            continue
        parts = context_parts(window, hit.start - left, hit.end - left,
                              cut_left=left > 0, cut_right=right < lengths[hit.source_id])
        results.append(SearchResult(hit.source_id, hit.start, hit.end, hit.source_name, location, *parts))
    return results


def run_search(path: Path, query: str, limit: int, offset: int, flt: Filter | None = None,
               coder: str | None = None) -> list[SearchResult]:
    """One page of results, read through a connection of its own for the window's coder (on a worker thread)."""
    with Project.open(path, mode="read", coder=coder) as reader:
        return describe_hits(reader, reader.search(query, limit=limit, offset=offset, flt=flt))


class ResultDelegate(QStyledItemDelegate):
    """Draws a result as two or more wrapped lines: source and location, then the context with the hit in bold."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setHtml(index.data(HTML_ROLE) or "")
        widget = option.widget  # type: ignore[attr-defined]
        width = widget.viewport().width() if isinstance(widget, QAbstractItemView) else option.rect.width()
        document.setTextWidth(max(80, width - 2 * MARGIN))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # type: ignore[attr-defined]
        widget = opt.widget  # type: ignore[attr-defined]
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        document = self._document(opt, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        painter.save()
        rect = opt.rect  # type: ignore[attr-defined]
        painter.translate(rect.left() + MARGIN, rect.top() + MARGIN)
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = self._document(opt, index)
        return QSize(int(document.textWidth()) + 2 * MARGIN, int(document.size().height()) + 2 * MARGIN)


def result_html(result: SearchResult, *, muted: str) -> str:
    location = f' <span style="color:{muted}">· {html.escape(result.location)}</span>' if result.location else ""
    return (f"<div><b>{html.escape(result.source_name)}</b>{location}</div>"
            f"<div>{html.escape(result.before)}<b>{html.escape(result.hit)}</b>{html.escape(result.after)}</div>")


class SearchPanel(QWidget):
    open_requested = Signal(int, int, int)  # source id, start, end
    finished = Signal()  # results (or an error) of a search are shown
    code_all_requested = Signal(str)  # the listed query: code every hit of it

    def __init__(self, project: Project, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.project = project
        self.page_size = page_size
        self.shown_query = ""  # the query whose results are listed
        self._latest_query = ""  # the query last asked for (its answer may be on its way)
        self._generation = 0  # bumped by every search; answers from older ones are dropped
        self._pending: dict[QObject, _Request] = {}  # running searches, by their task's signals
        self._retired: list[CoreTask] = []  # reported, kept alive a little longer while their thread winds up
        self.setAccessibleName("Search the project")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setAccessibleName("Search query")
        self.query.setPlaceholderText('Words, "a phrase" or prefix*')
        self.query.setToolTip(QUERY_HELP)
        self.query.setClearButtonEnabled(True)
        self.query.returnPressed.connect(lambda: self.search())
        self.query.installEventFilter(self)
        self.search_button = QPushButton("Search")
        self.search_button.setAccessibleName("Search")
        self.search_button.clicked.connect(lambda: self.search())
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)
        #: the shared filters: hits inside matching codings, sources, folders, cases and attribute values
        self.filters = FilterBar(project, what="the search")
        self.filters.changed.connect(self.refresh)
        layout.addWidget(self.filters)

        self.status = plain_label(QLabel("Search the text of every source."))
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        self.model_ = QStandardItemModel(self)
        self.results = QListView()
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model_)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.results.setAlternatingRowColors(True)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.activated.connect(self._activate)
        layout.addWidget(self.results, 1)

        self.more_button = QPushButton("Load more results")
        self.more_button.setAccessibleName("Load more results")
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        layout.addWidget(self.more_button)
        self.code_all_button = QPushButton("Code all hits…")
        self.code_all_button.setAccessibleName("Code all hits")
        self.code_all_button.setToolTip("Code every hit of this search (or its sentence, paragraph or turn) "
                                        "with a code, after a preview")
        self.code_all_button.clicked.connect(lambda: self.code_all_requested.emit(self.shown_query))
        self.code_all_button.setEnabled(False)
        layout.addWidget(self.code_all_button)
        self._more = False

    # --- searching ------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def search(self, query: str | None = None) -> None:
        """Start a search for `query` (by default the query box's text), replacing any running one."""
        if query is None:
            query = self.query.text()
        elif query != self.query.text():
            self.query.setText(query)
        self._generation += 1
        if not query.strip():
            self._show_error("Type one or more words to search for.")
            return
        self._latest_query = query
        self._start(query, offset=0, limit=self.page_size)

    def load_more(self) -> None:
        """The next page of the listed query's results, appended."""
        if self._more and not self.busy:
            self._generation += 1
            self._start(self.shown_query, offset=self.model_.rowCount(), limit=self.page_size, append=True)

    def refresh(self) -> None:
        """Search again for the latest query (call it when sources were added, changed or removed)."""
        if self._latest_query:
            self._generation += 1
            rows = self.model_.rowCount() if self._latest_query == self.shown_query else 0
            self._start(self._latest_query, offset=0, limit=max(self.page_size, rows))

    def clear(self) -> None:
        self._generation += 1
        self.shown_query = self._latest_query = ""
        self.model_.removeRows(0, self.model_.rowCount())
        self._set_more(False)
        self._set_status("Search the text of every source.")

    def _start(self, query: str, *, offset: int, limit: int, append: bool = False) -> None:
        path = self.project.path
        flt = self.filters.filter()
        flt = None if flt.is_empty() else flt
        # one extra result: are there more?
        coder = self.project.viewer().name
        task = CoreTask(lambda _task: run_search(path, query, limit + 1, offset, flt, coder), pause_collector=True)
        task.signals.finished.connect(self._done)
        task.signals.failed.connect(self._failed)
        self._retired = []
        self._pending[task.signals] = _Request(task, self._generation, query, limit, append)
        self.more_button.setEnabled(False)
        self._set_status(f"Searching for “{query}”…")
        task.start()

    def _reported(self) -> _Request | None:
        """The request of the task that just reported, if it is still the latest search."""
        request = self._pending.pop(self.sender(), None)
        if request is None:
            return None
        self._retired.append(request.task)
        return request if request.generation == self._generation else None

    def _done(self, results: list[SearchResult]) -> None:
        request = self._reported()
        if request is None:
            return  # a newer search has started
        if not request.append:
            self.model_.removeRows(0, self.model_.rowCount())
        self.shown_query = request.query
        muted = self.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText).name()
        for result in results[:request.limit]:
            self.model_.appendRow(self._item(result, muted))
        self._set_more(len(results) > request.limit)
        self._set_status(self._count_text())
        self.finished.emit()

    def _failed(self, message: str, details: str) -> None:
        if self._reported() is not None:
            self._show_error(message)
            self.status.setToolTip(as_text(details))  # a traceback when this is a bug, for a report

    def _show_error(self, message: str) -> None:
        self.shown_query = self._latest_query = ""
        self.model_.removeRows(0, self.model_.rowCount())
        self._set_more(False)
        self._set_status(message, error=True)
        self.finished.emit()

    # --- showing --------------------------------------------------------------------------------------

    @staticmethod
    def _item(result: SearchResult, muted: str) -> QStandardItem:
        where = f"{result.source_name}, {result.location}" if result.location else result.source_name
        item = QStandardItem(f"{where}: {result.before}{result.hit}{result.after}")
        item.setData((result.source_id, result.start, result.end), HIT_ROLE)
        item.setData(result_html(result, muted=muted), HTML_ROLE)
        item.setToolTip(as_text(f"{where}\n{result.before}{result.hit}{result.after}"))
        item.setEditable(False)
        return item

    def _count_text(self) -> str:
        count = self.model_.rowCount()
        if self.filters.description:
            return self._plain_count_text(count) + f" Only {self.filters.description}."
        return self._plain_count_text(count)

    def _plain_count_text(self, count: int) -> str:
        if count == 0:
            return f"No results for “{self.shown_query}”."
        if self._more:
            return f"The first {count} results for “{self.shown_query}”. Double-click one to open it."
        noun = "result" if count == 1 else "results"
        return f"{count} {noun} for “{self.shown_query}”. Double-click one to open it."

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.code_all_button.setEnabled(bool(self.shown_query) and self.model_.rowCount() > 0 and not error)
        self.status.setText(text)
        self.status.setToolTip("")
        self.status.setStyleSheet("color: #b3261e;" if error else "")

    def _set_more(self, more: bool) -> None:
        self._more = more
        self.more_button.setVisible(more)
        self.more_button.setEnabled(more)

    def result_at(self, row: int) -> tuple[int, int, int]:
        """(source id, start, end) of the result in `row`."""
        return self.model_.item(row).data(HIT_ROLE)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(*self.result_at(index.row()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the query box goes to the results."""
        if (watched is self.query and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Down and self.model_.rowCount()):
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.model_.index(0, 0))
            return True
        return super().eventFilter(watched, event)
