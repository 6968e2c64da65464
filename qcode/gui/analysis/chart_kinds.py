"""The charts of the analysis views, drawn with matplotlib on a figure the chart pane gives: horizontal bars,
grouped or stacked bars, and a heatmap with a colour legend. Each returns the `ChartHits` that turn a click
into the key of a bar or cell.

Labels stay readable with many codes: long names are shortened in the middle (the full name is in the table
and in the tooltip of the cell clicked), the figure's text shrinks as rows grow, and column labels turn.
Only imported once a chart is drawn (it imports matplotlib).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.colors import to_rgba

from qcode.gui.analysis.charts import ChartHits, ChartStyle

MAX_LABEL = 40  # characters of a code's label on an axis
FALLBACK_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                   "#9c755f", "#bab0ac")


def short(label: str, limit: int = MAX_LABEL) -> str:
    """A label cut in the middle when long, so that a code path keeps its start and its last part."""
    label = str(label)
    if len(label) <= limit:
        return label
    keep = limit - 1
    return label[: keep // 2] + "…" + label[len(label) - (keep - keep // 2):]


def _font_size(count: int) -> float:
    return 10.0 if count <= 15 else 9.0 if count <= 25 else 8.0 if count <= 40 else 6.5


def style_axes(ax: Any, style: ChartStyle) -> None:
    ax.set_facecolor(style.background)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    for spine in ("left", "bottom"):
        ax.spines[spine].set_color(style.grid)
    ax.tick_params(colors=style.text, which="both")
    ax.xaxis.label.set_color(style.text)
    ax.yaxis.label.set_color(style.text)
    ax.title.set_color(style.text)


def _color(value: str | None, index: int) -> Any:
    if value:
        try:
            return to_rgba(value)
        except ValueError:
            pass
    return to_rgba(FALLBACK_COLORS[index % len(FALLBACK_COLORS)])


def bar_chart(figure: Any, style: ChartStyle, labels: Sequence[str], values: Sequence[float], *,
              colors: Sequence[str | None] = (), keys: Sequence[object] = (), title: str = "",
              axis_label: str = "") -> ChartHits:
    """One horizontal bar per label (first label at the top), in the given colours (a code's own)."""
    ax = figure.add_subplot()
    style_axes(ax, style)
    positions = list(range(len(labels)))
    bars = ax.barh(positions, values, color=[_color(colors[i] if i < len(colors) else None, i)
                                             for i in range(len(labels))],
                   edgecolor=style.grid, linewidth=0.4)
    size = _font_size(len(labels))
    ax.set_yticks(positions, [short(label) for label in labels], fontsize=size)
    ax.invert_yaxis()
    ax.set_xlabel(axis_label)
    ax.set_title(title, loc="left", fontsize=12, color=style.text)
    ax.grid(axis="x", color=style.grid, linewidth=0.5, alpha=0.6)
    ax.set_axisbelow(True)
    if len(labels) <= 40:
        ax.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=size - 1, color=style.text)
    hits = ChartHits(count=len(labels))
    hits.bars = [(bar, keys[i] if i < len(keys) else i) for i, bar in enumerate(bars)]
    hits.tip = _bar_tip(list(bars), [f"{labels[i]}: {_number(values[i])}" for i in range(len(labels))])
    return hits


def grouped_bars(figure: Any, style: ChartStyle, labels: Sequence[str], series: Sequence[str],
                 values: Sequence[Sequence[float]], *, stacked: bool = False, keys: Sequence[Sequence[object]] = (),
                 title: str = "", axis_label: str = "", bold: Sequence[bool] = ()) -> ChartHits:
    """Horizontal bars per label (row), one bar (or one segment, `stacked`) per series (column)."""
    ax = figure.add_subplot()
    style_axes(ax, style)
    count = max(1, len(series))
    height = 0.8 if stacked else 0.8 / count
    left = [0.0] * len(labels)
    hits = ChartHits()
    tips: list[str] = []
    for s, name in enumerate(series):
        column = [float(row[s]) for row in values]
        if stacked:
            positions = list(range(len(labels)))
            bars = ax.barh(positions, column, height=height, left=left, label=short(name, 28),
                           color=_color(None, s), edgecolor=style.background, linewidth=0.5)
            left = [a + b for a, b in zip(left, column, strict=True)]
        else:
            positions = [i - 0.4 + height * (s + 0.5) for i in range(len(labels))]
            bars = ax.barh(positions, column, height=height, label=short(name, 28), color=_color(None, s))
        for r, bar in enumerate(bars):
            hits.bars.append((bar, keys[r][s] if keys else (r, s)))
            tips.append(f"{labels[r]} · {name}: {_number(column[r])}")
        hits.count += len(bars)
    size = _font_size(len(labels))
    ax.set_yticks(list(range(len(labels))), [short(label) for label in labels], fontsize=size)
    ax.invert_yaxis()
    ax.set_xlabel(axis_label)
    ax.set_title(title, loc="left", fontsize=12, color=style.text)
    ax.grid(axis="x", color=style.grid, linewidth=0.5, alpha=0.6)
    ax.set_axisbelow(True)
    legend = figure.legend(loc="outside right upper", fontsize=max(7.0, size - 1), frameon=False,
                           ncols=1 if count <= 14 else 2)
    for text in legend.get_texts():
        text.set_color(style.text)
    _bold(ax.get_yticklabels(), bold)
    hits.tip = _bar_tip([bar for bar, _ in hits.bars], tips)
    return hits


