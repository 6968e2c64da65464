"""The shared frame of every analysis view: options and filters on top, the result as a table (and a chart)
below, and the hand-off buttons (Copy, Word, Excel, Save chart).

A view subclasses `AnalysisView` and provides its options, `compute` (run on a worker with a read-only
project of its own: core calls only, no Qt), `show_result`, and optionally a chart and the excerpts behind a
cell or bar. The frame recomputes when an option or filter changes and when codings change; a generation
counter drops any result computed for older choices, and a busy bar shows when a result takes a moment.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.errors import QcodeError
from qcode.core.model import Excerpt, Filter
from qcode.core.project import AnalysisTable, Change, ExportTable, Project, analysis_tsv
from qcode.gui.analysis.charts import SAVE_FORMATS, ChartHits, ChartPane, ChartStyle
from qcode.gui.analysis.result_table import INDENT, ROW_ROLE, ResultModel, ResultSort, display
from qcode.gui.support.plain_text import plain_label
from qcode.gui.support.workers import CoreTask, ProjectSignals, run_while_responsive
from qcode.gui.views.filter_bar import FilterBar

#: what reads the excerpts behind a number, on a worker with a read-only project: (project) -> excerpts
ExcerptReader = Callable[[Project], list[Excerpt]]
SIZE_SAMPLE = 60  # rows measured for the columns' widths
WIDE_FROM = 1100  # pixels of the view's width from which the chart stands beside the table
BUSY_AFTER_MS = 250  # a result that takes longer shows the busy bar
CHART_ON_WORKER_FROM = 100  # cells of the result table from which a `chart_on_worker` view draws on a worker
PREFETCH_AFTER_MS = 700  # how long after a result the filters' choices start to be read on a worker
CHART_AFTER_MS = 40  # how long after a result its chart starts: the table is painted first, not while a worker draws
REFRESH_AFTER_MS = 400  # codings changed: recompute after this pause (several changes, one recompute)
#: the changes that can alter an analysis's numbers
RELEVANT_CHANGES = {"coding", "code", "source", "folder", "case", "attribute", "coder"}


class AnalysisView(QWidget):
    """One question of the data, answered as a table and a chart; see the module's docstring."""

    #: the tab's name and the Analyse menu's entry
    title = "Analysis"
    #: the kinds of chart the view draws, offered in its chart box (empty: no chart pane)
    chart_kinds: tuple[str, ...] = ()
    #: True: `draw_chart` may run on a worker (it then uses no Qt widget and not `self.project`, only the
    #: result and plain values kept on the GUI thread; `self.chart.show_message` may be called there); it
    #: does for a table of `CHART_ON_WORKER_FROM` cells or more (a bar chart of 70 words took some 60 ms of
    #: matplotlib on the GUI thread, more while a worker computed; a chart of a few cells is made at once)
    chart_on_worker = False

    excerpts_requested = Signal(object, str)  # (ExcerptReader, what in words): list them in Coded segments
    filter_requested = Signal(object, str)  # (Filter, what in words): Coded segments' `show_filter`
    computed = Signal()  # a new result is shown
    failed = Signal(str)  # a result could not be computed (the message shown)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.setObjectName(f"analysis-{type(self).__name__}")
        self.setAccessibleName(self.title)
        self.result: Any = None
        self.result_filter = Filter()  # the filter the shown result was computed with
        self.result_options: Any = None
        self.stale = False
        self._generation = 0
        self._tasks: list[CoreTask] = []
        self._started = False

        self.options_row = QHBoxLayout()
        self.options_row.setSpacing(8)
        self.filters = FilterBar(project, what=f"the {self.title.lower()}")
        self.filters.changed.connect(self.recompute)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Computing")
        policy = self.busy.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing it moves nothing (the chart is not drawn again)
        self.busy.setSizePolicy(policy)
        self.busy.hide()
        self.status = plain_label(QLabel())
        self.status.setAccessibleName(f"{self.title} status")
        self.status.setWordWrap(True)
        self.model = ResultModel(self)
        self.sorter = ResultSort(self)
        self.sorter.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName(f"{self.title} table")
        self.table.setModel(self.sorter)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a code path keeps its last part
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.clicked.connect(self._table_clicked)
        self.table.activated.connect(self._table_clicked)
        self.chart = ChartPane()
        self.chart.clicked.connect(self._chart_clicked)
        self.chart_box = QComboBox()
        self.chart_box.setAccessibleName("Chart kind")
        self.chart_box.addItems(list(self.chart_kinds))
        self.chart_box.currentIndexChanged.connect(lambda _i: self.redraw_chart())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._split = False  # the table and chart panes were given their shares
        self.splitter.addWidget(self.table)
        if self.chart_kinds:
            self.splitter.addWidget(self.chart)
            self.splitter.setStretchFactor(0, 2)
            self.splitter.setStretchFactor(1, 3)
        else:
            self.chart.hide()
            self.chart_box.hide()

        buttons = QHBoxLayout()
        self.copy_button = QPushButton("&Copy table")
        self.copy_button.setToolTip("Copy the table, tab-separated: it pastes into Excel and Word as a table")
        self.copy_button.clicked.connect(self.copy_table)
        self.word_button = QPushButton("To &Word…")
        self.word_button.setToolTip("Save the table as a Word document, captioned with the question and filters")
        self.word_button.clicked.connect(lambda: self.export_word())
        self.excel_button = QPushButton("To E&xcel…")
        self.excel_button.setToolTip("Save the table as an Excel workbook")
        self.excel_button.clicked.connect(lambda: self.export_excel())
        self.save_chart_button = QPushButton("Save c&hart…")
        self.save_chart_button.setToolTip("Save the chart as PNG (300 dpi), SVG or PDF")
        self.save_chart_button.clicked.connect(lambda: self.save_chart())
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Compute again from the project as it is now")
        self.refresh_button.clicked.connect(self.recompute)
        for button in (self.copy_button, self.word_button, self.excel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        if self.chart_kinds:
            buttons.addWidget(plain_label(QLabel("Chart:")))
            buttons.addWidget(self.chart_box)
            buttons.addWidget(self.save_chart_button)
        else:
            self.save_chart_button.hide()
        buttons.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self.options_row)
        layout.addWidget(self.filters)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_AFTER_MS)
        self._refresh_timer.timeout.connect(self.recompute)
        self._chart_timer = QTimer(self)
        self._chart_timer.setSingleShot(True)
        self._chart_timer.setInterval(CHART_AFTER_MS)
        self._chart_timer.timeout.connect(self.redraw_chart)
        #: the filters' choices are read on a worker a moment after the first result (see `_arrived`)
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(PREFETCH_AFTER_MS)
        self._prefetch_timer.timeout.connect(self._prefetch_choices)
        self.chart.drawn.connect(self._update_buttons)
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_AFTER_MS)
        self._busy_timer.timeout.connect(self.busy.show)
        self.signals = ProjectSignals(project, self)
        self.signals.changed.connect(self._project_changed)
        self._update_buttons()

    # --- what a view provides -------------------------------------------------------------------------

    def options(self) -> Any:
        """The view's choices as plain values (read on the GUI thread, handed to `compute`)."""
        return None

    def compute(self, project: Project, flt: Filter, options: Any) -> Any:
        """The result for a filter and options; runs on a worker with a read-only project (no Qt here)."""
        raise NotImplementedError

    def show_result(self, result: Any) -> None:
        """Show a result (GUI thread): call `set_table`; the frame redraws the chart afterwards."""
        raise NotImplementedError

    def draw_chart(self, figure: Any, style: ChartStyle, kind: str) -> ChartHits | None:
        """Draw the current result as `kind` (one of `chart_kinds`) with `chart_kinds.py`'s functions; return
        their hits; or call `self.chart.show_message(...)` and return None when it cannot be drawn. Runs on
        the GUI thread, or on a worker when the view sets `chart_on_worker`."""
        return None

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        """The excerpts behind a table cell (row and column of the table as built, unsorted), and what they
        are in words ('Trust × Online forum'); None when the cell stands for no excerpts."""
        return None

    def chart_excerpts(self, key: object) -> tuple[ExcerptReader, str] | None:
        """The excerpts behind a bar or heatmap cell (the key its hits gave); by default a (row, column)
        key of the table."""
        if isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, int) for k in key):
            return self.cell_excerpts(key[0], key[1])
        return None

    def analysis_table(self) -> AnalysisTable | None:
        """The shown result for Word and Excel: the table with its question, filters and caption."""
        if self.result is None:
            return None
        return AnalysisTable(self.title, self.model.table, filters=self.filter_text())

    # --- what the frame provides ------------------------------------------------------------------------

    def add_option(self, label: str, widget: QWidget) -> QWidget:
        """Put an option (with its label) in the row above the filters; connect its change to `recompute`."""
        if label:
            text = plain_label(QLabel(label))
            text.setBuddy(widget)
            self.options_row.addWidget(text)
        self.options_row.addWidget(widget)
        return widget

    def finish_options(self) -> None:
        """Push the options to the left (call after the last `add_option`)."""
        self.options_row.addStretch(1)

    def filter(self) -> Filter:
        """The shared filters chosen in the view's filter bar."""
        return self.filters.filter()

    def filter_text(self) -> str:
        """The filters in words ('' for none), for captions."""
        return self.filters.description

    def set_table(self, table: ExportTable, *, colors: list[str | None] | None = None,
                  tooltips: list[str] | None = None, bold_last: bool = False,
                  percent_columns: set[int] | None = None, name_columns: set[int] | None = None,
                  second_colors: list[str | None] | None = None) -> None:
        """Show a result's table (what Copy, Word and Excel take): `colors` put a swatch before the first
        column (a code's colour), `bold_last` marks a total row, `percent_columns` show numbers with a %,
        `name_columns` show code paths by their last part (with a swatch from `second_colors`)."""
        self.model.set_table(table, colors=colors, tooltips=tooltips, bold_last=bold_last,
                             percent_columns=percent_columns, name_columns=name_columns,
                             second_colors=second_colors)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.sorter.sort(-1)
        self._size_columns(table)
        self.status.setText(table.note)
        self.status.setVisible(bool(table.note))

    def _size_columns(self, table: ExportTable) -> None:
        """Widths from the header titles and the first rows: text measured, a number column by its longest
        value only (measuring every cell of a matrix of 2,000 sources by 300 codes would take seconds)."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        # fewer rows of a wide table; its last row (a matrix's totals: the widest numbers) always
        sample = table.rows[:max(5, min(SIZE_SAMPLE, 6000 // max(1, len(table.columns))))] + table.rows[-1:]
        names = self.model.name_columns
        widest_name = 250 if len(names) > 1 else 340
        for column, name in enumerate(table.columns):
            values = [row[column] for row in sample]
            swatched = column == 0 or column in names
            if column == 0 and table.depths:
                texts = [INDENT * d + str(v).rsplit(" > ", 1)[-1]
                         for v, d in zip(values, table.depths, strict=False)]
            elif column in names:
                texts = [str(v).rsplit(" > ", 1)[-1] for v in values]
            elif all(isinstance(v, (int, float)) for v in values):
                texts = [max((display(v, column in self.model.percent_columns) for v in values), key=len,
                             default="")]
            else:
                texts = [str(v) for v in values]
            width = max(metrics.horizontalAdvance(text) for text in [str(name), *texts])
            width += 44 if swatched else 18
            header.resizeSection(column, max(56, min(width, widest_name if swatched else 170)))

    def start(self) -> None:
        """Compute the first result (the area calls this when the view is first shown)."""
        if not self._started:
            self._started = True
            self.recompute()

    def recompute(self) -> None:
        """Compute again for the current options and filters on a worker; older results are dropped."""
        self._started = True
        self._refresh_timer.stop()
        self._generation += 1
        generation = self._generation
        flt, options, path = self.filter(), self.options(), self.project.path
        coder = self.project.viewer().name  # read as the window's coder: blind coding holds here too
        compute = self.compute

        def work(_task: CoreTask) -> Any:
            with Project.open(path, mode="read", coder=coder) as reader:
                return compute(reader, flt, options)

        task = CoreTask(work, pause_collector=True)
        task.generation = generation  # type: ignore[attr-defined]
        task.request = (flt, options)  # type: ignore[attr-defined]
        task.signals.finished.connect(self._arrived)
        task.signals.failed.connect(self._failed)
        self._tasks.append(task)
        self.stale = False
        self._busy_timer.start()
        self.chart.hold()  # the new result's chart comes soon: no redraw of the old one meanwhile
        task.start()

    def computing(self) -> bool:
        """Whether a result is still being computed."""
        return bool(self._tasks)

    def drawing(self) -> bool:
        """Whether the chart of the shown result is still to be drawn or being drawn (the result shows first,
        its chart right after)."""
        return self._chart_timer.isActive() or self.chart.rendering()

    def list_excerpts(self, read: ExcerptReader, what: str) -> None:
        """List excerpts in the Coded segments panel (read on a worker there)."""
        self.excerpts_requested.emit(read, what)

    def list_filter(self, flt: Filter, what: str) -> None:
        """List the excerpts a filter selects in the Coded segments panel."""
        self.filter_requested.emit(flt, what)

    def redraw_chart(self) -> None:
        """Draw the chart of the shown result in the chosen kind."""
        if not self.chart_kinds:
            return
        if self.result is None:
            self.chart.show_message("The chart shows here once the result is computed.")
            return
        kind = self.chart_box.currentText() or self.chart_kinds[0]

        def paint(figure: Any, style: ChartStyle) -> ChartHits | None:
            if self.result is None or not self.project.is_open:  # (a redraw after the window closed)
                return None
            try:
                return self.draw_chart(figure, style, kind)
            except QcodeError as err:
                self.chart.show_message(err.message)
                return None

        table = self.model.table
        large = len(table.rows) * max(1, len(table.columns)) >= CHART_ON_WORKER_FROM
        self.chart.draw(paint, on_worker=self.chart_on_worker and large)
        self._update_buttons()

    def copy_table(self) -> str:
        """Put the table on the clipboard, tab-separated (it pastes into Excel and Word as a table)."""
        text = analysis_tsv(self.model.table)
        QGuiApplication.clipboard().setText(text)
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Copied the {self.title.lower()} table ({len(self.model.table.rows)} rows).", 4000)
        return text

    def export_word(self, target: str | Path | None = None) -> Path | None:
        """Save the result as a Word document (asks where when `target` is None)."""
        return self._export(target, "Word document (*.docx)", ".docx")

    def export_excel(self, target: str | Path | None = None) -> Path | None:
        """Save the result as an Excel workbook (asks where when `target` is None)."""
        return self._export(target, "Excel workbook (*.xlsx)", ".xlsx")

    def save_chart(self, target: str | Path | None = None) -> Path | None:
        """Save the chart as PNG (300 dpi), SVG or PDF, by the file's ending (asks where when None)."""
        if not self.chart.has_chart():
            return None
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Save the chart", f"{self.title}.png",
                                                    ";;".join(SAVE_FORMATS.values()))
            if not chosen:
                return None
            target = chosen
        path = Path(target)
        if path.suffix.lower() not in SAVE_FORMATS:
            path = path.with_suffix(".png")
        try:
            return self.chart.save(path)
        except OSError as err:
            QMessageBox.warning(self, "Save the chart", f"The chart could not be saved: {err.strerror or err}.")
            return None

    # --- inside ----------------------------------------------------------------------------------------

    def _export(self, target: str | Path | None, kind: str, suffix: str) -> Path | None:
        result = self.analysis_table()
        if result is None:
            return None
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, f"Save the {self.title.lower()}", f"{self.title}{suffix}",
                                                    kind)
            if not chosen:
                return None
            target = chosen
        path = Path(target)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        project_path, coder = self.project.path, self.project.viewer().name

        def write() -> Path:
            from qcode.core.project import write_analysis_docx, write_analysis_xlsx

            with Project.open(project_path, mode="read", coder=coder) as reader:
                if suffix == ".docx":
                    return write_analysis_docx(reader, result, path)
                return write_analysis_xlsx(reader, result, path)

        try:
            written = run_while_responsive(write, f"Saving {path.name}…", self)
        except QcodeError as err:
            QMessageBox.warning(self, "Save", err.message)
            return None
        except OSError as err:
            QMessageBox.warning(self, "Save", f"{path.name} could not be written: {err.strerror or err}.")
            return None
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(f"Saved {path}", 6000)
        return written if isinstance(written, Path) else path

    def _reporting_task(self) -> CoreTask | None:
        task = next((t for t in self._tasks if t.signals is self.sender()), None)
        if task is None:
            return None
        self._tasks.remove(task)
        if not self._tasks:
            self._busy_timer.stop()
            self.busy.hide()
        return task if task.generation == self._generation else None  # type: ignore[attr-defined]

    def _arrived(self, result: Any) -> None:
        task = self._reporting_task()
        if task is None or not self.project.is_open:
            return  # computed for older choices: never shown
        self.result = result
        self.result_filter, self.result_options = task.request  # type: ignore[attr-defined]
        self.status.hide()
        self.show_result(result)
        self._update_buttons()
        self.computed.emit()
        self._chart_timer.start()  # the table first; the chart right after, between events
        # the filters' choices, read on a worker from a moment after the first result (and after each change
        # that alters them), so that the Filters… button opens at once; not while the first result is computed,
        # painted and charted: a third thread then took turns at the interpreter with the painting
        if not self._prefetch_timer.isActive():
            self._prefetch_timer.start()

    def _prefetch_choices(self) -> None:
        if self.project.is_open:
            self.filters.prefetch()

    def _failed(self, message: str, details: str) -> None:
        if self._reporting_task() is None:
            return
        self.chart.hold(False)  # the shown chart stays: at the pane's size
        self.status.setText(message)
        self.status.show()
        self.failed.emit(message)

    def _update_buttons(self) -> None:
        has = self.result is not None
        for button in (self.copy_button, self.word_button, self.excel_button):
            button.setEnabled(has)
        self.save_chart_button.setEnabled(self.chart.has_chart())

    def _project_changed(self, change: Change) -> None:
        if change.kind not in RELEVANT_CHANGES or not self._started:
            return
        if self.isVisible():
            self._refresh_timer.start()
        else:
            self.stale = True

    def resizeEvent(self, event: Any) -> None:
        """Table and chart side by side when there is room, else the chart under the table."""
        super().resizeEvent(event)
        wide = self.width() >= WIDE_FROM
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if (self.splitter.orientation() != orientation or not self._split) and self.chart_kinds:
            self.splitter.setOrientation(orientation)  # (the first time too: a view made in a wide dock would
            whole = self.splitter.width() if wide else self.splitter.height()  # else follow the table's width)
            self.splitter.setSizes([int(whole * 0.42), int(whole * 0.58)])
            self._split = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self._refresh_timer.start()

    def _table_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = int(self.sorter.data(index, ROW_ROLE))
        found = self.cell_excerpts(row, index.column())
        if found is not None:
            self.list_excerpts(*found)

    def _chart_clicked(self, key: object) -> None:
        found = self.chart_excerpts(key)
        if found is not None:
            self.list_excerpts(*found)

    def closeEvent(self, event: Any) -> None:
        self.signals.detach()
        super().closeEvent(event)
