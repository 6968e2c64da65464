"""The saturation chart: the codes seen so far per source position as a line, the new codes each source brings
as bars beneath it, on one scale of codes. Plain functions over a matplotlib `Figure`, imported only by the
views that draw (so starting the app never loads matplotlib).

A click is placed by its position: `SaturationChart.row_near(x, y)` names the source whose point or bar it is on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qcode.core.model import SaturationRow

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

NAMED_TICKS_UP_TO = 40  # sources: beyond this, the axis shows positions, the names live in the tooltips
NAME_LENGTH = 22  # characters of a source's name on the axis before it is shortened
BARS_UP_TO = 200  # sources: beyond this, the new codes are thin lines (one artist) and the points have no marker


@dataclass(frozen=True)
class ChartColors:
    """The colours of one theme."""

    text: str = "#202124"
    background: str = "#ffffff"
    grid: str = "#dadce0"
    line: str = "#1a73e8"
    bars: str = "#f29900"

    @classmethod
    def dark(cls) -> ChartColors:
        return cls(text="#e8eaed", background="#202124", grid="#3c4043", line="#8ab4f8", bars="#fdd663")

    @classmethod
    def of(cls, style: Any) -> ChartColors:
        """The colours for a chart pane's style (its background, text, grid and whether the theme is dark)."""
        base = cls.dark() if getattr(style, "dark", False) else cls()
        return cls(text=style.text, background=style.background, grid=style.grid, line=base.line, bars=base.bars)


@dataclass
class SaturationChart:
    """What was drawn: the axes, the cumulative line and the bars (a bar per source, or with many sources one
    collection of thin lines), in the order of `rows`."""

    axes: Axes
    line: Line2D
    bars: list[Any]  # the bars' rectangles (empty when drawn as lines)
    rows: list[SaturationRow]
    lines: LineCollection | None = None

    def row_near(self, x: float | None, y: float | None = None) -> SaturationRow | None:
        """The row at a position of the axes (data coordinates): the source whose column holds x, when y (if
        given) is not above its point (a click on the point, its bar or between them)."""
        if x is None or not self.rows:
            return None
        index = round(x) - 1
        if not 0 <= index < len(self.rows):
            return None
        row = self.rows[index]
        top = row.cumulative_codes + 0.04 * max(self.rows[-1].cumulative_codes, 1)
        return row if y is None or -0.5 <= y <= top else None


def describe(row: SaturationRow) -> str:
    """A one-paragraph description of one source's point, for tooltips and the status line."""
    new = len(row.new_codes)
    head = f"{row.position}. {row.source_name}: {new} new code{'s' if new != 1 else ''}, {row.cumulative_codes} so far"
    if not row.new_codes:
        return head
    names = ", ".join(row.new_codes[:8]) + (f" and {new - 8} more" if new > 8 else "")
    return f"{head}\n{names}"


