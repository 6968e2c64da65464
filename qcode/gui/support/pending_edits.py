"""Edits typed but not stored yet, and what a window does with them before it closes.

The panels store as the user types (after a pause) and the main window stores their pending edits itself. A
dialog or window that holds typed values until a button is pressed (a form with OK, a table cell being
edited) offers them through a `save_pending()` method: the main window calls it on each of its open windows
before it closes, then closes them, so nothing of a closed window acts on its closed project later.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QWidget


def commit_open_editor(view: QAbstractItemView) -> None:
    """Store the value of a cell being edited now, as leaving the cell would, and close its editor."""
    index = view.currentIndex()
    editor = view.indexWidget(index) if index.isValid() else None
    if editor is not None:
        view.commitData(editor)
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)


def open_windows(owner: QWidget) -> list[QWidget]:
    """The visible windows (dialogs, message boxes, menus) that belong to `owner`, nested ones first."""
    found = [w for w in owner.findChildren(QWidget) if w.isWindow() and w.isVisible()]
    return sorted(found, key=lambda w: -_depth(w, owner))


def save_pending_in_windows(owner: QWidget) -> None:
    """Let every open window of `owner` that holds typed values store them (`save_pending()`)."""
    for window in open_windows(owner):
        save = getattr(window, "save_pending", None)
        if callable(save):
            save()


def close_windows_and_timers(owner: QWidget) -> None:
    """Close the open windows of `owner` and stop its timers: once its project closes, nothing may reach it."""
    for window in open_windows(owner):
        window.close()
    for timer in owner.findChildren(QTimer):
        timer.stop()


def _depth(widget: QWidget, owner: QWidget) -> int:
    depth = 0
    parent = widget.parentWidget()
    while parent is not None and parent is not owner:
        depth += 1
        parent = parent.parentWidget()
    return depth
