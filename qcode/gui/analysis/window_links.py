"""What an analysis view asks of the window it sits in: its undo stack (so that Edit > Undo takes a view's change
back) and opening a passage in the document view. A view standing alone (in a test, say) keeps a stack of its
own and opens nothing."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget


def undo_stack_of(widget: QWidget, fallback: QObject) -> QUndoStack:
    """The window's undo stack, or one owned by `fallback` when the window has none."""
    stack = getattr(widget.window(), "undo_stack", None)
    if isinstance(stack, QUndoStack):
        return stack
    own = fallback.findChild(QUndoStack, "analysis-undo")
    if own is None:
        own = QUndoStack(fallback)
        own.setObjectName("analysis-undo")
    return own


def open_passage(widget: QWidget, source_id: int, start: int, end: int) -> bool:
    """Show a range of a source in the window's document view, selected; False when the window has none."""
    opener = getattr(widget.window(), "open_excerpt", None)
    if not callable(opener):
        return False
    opener(source_id, start, end)
    return True
