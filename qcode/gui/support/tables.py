"""The set-up dialogs share for a plain table of rows: an accessible name, column titles, no row numbers,
selection by whole rows, the columns that take the spare width; and filling it with rows of text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


def row_table(name: str, headers: Sequence[str], *, stretch: Iterable[int] = (), editable: bool = False,
              one_row: bool = False) -> QTableWidget:
    """An empty table with these column titles; `stretch` names the columns that take the spare width,
    `editable` lets the researcher edit cells in place, `one_row` allows one row selected at a time."""
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if one_row:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    for column in stretch:
        table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return table


def fill_rows(table: QTableWidget, rows: Iterable[Sequence[str]], *, tooltips: bool = False) -> None:
    """Show these rows of text in place of what the table held; with `tooltips`, each cell's text is also its
    tooltip (for cells too narrow to show all of it)."""
    rows = list(rows)
    table.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if tooltips:
                item.setToolTip(text)
            table.setItem(row, column, item)
