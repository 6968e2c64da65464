"""Coding query: build (or type) a query of codes, coders and operators, see the passages it selects, list the
excerpts behind a passage in Coded segments, and code all results with a new or existing code in one undo step.

The query runs when the user asks (Run, or Enter in the query), and again when the filters or the codings
change; the core parses and evaluates it, so the builder's text and the result always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from qcode.core.model import Excerpt, Filter, Passage
from qcode.core.project import AnalysisTable, Change, Project
from qcode.core.project import ExportTable as Table
from qcode.gui.analysis.base import AnalysisView, ExcerptReader
from qcode.gui.analysis.code_results_dialog import CodeResultsDialog, code_all_results, code_choice
from qcode.gui.analysis.query_builder import QueryBuilder
from qcode.gui.analysis.window_links import undo_stack_of

COLUMNS = ("Source", "Location", "Passage", "Characters", "Excerpts")  # titles as copied and exported
PASSAGE_COLUMN = 2


@dataclass(frozen=True)
class QueryResult:
    expression: str
    passages: list[Passage]
    excerpts: list[list[Excerpt]]  # per passage: the codings of the query's codes behind it


class _ElideRight(QStyledItemDelegate):
    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight  # type: ignore[attr-defined]


class QueryView(AnalysisView):
    title = "Coding query"

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(project, parent)
        self.expression = ""  # the query last run (what `options` hands to `compute`)
        self.builder = QueryBuilder(project)
        self.builder.submitted.connect(self.run_query)
        self.code_all_button = QPushButton("Code all results &as…")
        self.code_all_button.setToolTip("Code every passage found with a code of the codebook or a new one "
                                        "(one step: Undo takes it back)")
        self.code_all_button.clicked.connect(lambda: self.code_all())
        self.table.setItemDelegateForColumn(PASSAGE_COLUMN, _ElideRight(self.table))
        self.list_all_button = QPushButton("&List all excerpts")
        self.list_all_button.setToolTip("List the excerpts behind every passage found in Coded segments")
        self.list_all_button.clicked.connect(self.list_all)
        grid = self.builder.layout()
        assert isinstance(grid, QGridLayout)
        actions = QHBoxLayout()
        actions.addWidget(self.list_all_button)
        actions.addWidget(self.code_all_button)
        grid.addLayout(actions, 2, 2)
        self.add_option("", self.builder)
        self.signals.changed.connect(self._codebook_changed)
        self._update_code_all()

    # --- running ----------------------------------------------------------------------------------------

    def run_query(self) -> None:
        """Run the builder's query (it has been checked: a fault is shown under it and blocks running)."""
        self.expression = self.builder.text().strip()
        self.recompute()

    def recompute(self) -> None:
        if not self.expression:  # nothing asked yet: say how, compute nothing
            self._started = True
            self.status.setText("Build a query above and press Run query; its passages are listed here.")
            self.status.show()
            return
        super().recompute()

    def options(self) -> str:
        return self.expression

    def compute(self, project: Project, flt: Filter, options: Any) -> QueryResult:
        found = project.coding_query_excerpts(str(options), flt)
        return QueryResult(str(options), [p for p, _ in found], [e for _, e in found])

    def show_result(self, result: QueryResult) -> None:
        rows = [(p.source_name, p.location, _cell(p.text), p.end - p.start, len(e))
                for p, e in zip(result.passages, result.excerpts, strict=True)]
        count = len(rows)
        sources = len({p.source_id for p in result.passages})
        note = (f"No passage matches {result.expression} within the filters." if not rows else
                f"{count} passage{'s' if count != 1 else ''} in {sources} source{'s' if sources != 1 else ''} "
                f"match {result.expression}.")
        tips = [p.text for p in result.passages]
        self.set_table(Table(COLUMNS, rows, note=note), tooltips=tips)
        # the passage takes the room left and loses its end, not its middle, when it does not fit
        self.table.horizontalHeader().setSectionResizeMode(PASSAGE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self._update_code_all()

    def analysis_table(self) -> AnalysisTable | None:
        result: QueryResult | None = self.result
        if result is None:
            return None
        rows = [(p.source_name, p.location, p.text, p.end - p.start, len(e))
                for p, e in zip(result.passages, result.excerpts, strict=True)]  # with its line breaks
        return AnalysisTable(f"Coding query {result.expression}", Table(COLUMNS, rows, note=self.model.table.note),
                             filters=self.filter_text(),
                             caption="One row per passage the query selects, passages merged per source; "
                                     "'excerpts' counts the codings of the query's codes behind each.")

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        result: QueryResult | None = self.result
        if result is None or not 0 <= row < len(result.passages):
            return None
        passage = result.passages[row]
        ids = [e.coding.id for e in result.excerpts[row]]  # read again on each listing: a removed one drops out
        return (lambda project: project.excerpts_of_codings(ids)), (f"the query's passage in {passage.source_name}, "
                                                                    f"{passage.location}")

    def list_all(self) -> None:
        """List the excerpts behind every passage found in Coded segments."""
        result: QueryResult | None = self.result
        if result is None or not result.passages:
            return
        ids = sorted({e.coding.id for excerpts in result.excerpts for e in excerpts})
        self.list_excerpts(lambda project: project.excerpts_of_codings(ids), f"the query {result.expression}")

    # --- coding the results -----------------------------------------------------------------------------

    def code_all(self, code: str | None = None) -> int:
        """Code every passage found with a code (asked for when `code` is None; a new one when no code has that
        path): one undo step. Returns the number of codings added."""
        result: QueryResult | None = self.result
        if result is None or not result.passages or self.project.readonly:
            return 0
        if code is None:
            dialog = CodeResultsDialog(self.project, len(result.passages), self)
            accepted = dialog.exec()
            code_id, path = dialog.choice()
            dialog.deleteLater()
            if not accepted:
                return 0
        else:
            code_id, path = code_choice(self.project, code)
        if not path:
            return 0
        ranges = [(p.source_id, p.start, p.end) for p in result.passages]
        command = code_all_results(self.project, undo_stack_of(self, self), ranges, code_id, path, self)
        return command.added if command is not None else 0

    def _update_code_all(self) -> None:
        result: QueryResult | None = self.result
        has = result is not None and bool(result.passages) and not self.project.readonly
        self.code_all_button.setEnabled(has)
        self.list_all_button.setEnabled(result is not None and bool(result.passages))
        if self.project.readonly:
            self.code_all_button.setToolTip("This project is open read-only.")

    def _codebook_changed(self, change: Change) -> None:
        if change.kind in ("code", "coder"):
            self.builder.refresh_choices()


def _cell(text: str) -> str:
    """A passage on one line (the table elides what does not fit; its tooltip and the exports keep the lines)."""
    return " ".join(text.split())
