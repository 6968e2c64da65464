"""The coding stripes beside the document: one coloured bar per coded passage, labelled with its code's name.

Codings of one code that overlap (two coders coding the same passage, say) form one stripe
(`merge_stripes`); stripes of different codes that overlap go to different lanes (`assign_lanes`), so
every code of a passage stays visible next to it, as in the margins of MAXQDA and NVivo. Lanes are
assigned once per source (stable while scrolling); only the stripes in the visible part are painted.
Hovering a stripe shows its code, coders and memos; clicking it selects its passage; its context menu
can remove its codings.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from qcode.core.model import Code, Coding
from qcode.gui.support.plain_text import as_text
from qcode.gui.support.view_options import is_dark

if TYPE_CHECKING:
    from qcode.gui.views.document_view import DocumentView

LANE_WIDTH = 20
MAX_LANES = 10  # stripes beyond this many overlapping ones share the last lane
MIN_LANES = 3  # the margin keeps this width even for a source with few codings, so it does not jump
BAR_WIDTH = 4
MIN_LABEL_HEIGHT = 24  # shorter stripes carry no label (the tooltip names them)
BAR_GAP = 3  # pixels between two stripes of one lane, so that touching passages stay two stripes
MIN_BAR_HEIGHT = 4
LABEL_GAP = 6  # pixels between the end of one label and the next label of the lane
MIN_LABEL_CHARACTERS = 3  # a label cut shorter than this is left out (the tooltip names the code)


@dataclass(frozen=True)
class Stripe:
    """The union of overlapping codings of one code."""

    code_id: int
    start: int
    end: int
    codings: tuple[Coding, ...]


def merge_stripes(codings: Sequence[Coding]) -> list[Stripe]:
    """One stripe per code and run of overlapping codings, in order of start."""
    stripes: list[Stripe] = []
    open_by_code: dict[int, int] = {}  # code id -> index of its last stripe
    for coding in sorted(codings, key=lambda c: (c.start, c.end, c.id)):
        index = open_by_code.get(coding.code_id)
        current = stripes[index] if index is not None else None
        if index is not None and current is not None and coding.start < current.end:
            stripes[index] = Stripe(current.code_id, current.start, max(current.end, coding.end),
                                    (*current.codings, coding))
        else:
            open_by_code[coding.code_id] = len(stripes)
            stripes.append(Stripe(coding.code_id, coding.start, coding.end, (coding,)))
    return sorted(stripes, key=lambda s: (s.start, -s.end, s.code_id))


def assign_lanes(stripes: Sequence[Stripe]) -> list[int]:
    """Lane per stripe (same order): the lowest lane free at its start, so overlapping stripes never share one."""
    lane_ends: list[int] = []
    lanes = [0] * len(stripes)
    for index in sorted(range(len(stripes)), key=lambda i: (stripes[i].start, -stripes[i].end, stripes[i].code_id)):
        stripe = stripes[index]
        for lane, end in enumerate(lane_ends):
            if end <= stripe.start:
                lane_ends[lane] = stripe.end
                lanes[index] = lane
                break
        else:
            lanes[index] = len(lane_ends)
            lane_ends.append(stripe.end)
    return lanes


def label_color(color: QColor, *, dark_background: bool = False) -> QColor:
    """The code's colour, darkened (or on a dark background lightened) so that its name reads well."""
    shown = QColor(color)
    if dark_background and shown.lightnessF() < 0.6:
        return shown.lighter(170)
    if not dark_background and shown.lightnessF() > 0.55:
        return shown.darker(170)
    return shown


