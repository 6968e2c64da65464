"""Opening a row of a list: one double-click or one Enter opens it once.

Qt reports a double-click on a row as `doubleClicked` and then `activated` (on every platform, unless the
desktop activates on a single click, where `activated` follows each click), so a list connected to both opened
its row twice. `open_rows_with` connects a view so that a double-click and Enter (or the keypad's Enter) each
open the current row once, and a single click only chooses it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterOpens(QObject):
    """An event filter on the view: Enter without modifiers (but the keypad's) opens the current row."""

    def __init__(self, view: QAbstractItemView, slot: Callable[[QModelIndex], object]) -> None:
        super().__init__(view)
        self._view = view
        self._slot = slot

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            index = self._view.currentIndex()
            if event.key() in _ENTER_KEYS and plain and index.isValid() \
                    and self._view.state() != QAbstractItemView.State.EditingState:
                self._slot(index)
                return True
        return False


def open_rows_with(view: QAbstractItemView, slot: Callable[[QModelIndex], object]) -> None:
    """Call `slot(index)` once for a double-click on a row and once for Enter on the current row."""
    view.doubleClicked.connect(slot)
    view.installEventFilter(_EnterOpens(view, slot))
