"""The table of an analysis result: a core `Table` shown as it will be copied and exported, sortable by any
column (numbers as numbers), codes with their colour and indented by their depth in the tree."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont

from qcode.core.project import ExportTable as Table
from qcode.gui.models.project_trees import swatch

SORT_ROLE = Qt.ItemDataRole.UserRole + 20
ROW_ROLE = Qt.ItemDataRole.UserRole + 21  # the row's number in the table (unsorted)
INDENT = "    "


class ResultModel(QAbstractTableModel):
    """Rows of a `Table`; `colors` give the first column a swatch (a code's colour), `bold_last` marks a last
    total row."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.table = Table((), [])
        self.colors: list[str | None] = []
        self.tooltips: list[str] = []
        self.bold_last = False
        self.percent_columns: set[int] = set()
        self.name_columns: set[int] = set()  # code paths shown by their last part (the path in the tooltip)
        self.second_colors: list[str | None] = []  # swatches of a second code column (a pair's code B)

    def set_table(self, table: Table, *, colors: list[str | None] | None = None, tooltips: list[str] | None = None,
                  bold_last: bool = False, percent_columns: set[int] | None = None,
                  name_columns: set[int] | None = None, second_colors: list[str | None] | None = None) -> None:
        self.beginResetModel()
        self.table = table
        self.colors = list(colors or [])
        self.tooltips = list(tooltips or [])
        self.bold_last = bold_last
        self.percent_columns = set(percent_columns or ())
        self.name_columns = set(name_columns or ())
        self.second_colors = list(second_colors or [])
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role in (Qt.ItemDataRole.DisplayRole,
                                                                 Qt.ItemDataRole.ToolTipRole):
            name = str(self.table.columns[section])
            return name[:1].upper() + name[1:] if role == Qt.ItemDataRole.DisplayRole else name
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        value = self.table.rows[row][column]
        if role == Qt.ItemDataRole.DisplayRole:
            text = display(value, column in self.percent_columns)
            if column == 0 and self.table.depths and row < len(self.table.depths):
                text = INDENT * self.table.depths[row] + text.rsplit(" > ", 1)[-1]
            elif column in self.name_columns:
                text = text.rsplit(" > ", 1)[-1]
            return text
        if role == SORT_ROLE:
            return value if isinstance(value, (int, float)) else str(value).casefold()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and row < len(self.colors) and self.colors[row]:
            return swatch(self.colors[row])
        if role == Qt.ItemDataRole.DecorationRole and column in self.name_columns and column \
                and row < len(self.second_colors) and self.second_colors[row]:
            return swatch(self.second_colors[row])
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0 or column in self.name_columns:
                tip = self.tooltips[row] if column == 0 and row < len(self.tooltips) else ""
                return tip or str(value)
            return f"{self.table.rows[row][0]} · {self.table.columns[column]}: {display(value)}\nClick to list " \
                   "the excerpts behind this number."
        if role == Qt.ItemDataRole.FontRole and self.bold_last and row == len(self.table.rows) - 1:
            font = QFont()
            font.setBold(True)
            return font
        return None


def display(value: object, percent: bool = False) -> str:
    """A cell as shown: whole numbers plainly, fractions with up to four decimals, percentages with one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if percent:
            return f"{value:.1f}%"
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.4f}".rstrip("0")
    return str(value)


class ResultSort(QSortFilterProxyModel):
    """Sorts by the raw values, a last total row staying last."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, ResultModel) and model.bold_last:
            last = model.rowCount() - 1
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            if left.row() == last:
                return not ascending
            if right.row() == last:
                return ascending
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a < b
        return str(a) < str(b)
