"""The chart pane of the analysis views: a matplotlib figure that follows the app's light or dark theme,
drawn into pixels by Agg on a worker (so the window never waits for it), reports which bar or cell was
clicked, and saves as PNG (300 dpi), SVG or PDF.

matplotlib is imported only when a chart is first needed (and, when the Analysis area opens, in the
background by `preload`), so opening a project window never loads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QStackedLayout, QToolTip, QWidget

from qcode.gui.support.view_options import is_dark
from qcode.gui.support.workers import CoreTask

SAVE_FORMATS = {".png": "PNG image, 300 dpi (*.png)", ".svg": "SVG drawing (*.svg)", ".pdf": "PDF document (*.pdf)"}
PNG_DPI = 300
MIN_SIZE = (320, 240)  # pixels of a figure drawn for a pane not yet laid out
RESIZE_REDRAW_MS = 150


@dataclass(frozen=True)
class ChartStyle:
    """The colours of a chart, taken from the window's palette (light or dark theme)."""

    background: str
    text: str
    grid: str
    dark: bool
    colormap: str  # the heatmap's scale: light for few, dark for many on a light theme, and the reverse

    @classmethod
    def of(cls, palette: QPalette) -> ChartStyle:
        dark = is_dark(palette)
        return cls(background=palette.color(QPalette.ColorRole.Base).name(),
                   text=palette.color(QPalette.ColorRole.Text).name(),
                   grid=palette.color(QPalette.ColorRole.Mid).name(), dark=dark,
                   colormap="magma" if dark else "Blues")


@dataclass
class ChartHits:
    """What a click on the chart means: `bars` maps a drawn artist (a bar, a point) to a key, `grid` turns a
    click inside a heatmap's axes into the key of the cell under it. Keys are what the view's
    `chart_excerpts` takes."""

    bars: list[tuple[Any, object]] = field(default_factory=list)
    grid: tuple[Any, Callable[[int, int], object | None]] | None = None  # (axes, (row, column) -> key)
    count: int = 0  # bars or cells drawn (for tests and the accessible description)
    #: the whole label and number of what is under the mouse (a tooltip: axis labels may be shortened)
    tip: Callable[[Any], str | None] | None = None

    def locate(self, event: Any) -> object | None:
        """The key under a mouse event (matplotlib's), or None."""
        if self.grid is not None and event.inaxes is self.grid[0] and event.xdata is not None:
            column, row = round(event.xdata), round(event.ydata)
            return self.grid[1](row, column)
        for artist, key in self.bars:
            inside, _ = artist.contains(event)
            if inside:
                return key
        return None


Painter = Callable[[Any, ChartStyle], ChartHits | None]  # (matplotlib Figure, style) -> hits


_ready = threading.Event()  # matplotlib is imported
_loading: list[CoreTask] = []  # the import under way on a worker


def preload() -> CoreTask | None:
    """Import matplotlib on a worker, so that the first chart does not stall the window (None when it is
    imported already)."""
    if _ready.is_set():
        return None
    if not _loading:
        task = CoreTask(lambda _task: _import_matplotlib(), pause_collector=True)
        task.signals.finished.connect(lambda _result: _loading.clear())
        task.signals.failed.connect(lambda _message, _details: _loading.clear())
        _loading.append(task)
        task.start()
    return _loading[0]


def _import_matplotlib() -> Any:
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # a pane drawn before it has its size (a hidden tab) lays the figure out again once shown
    warnings.filterwarnings("ignore", message="constrained_layout not applied", category=UserWarning)
    _ready.set()
    return FigureCanvasAgg, Figure


_drawing = threading.local()  # a painter's message (show_message) while it runs on a worker


def _paint_and_rasterize(painter: Painter, figure: Any, style: ChartStyle,
                         lock: threading.Lock) -> tuple[ChartHits | None, str | None, tuple[bytes, int, int] | None]:
    """Fill a figure with `painter` and draw it with Agg, both on a worker: (hits, the painter's message
    when it drew nothing, the pixels)."""
    with lock:
        _drawing.message = None
        try:
            hits = painter(figure, style)
            message: str | None = _drawing.message
        finally:
            _drawing.message = None
        if hits is None:
            return None, message, None
        figure.canvas.draw()
        width, height = figure.canvas.get_width_height(physical=True)
        return hits, None, (bytes(figure.canvas.buffer_rgba()), width, height)


def _rasterize(figure: Any, lock: threading.Lock) -> tuple[bytes, int, int]:
    """Draw a figure with Agg (on a worker) and return its RGBA pixels with their width and height."""
    with lock:
        figure.canvas.draw()
        width, height = figure.canvas.get_width_height(physical=True)
        return bytes(figure.canvas.buffer_rgba()), width, height


