"""The document view: a source's text, read-only, with its codings highlighted in their codes' colours.

Highlights are translucent, so overlapping codings stay visible as deeper colour. Selections are reported
in the core's code-point offsets (conversion from Qt's UTF-16 positions happens in `TextOffsets`).
Find-bar matches are a second set of highlights, drawn beneath the codings so neither hides the other.
The text can be zoomed in font-size steps between `MIN_POINT_SIZE` and `MAX_POINT_SIZE`.

Structure is shown as the exports cite it: headings and speaker labels in bold, paragraph numbers,
pages and timestamps in the left margin (`StructureMargin`, with memo notes), and one labelled stripe
per coding in the right margin (`CodingStripes`). Only the visible part is formatted and painted, so
long sources with thousands of codings stay fast.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import partial

from PySide6.QtCore import QEvent, QPointF, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextLine,
    QWheelEvent,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip

from qcode.core.model import Code, Coding, Memo, Span
from qcode.core.project import label_line_end
from qcode.gui.support.offsets import TextOffsets
from qcode.gui.support.plain_text import as_text
from qcode.gui.support.view_options import is_dark
from qcode.gui.views.coding_stripes import CodingStripes, label_color
from qcode.gui.views.structure_margin import StructureMargin

MIN_POINT_SIZE = 8
MAX_POINT_SIZE = 32
ZOOM_STEPS = (8, 9, 10, 11, 12, 13, 14, 16, 18, 20, 22, 24, 28, 32)
VISIBLE_MARGIN = 3000  # characters highlighted beyond the visible part
FIND_COLOR = QColor("#fff176")  # every match: light yellow
FIND_CURRENT_COLOR = QColor("#ffa040")  # the current match: orange, visible even while the find bar has focus
UNDERLINE_WIDTH = 2  # of the line under each coded passage, one height per stripe lane
UNDERLINE_LANES = 3  # passages in further lanes share the top one


class DocumentView(QPlainTextEdit):
    zoom_changed = Signal(int)  # the new point size

    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setAccessibleName("Document")
        # selectable by keyboard too (Shift+arrows), with a caret: coding must not need a mouse
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 11.0))
        self.setFont(font)
        self._default_point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, round(font.pointSizeF())))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.source_id: int | None = None
        self._offsets = TextOffsets("")
        self._text = ""
        self._codings: list[Coding] = []
        self._codings_version = 0  # bumped whenever the codings shown change (the underlines follow)
        self._layout_version = 0  # bumped whenever the text or its bold parts change (where lines fall)
        #: the lines under each range (code points), for one scroll position, size and layout: applying a
        #: code draws the lines of the other codings on screen without working them out again
        self._line_cache: tuple[tuple, dict[tuple[int, int], list[tuple[float, float, float]]]] | None = None
        #: the highlights made for the codings near the visible part, by (coding, range, code colour and name),
        #: so that applying a code makes only the new coding's highlight
        self._made_highlights: dict[tuple, QTextEdit.ExtraSelection] = {}
        self._underline_cache: tuple[tuple, list[tuple[QColor, list[tuple[float, float, float]]]]] | None = None
        self._starts: list[int] = []
        self._longest = 0
        self._codes: dict[int, Code] = {}
        self._shown_window: tuple[int, int] | None = None
        self._coding_selections: list[QTextEdit.ExtraSelection] = []
        self._find_selections: list[QTextEdit.ExtraSelection] = []
        self._wheel_zoom = 0  # Ctrl+wheel angle not yet turned into a zoom step (touchpads send small deltas)
        self._memos: list[Memo] = []
        #: the text a coding shows when hovered (code, coder, memo)
        self.describe_coding: Callable[[Coding], str] = lambda coding: self._codes[coding.code_id].name
        #: called with (menu, code-point offset) to add actions to the context menu
        self.extend_menu: Callable[[QMenu, int], None] | None = None
        self.stripes = CodingStripes(self)
        self.margin = StructureMargin(self)
        self.updateRequest.connect(self._margins_follow)
        self._place_margins()

    def show_source(self, source_id: int, text: str) -> None:
        self.source_id = source_id
        self._offsets = TextOffsets(text)
        self._text = text
        self._codings, self._starts, self._shown_window = [], [], None
        self._codings_version += 1
        self._layout_version += 1
        self._made_highlights = {}
        self._coding_selections = []
        self._find_selections = []
        self._apply_selections()
        self.document().clear()  # else the new text takes the format of the old first character (bold)
        self.setCurrentCharFormat(QTextCharFormat())
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        self.stripes.set_codings([], self._codes)

    def clear_source(self) -> None:
        self._codings = []
        self._codings_version += 1
        self._layout_version += 1
        self._made_highlights = {}
        self._starts = []
        self._shown_window = None
        self.source_id = None
        self._offsets = TextOffsets("")
        self._text = ""
        self._coding_selections = []
        self._find_selections = []
        self.show_structure([], [])
        self.stripes.set_codings([], {})
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
        return self.codings_between(offset, offset + 1)

    def codings_between(self, low: int, high: int) -> list[Coding]:
        """The shown codings that overlap [low, high), in order of their starts."""
        first = bisect_left(self._starts, low - self._longest)
        last = bisect_left(self._starts, high)
        return [c for c in self._codings[first:last] if c.end > low]

    def coding_highlights(self) -> list[tuple[int, int]]:
        """The code-point ranges highlighted as codings now (those near the visible part)."""
        return [(self._offsets.from_qt(s.cursor.selectionStart()), self._offsets.from_qt(s.cursor.selectionEnd()))
                for s in self._coding_selections]

    def memos_at(self, offset: int) -> list[Memo]:
        return [m for m in self._memos if m.start is not None and m.end is not None and m.start <= offset < m.end]

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
        self._codings_version += 1
        self._starts = [c.start for c in self._codings]
        self._longest = max((c.end - c.start for c in self._codings), default=0)
        self._codes = codes
        self._shown_window = None
        self.stripes.set_codings(self._codings, codes)
        self._place_margins()
        self._update_visible_highlights()

    def show_structure(self, spans: list[Span], memos: list[Memo]) -> None:
        """Headings and speaker labels to set in bold, and the margin's numbers, markers and memo notes."""
        self._memos = list(memos)
        self._codings_version += 1  # bold text lays out anew
        self._layout_version += 1
        self.margin.set_structure(spans, memos)
        self._set_bold([(s.start, s.end) for s in spans if s.kind == "heading"] + self._speaker_labels(spans))

    def _speaker_labels(self, spans: list[Span]) -> list[tuple[int, int]]:
        """The "Name:" at the start of each speaker turn."""
        labels = []
        for span in spans:
            words = label_line_end(self._text, span.start, span.end) if span.kind == "turn" else None
            if words is not None:  # a label on a line of its own: "[Sam] 11:02:09", "Speaker 1  0:03"
                while words > span.start and self._text[words - 1].isspace():
                    words -= 1
                labels.append((span.start, words))
            elif (span.kind == "turn" and span.value
                  and self._text[span.start:span.start + len(span.value)].casefold() == span.value.casefold()):
                end = span.start + len(span.value)
                labels.append((span.start, end + 1 if self._text.startswith(":", end) else end))
        return labels

    def _set_bold(self, ranges: list[tuple[int, int]]) -> None:
        """Bold set in the document itself (layout-time; extra selections only colour), in one edit block."""
        document = self.document()
        document.setUndoRedoEnabled(False)
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        for start, end in ranges:
            cursor.setPosition(self._offsets.to_qt(start))
            cursor.setPosition(self._offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(bold)
        cursor.endEditBlock()

    def show_range_memos(self, memos: list[Memo]) -> None:
        self._memos = list(memos)
        self.margin.set_memos(memos)

    # --- what is on screen ---------------------------------------------------------------------------

    def visible_span(self) -> tuple[int, int]:
        """The code-point range on screen."""
        first = self.firstVisibleBlock().position()
        corner = self.viewport().rect().bottomRight()
        last = self.cursorForPosition(corner).position()
        block = self.document().findBlock(last)
        if block.isValid():  # the whole last visible block, so stripes reach the bottom edge
            last = block.position() + block.length()
        return self._offsets.from_qt(first), min(self._offsets.from_qt(last), self._offsets.length)

    def visible_range(self) -> tuple[int, int]:
        """The code-point range on screen, widened by a margin so that small scrolls need no update."""
        low, high = self.visible_span()
        return max(0, low - VISIBLE_MARGIN), high + VISIBLE_MARGIN

    def offset_top(self, offset: int) -> int:
        """The viewport y of the top of the line holding a code-point offset."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._offsets.to_qt(offset), self.document().characterCount() - 1))
        return self.cursorRect(cursor).top()

    def offset_bottom(self, offset: int) -> int:
        """The viewport y of the bottom of the line holding the character before `offset` (a range's end)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._offsets.to_qt(max(0, offset - 1)), self.document().characterCount() - 1))
        return self.cursorRect(cursor).bottom() + 1

    def visible_blocks(self) -> Iterator[tuple[int, int, Callable[[int], int]]]:
        """Each visible block's code-point range, with a function giving the viewport y of an offset's line."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > height:
                break
            if block.isVisible():
                low = self._offsets.from_qt(block.position())
                high = max(low + 1, self._offsets.from_qt(block.position() + block.length()))
                yield low, high, partial(self._line_top, block, top)
            block = block.next()

    def _line_top(self, block: QTextBlock, block_top: float, offset: int) -> int:
        line = block.layout().lineForTextPosition(max(0, self._offsets.to_qt(offset) - block.position()))
        return round(block_top + (line.y() if line.isValid() else 0))

    # --- margins ---------------------------------------------------------------------------------------

    def _place_margins(self) -> None:
        left, right = self.margin.preferred_width(), self.stripes.preferred_width()
        margins = self.viewportMargins()
        if (margins.left(), margins.right()) != (left, right):
            self.setViewportMargins(left, 0, right, 0)
        area = self.contentsRect()
        self.margin.setGeometry(QRect(area.left(), area.top(), left, area.height()))
        self.stripes.setGeometry(QRect(area.right() - right + 1, area.top(), right, area.height()))

    def _margins_follow(self, rect: QRect, dy: int) -> None:
        if dy or rect.contains(self.viewport().rect()):
            self.margin.update()
            self.stripes.update()
        else:
            self.margin.update(0, rect.y(), self.margin.width(), rect.height())
            self.stripes.update(0, rect.y(), self.stripes.width(), rect.height())

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
        selections = []
        made: dict[tuple, QTextEdit.ExtraSelection] = {}
        for coding in self.codings_between(low, high):
            code = self._codes.get(coding.code_id)
            if code is None:
                continue
            key = (coding.id, coding.start, coding.end, code.color, code.name)
            selection = self._made_highlights.get(key)
            if selection is None:
                color = QColor(code.color)
                color.setAlpha(70)
                selection = self._highlight(coding.start, coding.end, color, code.name)
            made[key] = selection
            selections.append(selection)
        self._made_highlights = made  # those near the visible part only
        self._coding_selections = selections
        self._apply_selections()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The text and its highlights, then a line in the code's colour under each coded passage: one height
        per stripe lane, and a gap where a passage ends, so that touching and overlapping codings stay
        apart where their translucent highlights blend into one tint. The lines are worked out once per
        scroll position, size and set of codings, and only those inside the area being painted are drawn."""
        super().paintEvent(event)
        if not self._codings:
            return
        area = event.rect()
        painter = QPainter(self.viewport())
        for color, lines in self._underlines():
            pen = QPen(color, UNDERLINE_WIDTH)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            for left, right, y in lines:
                if area.top() - UNDERLINE_WIDTH <= y <= area.bottom() + UNDERLINE_WIDTH:
                    painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.end()

    def _underlines(self) -> list[tuple[QColor, list[tuple[float, float, float]]]]:
        key = (self.verticalScrollBar().value(), self.horizontalScrollBar().value(), self.viewport().size().width(),
               self.viewport().size().height(), self._codings_version, self.font().pointSizeF(),
               is_dark(self.palette()))
        if self._underline_cache is not None and self._underline_cache[0] == key:
            return self._underline_cache[1]
        low, high = self.visible_span()
        dark = key[-1]
        found = []
        place = (*key[:4], key[5], self._layout_version)  # what decides where the lines fall
        if self._line_cache is None or self._line_cache[0] != place:
            self._line_cache = (place, {})
        known = self._line_cache[1]
        for lane, stripe, code in self.stripes.visible_in(low, high):
            raise_by = min(lane, UNDERLINE_LANES - 1) * UNDERLINE_WIDTH
            span = (max(stripe.start, low), min(stripe.end, high))
            if span not in known:
                known[span] = self.line_segments(*span)
            lines = [(left + 1, max(left + 1, right - 2), bottom - UNDERLINE_WIDTH // 2 - raise_by)
                     for left, right, bottom in known[span]]
            found.append((label_color(QColor(code.color), dark_background=bool(dark)), lines))
        self._underline_cache = (key, found)
        return found

    def line_segments(self, start: int, end: int) -> list[tuple[float, float, float]]:
        """(left, right, bottom) in viewport coordinates of each visual line of the code points [start, end)."""
        segments = []
        q_start, q_end = self._offsets.to_qt(start), self._offsets.to_qt(end)
        block = self.document().findBlock(q_start)
        offset = self.contentOffset()
        height = self.viewport().height()
        while block.isValid() and block.position() < q_end:
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            for number in range(layout.lineCount() if geometry.bottom() >= 0 else 0):
                line = layout.lineAt(number)
                first = block.position() + line.textStart()
                last = first + line.textLength()
                low, high = max(first, q_start), min(last, q_end)
                if high <= low:
                    continue
                left = _x(line, low - block.position()) + geometry.left()
                right = _x(line, high - block.position()) + geometry.left()
                segments.append((left, right, geometry.top() + line.y() + line.height()))
            block = block.next()
        return segments

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self._update_visible_highlights()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_margins()
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
            fmt.setToolTip(as_text(tooltip))
        return self._formatted(start, end, fmt)

    def _formatted(self, start: int, end: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
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
        self.stripes.update()

    def viewportEvent(self, event: QEvent) -> bool:
        """A tooltip over coded text names each coding (code, coder, memo) and the passage's memos."""
        if event.type() == QEvent.Type.ToolTip and self.source_id is not None:
            pos = event.pos()  # type: ignore[attr-defined]
            offset = self._offsets.from_qt(self.cursorForPosition(pos).position())
            lines = [self.describe_coding(c) for c in self.codings_at(offset)]
            lines += [f"Memo: {m.text}" for m in self.memos_at(offset)]
            if lines:
                QToolTip.showText(event.globalPos(), as_text("\n".join(lines)), self.viewport())  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

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


def _x(line: QTextLine, position: int) -> float:
    """The x of a cursor position in a laid-out line (PySide returns it with the position, as a pair)."""
    value = line.cursorToX(position)
    return float(value[0] if isinstance(value, tuple) else value)  # type: ignore[arg-type]
