"""Coding by drag and drop: a selection dragged from the document and dropped on a code applies that code.

The document view puts the selected range into the drag's data (`selection_mime`); `SelectionDropTarget`
watches a code tree's viewport for drops of it, so that the tree's own drag and drop (moving codes)
is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QTreeView

from qcode.gui.models.project_trees import ID_ROLE, KIND_ROLE

SELECTION_MIME = "application/x-qcode-selection"


def selection_mime(data: QMimeData, source_id: int, start: int, end: int) -> QMimeData:
    data.setData(SELECTION_MIME, QByteArray(f"{source_id}:{start}:{end}".encode()))
    return data


def dropped_selection(data: QMimeData) -> tuple[int, int, int] | None:
    """(source id, start, end) from a drag's data, or None when it carries no selection of ours."""
    if not data.hasFormat(SELECTION_MIME):
        return None
    parts = bytes(data.data(SELECTION_MIME).data()).decode(errors="replace").split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    source_id, start, end = (int(p) for p in parts)
    return (source_id, start, end) if end > start else None


class SelectionDropTarget(QObject):
    """Accepts dropped selections on the codes of a tree and hands them to `apply(code_id, source, start, end)`."""

    def __init__(self, tree: QTreeView, apply: Callable[[int, int, int, int], object]) -> None:
        super().__init__(tree)
        self.tree = tree
        self.apply = apply
        tree.setAcceptDrops(True)
        tree.viewport().setAcceptDrops(True)
        tree.viewport().installEventFilter(self)

    def _code_at(self, event: QDragMoveEvent | QDropEvent) -> int | None:
        index = self.tree.indexAt(event.position().toPoint())
        if not index.isValid():
            return None
        index = index.siblingAtColumn(0)
        return int(index.data(ID_ROLE)) if index.data(KIND_ROLE) == "code" else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        selection = dropped_selection(event.mimeData())  # type: ignore[attr-defined]
        if selection is None:
            return False  # not ours: the tree handles it (moving codes, say)
        if kind == QEvent.Type.DragEnter:
            event.acceptProposedAction()  # type: ignore[attr-defined]
            return True
        code_id = self._code_at(event)  # type: ignore[arg-type]
        if kind == QEvent.Type.DragMove:
            if code_id is None:
                event.ignore()
            else:
                event.setDropAction(Qt.DropAction.CopyAction)  # type: ignore[attr-defined]
                event.accept()
            return True
        if code_id is not None:
            event.setDropAction(Qt.DropAction.CopyAction)  # type: ignore[attr-defined]
            event.accept()
            self.apply(code_id, *selection)
        return True
