"""Keyword-in-context lines: the text left of a word right-aligned, the word, the text right of it, so that the
occurrences line up down the middle; a click on a line asks to open the passage in the document view."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from qcode.core.model import KwicLine

HEADERS = ("Source", "Location", "Before", "Word", "After")
LINE_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1


class KwicModel(QAbstractTableModel):
    """The lines of one word, in source then text order (as the core lists them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines: list[KwicLine] = []
        self.word = ""

    def set_lines(self, word: str, lines: list[KwicLine]) -> None:
        self.beginResetModel()
        self.word, self.lines = word, list(lines)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def cells(self, line: KwicLine) -> tuple[str, str, str, str, str]:
        return (line.source_name, line.location, line.left, line.word, line.right)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ToolTipRole and column in (2, 3, 4):
                return f"{line.left}{line.word}{line.right}"
            return self.cells(line)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == 2:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == 3:
                return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 3:
            font = QFont()
            font.setBold(True)
            return font
        if role == LINE_ROLE:
            return line
        if role == SORT_ROLE:  # the text before the word sorts by its last words, nearest the word first
            if column == 2:
                return " ".join(reversed(line.left.casefold().split()))
            if column == 1:
                return f"{line.source_name.casefold()}\x00{line.start:012d}"  # text order: '¶ 2' before '¶ 10'
            return self.cells(line)[column].casefold()
        return None

    def rows(self) -> list[tuple[str, ...]]:
        """The lines as table rows (for copying and exports)."""
        return [self.cells(line) for line in self.lines]


class _ElideLeft(QStyledItemDelegate):
    """The text before the word loses its start, not the words next to the keyword."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft  # type: ignore[attr-defined]


class KwicList(QTableView):
    """The lines of one word; `open_requested(source id, start, end)` on a click, to show the occurrence."""

    open_requested = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = KwicModel(self)
        self.sorter = QSortFilterProxyModel(self)
        self.sorter.setSourceModel(self.model_)
        self.sorter.setSortRole(SORT_ROLE)
        self.setModel(self.sorter)
        self.setSortingEnabled(True)  # by the words after (or before) the keyword, to see what goes with it
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # in the core's order until a header is clicked
        self.setAccessibleName("Keyword in context")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.setShowGrid(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.setItemDelegateForColumn(2, _ElideLeft(self))
        self.clicked.connect(self._open)
        self.activated.connect(self._open)

    def set_lines(self, word: str, lines: list[KwicLine]) -> None:
        self.model_.set_lines(word, lines)
        self.resizeColumnToContents(0)
        self.resizeColumnToContents(1)

    def _open(self, index: QModelIndex) -> None:
        line = index.data(LINE_ROLE)
        if isinstance(line, KwicLine):
            self.open_requested.emit(line.source_id, line.start, line.start + len(line.word))
