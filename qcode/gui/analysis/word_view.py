"""Word frequency with keyword in context: the most frequent words of the coded text (or of the sources), a click
on a word lists its occurrences with the text around them, a click on one of those opens the passage; a word that
says nothing goes on the project's stop list (one undo step; the list is kept in the project).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qcode.core.model import Filter, KwicLine, WordCount, WordTally
from qcode.core.project import AnalysisTable, Change, Project
from qcode.core.project import ExportTable as Table
from qcode.core.project import analysis_tsv as to_tsv
from qcode.gui.analysis.base import RELEVANT_CHANGES, AnalysisView, ExcerptReader
from qcode.gui.analysis.charts import ChartHits, ChartStyle
from qcode.gui.analysis.kwic_list import HEADERS as KWIC_HEADERS
from qcode.gui.analysis.kwic_list import KwicList
from qcode.gui.analysis.result_table import ResultModel
from qcode.gui.analysis.window_links import open_passage, undo_stack_of
from qcode.gui.commands.analysis import add_stop_words, remove_stop_words
from qcode.gui.commands.base import push_or_warn
from qcode.gui.support.workers import CoreTask

COLUMNS = ("Word", "Count", "Sources")  # titles as copied and exported
CHART_WORDS = 30  # words in the bar chart
KWIC_WIDTH = 60  # characters of context either side
KWIC_LINES = 2000  # occurrences listed at most (the first, in source order); the table says how many there are
WORD_COLOR = "#4e79a7"  # words are not codes: one colour for every bar


@dataclass(frozen=True)
class WordOptions:
    min_length: int = 1
    limit: int = 100
    #: the word tally of the shown result and the filter it counted: reused while the filter stays the same
    #: (a stop word added, another shortest length or number of words), so that only a new filter counts again
    counted: tuple[Filter, WordTally] | None = None


@dataclass(frozen=True)
class WordResult:
    words: list[WordCount]
    tally: WordTally


class WordTableModel(ResultModel):
    """The word table; a cell's tooltip says that a click shows the word in context (not excerpts)."""

    def value(self, row: int, column: int, role: int) -> object:
        if role == Qt.ItemDataRole.ToolTipRole:
            word, count, sources = self.table.rows[row][:3]
            return (f"“{word}”: {count} occurrence{'s' if count != 1 else ''} in {sources} "
                    f"source{'s' if sources != 1 else ''}\nClick to see it in context.")
        return super().value(row, column, role)