class ChartImage(QWidget):
    """The rendered chart; reports the mouse in the figure's pixel coordinates (origin at the bottom left)."""

    pressed = Signal(float, float)
    moved = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chart drawing")
        self.setMouseTracking(True)
        self.image = QImage()

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        if not self.image.isNull():
            painter.drawImage(0, 0, self.image)
        painter.end()

    def _figure_point(self, position: Any) -> tuple[float, float]:
        ratio = self.image.devicePixelRatio() or 1.0
        height = self.image.height()
        return position.x() * ratio, height - position.y() * ratio

    def mousePressEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.pressed.emit(*self._figure_point(event.position()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        self.moved.emit(*self._figure_point(event.position()))
        super().mouseMoveEvent(event)


class ChartPane(QWidget):
    """A placeholder text until the first chart, then the chart as an image; `clicked` gives a hit's key.

    The view's painter fills a new figure on the GUI thread (it makes the artists, which is quick); Agg draws
    the figure into pixels on a worker (what takes time: layout and text), and only the newest drawing is
    shown. The figure is drawn again at the pane's size when the pane is resized or the theme changes.
    With `draw(painter, on_worker=True)` the painter fills the figure on the worker too (a few hundred bars
    or a 300 x 300 heatmap take over half a second to make): it must then use no Qt and no GUI-thread
    project, and may call `show_message`, which the pane shows when the worker is done.
    """

    clicked = Signal(object)
    drawn = Signal()  # a chart's pixels are shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chart")
        self.message = QLabel("The chart shows here.")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.image = ChartImage()
        self.image.pressed.connect(self._pressed)
        self.image.moved.connect(self._moved)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.image)
        self.figure: Any = None
        self.hits = ChartHits()
        self._painter: Painter | None = None
        self._explained = False
        self._lock = threading.Lock()  # the figure is drawn (or saved) by one thread at a time
        self._gui_thread = threading.get_ident()
        self._on_worker = False
        self._generation = 0
        self._rendering: list[CoreTask] = []
        self._holding = False  # a new chart is on its way: a resize meanwhile redraws nothing (see `hold`)
        self._drawn_size = (0, 0)  # the pane's size when the shown figure was drawn
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(RESIZE_REDRAW_MS)
        self._resize_timer.timeout.connect(self._redraw)

    def show_message(self, text: str) -> None:
        """Say why there is no chart (nothing to draw, too much to draw as bars); called by a painter on a
        worker, the message shows once the worker is done."""
        if threading.get_ident() != self._gui_thread:
            _drawing.message = text
            return
        self._painter = None
        self._explained = True
        self._generation += 1  # a drawing under way is no longer wanted
        self.hits = ChartHits()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def hold(self, on: bool = True) -> None:
        """`on`: a new chart will be drawn soon (a new result is being computed), so a resize meanwhile does not
        draw the old one again (the busy bar or the filter bar changing the pane's height made a whole heatmap
        be drawn twice more, each competing with the computation for the interpreter). Off (the computation
        failed): redraw now if the pane's size changed meanwhile."""
        self._holding = on
        if not on and self._painter is not None and self.figure is not None \
                and (self.width(), self.height()) != self._drawn_size:
            self._resize_timer.start()

    def draw(self, painter: Painter, on_worker: bool = False) -> ChartHits:
        """Let `painter` fill a new figure in the current theme (here, or on the worker with `on_worker`), and
        draw it into pixels on a worker; while matplotlib is still being imported on a worker, do so once
        it is there."""
        self._holding = False
        self._resize_timer.stop()  # drawn at the current size now
        self._drawn_size = (self.width(), self.height())
        self._on_worker = on_worker
        loading = preload()
        if loading is not None:
            self._painter = painter
            self.hits = ChartHits()
            self.message.setText("Drawing the chart…")
            self.stack.setCurrentWidget(self.message)
            loading.signals.finished.connect(self._loaded)
            return self.hits
        canvas_class, figure_class = _import_matplotlib()
        self._painter = painter
        self._explained = False
        style = ChartStyle.of(self.palette())
        ratio = self.devicePixelRatioF() or 1.0
        width, height = max(self.width(), MIN_SIZE[0]), max(self.height(), MIN_SIZE[1])
        figure = figure_class(figsize=(width / 100, height / 100), dpi=100 * ratio, layout="constrained")
        canvas_class(figure).mpl_connect("button_press_event", self._mpl_pressed)
        figure.set_facecolor(style.background)
        if on_worker:
            task = self._render(lambda _task: _paint_and_rasterize(painter, figure, style, self._lock), self._painted)
            task.figure = figure  # type: ignore[attr-defined]
            return self.hits
        hits = painter(figure, style)
        if hits is None:  # the painter said why (show_message), or there was nothing to draw
            if not self._explained:
                self.show_message("There is nothing to draw for this result.")
            return self.hits
        self.figure, self.hits = figure, hits
        self._render(lambda _task: _rasterize(figure, self._lock), self._rendered)
        return self.hits

    def _render(self, work: Callable[[CoreTask], object], finished: Callable[[Any], None]) -> CoreTask:
        """Start a newer drawing on a worker (an older one's pixels are dropped when it arrives)."""
        self._generation += 1
        task = CoreTask(work, pause_collector=True)
        task.generation = self._generation  # type: ignore[attr-defined]
        task.signals.finished.connect(finished)
        task.signals.failed.connect(self._render_failed)
        self._rendering.append(task)
        if not self.has_chart():
            self.message.setText("Drawing the chart…")
        task.start()
        return task

    def _finished_task(self) -> CoreTask | None:
        task = next((t for t in self._rendering if t.signals is self.sender()), None)
        if task is not None:
            self._rendering.remove(task)
        return task

    def _rendered(self, result: tuple[bytes, int, int]) -> None:
        task = self._finished_task()
        if task is None or task.generation != self._generation:  # type: ignore[attr-defined]
            return  # an older drawing
        self._rendered_pixels(result)

    def _rendered_pixels(self, result: tuple[bytes, int, int]) -> None:
        pixels, width, height = result
        image = QImage(pixels, width, height, QImage.Format.Format_RGBA8888).copy()
        image.setDevicePixelRatio(self.devicePixelRatioF() or 1.0)
        self.image.set_image(image)
        self.stack.setCurrentWidget(self.image)
        self.drawn.emit()

    def _painted(self, result: tuple[ChartHits | None, str | None, tuple[bytes, int, int] | None]) -> None:
        task = self._finished_task()
        if task is None or task.generation != self._generation:  # type: ignore[attr-defined]
            return  # an older drawing
        hits, message, pixels = result
        if hits is None or pixels is None:
            self.show_message(message or "There is nothing to draw for this result.")
            return
        self.figure, self.hits = task.figure, hits  # type: ignore[attr-defined]
        self._rendered_pixels(pixels)

    def _render_failed(self, message: str, _details: str) -> None:
        task = self._finished_task()
        if task is not None and task.generation == self._generation:  # type: ignore[attr-defined]
            self.show_message(f"The chart could not be drawn. {message}")

    def _loaded(self, _result: object) -> None:
        if self._painter is not None and self.figure is None:
            self.draw(self._painter, self._on_worker)

    @property
    def canvas(self) -> Any:
        """The shown figure's (Agg) canvas, once its pixels are shown (None before): a matplotlib
        `MouseEvent(..., canvas, x, y)._process()` on it acts as a click at figure pixels (x, y)."""
        return self.figure.canvas if self.figure is not None and self.has_chart() else None

    def has_chart(self) -> bool:
        """Whether the newest chart is drawn and shown."""
        return self.stack.currentWidget() is self.image and not self.rendering()

    def rendering(self) -> bool:
        """Whether a drawing is under way (or waits for the pane's new size)."""
        return bool(self._rendering) or self._resize_timer.isActive()

    def _redraw(self) -> None:
        if self._painter is not None and self.figure is not None:
            self.draw(self._painter, self._on_worker)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._painter is not None and self.figure is not None and not self._holding:
            self._resize_timer.start()  # drawn again at the new size once resizing pauses

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.PaletteChange and self._painter is not None and self.figure is not None:
            self._redraw()  # the theme changed: draw again in its colours
        super().changeEvent(event)

    def _event(self, x: float, y: float) -> Any:
        """A matplotlib mouse event at figure pixels (x, y), for the hits (None while a drawing is under way)."""
        if self.figure is None or self._rendering or not self.has_chart():
            return None
        from matplotlib.backend_bases import MouseEvent

        return MouseEvent("button_press_event", self.figure.canvas, x, y)

    def _pressed(self, x: float, y: float) -> None:
        event = self._event(x, y)
        if event is not None:
            self._mpl_pressed(event)

    def _mpl_pressed(self, event: Any) -> None:
        if self._rendering or event.canvas is not getattr(self.figure, "canvas", None):
            return  # a drawing is under way, or the event is of an older figure
        key = self.hits.locate(event)
        if key is not None:
            self.clicked.emit(key)

    def _moved(self, x: float, y: float) -> None:
        event = self._event(x, y)
        over = event is not None and self.hits.locate(event) is not None
        self.image.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        text = self.hits.tip(event) if event is not None and self.hits.tip is not None else None
        if text:
            QToolTip.showText(QCursor.pos(), text + ("\nClick to list its excerpts." if over else ""), self.image)
        else:
            QToolTip.hideText()

    def save(self, target: str | Path) -> Path:
        """Write the chart as PNG (300 dpi), SVG or PDF, by the file's ending."""
        target = Path(target)
        suffix = target.suffix.lower()
        if suffix not in SAVE_FORMATS:
            raise ValueError(f"charts are saved as {', '.join(SAVE_FORMATS)}, not {suffix or 'a file without ending'}")
        if self.figure is None:
            raise ValueError("there is no chart to save")
        with self._lock:
            self.figure.savefig(target, dpi=PNG_DPI if suffix == ".png" else None,
                                facecolor=self.figure.get_facecolor(), format=suffix.lstrip("."))
        return target

    def render_image(self, path: str | Path) -> Path:
        """The chart as the pane shows it (for tests and screenshots)."""
        if not self.image.image.save(str(path)):
            raise OSError(f"could not write {path}")
        return Path(path)
