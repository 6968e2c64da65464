"""The left margin of the document: paragraph numbers, page and timestamp markers, and memo notes.

The numbers are the ones exports and `describe_location` cite (paragraphs counted from 1, pages by
their labels, timestamps as stored), so a reader can find a cited excerpt by eye. A memo anchored to
a passage shows as a note at the passage's first line: hover to read it, click to select the passage.
Only the visible blocks are painted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from qcode.core.model import Memo, Span
from qcode.gui.support.plain_text import as_text

if TYPE_CHECKING:
    from qcode.gui.views.document_view import DocumentView

NOTE_COLOR = QColor("#f2c94c")
NOTE_SIZE = 12
MEMO_PREVIEW = 400  # characters of a memo shown in its tooltip


class _Marks:
    """Sorted starts of one kind of span, with the label drawn for each."""

    def __init__(self, starts: list[int], labels: list[str]) -> None:
        self.starts = starts
        self.labels = labels

    def within(self, low: int, high: int) -> list[tuple[int, str]]:
        first, last = bisect_left(self.starts, low), bisect_left(self.starts, high)
        return list(zip(self.starts[first:last], self.labels[first:last], strict=True))


def _marks(spans: Sequence[Span], kind: str, label: Callable[[int, Span], str]) -> _Marks:
    chosen = sorted((s for s in spans if s.kind == kind), key=lambda s: s.start)
    return _Marks([s.start for s in chosen], [label(i, s) for i, s in enumerate(chosen, 1)])


class StructureMargin(QWidget):
    memo_clicked = Signal(object)  # Memo

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.view = view
        self.setAccessibleName("Paragraph numbers and memos")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints all of its area: nothing shows through
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        self.setFont(font)
        self._paragraphs = _Marks([], [])
        self._pages = _Marks([], [])
        self._stamps = _Marks([], [])
        self._memos: list[Memo] = []
        self._memo_starts: list[int] = []

    def set_structure(self, spans: Sequence[Span], memos: Sequence[Memo]) -> None:
        self._paragraphs = _marks(spans, "paragraph", lambda i, _s: f"¶ {i}")
        self._pages = _marks(spans, "page", lambda i, s: f"p. {s.value or i}")
        self._stamps = _marks(spans, "timestamp", lambda _i, s: s.value or "")
        self.set_memos(memos)

    def set_memos(self, memos: Sequence[Memo]) -> None:
        self._memos = sorted((m for m in memos if m.start is not None), key=lambda m: (m.start, m.id))
        self._memo_starts = [m.start for m in self._memos]  # type: ignore[misc]
        self.update()

    def preferred_width(self) -> int:
        metrics = self.fontMetrics()
        return metrics.horizontalAdvance("00:00:00") + NOTE_SIZE + 14

    def marks(self) -> list[tuple[str, int, str]]:
        """What the visible part shows: ("number" | "page", y, label), and ("memo", y, memo index)."""
        found: list[tuple[str, int, str]] = []
        for low, high, line_top in self.view.visible_blocks():
            numbers = self._stamps.within(low, high) or self._paragraphs.within(low, high)
            found += [("number", line_top(offset), label) for offset, label in numbers[:1]]
            found += [("page", line_top(offset), label) for offset, label in self._pages.within(low, high)]
            first, last = bisect_left(self._memo_starts, low), bisect_left(self._memo_starts, high)
            found += [("memo", line_top(self._memo_starts[i]) + 2 + (i - first) * 3, str(i)) for i in range(first, last)]
        return found

    def note_rects(self) -> list[tuple[QRect, Memo]]:
        return [(QRect(self.width() - NOTE_SIZE - 4, top, NOTE_SIZE, NOTE_SIZE), self._memos[int(index)])
                for kind, top, index in self.marks() if kind == "memo"]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window().color().lighter(103))
        line_height = self.fontMetrics().height()
        text_right = self.width() - NOTE_SIZE - 8
        for kind, top, label in self.marks():
            if kind == "number":
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(QRect(2, top, text_right - 2, line_height),
                                 int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), label)
            elif kind == "page":
                painter.setPen(self.palette().mid().color())
                painter.drawLine(0, top, self.width(), top)
                painter.setPen(self.palette().text().color())
                painter.drawText(QRect(2, top + 1, text_right - 2, line_height),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), label)
            else:
                rect = QRect(self.width() - NOTE_SIZE - 4, top, NOTE_SIZE, NOTE_SIZE)
                painter.setPen(NOTE_COLOR.darker(150))
                painter.setBrush(NOTE_COLOR)
                painter.drawRoundedRect(rect, 2, 2)
                painter.drawLine(rect.left() + 3, rect.top() + 4, rect.right() - 3, rect.top() + 4)
                painter.drawLine(rect.left() + 3, rect.top() + 7, rect.right() - 3, rect.top() + 7)
        painter.end()

    def memo_at(self, point: QPoint) -> Memo | None:
        return next((memo for rect, memo in reversed(self.note_rects()) if rect.adjusted(-2, -2, 2, 2).contains(point)),
                    None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        memo = self.memo_at(event.position().toPoint())
        if memo is not None and event.button() == Qt.MouseButton.LeftButton:
            self.memo_clicked.emit(memo)
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            memo = self.memo_at(event.pos())  # type: ignore[attr-defined]
            if memo is None:
                QToolTip.hideText()
            else:
                text = memo.text if len(memo.text) <= MEMO_PREVIEW else memo.text[:MEMO_PREVIEW] + "…"
                QToolTip.showText(event.globalPos(), as_text(f"Memo: {text}"), self)  # type: ignore[attr-defined]
            return True
        return super().event(event)
