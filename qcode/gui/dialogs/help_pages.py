"""Help in the window: the keyboard shortcuts (read from the window's own actions, so the list is always
true) and a short "Getting started" page, shown by itself when a new, empty project opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: keys that belong to a panel rather than to a menu command
PANEL_KEYS = (
    ("Double-click or Enter on a code", "Code the selected text with it"),
    ("1 – 9 in the document", "Code the selected text with the code of that quick key"),
    ("Shift+arrows in the document", "Select text from the keyboard"),
    ("F2 on a code", "Rename the code"),
    ("Delete on a code", "Delete the code (it asks first)"),
    ("Alt+Shift+Up / Down", "Move the selected code up or down"),
    ("Alt+Shift+Right / Left", "Move the code into the code above, or out one level"),
    ("Space on a previewed passage", "Tick or untick it (Autocode)"),
    ("Enter in the search box", "Search the project"),
)

GETTING_STARTED = [
    ("1. Import your material", "File > Import files (Ctrl+I), or drop files onto the window: transcripts, "
     "Word, PDF, captions, web pages, survey spreadsheets and reference libraries."),
    ("2. Build a codebook", "Click “New code…” in the Codebook panel. Right-click a code for sub-codes, "
     "colours and a quick key; the form below the tree holds its definition."),
    ("3. Code", "Select text in the document, then double-click a code, press its quick key, drag the text "
     "onto it, right-click the text and choose “Code with”, or press Ctrl+K and type a name."),
    ("4. Look at what you coded", "Click a code to list its coded segments; select a case (Cases panel) to "
     "see its segments; narrow any list with Filters…. Memos go in the Memo panel."),
    ("5. Share it", "File > Export (Ctrl+E) writes Word, Excel and CSV reports. Every change is saved at once "
     "and can be undone with Ctrl+Z."),
]


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(keys, what they do) for every menu command with a shortcut, then the panels' own keys."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()

    def visit(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            label = action.text().replace("&", "").rstrip("…").strip()
            if action.menu() is not None:
                visit(action.menu(), f"{path} > {label}")
            elif not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                if keys not in seen:
                    seen.add(keys)
                    rows.append((keys, f"{path} > {label}"))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            visit(top.menu(), top.text().replace("&", ""))
    return rows + list(PANEL_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnToContents(0)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 520)


class GettingStartedDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Getting started")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        for title, text in GETTING_STARTED:
            heading = QLabel(title)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            body = QLabel(text)
            body.setTextFormat(Qt.TextFormat.PlainText)
            body.setWordWrap(True)
            layout.addWidget(heading)
            layout.addWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)


def add_help_menu(window: QMainWindow, open_demo=None) -> QMenu:
    """The Help menu (last in the menu bar): shortcuts, getting started, and the demo when there is a session."""
    menu = window.menuBar().addMenu("&Help")
    shortcuts = QAction("&Keyboard shortcuts", window)
    shortcuts.setShortcut(QKeySequence("Ctrl+/"))
    shortcuts.triggered.connect(lambda: ShortcutsDialog(window).open())
    menu.addAction(shortcuts)
    menu.addAction("&Getting started", lambda: GettingStartedDialog(window).open())
    if open_demo is not None:
        menu.addAction("Open the &demo project", open_demo)
    return menu
