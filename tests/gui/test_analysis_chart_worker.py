"""Large charts are made on a worker: the frequencies, matrix and co-occurrence views fill their figure off
the GUI thread (the same figure as when made on it), a message said there shows in the pane, and only the
newest drawing is shown."""

from __future__ import annotations

import threading

import pytest

from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.analysis import base
from tests.gui.test_analysis_views import _open, _settle, coded  # noqa: F401  (the fixture)


@pytest.fixture
def on_worker(monkeypatch):
    """Every chart of a `chart_on_worker` view counts as large; records the threads that fill figures."""
    monkeypatch.setattr(base, "CHART_ON_WORKER_FROM", 0)
    threads: list[int] = []
    real = base.AnalysisView.redraw_chart

    def redraw(self):
        draw = type(self).draw_chart

        def recording(figure, style, kind):
            threads.append(threading.get_ident())
            return draw(self, figure, style, kind)

        self.draw_chart = recording
        real(self)

    monkeypatch.setattr(base.AnalysisView, "redraw_chart", redraw)
    return threads


@pytest.mark.parametrize(("key", "kind", "patches"), [("frequencies", None, 3), ("matrix", "Grouped bars", 8),
                                                     ("cooccurrence", None, 0)])
def test_large_charts_are_made_on_a_worker(qtbot, coded: Project, on_worker, key, kind, patches) -> None:  # noqa: F811
    _window, view = _open(qtbot, coded, key)
    qtbot.waitUntil(view.chart.has_chart, timeout=10_000)
    if kind is not None:
        view.chart_box.setCurrentText(kind)
        assert not view.chart.has_chart()  # drawing on the worker
        qtbot.waitUntil(view.chart.has_chart, timeout=10_000)
    assert view.chart_on_worker
    assert on_worker
    assert all(ident != threading.get_ident() for ident in on_worker)
    axes = view.chart.figure.axes[0]
    if key == "cooccurrence":
        assert axes.images[0].get_array().shape[0] == len(view.heatmap_data(False)[0])
        assert axes.get_yticklabels()[0].get_text() in view.code_names.values()
    else:
        assert len(axes.patches) == patches
    assert view.chart.hits.count > 0
    assert view.chart.canvas is view.chart.figure.canvas


def test_a_message_said_on_the_worker_shows_in_the_pane(qtbot, coded: Project, on_worker) -> None:  # noqa: F811
    _window, view = _open(qtbot, coded, "cooccurrence")
    qtbot.waitUntil(view.chart.has_chart, timeout=10_000)
    view.filters.choose(codes=[coded.find_code("Online help").id])  # one code: no pair co-occurs
    _settle(qtbot, view)
    assert view.result_filter == Filter(codes=(coded.find_code("Online help").id,))
    qtbot.waitUntil(lambda: view.chart.message.text() == "No two codes co-occur within these filters."
                    and not view.chart.rendering(), timeout=10_000)
    assert not view.chart.has_chart()
    assert not view.chart.hits.count
