"""The coding stripes beside the document: one coloured bar per coding, labelled with its code's name.

Codings that overlap go to different lanes (`assign_lanes`), so every coding of a passage stays visible
next to it, as in the margins of MAXQDA and NVivo. Lanes are assigned once per source (stable while
scrolling); only the codings in the visible part are painted. Hovering a stripe shows its code, coder
and memo; clicking it selects its segment; its context menu can remove it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from qcode.core.model import Code, Coding
from qcode.gui.view_options import is_dark

if TYPE_CHECKING:
    from qcode.gui.views.document_view import DocumentView

LANE_WIDTH = 20
MAX_LANES = 10  # codings beyond this many overlapping ones share the last lane
MIN_LANES = 3  # the margin keeps this width even for a source with few codings, so it does not jump
BAR_WIDTH = 4
MIN_LABEL_HEIGHT = 24  # shorter stripes carry no label (the tooltip names them)


def assign_lanes(codings: Sequence[Coding]) -> dict[int, int]:
    """Lane per coding id: the lowest lane free at the coding's start, so overlapping codings never share one."""
    lane_ends: list[int] = []
    lanes: dict[int, int] = {}
    for coding in sorted(codings, key=lambda c: (c.start, -c.end, c.id)):
        for lane, end in enumerate(lane_ends):
            if end <= coding.start:
                lane_ends[lane] = coding.end
                lanes[coding.id] = lane
                break
        else:
            lanes[coding.id] = len(lane_ends)
            lane_ends.append(coding.end)
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

    coding_clicked = Signal(object)  # Coding
    context_requested = Signal(object, QPoint)  # Coding, global position

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view)
        self.view = view
        self.setAccessibleName("Coding stripes")
        self.setMouseTracking(True)
        self._codes: dict[int, Code] = {}
        self._lanes: dict[int, int] = {}
        self._lane_count = 0
        #: text shown when the pointer rests on a stripe
        self.tooltip_for: Callable[[Coding], str] = lambda coding: self._codes[coding.code_id].name
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        self.setFont(font)

    def set_codings(self, codings: Sequence[Coding], codes: dict[int, Code]) -> None:
        self._codes = codes
        self._lanes = assign_lanes(codings)
        self._lane_count = min(MAX_LANES, max(self._lanes.values(), default=-1) + 1)
        self.update()

    def lane_of(self, coding: Coding) -> int:
        return min(self._lanes.get(coding.id, 0), MAX_LANES - 1)

    @property
    def lane_count(self) -> int:
        return self._lane_count

    def preferred_width(self) -> int:
        return max(MIN_LANES, self._lane_count) * LANE_WIDTH + 6

    def visible_stripes(self) -> list[tuple[QRect, Coding, Code]]:
        """Each visible coding's bar, in this widget's coordinates."""
        stripes = []
        low, high = self.view.visible_span()
        for coding in self.view.codings_between(low, high):
            code = self._codes.get(coding.code_id)
            if code is None:
                continue
            top = max(self.view.offset_top(max(coding.start, low)), 0)
            bottom = min(self.view.offset_bottom(min(coding.end, high)), self.height())
            if bottom > top:
                stripes.append((QRect(4 + self.lane_of(coding) * LANE_WIDTH, top, BAR_WIDTH, bottom - top), coding, code))
        return stripes

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window().color().lighter(103))
        painter.setPen(self.palette().mid().color())
        painter.drawLine(0, 0, 0, self.height())
        for bar, _coding, code in self.visible_stripes():
            color = QColor(code.color)
            painter.fillRect(bar, color)
            if bar.height() >= MIN_LABEL_HEIGHT:
                self._draw_label(painter, code.name, color, bar.right() + 2, bar.top(), bar.height())
        painter.end()

    def _draw_label(self, painter: QPainter, name: str, color: QColor, x: int, top: int, height: int) -> None:
        """The code name written downwards along the stripe, cut to the stripe's length."""
        metrics = painter.fontMetrics()
        text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, height - 4)
        painter.save()
        painter.setPen(label_color(color, dark_background=is_dark(self.palette())))
        painter.translate(x + metrics.descent(), top + 2)  # turned 90°: the glyphs grow rightwards from here
        painter.rotate(90)
        painter.drawText(0, 0, text)
        painter.restore()

    def coding_at(self, point: QPoint) -> Coding | None:
        """The shortest stripe under the point (the most specific one where stripes touch)."""
        found = [(bar.height(), coding) for bar, coding, _code in self.visible_stripes()
                 if bar.adjusted(-2, 0, LANE_WIDTH - BAR_WIDTH - 2, 0).contains(point)]
        return min(found, key=lambda item: item[0])[1] if found else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        coding = self.coding_at(event.position().toPoint())
        if coding is not None and event.button() == Qt.MouseButton.LeftButton:
            self.coding_clicked.emit(coding)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.coding_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        coding = self.coding_at(event.pos())
        if coding is not None:
            self.context_requested.emit(coding, event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            coding = self.coding_at(event.pos())  # type: ignore[attr-defined]
            if coding is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(coding), self)  # type: ignore[attr-defined]
            return True
        return super().event(event)
