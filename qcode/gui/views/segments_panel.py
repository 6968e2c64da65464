"""Coded segments: the excerpts of the chosen code (with its sub-codes), each with source, location and coder.

Double-clicking one asks the window to open it in the document view, scrolled and selected.
The rows live in a plain list behind a table model (no item objects), so thousands of excerpts list quickly.
After codings change in a few sources only those sources' rows are replaced, so applying a code stays quick
even when the listed code has thousands of excerpts. The locations of a long list (many sources) are filled
in after it shows, a few sources at a time between events, so choosing a code never freezes the window.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QTreeView

from qcode.core.model import Coding, Excerpt, Filter
from qcode.core.project import Project

CODING_ROLE = Qt.ItemDataRole.UserRole + 10  # (source id, start, end)
CODING_ID_ROLE = Qt.ItemDataRole.UserRole + 11
LOCATIONS_AT_ONCE = 40  # up to this many sources, locations are found before the list shows
LOCATION_SLICE_SECONDS = 0.02  # beyond, locations are filled in slices this long between events
HEADERS = ("Excerpt", "Source", "Location", "Coder")
LOCATION_COLUMN = 2


@dataclass(slots=True)
class SegmentRow:
    coding: Coding
    text: str  # one line, for the list
    full_text: str  # for the tooltip
    source: str
    location: str
    coder: str


def segment_row(excerpt: Excerpt, coders: dict[int, str]) -> SegmentRow:
    return SegmentRow(excerpt.coding, " ".join(excerpt.text[:400].split())[:300], excerpt.text[:2000],
                      excerpt.source_name, excerpt.location, coders.get(excerpt.coding.coder_id, ""))


class SegmentsModel(QAbstractTableModel):
    """The listed excerpts, in the core's order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SegmentRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.text, row.source, row.location, row.coder)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return row.full_text
        if role == CODING_ROLE:
            return (row.coding.source_id, row.coding.start, row.coding.end)
        if role == CODING_ID_ROLE:
            return row.coding.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def set_rows(self, rows: list[SegmentRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def replace(self, first: int, last: int, rows: list[SegmentRow]) -> None:
        """Put `rows` in place of rows first..last-1."""
        if last > first:
            self.beginRemoveRows(QModelIndex(), first, last - 1)
            del self.rows[first:last]
            self.endRemoveRows()
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows[first:first] = rows
            self.endInsertRows()

    def locations_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, LOCATION_COLUMN), self.index(len(self.rows) - 1, LOCATION_COLUMN),
                                  [Qt.ItemDataRole.DisplayRole])


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
        self.model_ = SegmentsModel(self)
        self.setModel(self.model_)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.header().setStretchLastSection(False)
        for column, sample in ((1, "Interview 01 - Marcus"), (2, "¶ 120, Participant"), (3, "Coder name")):
            self.header().resizeSection(column, self.fontMetrics().horizontalAdvance(sample) + 16)
        self.doubleClicked.connect(self._open)
        self._ranks: dict[int, int] | None = None  # the source order the rows were listed in
        self._pending: deque[int] = deque()  # sources whose rows still wait for their locations
        self._waiting: dict[int, SegmentRow] = {}  # coding id -> its row without a location yet
        self._location_timer = QTimer(self)
        self._location_timer.setSingleShot(True)
        self._location_timer.setInterval(0)
        self._location_timer.timeout.connect(lambda: self._fill_locations(LOCATION_SLICE_SECONDS))

    def show_code(self, code_id: int | None) -> None:
        self.code_id = code_id
        self.refresh()

    def refresh(self) -> None:
        """List every excerpt of the code (with its sub-codes) again."""
        self._pending.clear()
        self._waiting.clear()
        self._ranks = self.source_ranks() if self.source_ranks is not None else None
        if self.code_id is None:
            self.model_.set_rows([])
            return
        coders = {c.id: c.name for c in self.project.coders()}
        rows = [segment_row(e, coders) for e in self.project.excerpts(self.code_id, include_descendants=True)]
        self._waiting = {row.coding.id: row for row in rows}
        self._pending.extend(dict.fromkeys(row.coding.source_id for row in rows))
        if len(self._pending) <= LOCATIONS_AT_ONCE:
            self._fill_locations(None)
        self.model_.set_rows(rows)
        if self._pending:
            self._location_timer.start()

    def locating(self) -> bool:
        """Whether some rows still wait for their locations."""
        return bool(self._pending)

    def _fill_locations(self, seconds: float | None) -> None:
        """Find the locations of waiting rows, source by source, for about `seconds` (None: all of them)."""
        deadline = None if seconds is None else time.perf_counter() + seconds
        while self._pending and self.code_id is not None:
            source_id = self._pending.popleft()
            for excerpt in self.project.excerpts_matching(Filter(codes=(self.code_id,), sources=(source_id,))):
                row = self._waiting.pop(excerpt.coding.id, None)
                if row is not None:
                    row.location = excerpt.location
            if deadline is not None and time.perf_counter() > deadline:
                break
        self.model_.locations_changed()
        if self._pending:
            self._location_timer.start()

    def refresh_sources(self, source_ids: tuple[int, ...]) -> None:
        """Replace only the rows of sources whose codings changed (everything when none are named)."""
        if self.code_id is None:
            return
        ranks = self.source_ranks() if self.source_ranks is not None else None
        if (not source_ids or ranks is None or ranks is not self._ranks  # sources renamed, moved, added: new order
                or any(source_id not in ranks for source_id in source_ids)):
            self.refresh()
            return
        coders = {c.id: c.name for c in self.project.coders()}
        for source_id in sorted(set(source_ids)):
            self._replace_source(source_id, ranks, coders)

    def _replace_source(self, source_id: int, ranks: dict[int, int], coders: dict[int, str]) -> None:
        """Rows are in the core's order (source, start, end, id), so a source's block is found by bisection."""
        assert self.code_id is not None
        rows = self.model_.rows

        def key(row: SegmentRow) -> tuple[int, ...]:
            return (ranks.get(row.coding.source_id, -1), row.coding.start, row.coding.end, row.coding.id)

        rank = ranks[source_id]
        first = bisect_left(rows, (rank,), key=key)
        last = bisect_left(rows, (rank + 1,), key=key)
        if source_id in self._pending:  # its rows come back with their locations
            self._pending.remove(source_id)
        for old in rows[first:last]:
            self._waiting.pop(old.coding.id, None)
        fresh = self.project.excerpts_matching(Filter(codes=(self.code_id,), sources=(source_id,)))
        self.model_.replace(first, last, [segment_row(e, coders) for e in fresh])

    def _open(self, index: QModelIndex) -> None:
        source_id, start, end = index.data(CODING_ROLE)
        self.open_requested.emit(source_id, start, end)