class WordView(AnalysisView):
    title = "Word frequency"
    chart_kinds = ("Bars",)
    chart_on_worker = True  # draw_chart reads only the result

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(project, parent)
        self.model = WordTableModel(self)
        self.sorter.setSourceModel(self.model)
        self.word = ""  # the word whose lines are shown
        self._counted: tuple[Filter, WordTally] | None = None  # the shown result's tally and its filter
        self.kwic_lines: list[KwicLine] = []
        self._kwic_generation = 0
        self._kwic_tasks: list[CoreTask] = []
        self._kwic_filter: Filter | None = None  # the filter of the lines shown
        self._stop_words = project.stop_words()  # the project's stop list as last seen
        self.min_length = QSpinBox()
        self.min_length.setRange(1, 40)
        self.min_length.setValue(1)
        self.min_length.setAccessibleName("Shortest word")
        self.min_length.valueChanged.connect(lambda _v: self.recompute())
        self.limit = QSpinBox()
        self.limit.setRange(10, 10_000)
        self.limit.setSingleStep(50)
        self.limit.setValue(100)
        self.limit.setAccessibleName("Words listed")
        self.limit.valueChanged.connect(lambda _v: self.recompute())
        self.add_option("Shortest word (letters):", self.min_length)
        self.add_option("Most frequent:", self.limit)
        self.finish_options()

        # the word table above its keyword-in-context lines
        self.kwic = KwicList()
        self.kwic.open_requested.connect(self._open_passage)
        self.kwic_title = QLabel("Click a word to see it in context.")
        self.kwic_title.setTextFormat(Qt.TextFormat.PlainText)
        self.kwic_title.setAccessibleName("Keyword in context title")
        self.stop_button = QPushButton("Add to &stop list")
        self.stop_button.setToolTip("Leave the selected word out of the counts (kept in the project, for everyone)")
        self.stop_button.clicked.connect(lambda: self.add_to_stop_list(self.selected_word()))
        self.copy_lines_button = QPushButton("Copy &lines")
        self.copy_lines_button.setToolTip("Copy the lines in context, tab-separated (they paste into Excel and Word "
                                          "as a table)")
        self.copy_lines_button.setEnabled(False)
        self.copy_lines_button.clicked.connect(lambda: self.copy_lines())
        self.stop_list_button = QPushButton()
        self.stop_list_button.setToolTip("The project's own stop list: take words off it")
        self.stop_list_button.clicked.connect(self.edit_stop_list)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.kwic_title, 1)
        row.addWidget(self.copy_lines_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.stop_list_button)
        below_layout.addLayout(row)
        below_layout.addWidget(self.kwic, 1)
        self.column = QSplitter(Qt.Orientation.Vertical)
        self.splitter.insertWidget(0, self.column)
        self.column.addWidget(self.table)
        self.column.addWidget(below)
        self.column.setStretchFactor(0, 1)
        self.column.setStretchFactor(1, 1)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_stop_buttons())
        self.signals.changed.connect(self._stop_list_changed)
        self.refresh_button.pressed.connect(self._forget_tally)  # Refresh counts again (pressed comes before clicked)
        self._update_stop_buttons()

    # --- the word table -----------------------------------------------------------------------------------

    def options(self) -> WordOptions:
        return WordOptions(self.min_length.value(), self.limit.value(), self._counted)

    def compute(self, project: Project, flt: Filter, options: Any) -> WordResult:
        tally = options.counted[1] if options.counted is not None and options.counted[0] == flt else (
            project.word_tally(flt))
        found = project.word_frequencies(flt, min_length=options.min_length, limit=options.limit, tally=tally)
        return WordResult(found, tally)

    def show_result(self, result: WordResult) -> None:
        self._counted = (self.result_filter, result.tally)
        rows = result.words
        note = "" if rows else "No words to count within the filters."
        self.set_table(Table(COLUMNS, [(w.word, w.count, w.sources) for w in rows], note=note))
        words = {w.word for w in rows}
        if self.word and self.word not in words:
            self._show_kwic("", [])
        elif self.word and self._kwic_filter != self.result_filter:
            self.show_word(self.word)  # another text was counted: so may its lines differ
        self._update_stop_buttons()

    def analysis_table(self) -> AnalysisTable | None:
        if self.result is None:
            return None
        options: WordOptions = self.result_options
        stop = self.project.stop_words()
        caption = ("Words are runs of letters and digits, counted without case over the coded text of the chosen "
                   "codes (text coded twice counts once), or over the sources; English stop words"
                   + (f" and the project's stop list ({len(stop)} words)" if stop else "") + " are left out"
                   + (f", and words shorter than {options.min_length} letters" if options.min_length > 1 else "")
                   + ". Sources is the number of sources a word occurs in.")
        return AnalysisTable(f"The {options.limit} most frequent words", self.model.table,
                             filters=self.filter_text(), caption=caption, chart="bars")

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        """A word has no excerpts of its own: a click shows its lines in context instead."""
        if self.result is not None and 0 <= row < len(self.result.words):
            self.show_word(self.result.words[row].word)
        return None

    def draw_chart(self, figure: Any, style: ChartStyle, kind: str) -> ChartHits | None:
        from qcode.gui.analysis import chart_kinds

        result = self.result.words if self.result is not None else []
        if not result:
            self.chart.show_message("No words to count within the filters.")
            return None
        shown = result[:CHART_WORDS]
        more = f" (the first {CHART_WORDS})" if len(result) > CHART_WORDS else ""
        return chart_kinds.bar_chart(figure, style, [w.word for w in shown], [w.count for w in shown],
                                     colors=[WORD_COLOR] * len(shown), keys=[(i, 1) for i in range(len(shown))],
                                     title=f"Most frequent words{more}", axis_label="Occurrences")

    # --- keyword in context ---------------------------------------------------------------------------

    def selected_word(self) -> str:
        index = self.table.currentIndex()
        if not index.isValid() or self.result is None:
            return ""
        row = self.sorter.mapToSource(index).row()
        return self.result.words[row].word if 0 <= row < len(self.result.words) else ""

    def show_word(self, word: str) -> None:
        """List the word's occurrences in context (read on a worker, within the filters of the table)."""
        self.word = word
        self._kwic_generation += 1
        generation = self._kwic_generation
        flt, path = self.result_filter, self.project.path
        coder = self.project.viewer().name  # read as the window's coder: blind coding holds here too
        self._kwic_filter = flt

        def work(_task: CoreTask) -> list[KwicLine]:
            with Project.open(path, mode="read", coder=coder) as reader:
                return reader.kwic(word, flt, width=KWIC_WIDTH, limit=KWIC_LINES)

        task = CoreTask(work, pause_collector=True)
        task.generation = generation  # type: ignore[attr-defined]
        task.signals.finished.connect(self._kwic_arrived)
        task.signals.failed.connect(self._kwic_failed)
        self._kwic_tasks.append(task)
        self.kwic_title.setText(f"Finding “{word}”…")
        task.start()

    def _kwic_task(self) -> CoreTask | None:
        task = next((t for t in self._kwic_tasks if t.signals is self.sender()), None)
        if task is None:
            return None
        self._kwic_tasks.remove(task)
        return task if task.generation == self._kwic_generation else None  # type: ignore[attr-defined]

    def _kwic_arrived(self, lines: list[KwicLine]) -> None:
        if self._kwic_task() is not None and self.project.is_open:
            self._show_kwic(self.word, lines)

    def _kwic_failed(self, message: str, _details: str) -> None:
        if self._kwic_task() is not None:
            self.kwic_title.setText(message)

    def _show_kwic(self, word: str, lines: list[KwicLine]) -> None:
        self.word, self.kwic_lines = word, lines
        self.kwic.set_lines(word, lines)
        if not word:
            self.kwic_title.setText("Click a word to see it in context.")
        else:
            count = len(lines)
            total = self.result.tally.counts.get(word, count) if self.result is not None else count
            shown = f"the first {count:,} of {total:,} occurrences" if total > count else (
                f"{count} occurrence{'s' if count != 1 else ''}")
            self.kwic_title.setText(f"“{word}” in context: {shown}; click one to open it in its source.")
        self.copy_lines_button.setEnabled(bool(lines))
        self._update_stop_buttons()

    def copy_lines(self) -> str:
        """Put the lines in context on the clipboard, tab-separated, and return that text."""
        text = to_tsv(Table(KWIC_HEADERS, self.kwic.model_.rows()))
        QGuiApplication.clipboard().setText(text)
        return text

    def _open_passage(self, source_id: int, start: int, end: int) -> None:
        open_passage(self, source_id, start, end)

    # --- the stop list --------------------------------------------------------------------------------

    def add_to_stop_list(self, word: str) -> bool:
        """Put a word on the project's stop list (one undo step); the counts are computed again without it."""
        if not word or self.project.readonly:
            return False
        if not push_or_warn(undo_stack_of(self, self), add_stop_words(self.project, [word]), self):
            return False
        if self.word == word:
            self._show_kwic("", [])
        return True

    def edit_stop_list(self) -> None:
        StopListDialog(self, self).exec()

    def _stop_list_changed(self, change: Change) -> None:
        if change.kind in RELEVANT_CHANGES:
            self._forget_tally()  # the text in scope may have changed: the next result counts again
        if change.kind == "project":  # a project setting changed: choose again
            stop = self.project.stop_words()
            if stop == self._stop_words:
                self._forget_tally()  # not the stop list (blind coding, say): what is visible may differ
            self._stop_words = stop
            self._update_stop_buttons()
            if self._started:
                self.recompute()

    def _forget_tally(self) -> None:
        self._counted = None
        self._kwic_filter = None  # the lines in context are read again too

    def _table_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if not index.isValid() or self.result is None:
            return
        word = self.result.words[self.sorter.mapToSource(index).row()].word
        menu = QMenu(self)
        menu.addAction(f"Show “{word}” in context", lambda: self.show_word(word))
        add = menu.addAction(f"Add “{word}” to the stop list", lambda: self.add_to_stop_list(word))
        add.setEnabled(not self.project.readonly)
        menu.exec(self.table.viewport().mapToGlobal(position))

    def _update_stop_buttons(self) -> None:
        word = self.selected_word()
        self.stop_button.setEnabled(bool(word) and not self.project.readonly)
        self.stop_button.setText(f"Add “{word}” to &stop list" if word else "Add to &stop list")
        self.stop_list_button.setText(f"Stop list ({len(self.project.stop_words())})…")


class StopListDialog(QDialog):
    """The project's own stop list; selected words can be taken off it (each removal one undo step)."""

    def __init__(self, view: WordView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Stop list")
        self.view = view
        layout = QVBoxLayout(self)
        note = QLabel("Words left out of the word counts besides the common English ones. The list is kept in the "
                      "project, so everyone on the team counts the same way.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.words = QListWidget()
        self.words.setAccessibleName("Stop words")
        self.words.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.words, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.remove_button = buttons.addButton("&Remove from the list", QDialogButtonBox.ButtonRole.ActionRole)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.words.itemSelectionChanged.connect(self._enable)
        self.fill()

    def fill(self) -> None:
        self.words.clear()
        self.words.addItems(self.view.project.stop_words())
        self._enable()

    def remove_selected(self) -> None:
        chosen = [item.text() for item in self.words.selectedItems()]
        if chosen and push_or_warn(undo_stack_of(self.view, self.view),
                                   remove_stop_words(self.view.project, chosen), self):
            self.fill()

    def _enable(self) -> None:
        self.remove_button.setEnabled(bool(self.words.selectedItems()) and not self.view.project.readonly)
