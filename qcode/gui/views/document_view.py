"""The document view: a source's text, read-only, with its codings highlighted in their codes' colours.

Highlights are translucent, so overlapping codings stay visible as deeper colour. Selections are reported
in the core's code-point offsets (conversion from Qt's UTF-16 positions happens in `TextOffsets`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit

from qcode.core.model import Code, Coding
from qcode.gui.offsets import TextOffsets


class DocumentView(QPlainTextEdit):
    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setAccessibleName("Document")
        self.setTextInteractionFlags(self.textInteractionFlags())
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.source_id: int | None = None
        self._offsets = TextOffsets("")
        self._codings: list[Coding] = []
        #: called with (menu, code-point offset) to add actions to the context menu
        self.extend_menu: Callable[[QMenu, int], None] | None = None

    def show_source(self, source_id: int, text: str) -> None:
        self.source_id = source_id
        self._offsets = TextOffsets(text)
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def clear_source(self) -> None:
        self._codings = []
        self.source_id = None
        self._offsets = TextOffsets("")
        self.setPlainText("")

    def selection(self) -> tuple[int, int] | None:
        """The selected range in code-point offsets, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._offsets.from_qt(cursor.selectionStart())
        end = self._offsets.from_qt(cursor.selectionEnd())
        return (start, end) if end > start else None

    def select_range(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self._offsets.to_qt(start))
        cursor.setPosition(self._offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def codings_at(self, offset: int) -> list[Coding]:
        return [c for c in self._codings if c.start <= offset < c.end]

    def contextMenuEvent(self, event) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.extend_menu is not None and self.source_id is not None:
            offset = self._offsets.from_qt(self.cursorForPosition(event.pos()).position())
            self.extend_menu(menu, offset)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def show_codings(self, codings: list[Coding], codes: dict[int, Code]) -> None:
        self._codings = codings
        selections = []
        for coding in codings:
            code = codes.get(coding.code_id)
            if code is None:
                continue
            color = QColor(code.color)
            color.setAlpha(70)
            fmt = QTextCharFormat()
            fmt.setBackground(color)
            fmt.setToolTip(code.name)
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._offsets.to_qt(coding.start))
            cursor.setPosition(self._offsets.to_qt(coding.end), QTextCursor.MoveMode.KeepAnchor)
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor  # type: ignore[attr-defined]
            selection.format = fmt  # type: ignore[attr-defined]
            selections.append(selection)
        self.setExtraSelections(selections)
