"""The document view: a source's text, read-only, with its codings highlighted in their codes' colours.

Highlights are translucent, so overlapping codings stay visible as deeper colour. Selections are reported
in the core's code-point offsets (conversion from Qt's UTF-16 positions happens in `TextOffsets`).
Find-bar matches are a second set of highlights, drawn beneath the codings so neither hides the other.
The text can be zoomed in font-size steps between `MIN_POINT_SIZE` and `MAX_POINT_SIZE`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QWheelEvent
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit

from qcode.core.model import Code, Coding
from qcode.gui.offsets import TextOffsets

MIN_POINT_SIZE = 8
MAX_POINT_SIZE = 32
ZOOM_STEPS = (8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 22, 24, 28, 32)
VISIBLE_MARGIN = 3000  # characters highlighted beyond the visible part
FIND_COLOR = QColor("#fff176")  # every match: light yellow
FIND_CURRENT_COLOR = QColor("#ffa040")  # the current match: orange, visible even while the find bar has focus


class DocumentView(QPlainTextEdit):
    zoom_changed = Signal(int)  # the new point size

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setAccessibleName("Document")
        self.setTextInteractionFlags(self.textInteractionFlags())
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        self._default_point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, round(font.pointSizeF())))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.source_id: int | None = None
        self._offsets = TextOffsets("")
        self._text = ""
        self._codings: list[Coding] = []
        self._starts: list[int] = []
        self._longest = 0
        self._codes: dict[int, Code] = {}
        self._shown_window: tuple[int, int] | None = None
        self._coding_selections: list[QTextEdit.ExtraSelection] = []
        self._find_selections: list[QTextEdit.ExtraSelection] = []
        self._wheel_zoom = 0  # Ctrl+wheel angle not yet turned into a zoom step (touchpads send small deltas)
        #: called with (menu, code-point offset) to add actions to the context menu
        self.extend_menu: Callable[[QMenu, int], None] | None = None

    def show_source(self, source_id: int, text: str) -> None:
        self.source_id = source_id
        self._offsets = TextOffsets(text)
        self._text = text
        self._codings, self._starts, self._shown_window = [], [], None
        self._coding_selections = []
        self._find_selections = []
        self._apply_selections()
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def clear_source(self) -> None:
        self._codings = []
        self._starts = []
        self._shown_window = None
        self.source_id = None
        self._offsets = TextOffsets("")
        self._text = ""
        self._coding_selections = []
        self._find_selections = []
        self._apply_selections()
        self.setPlainText("")

    def source_text(self) -> str:
        """The text shown, as the core has it (offsets into it are code points)."""
        return self._text

    @property
    def offsets(self) -> TextOffsets:
        return self._offsets

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

    def cursor_offset(self) -> int:
        """The cursor's position in code points."""
        return self._offsets.from_qt(self.textCursor().position())

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
        """Remember the source's codings; only those near the visible part are turned into highlights."""
        self._codings = sorted(codings, key=lambda c: (c.start, c.end))
        self._starts = [c.start for c in self._codings]
        self._longest = max((c.end - c.start for c in self._codings), default=0)
        self._codes = codes
        self._shown_window = None
        self._update_visible_highlights()

    def visible_range(self) -> tuple[int, int]:
        """The code-point range on screen, widened by a margin so that small scrolls need no update."""
        first = self.firstVisibleBlock().position()
        corner = self.viewport().rect().bottomRight()
        last = self.cursorForPosition(corner).position()
        return (max(0, self._offsets.from_qt(first) - VISIBLE_MARGIN),
                self._offsets.from_qt(last) + VISIBLE_MARGIN)

    def _update_visible_highlights(self) -> None:
        if not self._codings:
            if self._coding_selections:
                self._coding_selections = []
                self._apply_selections()
            return
        low, high = self.visible_range()
        if self._shown_window is not None and self._shown_window[0] <= low and high <= self._shown_window[1]:
            return
        low, high = max(0, low - VISIBLE_MARGIN), high + VISIBLE_MARGIN  # room to scroll before the next update
        self._shown_window = (low, high)
        first = bisect_left(self._starts, low - self._longest)
        last = bisect_left(self._starts, high)
        selections = []
        for coding in self._codings[first:last]:
            if coding.end <= low:
                continue
            code = self._codes.get(coding.code_id)
            if code is None:
                continue
            color = QColor(code.color)
            color.setAlpha(70)
            selections.append(self._highlight(coding.start, coding.end, color, code.name))
        self._coding_selections = selections
        self._apply_selections()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._update_visible_highlights()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._shown_window = None
        self._update_visible_highlights()

    def set_find_highlights(self, ranges: list[tuple[int, int]], current: tuple[int, int] | None = None) -> None:
        """Mark find matches (code-point ranges) lightly and `current` strongly; the coding highlights stay."""
        selections = [self._highlight(start, end, FIND_COLOR) for start, end in ranges]
        if current is not None:
            selections.append(self._highlight(current[0], current[1], FIND_CURRENT_COLOR))
        self._find_selections = selections
        self._apply_selections()

    def _highlight(self, start: int, end: int, color: QColor, tooltip: str = "") -> QTextEdit.ExtraSelection:
        fmt = QTextCharFormat()
        fmt.setBackground(color)
        if tooltip:
            fmt.setToolTip(tooltip)
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._offsets.to_qt(start))
        cursor.setPosition(self._offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = fmt  # type: ignore[attr-defined]
        return selection

    def _apply_selections(self) -> None:
        # find matches first: the translucent coding colours are painted over them and stay visible
        self.setExtraSelections(self._find_selections + self._coding_selections)

    # --- zoom ------------------------------------------------------------------------------------------

    def point_size(self) -> int:
        return round(self.font().pointSizeF())

    def set_point_size(self, size: int) -> None:
        """Show the text at `size` points (clamped to the limits); for restoring a saved zoom."""
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(size)))
        if size == self.point_size():
            return
        font = QFont(self.font())
        font.setPointSizeF(float(size))
        self.setFont(font)
        self.zoom_changed.emit(size)

    def zoom_in(self) -> None:
        current = self.point_size()
        self.set_point_size(next((s for s in ZOOM_STEPS if s > current), MAX_POINT_SIZE))

    def zoom_out(self) -> None:
        current = self.point_size()
        self.set_point_size(next((s for s in reversed(ZOOM_STEPS) if s < current), MIN_POINT_SIZE))

    def zoom_reset(self) -> None:
        self.set_point_size(self._default_point_size)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms in the same steps as the menu (and reports it), instead of Qt's own zoom."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._wheel_zoom += event.angleDelta().y()
            while abs(self._wheel_zoom) >= 120:  # one notch of a mouse wheel
                if self._wheel_zoom > 0:
                    self._wheel_zoom -= 120
                    self.zoom_in()
                else:
                    self._wheel_zoom += 120
                    self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)
