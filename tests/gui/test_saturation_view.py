"""Saturation in the app: the chart draws one point and one bar per source in the core's order, and a pick names
the source behind it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qcode.gui.analysis.saturation_chart import ChartColors, describe, draw_saturation
from tests.unit.analysis_fixture import build_small


@pytest.fixture
def small(tmp_path):
    built = build_small(tmp_path / "small.qcode")
    yield built
    built.project.close()


def _figure():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(14, 9), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def test_chart_has_a_point_and_a_bar_per_source_and_picks_name_their_source(small, tmp_path):
    attribute = small.project.find_attribute("Interview date").id
    rows = small.project.saturation(order="attribute", attribute_id=attribute)
    assert [r.source_name for r in rows] == ["Focus group", "Interview A", "Notes"]
    figure = _figure()
    chart = draw_saturation(figure, rows, colors=ChartColors.dark())
    assert list(chart.line.get_xdata()) == [1, 2, 3]
    assert list(chart.line.get_ydata()) == [2, 3, 3]
    assert [bar.get_height() for bar in chart.bars.patches] == [2, 1, 0]
    assert [t.get_text() for t in chart.axes.get_xticklabels()] == ["Focus group", "Interview A", "Notes"]
    assert chart.row_at(SimpleNamespace(artist=chart.line, ind=[1])) is rows[1]
    assert chart.row_at(SimpleNamespace(artist=chart.bars.patches[0])) is rows[0]
    assert chart.row_at(SimpleNamespace(artist=chart.axes)) is None
    assert chart.row_near(2.2) is rows[1]
    assert chart.row_near(9) is None
    assert describe(rows[0]) == "1. Focus group: 2 new codes, 2 so far\nSupport/Peers, Barriers"
    figure.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 10_000


def test_many_sources_keep_a_readable_axis(small):
    from qcode.core.model import SaturationRow

    rows = [SaturationRow(i, i, f"Interview number {i:03d} of the long study", (), 5) for i in range(1, 121)]
    chart = draw_saturation(_figure(), rows)
    assert len(chart.bars.patches) == 120 == len(chart.line.get_xdata())
    assert len(chart.axes.get_xticks()) < 20  # positions, not 120 names
    few = draw_saturation(_figure(), rows[:12])
    labels = [t.get_text() for t in few.axes.get_xticklabels()]
    assert labels[0] == "1 · Interview n…long study"  # shortened alike: numbered by position
    assert len(set(labels)) == 12
