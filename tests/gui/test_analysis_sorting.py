"""The result table's sort (a kept list of row numbers, key-sorted) orders rows exactly as the Qt sort proxy
with a per-pair comparison did, keeps the selection on its row, and keeps a total row last."""

from __future__ import annotations

import random

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from qcode.core.project import ExportTable
from qcode.gui.analysis.result_table import ROW_ROLE, SORT_ROLE, ResultModel, ResultSort


class PairwiseSort(QSortFilterProxyModel):
    """The former sort, comparison by comparison: the reference the new one must match."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ResultModel)
        if model.bold_last:
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


def _order(proxy) -> list[int]:
    return [proxy.index(r, 0).data(ROW_ROLE) for r in range(proxy.rowCount())]


def _table(rng: random.Random, count: int) -> ExportTable:
    names = ["Trust", "trust", "Barriers > Cost", "Älter", "zeal", "", "Coping > Humour", "10 units", "9 units"]
    rows = []
    for _ in range(count):
        rows.append([rng.choice(names), rng.randint(0, 5), rng.choice([0.5, 1.0, 2.25, 1, 3]),
                     rng.choice([1, "n/a", 2.5, "", None, 0]), rng.choice([True, False])])
    return ExportTable(["code", "excerpts", "jaccard", "mixed", "flag"], rows)


def test_sorting_matches_the_pairwise_sort_in_every_column_and_direction(qtbot):
    rng = random.Random(5)
    for bold_last in (False, True):
        model = ResultModel()
        model.set_table(_table(rng, 300), bold_last=bold_last)
        new, old = ResultSort(), PairwiseSort()
        new.setSourceModel(model)
        old.setSourceModel(model)
        assert _order(new) == list(range(300))
        for column in range(5):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                new.sort(column, order)
                old.sort(column, order)
                assert _order(new) == _order(old), (column, order, bold_last)
                if bold_last:
                    assert _order(new)[-1] == 299
        new.sort(-1)
        assert _order(new) == list(range(300))


def test_a_sort_keeps_the_selected_row_and_a_new_table_keeps_the_chosen_sort(qtbot):
    model = ResultModel()
    model.set_table(ExportTable(["code", "excerpts"], [["a", 3], ["b", 1], ["c", 2]]))
    proxy = ResultSort()
    proxy.setSourceModel(model)
    selection = QItemSelectionModel(proxy)
    selection.setCurrentIndex(proxy.index(0, 1), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["b", "c", "a"]
    assert selection.currentIndex().row() == 2
    assert selection.currentIndex().data() == "3"
    assert proxy.mapToSource(proxy.index(2, 1)).row() == 0
    assert proxy.mapFromSource(model.index(1, 0)).row() == 0
    assert proxy.headerData(1, Qt.Orientation.Horizontal) == "Excerpts"
    model.set_table(ExportTable(["code", "excerpts"], [["x", 5], ["y", 4]]))
    assert [proxy.index(r, 0).data() for r in range(2)] == ["y", "x"]
    assert proxy.sortColumn() == 1
