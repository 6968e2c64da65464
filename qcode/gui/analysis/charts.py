"""The chart pane of the analysis views: a matplotlib figure (QtAgg) that follows the app's light or dark
theme, reports which bar or cell was clicked, and saves as PNG (300 dpi), SVG or PDF.

matplotlib is imported only when a chart is first needed (and, when the Analysis area opens, in the
background by `preload`), so opening a project window never loads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from qcode.gui.support.view_options import is_dark
from qcode.gui.support.workers import CoreTask

SAVE_FORMATS = {".png": "PNG image, 300 dpi (*.png)", ".svg": "SVG drawing (*.svg)", ".pdf": "PDF document (*.pdf)"}
PNG_DPI = 300


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
    """Import matplotlib and its Qt canvas on a worker, so that the first chart does not stall the window
    (None when it is imported already)."""
    if _ready.is_set():
        return None
    if not _loading:
        task = CoreTask(lambda _task: _import_canvas())
        task.signals.finished.connect(lambda _result: _loading.clear())
        task.signals.failed.connect(lambda _message, _details: _loading.clear())
        _loading.append(task)
        task.start()
    return _loading[0]


def _import_canvas() -> Any:
    import warnings

    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    # a pane drawn before it has its size (a hidden tab) lays the figure out again once shown
    warnings.filterwarnings("ignore", message="constrained_layout not applied", category=UserWarning)
    _ready.set()
    return FigureCanvasQTAgg, Figure


class ChartPane(QWidget):
    """A placeholder text until the first chart, then the figure's canvas; `clicked` gives a hit's key."""

    clicked = Signal(object)
    drawn = Signal()  # a chart was drawn after matplotlib finished loading

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Chart")
        self.message = QLabel("The chart shows here.")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.message)
        self.canvas: Any = None
        self.figure: Any = None
        self.hits = ChartHits()
        self._painter: Painter | None = None
        self._explained = False

    def _ensure_canvas(self) -> None:
        if self.canvas is not None:
            return
        canvas_class, figure_class = _import_canvas()
        self.figure = figure_class(layout="constrained")
        self.canvas = canvas_class(self.figure)
        self.canvas.setAccessibleName("Chart drawing")
        self.canvas.mpl_connect("button_press_event", self._pressed)
        self.canvas.mpl_connect("motion_notify_event", self._moved)
        self.stack.addWidget(self.canvas)

    def show_message(self, text: str) -> None:
        """Say why there is no chart (nothing to draw, too much to draw as bars)."""
        self._painter = None
        self._explained = True
        self.hits = ChartHits()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def draw(self, painter: Painter) -> ChartHits:
        """Clear the figure and let `painter` draw on it in the current theme; while matplotlib is still
        being imported on a worker, draw once it is there (the window stays responsive meanwhile)."""
        loading = preload() if self.canvas is None else None
        if loading is not None:
            self._painter = painter
            self.hits = ChartHits()
            self.message.setText("Drawing the chart…")
            self.stack.setCurrentWidget(self.message)
            loading.signals.finished.connect(self._loaded)
            return self.hits
        self._ensure_canvas()
        self._painter = painter
        self._explained = False
        style = ChartStyle.of(self.palette())
        self.figure.clear()
        self.figure.set_facecolor(style.background)
        hits = painter(self.figure, style)
        if hits is None:  # the painter said why (show_message), or there was nothing to draw
            if not self._explained:
                self.show_message("There is nothing to draw for this result.")
            return self.hits
        self.hits = hits
        self.stack.setCurrentWidget(self.canvas)
        self.canvas.draw_idle()
        return self.hits

    def _loaded(self, _result: object) -> None:
        if self._painter is not None and self.canvas is None:
            self.draw(self._painter)
            self.drawn.emit()

    def has_chart(self) -> bool:
        return self.canvas is not None and self.stack.currentWidget() is self.canvas

    def changeEvent(self, event: Any) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.PaletteChange and self._painter is not None and self.has_chart():
            self.draw(self._painter)  # the theme changed: redraw in its colours
        super().changeEvent(event)

    def _pressed(self, event: Any) -> None:
        key = self.hits.locate(event)
        if key is not None:
            self.clicked.emit(key)

    def _moved(self, event: Any) -> None:
        over = self.hits.locate(event) is not None
        self.canvas.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def save(self, target: str | Path) -> Path:
        """Write the chart as PNG (300 dpi), SVG or PDF, by the file's ending."""
        target = Path(target)
        suffix = target.suffix.lower()
        if suffix not in SAVE_FORMATS:
            raise ValueError(f"charts are saved as {', '.join(SAVE_FORMATS)}, not {suffix or 'a file without ending'}")
        if not self.has_chart():
            raise ValueError("there is no chart to save")
        self.figure.savefig(target, dpi=PNG_DPI if suffix == ".png" else None,
                            facecolor=self.figure.get_facecolor(), format=suffix.lstrip("."))
        return target

    def render_image(self, path: str | Path) -> Path:
        """The chart as the screen shows it (for tests and screenshots)."""
        self.canvas.draw()
        self.figure.savefig(path, dpi=self.figure.dpi, facecolor=self.figure.get_facecolor())
        return Path(path)
