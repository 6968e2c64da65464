"""The find bar: find text in the open document, with every match lightly marked and a "3 of 12" count.

Matching is done on the source's text in code points (as the core counts), so an emoji before a match
never shifts the selection. Enter finds the next match, Shift+Enter the previous one, Escape closes the bar;
both directions wrap around the document's ends. "Code all…" asks to code every match
(`code_all_requested(text, match_case)`).
"""

from __future__ import annotations

import re
from bisect import bisect_left

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QStyle, QToolButton, QWidget

from qcode.gui.views.document_view import DocumentView

MAX_MATCHES = 100_000  # counting stops here ("100000+")
MAX_HIGHLIGHTS = 1_000  # matches marked at a time, around the current one
DEBOUNCE_CHARS = 200_000  # longer documents are searched after a pause in typing, not on every key
DEBOUNCE_MS = 200


class FindBar(QWidget):
    closed = Signal()
    code_all_requested = Signal(str, bool)  # the text to find, match case

    def __init__(self, document_view: DocumentView) -> None:
        super().__init__()
        self.view = document_view
        self.setAccessibleName("Find in document")
        self.matches: list[tuple[int, int]] = []  # code-point ranges, in text order
        self.current: int | None = None  # index into matches of the selected one
        self._starts: list[int] = []
        self._capped = False
        self._anchor = 0  # where a new search starts looking (code points)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(4)
        label = QLabel("Find:")
        self.query = QLineEdit()
        self.query.setAccessibleName("Text to find")
        self.query.setPlaceholderText("Find in this document")
        self.query.setClearButtonEnabled(True)
        self.query.setMinimumWidth(180)
        self.query.setMaximumWidth(360)
        label.setBuddy(self.query)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Matches")
        self.count_label.setMinimumWidth(80)
        self.previous_button = self._button(QStyle.StandardPixmap.SP_ArrowUp, "Previous match (Shift+Enter)",
                                            "Previous match", self.find_previous)
        self.next_button = self._button(QStyle.StandardPixmap.SP_ArrowDown, "Next match (Enter)",
                                        "Next match", self.find_next)
        self.match_case = QCheckBox("Match case")
        self.match_case.setAccessibleName("Match case")
        self.match_case.setToolTip("Find only text with the same upper and lower case letters")
        self.code_all_button = QToolButton()
        self.code_all_button.setText("Code all…")
        self.code_all_button.setAccessibleName("Code all matches")
        self.code_all_button.setToolTip("Code every match in this document with a code, after a preview")
        self.code_all_button.setEnabled(False)
        self.code_all_button.clicked.connect(
            lambda: self.code_all_requested.emit(self.query.text(), self.match_case.isChecked()))
        self.close_button = self._button(QStyle.StandardPixmap.SP_TitleBarCloseButton, "Close (Escape)",
                                         "Close the find bar", self.dismiss)
        layout.addWidget(label)
        layout.addWidget(self.query, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.match_case)
        layout.addSpacing(8)
        layout.addWidget(self.count_label)
        layout.addWidget(self.code_all_button)
        layout.addStretch(1)
        layout.addWidget(self.close_button)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.search)
        self._recount = QTimer(self)  # after the document view has finished showing another source
        self._recount.setSingleShot(True)
        self._recount.timeout.connect(lambda: self.search(select=False) if self.isVisible() else None)
        self.query.textChanged.connect(self._query_changed)
        self.match_case.toggled.connect(lambda _checked: self.search())
        self.query.installEventFilter(self)
        self.view.textChanged.connect(self._document_changed)
        self.hide()

    def _button(self, icon: QStyle.StandardPixmap, tip: str, name: str, slot) -> QToolButton:
        button = QToolButton()
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        button.clicked.connect(slot)
        return button

    # --- opening and closing --------------------------------------------------------------------------

    def open(self) -> None:
        """Show the bar and focus it, prefilled with the document's selection when that is one short line."""
        selection = self.view.selection()
        self._anchor = selection[0] if selection else self.view.cursor_offset()
        if selection is not None:
            chosen = self.view.source_text()[selection[0]:selection[1]]
            if chosen.strip() and "\n" not in chosen and len(chosen) <= 200:
                self.query.blockSignals(True)
                self.query.setText(chosen)
                self.query.blockSignals(False)
        self.show()
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()
        self.search()

    def dismiss(self) -> None:
        """Hide the bar, unmark the matches and give the focus back to the document."""
        self._timer.stop()
        self._recount.stop()
        self.view.set_find_highlights([])
        self.hide()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    # --- searching ------------------------------------------------------------------------------------

    def _query_changed(self, _text: str) -> None:
        if len(self.view.source_text()) > DEBOUNCE_CHARS:
            self._timer.start(DEBOUNCE_MS)
        else:
            self.search()

    def _document_changed(self) -> None:
        """Another source is shown: count and mark its matches, but leave its selection alone."""
        if self.isVisible():
            self._recount.start(0)

    def search(self, select: bool = True) -> None:
        """Find every match of the query; with `select`, select the first one at or after the anchor."""
        self._timer.stop()
        needle = self.query.text()
        self.matches, self.current, self._capped = [], None, False
        if needle:
            flags = 0 if self.match_case.isChecked() else re.IGNORECASE
            for match in re.finditer(re.escape(needle), self.view.source_text(), flags):
                if len(self.matches) >= MAX_MATCHES:
                    self._capped = True
                    break
                self.matches.append((match.start(), match.end()))
        self._starts = [start for start, _end in self.matches]
        if select and self.matches:
            index = bisect_left(self._starts, self._anchor)
            self._go(index if index < len(self.matches) else 0)
        else:
            self._show()

    def find_next(self) -> None:
        self._step(forward=True)

    def find_previous(self) -> None:
        self._step(forward=False)

    def _step(self, *, forward: bool) -> None:
        if self._timer.isActive():
            self.search(select=False)
        if not self.matches:
            return
        count = len(self.matches)
        selection = self.view.selection()
        if self.current is not None and selection == self.matches[self.current]:
            index = self.current + (1 if forward else -1)
        elif forward:  # the reader moved: continue from where the cursor is
            index = bisect_left(self._starts, selection[1] if selection else self.view.cursor_offset())
        else:
            index = bisect_left(self._starts, selection[0] if selection else self.view.cursor_offset()) - 1
        self._go(index % count)

    def _go(self, index: int) -> None:
        self.current = index
        start, end = self.matches[index]
        self._anchor = start
        self.view.select_range(start, end)
        self._show()

    def _show(self) -> None:
        """Update the count and the marks (the ones around the current match, when there are very many)."""
        count = f"{len(self.matches)}+" if self._capped else str(len(self.matches))
        if not self.query.text():
            self.count_label.setText("")
        elif not self.matches:
            self.count_label.setText("No matches")
        elif self.current is None:
            self.count_label.setText(f"{count} match" + ("" if count == "1" else "es"))
        else:
            self.count_label.setText(f"{self.current + 1} of {count}")
        centre = self.current or 0
        first = max(0, centre - MAX_HIGHLIGHTS // 2)
        shown = self.matches[first:first + MAX_HIGHLIGHTS]
        current = self.matches[self.current] if self.current is not None else None
        self.view.set_find_highlights(shown, current)
        self.previous_button.setEnabled(bool(self.matches))
        self.code_all_button.setEnabled(bool(self.matches))
        self.next_button.setEnabled(bool(self.matches))

    # --- keys -----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
            else:
                self.find_next()
            return True
        if event.key() == Qt.Key.Key_Escape:
            self.dismiss()
            return True
        return False
