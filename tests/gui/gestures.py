"""The everyday gestures, made the way a user makes them: real mouse and key events on the widgets.

Tests use these instead of calling the window's handlers, so that what the events themselves do (a
double-click sends press, release, press, double-click, release; a shortcut has a context) is tested too.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index

LEFT = Qt.MouseButton.LeftButton
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def show(qtbot, window: MainWindow) -> MainWindow:
    """Show the window and make it active, as on a desktop (shortcuts need an active window)."""
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    return window


def item_rect_centre(view: QAbstractItemView, index: QModelIndex):
    view.scrollTo(index)
    return view.visualRect(index).center()


def click_item(qtbot, view: QAbstractItemView, index: QModelIndex, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A click on the item's rectangle (selects it and makes it current)."""
    assert index.isValid()
    QTest.mouseClick(view.viewport(), LEFT, modifier, item_rect_centre(view, index))


def double_click_item(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:
    """What a desktop sends for a double-click: press, release, press, double-click, release (QTest's
    mouseDClick alone sends only the double-click event)."""
    assert index.isValid()
    point, viewport, none = item_rect_centre(view, index), view.viewport(), Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(viewport, LEFT, none, point)
    QTest.mousePress(viewport, LEFT, none, point)
    QTest.mouseDClick(viewport, LEFT, none, point)
    QTest.mouseRelease(viewport, LEFT, none, point)


def open_source(qtbot, window: MainWindow, source_id: int) -> None:
    """Click the source in the Sources tree."""
    view: QTreeView = window.sources_view
    click_item(qtbot, view, find_index(window.sources_model, "source", source_id))
    qtbot.waitUntil(lambda: window.document.source_id == source_id)


def double_click_code(qtbot, window: MainWindow, code_id: int) -> None:
    """Double-click the code in the code tree (the README's first coding gesture)."""
    double_click_item(qtbot, window.codebook_view, find_index(window.codebook_model, "code", code_id))


def click_code(qtbot, window: MainWindow, code_id: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    click_item(qtbot, window.codebook_view, find_index(window.codebook_model, "code", code_id), modifier)


def select_with_keys(qtbot, window: MainWindow, start: int, end: int) -> None:
    """Put the caret at `start` with Ctrl+Home and arrow keys, then select up to `end` with Shift+Right.

    The texts of the tests have one code point per character the caret steps over (no combining marks)."""
    document = window.document
    document.setFocus()
    qtbot.waitUntil(document.hasFocus)
    QTest.keyClick(document, Qt.Key.Key_Home, CTRL)
    for _ in range(start):
        QTest.keyClick(document, Qt.Key.Key_Right)
    for _ in range(end - start):
        QTest.keyClick(document, Qt.Key.Key_Right, SHIFT)
    assert document.selection() == (start, end)


def press(qtbot, widget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press on a widget that has the keyboard focus in the active window (as a shortcut needs)."""
    if not widget.window().isActiveWindow():
        widget.window().activateWindow()
        qtbot.waitUntil(widget.window().isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClick(widget, key, modifier)


def quick_code_by_keys(qtbot, window: MainWindow, text: str) -> None:
    """Ctrl+K in the document, type (part of) a code's name, Enter."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    press(qtbot, window.document, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(QInputDialog)))
    dialog = next(d for d in window.findChildren(QInputDialog) if d.isVisible())
    edit = dialog.findChild(QLineEdit)
    qtbot.waitUntil(edit.hasFocus)
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    dialog.deleteLater()
