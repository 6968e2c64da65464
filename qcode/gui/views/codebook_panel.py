"""The Codebook panel: a filter box, the code tree (drag to nest, reorder or merge) and the selected code's form."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QShowEvent,
    QStandardItem,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from qcode.core.project import Project
from qcode.gui.models.project_trees import CODES_MIME, ID_ROLE, KIND_ROLE, CodebookModel
from qcode.gui.views.code_form import CodeForm
from qcode.gui.views.trees import setup_count_tree

#: held while dropping a code onto another, merges it into that code instead of nesting it there
MERGE_MODIFIER = Qt.KeyboardModifier.ShiftModifier


class CodebookTree(QTreeView):
    """The code tree. Codes dragged within it are moved or merged (see CodebookModel); text dragged from
    the document (`text_source`) onto a code asks for that code to be applied (`text_dropped`)."""

    text_dropped = Signal(int)
    #: a code chosen to apply: double-clicked, or Enter pressed on it. Not `activated`: on X11 and Windows a
    #: double-click emits both `activated` and `doubleClicked`, and with single-click activation (KDE)
    #: `activated` would code on every click
    code_chosen = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.text_source: QWidget | None = None
        self.setExpandsOnDoubleClick(False)  # a double-click codes; the branch arrow expands

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint()).siblingAtColumn(0)
        if event.button() == Qt.MouseButton.LeftButton and index.isValid() and index.data(KIND_ROLE) == "code":
            self.setCurrentIndex(index)
            event.accept()
            self.code_chosen.emit(int(index.data(ID_ROLE)))
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex().siblingAtColumn(0)
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid()
                and index.data(KIND_ROLE) == "code" and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            event.accept()
            self.code_chosen.emit(int(index.data(ID_ROLE)))
            return
        super().keyPressEvent(event)

    def _is_text_from_document(self, event: QDropEvent | QDragMoveEvent) -> bool:
        if self.text_source is None or event.mimeData().hasFormat(CODES_MIME) or not event.mimeData().hasText():
            return False
        source = event.source()  # None for text dragged in from another application
        return source is not None and source in (self.text_source, self.text_source.viewport())

    def _code_at(self, event: QDropEvent | QDragMoveEvent) -> int | None:
        index = self.indexAt(event.position().toPoint())
        return int(index.data(ID_ROLE)) if index.isValid() and index.data(KIND_ROLE) == "code" else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._is_text_from_document(event):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._is_text_from_document(event):
            if self._code_at(event) is None:
                event.ignore()
            else:
                self.setCurrentIndex(self.indexAt(event.position().toPoint()))
                event.setDropAction(Qt.DropAction.CopyAction)  # never Move: the text stays in the source
                event.accept()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if self._is_text_from_document(event):
            code_id = self._code_at(event)
            if code_id is not None:
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                self.text_dropped.emit(code_id)
            return
        model = self.model()
        if isinstance(model, CodebookModel):
            model.merge_on_drop = bool(event.modifiers() & MERGE_MODIFIER)
        try:
            super().dropEvent(event)
        finally:
            if isinstance(model, CodebookModel):
                model.merge_on_drop = False


class CodebookPanel(QWidget):
    """Filter box and New code button, the code tree, and below it the selected code's definition form."""

    new_code_requested = Signal()

    def __init__(self, project: Project, model: CodebookModel, undo_stack: QUndoStack) -> None:
        super().__init__()
        self.project = project
        self.model = model
        self.filter = QLineEdit()
        self.filter.setAccessibleName("Filter codes")
        self.filter.setPlaceholderText("Filter codes…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _text: self.apply_filter())
        self.new_code = QToolButton()
        self.new_code.setText("New code…")
        self.new_code.setAccessibleName("New top-level code")
        self.new_code.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_code.clicked.connect(self.new_code_requested)
        self.new_code.setEnabled(not project.readonly)
        self.no_match = QLabel()
        self.no_match.setEnabled(False)
        self.no_match.setWordWrap(True)
        self.no_match.hide()

        self.tree = CodebookTree()
        setup_count_tree(self.tree, "Codebook", model)
        if not project.readonly:
            self.tree.setDragEnabled(True)
            self.tree.setAcceptDrops(True)
            self.tree.setDropIndicatorShown(True)
            self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
            self.tree.setAutoExpandDelay(600)
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
        bar = QHBoxLayout()
        bar.setSpacing(4)
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.new_code)
        top_layout.addLayout(bar)
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
        self._sized = False
        self.apply_filter()

    def restore_split(self, state: QByteArray) -> None:
        """Put back the user's split between tree and form (instead of the first-show default); from then on
        the form keeps the height the user gave it, and the tree takes what the window's size changes."""
        self._sized = self.splitter.restoreState(state)
        if self._sized:
            self.splitter.setStretchFactor(1, 0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:  # the form as tall as it needs while the tree keeps most of the room (it scrolls)
            self._sized = True
            total = sum(self.splitter.sizes())
            form = min(self.form.sizeHint().height() + 4, int(total * 0.45))
            self.splitter.setSizes([total - form, form])

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
        if self.model.rowCount() == 0:
            self.no_match.setText("No codes yet. Click 'New code…', or right-click below, to start the codebook.")
        else:
            self.no_match.setText("No code matches the filter.")
        self.no_match.setVisible(self.model.rowCount() == 0 or (bool(text) and not found))
        if text:
            self.tree.expandAll()


def _tree_order(index: QModelIndex) -> list[int]:
    path = []
    while index.isValid():
        path.append(index.row())
        index = index.parent()
    return path[::-1]
