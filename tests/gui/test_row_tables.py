"""The shared set-up of the plain row tables (name check, name register, suggestions, About)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView

from qcode.gui.support.tables import fill_rows, row_table


def test_a_read_only_table_of_single_rows_with_tooltips(qtbot) -> None:
    table = row_table("Fictional places", ["Place", "Times", "Example"], stretch=[2], one_row=True)
    qtbot.addWidget(table)
    assert table.accessibleName() == "Fictional places"
    assert [table.horizontalHeaderItem(c).text() for c in range(3)] == ["Place", "Times", "Example"]
    assert table.verticalHeader().isHidden()
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert table.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    modes = [table.horizontalHeader().sectionResizeMode(c) for c in range(3)]
    assert modes == [QHeaderView.ResizeMode.Interactive] * 2 + [QHeaderView.ResizeMode.Stretch]
    fill_rows(table, [("Elmsbury", "3", "…walked to Elmsbury…"), ("Corrow", "1", "…the Corrow road…")], tooltips=True)
    fill_rows(table, [("Corrow", "1", "…the Corrow road…")], tooltips=True)  # replaces what it held
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(3)] == ["Corrow", "1", "…the Corrow road…"]
    assert table.item(0, 2).toolTip() == "…the Corrow road…"


def test_an_editable_table_keeps_the_default_edit_triggers_and_many_rows(qtbot) -> None:
    table = row_table("Fictional register", ["Term", "Pseudonym", "Applied"], stretch=[0, 1], editable=True)
    qtbot.addWidget(table)
    assert table.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert table.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    fill_rows(table, [("Elmsbury", "P01", "")])
    assert table.item(0, 0).toolTip() == ""
    modes = [table.horizontalHeader().sectionResizeMode(c) for c in range(3)]
    assert modes == [QHeaderView.ResizeMode.Stretch] * 2 + [QHeaderView.ResizeMode.Interactive]