def heatmap(figure: Any, style: ChartStyle, rows: Sequence[str], columns: Sequence[str],
            values: Sequence[Sequence[float]], *, keys: Any = None, title: str = "", legend: str = "",
            annotate: bool | None = None, percent: bool = False, bold: Sequence[bool] = ()) -> ChartHits:
    """Rows x columns as coloured cells with a colour bar; numbers written in the cells while they fit.

    `keys(row, column)` gives a cell's key for clicks (default: the (row, column) pair); a cell whose value
    is NaN is left blank (the diagonal of a codes x codes table); `bold` marks row labels (categories).
    """
    import numpy as np

    ax = figure.add_subplot()
    style_axes(ax, style)
    data = np.array([[float(v) for v in row] for row in values], dtype=float).reshape(len(rows), len(columns))
    image = ax.imshow(data, cmap=style.colormap, aspect="auto", interpolation="nearest",
                      vmin=0, vmax=max(1e-9, float(np.nanmax(data)) if np.isfinite(data).any() else 1.0))
    size = _font_size(max(len(rows), len(columns) // 2))
    if len(rows) <= 80:
        ax.set_yticks(range(len(rows)), [short(r) for r in rows], fontsize=size)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{len(rows)} codes")
    if len(columns) <= 60:
        turned = any(len(str(c)) > 6 for c in columns) and len(columns) > 3
        steep = turned and len(columns) > 10
        ax.set_xticks(range(len(columns)), [short(c, 28) for c in columns], fontsize=size,
                      rotation=90 if steep else 40 if turned else 0,
                      ha="right" if turned else "center", va="center" if steep else "top",
                      rotation_mode="anchor")
    else:
        ax.set_xticks([])
        ax.set_xlabel(f"{len(columns)} columns")
    ax.xaxis.set_ticks_position("bottom")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, loc="left", fontsize=12, color=style.text)
    bar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    bar.set_label(legend, color=style.text)
    bar.ax.tick_params(colors=style.text)
    bar.outline.set_edgecolor(style.grid)
    if annotate is None:  # numbers in the cells while a cell is big enough to hold one
        width, height = figure.get_size_inches() * figure.dpi
        annotate = (len(rows) * len(columns) <= 400 and width * 0.7 / max(1, len(columns)) >= 26
                    and height * 0.75 / max(1, len(rows)) >= 13)
    _bold(ax.get_yticklabels(), bold)
    if annotate and np.isfinite(data).any():
        top = float(np.nanmax(data)) or 1.0
        for r in range(len(rows)):
            for c in range(len(columns)):
                value = data[r, c]
                if not np.isfinite(value):
                    continue
                light_cell = (value / top < 0.55) != style.dark
                ax.text(c, r, _number(value, percent), ha="center", va="center", fontsize=size - 0.5,
                        color="#1a1a1a" if light_cell else "#ffffff")
    hits = ChartHits(count=len(rows) * len(columns))

    def key(row: int, column: int) -> object | None:
        if not (0 <= row < len(rows) and 0 <= column < len(columns)):
            return None
        return keys(row, column) if keys is not None else (row, column)

    hits.grid = (ax, key)

    def tip(event: Any) -> str | None:
        if event.inaxes is not ax or event.xdata is None:
            return None
        row, column = round(event.ydata), round(event.xdata)
        if not (0 <= row < len(rows) and 0 <= column < len(columns)) or not np.isfinite(data[row, column]):
            return None
        return f"{rows[row]} × {columns[column]}: {_number(data[row, column], percent)}"

    hits.tip = tip
    return hits


def _bar_tip(bars: list[Any], texts: list[str]) -> Any:
    """A tooltip function: the text of the bar under the mouse."""

    def tip(event: Any) -> str | None:
        for bar, text in zip(bars, texts, strict=False):
            if bar.contains(event)[0]:
                return text
        return None

    return tip


def _bold(labels: Sequence[Any], bold: Sequence[bool]) -> None:
    for label, on in zip(labels, bold, strict=False):
        if on:
            label.set_fontweight("bold")


def _number(value: float, percent: bool = False) -> str:
    if percent:
        return f"{value:.1f}%"
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
