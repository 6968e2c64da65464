"""The main toolbar: the everyday actions of the menus one click away (their shortcuts stay on the menus).

It also puts the project's name in the status bar, beside the coder.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QLabel, QMainWindow, QStyle, QToolBar

from qcode.gui.support.plain_text import plain_label


def _action(window: QMainWindow, text: str, tip: str, icon: QIcon, slot: Callable[[], object]) -> QAction:
    action = QAction(icon, text, window)
    action.setToolTip(tip)
    action.triggered.connect(lambda _=False: slot())
    return action


def build_toolbar(window) -> QToolBar:
    """Import, export, undo and redo, quick code, autocode and search, as labelled buttons."""
    style = window.style()
    icon = style.standardIcon
    bar = QToolBar("Main toolbar", window)
    bar.setObjectName("toolbar-main")
    bar.setAccessibleName("Main toolbar")
    bar.setMovable(True)
    bar.setIconSize(QSize(18, 18))
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    writable = not window.project.readonly
    imports = [
        _action(window, "Import", "Import files (Ctrl+I)", icon(QStyle.StandardPixmap.SP_DialogOpenButton),
                window.import_flow_files),
        _action(window, "Import folder", "Import a folder with its subfolders",
                icon(QStyle.StandardPixmap.SP_DirOpenIcon), window.import_flow_folder),
    ]
    for action in imports:
        action.setEnabled(writable)
        bar.addAction(action)
    bar.addAction(_action(window, "Export", "Export to Word, Excel or CSV (Ctrl+E)",
                          icon(QStyle.StandardPixmap.SP_DialogSaveButton), window.open_export_dialog))
    bar.addSeparator()
    stack = window.undo_stack
    undo = _action(window, "Undo", "Undo the last change (Ctrl+Z)", icon(QStyle.StandardPixmap.SP_ArrowBack),
                   stack.undo)
    redo = _action(window, "Redo", "Redo (Ctrl+Shift+Z)", icon(QStyle.StandardPixmap.SP_ArrowForward), stack.redo)
    undo.setEnabled(stack.canUndo())
    redo.setEnabled(stack.canRedo())
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda text: undo.setToolTip(f"Undo {text} (Ctrl+Z)" if text else "Undo (Ctrl+Z)"))
    stack.redoTextChanged.connect(lambda text: redo.setToolTip(f"Redo {text} (Ctrl+Shift+Z)" if text else "Redo"))
    bar.addAction(undo)
    bar.addAction(redo)
    bar.addSeparator()
    for text, tip, pixmap, slot in (
        ("Quick code", "Code the selection with a code you type (Ctrl+K)", QStyle.StandardPixmap.SP_DialogApplyButton,
         window.coding.open_quick_code_box),
        ("Autocode", "Code many passages at once, after a preview (Ctrl+Shift+A)",
         QStyle.StandardPixmap.SP_FileDialogListView, window.open_autocode),
    ):
        action = _action(window, text, tip, icon(pixmap), slot)
        action.setEnabled(writable)
        bar.addAction(action)
    bar.addAction(_action(window, "Search", "Search the whole project (Ctrl+Shift+F)",
                          icon(QStyle.StandardPixmap.SP_FileDialogContentsView), window.show_search))
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


def project_label(window) -> QLabel:
    """The project's name (and where it is) in the status bar."""
    label = plain_label(QLabel(f"Project: {window.project.name}"))
    label.setAccessibleName("Project")
    label.setToolTip(str(window.project.path))
    window.statusBar().addPermanentWidget(label)
    return label