class CodingStripes(QWidget):
    """Painted in the document view's right margin; the view tells it what is visible."""

    stripe_clicked = Signal(object)  # Stripe
    context_requested = Signal(object, QPoint)  # Stripe, global position

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.view = view
        self.setAccessibleName("Coding stripes")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # paints all of its area: nothing shows through
        self.setMouseTracking(True)
        self._codes: dict[int, Code] = {}
        self._stripes: list[Stripe] = []
        self._starts: list[int] = []
        self._longest = 0
        self._lanes: list[int] = []
        self._lane_count = 0
        #: text shown when the pointer rests on a stripe
        self.tooltip_for: Callable[[Stripe], str] = lambda stripe: self._codes[stripe.code_id].name
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        self.setFont(font)

    def set_codings(self, codings: Sequence[Coding], codes: dict[int, Code]) -> None:
        self._codes = codes
        self._stripes = merge_stripes(codings)
        self._starts = [s.start for s in self._stripes]
        self._longest = max((s.end - s.start for s in self._stripes), default=0)
        self._lanes = assign_lanes(self._stripes)
        self._lane_count = min(MAX_LANES, max(self._lanes, default=-1) + 1)
        self.update()

    @property
    def stripes(self) -> list[Stripe]:
        return self._stripes

    def lane_of(self, stripe: Stripe) -> int:
        return min(self._lanes[self._stripes.index(stripe)], MAX_LANES - 1)

    @property
    def lane_count(self) -> int:
        return self._lane_count

    def preferred_width(self) -> int:
        return max(MIN_LANES, self._lane_count) * LANE_WIDTH + 6

    def visible_in(self, low: int, high: int) -> list[tuple[int, Stripe, Code]]:
        """(lane, stripe, code) of each stripe overlapping the code points [low, high), in order of start."""
        found = []
        first, last = bisect_left(self._starts, low - self._longest), bisect_left(self._starts, high)
        for index in range(first, last):
            stripe = self._stripes[index]
            code = self._codes.get(stripe.code_id)
            if code is not None and stripe.end > low:
                found.append((min(self._lanes[index], MAX_LANES - 1), stripe, code))
        return found

    def visible_stripes(self) -> list[tuple[QRect, Stripe, Code]]:
        """Each visible stripe's bar, in this widget's coordinates. Within a lane, bars never touch: a stripe
        starting on the line where the one above it ends begins a few pixels lower."""
        shown = []
        low, high = self.view.visible_span()
        lane_bottoms: dict[int, int] = {}
        for lane, stripe, code in self.visible_in(low, high):
            top = max(self.view.offset_top(max(stripe.start, low)), 0)
            bottom = min(self.view.offset_bottom(min(stripe.end, high)), self.height())
            if bottom <= top:
                continue
            if lane in lane_bottoms:
                top = max(top, lane_bottoms[lane] + BAR_GAP)
                bottom = max(bottom, top + MIN_BAR_HEIGHT)
            lane_bottoms[lane] = bottom
            shown.append((QRect(4 + lane * LANE_WIDTH, top, BAR_WIDTH, bottom - top), stripe, code))
        return shown

    def labels(self) -> list[tuple[QRect, str, Stripe]]:
        """The labels drawn: the code's name along its bar, cut to fit before the next label of the lane,
        and left out where too little of it would fit. Their rectangles (turned upright) never overlap."""
        metrics = self.fontMetrics()
        placed: list[tuple[QRect, str, Stripe]] = []
        bars = self.visible_stripes()
        for position, (bar, stripe, code) in enumerate(bars):
            if bar.height() < MIN_LABEL_HEIGHT:
                continue
            lane_left = bar.left()
            following = [other.top() for other, _s, _c in bars[position + 1:] if other.left() == lane_left]
            room = min([bar.bottom(), *(top - LABEL_GAP for top in following)]) - bar.top() - 4
            earlier = [rect.bottom() for rect, _t, _s in placed if rect.left() == bar.right() + 2]
            start = max([bar.top() + 2, *(bottom + LABEL_GAP for bottom in earlier)])
            room -= start - (bar.top() + 2)
            text = metrics.elidedText(code.name, Qt.TextElideMode.ElideRight, room) if room > 0 else ""
            if len(text.rstrip("…")) < min(MIN_LABEL_CHARACTERS, len(code.name)):
                continue
            rect = QRect(bar.right() + 2, start, metrics.height(), metrics.horizontalAdvance(text))
            placed.append((rect, text, stripe))
        return placed

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window().color().lighter(103))
        painter.setPen(self.palette().mid().color())
        painter.drawLine(0, 0, 0, self.height())
        for bar, _stripe, code in self.visible_stripes():
            painter.fillRect(bar, QColor(code.color))
        dark = is_dark(self.palette())
        for rect, text, stripe in self.labels():
            self._draw_label(painter, text, QColor(self._codes[stripe.code_id].color), rect, dark)
        painter.end()

    def _draw_label(self, painter: QPainter, text: str, color: QColor, rect: QRect, dark: bool) -> None:
        """A label written downwards in its rectangle (the text turned 90°)."""
        metrics = painter.fontMetrics()
        painter.save()
        painter.setPen(label_color(color, dark_background=dark))
        painter.translate(rect.left() + metrics.descent(), rect.top())  # turned: the glyphs grow rightwards
        painter.rotate(90)
        painter.drawText(0, 0, text)
        painter.restore()

    def stripe_at(self, point: QPoint) -> Stripe | None:
        """The shortest stripe under the point (the most specific one where stripes touch)."""
        found = [(bar.height(), stripe) for bar, stripe, _code in self.visible_stripes()
                 if bar.adjusted(-2, 0, LANE_WIDTH - BAR_WIDTH - 2, 0).contains(point)]
        return min(found, key=lambda item: item[0])[1] if found else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        stripe = self.stripe_at(event.position().toPoint())
        if stripe is not None and event.button() == Qt.MouseButton.LeftButton:
            self.stripe_clicked.emit(stripe)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.stripe_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        stripe = self.stripe_at(event.pos())
        if stripe is not None:
            self.context_requested.emit(stripe, event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            stripe = self.stripe_at(event.pos())  # type: ignore[attr-defined]
            if stripe is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), as_text(self.tooltip_for(stripe)), self)  # type: ignore[attr-defined]
            return True
        return super().event(event)
