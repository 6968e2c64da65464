"""Saturation in the app: the chart draws one point and one bar per source in the core's order, and a pick names
the source behind it."""

from __future__ import annotations

import pytest

from qcode.core.model import Filter
from qcode.gui.analysis.saturation_chart import ChartColors, describe, draw_saturation
from tests.gui.analysis_helpers import click_cell, listed_coding_ids, open_view, table_rows, wait_result
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
    assert [bar.get_height() for bar in chart.bars] == [2, 1, 0]
    assert [t.get_text() for t in chart.axes.get_xticklabels()] == [  # the date that placed each under its name
        "Focus group\n2024-01-15", "Interview A\n2024-03-02", "Notes"]
    assert chart.row_near(2.2) is rows[1]
    assert chart.row_near(1, 2.0) is rows[0]  # on the first point
    assert chart.row_near(1, 0.5) is rows[0]  # on its bar
    assert chart.row_near(2, 3.9) is None  # well above the second point
    assert chart.row_near(9) is None
    assert describe(rows[0]) == "1. Focus group: 2 new codes, 2 so far\nSupport/Peers, Barriers"
    figure.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 10_000


def test_many_sources_keep_a_readable_axis(small):
    from qcode.core.model import SaturationRow

    rows = [SaturationRow(i, i, f"Interview number {i:03d} of the long study", (), 5) for i in range(1, 121)]
    chart = draw_saturation(_figure(), rows)
    assert len(chart.bars) == 120 == len(chart.line.get_xdata())
    assert len(chart.axes.get_xticks()) < 20  # positions, not 120 names
    thousands = [SaturationRow(i, i, f"S{i}", ("c",) if i % 7 == 0 else (), i // 7) for i in range(1, 2001)]
    lines = draw_saturation(_figure(), thousands)
    assert lines.bars == []  # one collection of thin lines instead of 2,000 rectangles
    assert len(lines.lines.get_segments()) == 2000
    assert lines.line.get_marker() in (None, "None", "")
    few = draw_saturation(_figure(), rows[:12])
    labels = [t.get_text() for t in few.axes.get_xticklabels()]
    assert labels[0] == "1 · Interview n…long study"  # shortened alike: numbered by position
    assert len(set(labels)) == 12


# --- the view in the window -----------------------------------------------------------------------------


def test_saturation_view_orders_by_an_attribute_and_a_coder(qtbot, small):
    _window, view = open_view(qtbot, small, "saturation")
    wait_result(qtbot, view)
    expected = small.project.saturation()
    assert table_rows(view) == [(r.position, r.source_name, len(r.new_codes), r.cumulative_codes,
                                 "; ".join(r.new_codes)) for r in expected]
    date = small.project.find_attribute("Interview date").id
    wait_result(qtbot, view, lambda: view.order.setCurrentIndex(view.order.findData(f"attribute:{date}")))
    by_date = small.project.saturation(order="attribute", attribute_id=date)
    assert [r[1] for r in table_rows(view)] == [r.source_name for r in by_date] == ["Focus group", "Interview A",
                                                                                     "Notes"]
    assert view.model.table.columns[:4] == ("Position", "Source", "Interview date", "New codes")
    assert [r[2] for r in table_rows(view)] == ["2024-01-15", "2024-03-02", ""]
    assert "Sources without a value of Interview date come last" in view.status.text()
    ana = next(c for c in small.project.coders() if c.name == "Ana")
    wait_result(qtbot, view, lambda: view.coder.setCurrentIndex(view.coder.findData(ana.id)))
    by_ana = small.project.saturation(Filter(coders=(ana.id,)), order="attribute", attribute_id=date)
    assert [(r[3], r[4]) for r in table_rows(view)] == [(len(r.new_codes), r.cumulative_codes) for r in by_ana]
    assert by_ana != by_date
    assert view.chart.hits.count == 3
    # a filter that leaves the chosen coder out is refused with a message, not ignored
    tester = small.project.current_coder.id
    with qtbot.waitSignal(view.failed, timeout=20000) as failed:
        view.filters.choose(coders=[tester])
    assert "leave out Ana" in failed.args[0]


def test_a_click_on_a_row_or_a_point_lists_the_excerpts_of_the_new_codes(qtbot, small):
    window, view = open_view(qtbot, small, "saturation")
    wait_result(qtbot, view)
    date = small.project.find_attribute("Interview date").id
    wait_result(qtbot, view, lambda: view.order.setCurrentIndex(view.order.findData(f"attribute:{date}")))
    second = small.project.saturation_excerpts(small.s1, order="attribute", attribute_id=date)
    assert [small.project.code_path(e.coding.code_id) for e in second] == ["Support/Family"]
    listed = listed_coding_ids(qtbot, window, lambda: click_cell(qtbot, view, 1, 0))
    assert listed == [e.coding.id for e in second]
    assert "the codes new in Interview A" in window.segments.title.text()
    first = small.project.saturation_excerpts(small.s2, order="attribute", attribute_id=date)
    chart = view.chart
    axes = chart.hits.grid[0]
    x, y = axes.transData.transform((1, 2))  # the first source's point (2 codes so far), in figure pixels
    listed = listed_coding_ids(qtbot, window, lambda: chart.image.pressed.emit(x, y))  # what a click reports
    assert sorted(listed) == sorted(e.coding.id for e in first)
    canvas = chart.figure.canvas
    assert chart.hits.locate(_event(canvas, axes, 3, 0.5)) is None  # Notes brought nothing new: nothing to list
    assert chart.hits.locate(_event(canvas, axes, 2, 2.5)) == 1  # Interview A's point
    assert chart.hits.tip(_event(canvas, axes, 2, 2.5)) == "2. Interview A: 1 new code, 3 so far\nSupport/Family"
    assert chart.hits.tip(_event(canvas, axes, 3, 1)) == "3. Notes: 0 new codes, 3 so far"
    assert view.chart_excerpts(2) is None


def _event(canvas, axes, x, y):
    from matplotlib.backend_bases import MouseEvent

    px, py = axes.transData.transform((x, y))
    return MouseEvent("button_press_event", canvas, px, py, 1)


def test_axis_labels_leave_out_a_folder_every_source_shares():
    from qcode.core.model import SaturationRow
    from qcode.gui.analysis.saturation_chart import tick_labels

    rows = [SaturationRow(1, 1, "Interviews/Interview 01 - Marcus", (), 0),
            SaturationRow(2, 2, "Interviews/Interview 02 - Dev", (), 0)]
    assert tick_labels(rows) == ["Interview 01 - Marcus", "Interview 02 - Dev"]
    mixed = [*rows, SaturationRow(3, 3, "Focus groups/Walk and talk", (), 0)]
    assert tick_labels(mixed) == ["Interviews/…1 - Marcus", "Interviews/…w 02 - Dev", "Focus group…k and talk"]


def test_each_coder_gets_a_column_and_a_curve_beside_all_coders(qtbot, small):
    _window, view = open_view(qtbot, small, "saturation")
    wait_result(qtbot, view)
    wait_result(qtbot, view, lambda: view.coder.setCurrentIndex(view.coder.findData("each")))
    coders = {c.name: c.id for c in small.project.coders()}
    assert view.model.table.columns == ("Position", "Source", "New codes", "Codes so far", "Codes so far (Tester)",
                                        "Codes so far (Ana)", "Codes new here")
    every = small.project.saturation()
    for name, column in (("Tester", 4), ("Ana", 5)):
        own = small.project.saturation(Filter(coders=(coders[name],)))
        assert [r[column] for r in table_rows(view)] == [r.cumulative_codes for r in own]
    assert [r[3] for r in table_rows(view)] == [r.cumulative_codes for r in every]
    axes = view.chart.figure.axes[0]
    assert len(axes.lines) == 3  # all coders, Tester, Ana
    assert [t.get_text() for t in axes.get_legend().get_texts()] == [
        "Codes seen so far", "Seen so far by Tester", "Seen so far by Ana", "New codes in this source"]