def _short(name: str) -> str:
    """A long name shortened in the middle, so that names differing at the end ('Interview 12') stay apart."""
    if len(name) <= NAME_LENGTH:
        return name
    keep = NAME_LENGTH - 1
    return name[:keep - keep // 2] + "…" + name[len(name) - keep // 2:]


def _shared_folders(names: list[str]) -> int:
    """How many leading folders ('Interviews/…') every name has in common."""
    parts = [name.split("/")[:-1] for name in names]
    count = 0
    while parts and all(len(p) > count and p[count] == parts[0][count] for p in parts):
        count += 1
    return count


def tick_labels(rows: list[SaturationRow]) -> list[str]:
    """The sources' names for the axis, without a folder they all share, shortened; numbered by position when
    shortening makes two alike."""
    names = [row.source_name for row in rows]
    shared = _shared_folders(names)  # a folder all of them lie in says nothing on the axis
    labels = [_short(name.split("/", shared)[-1] if shared else name) for name in names]
    if any(row.order_value is not None for row in rows):  # ordered by an attribute: its value under the name
        labels = [f"{label}\n{_short(str(row.order_value))}" if row.order_value is not None else label
                  for label, row in zip(labels, rows, strict=True)]
    if len(set(labels)) < len(labels):
        labels = [f"{row.position} · {label}" for row, label in zip(rows, labels, strict=True)]
    return labels


@dataclass(frozen=True)
class CoderCurve:
    """One coder's codes seen so far per source position (the same sources, in the same order)."""

    name: str
    color: str
    cumulative: list[int]


def draw_saturation(figure: Figure, rows: list[SaturationRow], *, colors: ChartColors | None = None,
                    title: str = "Saturation: codes per source",
                    coders: list[CoderCurve] | None = None) -> SaturationChart:
    """Draw the chart on a cleared figure: x is the source position (1 …), bars the new codes of each source, the
    line with a marker per source the codes seen so far (of all coders), and a thinner dashed line per coder in
    `coders` in the coder's colour. A click is placed by `SaturationChart.row_near`."""
    from matplotlib.ticker import MaxNLocator

    colors = colors or ChartColors()
    managed = figure.get_layout_engine() is not None  # the chart pane's figure lays itself out
    figure.clear()
    figure.set_facecolor(colors.background)
    axes = figure.add_subplot(1, 1, 1)
    axes.set_facecolor(colors.background)
    positions = [row.position for row in rows]
    new = [len(row.new_codes) for row in rows]
    cumulative = [row.cumulative_codes for row in rows]
    many = len(rows) > BARS_UP_TO  # thousands of rectangles take seconds to build and draw
    bars: list[Any] = []
    lines = None
    if many:
        lines = axes.vlines(positions, 0, new, colors=colors.bars, linewidth=1.2, label="New codes in this source",
                            zorder=2)
    else:
        bars = list(axes.bar(positions, new, width=0.6, color=colors.bars, alpha=0.85,
                             label="New codes in this source", zorder=2).patches)
    (line,) = axes.plot(positions, cumulative, color=colors.line, linewidth=2.2, marker=None if many else "o",
                        markersize=6 if len(rows) <= 60 else 3, label="Codes seen so far", zorder=3)
    for curve in coders or []:
        axes.plot(positions, curve.cumulative, color=curve.color, linewidth=1.4, linestyle="--",
                  marker=None if many else ".",
                  markersize=4, label=f"Seen so far by {curve.name}", zorder=2.5)
    axes.set_xlabel("Source, in the chosen order", color=colors.text)
    axes.set_ylabel("Codes", color=colors.text)
    if title:
        axes.set_title(title, color=colors.text, loc="left", fontsize="large")
    axes.set_xlim(0.4, max(len(rows), 1) + 0.6)
    axes.set_ylim(0, max([*cumulative, 1]) * 1.1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(rows) <= NAMED_TICKS_UP_TO:
        tall = 0.15 * max([*cumulative, 1])  # a bar this high holds its number; a lower one has it on top
        for position, count in zip(positions, new, strict=True):
            if count:
                inside = count >= tall
                axes.annotate(str(count), (position, count / 2 if inside else count), xytext=(0, 0 if inside else 3),
                              textcoords="offset points", ha="center", va="center" if inside else "bottom",
                              fontsize="small", color="#202124" if inside else colors.text, zorder=4)
        axes.set_xticks(positions)
        axes.set_xticklabels(tick_labels(rows), rotation=45 if len(rows) > 6 else 0,
                             ha="right" if len(rows) > 6 else "center", fontsize="small")
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color=colors.grid, linewidth=0.8, zorder=0)
    axes.tick_params(colors=colors.text)
    for side, spine in axes.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(colors.grid)
    # where it hides least; with many sources (slow to weigh) the lower right, which a levelling curve leaves
    # free (its line runs high, late sources bring few codes)
    legend = axes.legend(loc="lower right" if many else "best", frameon=True, framealpha=0.9,
                         facecolor=colors.background, edgecolor=colors.grid, fontsize="small")
    for text in legend.get_texts():
        text.set_color(colors.text)
    if not managed:
        figure.tight_layout()
    return SaturationChart(axes, line, bars, list(rows), lines)
