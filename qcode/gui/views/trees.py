"""The set-up the Sources and Codebook trees share: a name column that stretches and a count column."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView


def setup_count_tree(view: QTreeView, name: str, model: QAbstractItemModel) -> None:
    """Read-only, several rows selectable; the count column has a fixed width, because sizing it to its
    contents would measure every row (thousands of sources) each time a count changes."""
    view.setAccessibleName(name)
    view.setUniformRowHeights(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setModel(model)
    header = view.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
    label = str(model.headerData(1, Qt.Orientation.Horizontal))
    metrics = view.fontMetrics()
    header.resizeSection(1, max(metrics.horizontalAdvance(label), metrics.horizontalAdvance("000000")) + 24)
