"""Coded segments: the excerpts of the chosen code (with its sub-codes), each with source, location and coder.

Double-clicking one asks the window to open it in the document view, scrolled and selected.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView

from qcode.core.project import Project

CODING_ROLE = Qt.ItemDataRole.UserRole + 10


class SegmentsPanel(QTreeView):
    open_requested = Signal(int, int, int)  # source id, start, end

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.code_id: int | None = None
        self.coder_id: int | None = None  # show only this coder's codings (None: every coder's)
        self.setAccessibleName("Coded segments")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.model_ = QStandardItemModel(self)
        self.model_.setHorizontalHeaderLabels(["Excerpt", "Source", "Location", "Coder"])
        self.setModel(self.model_)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.doubleClicked.connect(self._open)

    def show_code(self, code_id: int | None) -> None:
        self.code_id = code_id
        self.refresh()

    def set_coder(self, coder_id: int | None) -> None:
        """List only one coder's codings (None: every coder's)."""
        self.coder_id = coder_id
        self.refresh()

    def refresh(self) -> None:
        self.model_.removeRows(0, self.model_.rowCount())
        if self.code_id is None:
            return
        coders = {c.id: c.name for c in self.project.coders()}
        for excerpt in self.project.excerpts(self.code_id, include_descendants=True, coder_id=self.coder_id,
                                             with_location=True):
            coding = excerpt.coding
            text = QStandardItem(" ".join(excerpt.text.split())[:300])
            text.setToolTip(excerpt.text[:2000])
            text.setData((coding.source_id, coding.start, coding.end), CODING_ROLE)
            row = [text, QStandardItem(excerpt.source_name), QStandardItem(excerpt.location),
                   QStandardItem(coders.get(coding.coder_id, ""))]
            for item in row:
                item.setEditable(False)
            self.model_.appendRow(row)

    def _open(self, index: QModelIndex) -> None:
        source_id, start, end = self.model_.item(index.row(), 0).data(CODING_ROLE)
        self.open_requested.emit(source_id, start, end)
