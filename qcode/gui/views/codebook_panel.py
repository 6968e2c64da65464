"""The Codebook panel: a filter box, the code tree (drag to nest, reorder or merge) and the selected code's form."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDropEvent, QStandardItem, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.project import Project
from qcode.gui.models.project_trees import ID_ROLE, KIND_ROLE, CodebookModel
from qcode.gui.views.code_form import CodeForm

#: held while dropping a code onto another, merges it into that code instead of nesting it there
MERGE_MODIFIER = Qt.KeyboardModifier.ShiftModifier


class CodebookTree(QTreeView):
    """The code tree; a drop tells the model whether the merge modifier was held."""

    def dropEvent(self, event: QDropEvent) -> None:
        model = self.model()
        if isinstance(model, CodebookModel):
            model.merge_on_drop = bool(event.modifiers() & MERGE_MODIFIER)
        try:
            super().dropEvent(event)
        finally:
            if isinstance(model, CodebookModel):
                model.merge_on_drop = False


class CodebookPanel(QWidget):
    def __init__(self, project: Project, model: CodebookModel, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.project = project
        self.model = model
        self.filter = QLineEdit()
        self.filter.setAccessibleName("Filter codes")
        self.filter.setPlaceholderText("Filter codes…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _text: self.apply_filter())
        self.no_match = QLabel("No code matches the filter.")
        self.no_match.setEnabled(False)
        self.no_match.hide()

        self.tree = CodebookTree()
        self.tree.setAccessibleName("Codebook")
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setModel(model)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        if not project.readonly:
            self.tree.setDragEnabled(True)
            self.tree.setAcceptDrops(True)
            self.tree.setDropIndicatorShown(True)
            self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
            self.tree.setToolTip("Drag a code onto another to make it a sub-code, between codes to reorder, "
                                 "or below the codes to make it top-level. Hold Shift while dropping to merge.")
        self.tree.expandAll()
        model.reloaded.connect(self.apply_filter)

        self.form = CodeForm(project, undo_stack)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(2)
        top_layout.addWidget(self.filter)
        top_layout.addWidget(self.no_match)
        top_layout.addWidget(self.tree, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("codebook-splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def selected_code_ids(self) -> list[int]:
        """The selected codes in tree order (the current code when nothing is selected)."""
        rows = sorted(self.tree.selectionModel().selectedRows(0), key=_tree_order)
        ids = [int(i.data(ID_ROLE)) for i in rows if i.data(KIND_ROLE) == "code"]
        current = self.tree.currentIndex()
        if not ids and current.isValid():
            ids = [int(current.siblingAtColumn(0).data(ID_ROLE))]
        return ids

    def apply_filter(self) -> None:
        """Show only the codes whose name contains the filter text, with the codes above them."""
        text = self.filter.text().strip().casefold()

        def walk(parent: QStandardItem, parent_index: QModelIndex) -> bool:
            any_shown = False
            for row in range(parent.rowCount()):
                item = parent.child(row, 0)
                below = walk(item, item.index())
                shown = not text or below or text in item.text().casefold()
                self.tree.setRowHidden(row, parent_index, not shown)
                any_shown = any_shown or shown
            return any_shown

        found = walk(self.model.invisibleRootItem(), QModelIndex())
        self.no_match.setVisible(bool(text) and not found)
        if text:
            self.tree.expandAll()


def _tree_order(index: QModelIndex) -> list[int]:
    path = []
    while index.isValid():
        path.append(index.row())
        index = index.parent()
    return path[::-1]
