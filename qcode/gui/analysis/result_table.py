"""The table of an analysis result: a core `Table` shown as it will be copied and exported, sortable by any
column (numbers as numbers), codes with their colour and indented by their depth in the tree."""

from __future__ import annotations

from functools import cmp_to_key

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
)
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

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """A cell's index, made at once (Qt's asks rowCount and columnCount here first: thousands of calls
        into Python for each paint of a wide table)."""
        if parent.isValid() or not (0 <= row < len(self.table.rows)) or not (0 <= column < len(self.table.columns)):
            return QModelIndex()
        return self.createIndex(row, column)

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
        return self.value(index.row(), index.column(), role)

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roles: QModelRoleDataSpan) -> None:  # type: ignore[override]
        """Every role a view asks of a cell, in one call (Qt's default asks `data` once per role: each a call
        into Python, which waits for the interpreter while a worker computes)."""
        if index.isValid():
            fill_roles(self, index.row(), index.column(), roles)

    def value(self, row: int, column: int, role: int) -> object:
        """A cell's data for a role (what `data` returns), by the table's row and column."""
        value = self.table.rows[row][column]
        if role == Qt.ItemDataRole.DisplayRole:
            text = display(value, column in self.percent_columns)
            if column == 0 and self.table.depths and row < len(self.table.depths):
                text = INDENT * self.table.depths[row] + text.rsplit(" > ", 1)[-1]
            elif column in self.name_columns:
                text = text.rsplit(" > ", 1)[-1]
            return text
        if role == SORT_ROLE:
            return sort_value(value)
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


def fill_roles(model: ResultModel, row: int, column: int, roles: QModelRoleDataSpan) -> None:
    """Fill a span of (role, data) pairs with a cell's data, clearing the roles the cell has no data for (a
    view hands the same span from cell to cell: what the cell before left there must not show here)."""
    inside = 0 <= row < len(model.table.rows) and 0 <= column < len(model.table.columns)
    for item in roles:
        value = model.value(row, column, item.role()) if inside else None
        if value is None:
            item.clearData()
        else:
            item.setData(value)


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


class ResultSort(QAbstractProxyModel):
    """The table in a chosen order: sorted by the raw values (numbers as numbers, text without case), ties in
    the table's order, a last total row staying last. It keeps a list of row numbers and sorts it with Python's
    key sort (31,000 co-occurrence pairs in some 30 ms) instead of calling a Python `lessThan` per comparison,
    which froze the window for seconds on a large table."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._column = -1
        self._order_kind = Qt.SortOrder.AscendingOrder
        self._rows: list[int] = []  # shown row -> table row
        self._shown: list[int] = []  # table row -> shown row
        self._columns = 0

    # --- the sort --------------------------------------------------------------------------------------

    def sortColumn(self) -> int:
        return self._column

    def sortOrder(self) -> Qt.SortOrder:
        return self._order_kind

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        self._column, self._order_kind = column, order
        if model is None:
            return
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        table_rows = [self._rows[index.row()] if 0 <= index.row() < len(self._rows) else -1 for index in before]
        self._arrange(self._rows)
        self.changePersistentIndexList(before, [
            self.index(self._shown[row], index.column()) if row >= 0 else QModelIndex()
            for index, row in zip(before, table_rows, strict=True)])
        self.layoutChanged.emit()

    def _arrange(self, shown: list[int] | None = None) -> None:
        """Order the rows by the chosen column, equal values in the order `shown` (as Qt's sort proxy kept
        the order shown before: a sort by one column then another sorts by both); the table's order by
        default and for column -1."""
        model = self.sourceModel()
        count = model.rowCount() if model is not None else 0
        rows = list(range(count))
        if isinstance(model, ResultModel) and 0 <= self._column < model.columnCount() and count > 1:
            if shown is not None and len(shown) == count:
                rows = list(shown)
            if model.bold_last:
                rows.remove(count - 1)
            last = [count - 1] if model.bold_last else []
            rows = sorted_rows(model.table.rows, self._column, rows,
                               self._order_kind == Qt.SortOrder.DescendingOrder) + last
        self._rows = rows
        self._columns = model.columnCount() if model is not None else 0
        self._shown = [0] * count
        for shown, row in enumerate(rows):
            self._shown[row] = shown

    # --- the proxy -------------------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # type: ignore[override]
        self.beginResetModel()
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.dataChanged.connect(self._source_data_changed)
        self._arrange()
        self.endResetModel()

    def _source_reset(self) -> None:
        self._arrange()
        self.endResetModel()

    def _source_data_changed(self, first: QModelIndex, last: QModelIndex, roles: list[int] = ()) -> None:  # type: ignore[assignment]
        for row in range(first.row(), last.row() + 1):
            left, right = self.mapFromSource(first.siblingAtRow(row)), self.mapFromSource(last.siblingAtRow(row))
            self.dataChanged.emit(left, right, list(roles))

    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows)) or not (0 <= column < self._columns):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def mapToSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        row = index.row()
        if not index.isValid() or not (0 <= row < len(self._rows)):
            return QModelIndex()
        model = self.sourceModel()
        return model.index(self._rows[row], index.column()) if model is not None else QModelIndex()

    def mapFromSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not index.isValid() or not (0 <= index.row() < len(self._shown)):
            return QModelIndex()
        return self.createIndex(self._shown[index.row()], index.column())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The table cell's data (one call into Python where Qt's proxy makes two: the mapping, then the data)."""
        row = index.row()
        model = self.sourceModel()
        if not index.isValid() or not (0 <= row < len(self._rows)) or model is None:
            return None
        if isinstance(model, ResultModel):
            if not 0 <= index.column() < len(model.table.columns):
                return None
            return model.value(self._rows[row], index.column(), role)
        return model.data(self.mapToSource(index), role)

    def multiData(self, index: QModelIndex | QPersistentModelIndex, roles: QModelRoleDataSpan) -> None:  # type: ignore[override]
        """Every role a view asks of a cell in one call into Python (a table's paint asks some seven per cell)."""
        row = index.row()
        model = self.sourceModel()
        if not index.isValid() or not (0 <= row < len(self._rows)) or model is None:
            return
        if isinstance(model, ResultModel):
            fill_roles(model, self._rows[row], index.column(), roles)
        else:
            model.multiData(self.mapToSource(index), roles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return model.headerData(section, orientation, role)


def sorted_rows(table_rows: list, column: int, rows: list[int], descending: bool) -> list[int]:
    """`rows` (numbers of table rows) ordered by their values in `column`, as a click on its header sorts:
    numbers by value, anything else by its text without case; equal values keep their order in `rows` (in
    both directions). A column of numbers and texts mixed compares two numbers as numbers and anything else
    as text, pair by pair, as before."""
    values = [sort_value(table_rows[row][column]) for row in rows]
    numbers = [isinstance(v, (int, float)) for v in values]
    if all(numbers):
        keys: list = values
    elif not any(numbers):
        keys = values
    else:
        def compare(a: object, b: object) -> int:
            if isinstance(a, (int, float)) and isinstance(b, (int, float)):
                return -1 if a < b else (1 if b < a else 0)
            return -1 if str(a) < str(b) else (1 if str(b) < str(a) else 0)

        keys = [cmp_to_key(compare)(v) for v in values]
    order = sorted(range(len(rows)), key=keys.__getitem__, reverse=descending)
    return [rows[i] for i in order]


def sort_value(value: object) -> object:
    """A cell's value for sorting: numbers as they are, anything else as its text without case."""
    return value if isinstance(value, (int, float)) else str(value).casefold()
