"""Coded segments: the excerpts of the chosen code (with its sub-codes), each with source, location and coder.

Double-clicking one asks the window to open it in the document view, scrolled and selected.
After codings change in a few sources only those sources' rows are replaced, so applying a code stays quick
even when the listed code has thousands of excerpts.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from qcode.core.model import Excerpt, Filter
from qcode.core.project import Project

CODING_ROLE = Qt.ItemDataRole.UserRole + 10
CODING_ID_ROLE = Qt.ItemDataRole.UserRole + 11


class SegmentsPanel(QTreeView):
    open_requested = Signal(int, int, int)  # source id, start, end

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.code_id: int | None = None
        #: each source's place in the core's listing order (given by the window); rows follow that order
        self.source_ranks: Callable[[], dict[int, int]] | None = None
        self.setAccessibleName("Coded segments")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.model_ = QStandardItemModel(self)
        self.model_.setHorizontalHeaderLabels(["Excerpt", "Source", "Location", "Coder"])
        self.setModel(self.model_)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)
        for column, sample in ((1, "Interview 01 - Marcus"), (2, "¶ 120, Participant"), (3, "Coder name")):
            self.header().resizeSection(column, self.fontMetrics().horizontalAdvance(sample) + 16)
        self.doubleClicked.connect(self._open)

    def show_code(self, code_id: int | None) -> None:
        self.code_id = code_id
        self.refresh()

    def refresh(self) -> None:
        """List every excerpt of the code (with its sub-codes) again."""
        self.model_.removeRows(0, self.model_.rowCount())
        if self.code_id is None:
            return
        coders = {c.id: c.name for c in self.project.coders()}
        for excerpt in self.project.excerpts(self.code_id, include_descendants=True, with_location=True):
            self.model_.appendRow(self._row(excerpt, coders))

    def refresh_sources(self, source_ids: tuple[int, ...]) -> None:
        """Replace only the rows of sources whose codings changed (everything when none are named)."""
        if self.code_id is None:
            return
        ranks = self.source_ranks() if self.source_ranks is not None else {}
        if not source_ids or any(source_id not in ranks for source_id in source_ids):
            self.refresh()
            return
        coders = {c.id: c.name for c in self.project.coders()}
        for source_id in sorted(set(source_ids)):
            self._replace_source(source_id, ranks, coders)

    def _replace_source(self, source_id: int, ranks: dict[int, int], coders: dict[int, str]) -> None:
        """Rows are in the core's order (source, start, end, id), so a source's block is found by bisection."""
        rank = ranks[source_id]
        rows = range(self.model_.rowCount())

        def key(row: int) -> tuple[int, ...]:
            item = self.model_.item(row, 0)
            source, start, end = item.data(CODING_ROLE)
            return (ranks.get(source, -1), start, end, item.data(CODING_ID_ROLE))

        first = bisect_left(rows, (rank,), key=key)
        last = bisect_left(rows, (rank + 1,), key=key)
        if last > first:
            self.model_.removeRows(first, last - first)
        assert self.code_id is not None
        fresh = self.project.excerpts_matching(Filter(codes=(self.code_id,), sources=(source_id,)))
        for offset, excerpt in enumerate(fresh):
            self.model_.insertRow(first + offset, self._row(excerpt, coders))

    @staticmethod
    def _row(excerpt: Excerpt, coders: dict[int, str]) -> list[QStandardItem]:
        coding = excerpt.coding
        text = QStandardItem(" ".join(excerpt.text.split())[:300])
        text.setToolTip(excerpt.text[:2000])
        text.setData((coding.source_id, coding.start, coding.end), CODING_ROLE)
        text.setData(coding.id, CODING_ID_ROLE)
        row = [text, QStandardItem(excerpt.source_name), QStandardItem(excerpt.location),
               QStandardItem(coders.get(coding.coder_id, ""))]
        for item in row:
            item.setEditable(False)
        return row

    def _open(self, index: QModelIndex) -> None:
        source_id, start, end = self.model_.item(index.row(), 0).data(CODING_ROLE)
        self.open_requested.emit(source_id, start, end)
