"""The Analysis area's screenshots (called by render_screenshots.py with the demo project's window open).

Each view is shown in the Analysis dock, floated at the picture's size, with its table and chart:
- analysis_matrix.png: codes by "Peer-support setting", with the heatmap;
- analysis_cooccurrence.png: overlapping codes, with the codes x codes heatmap;
- analysis_frequencies_chart.png: the frequency table with its bar chart in the codes' colours.
"""

from __future__ import annotations

import time
from pathlib import Path


def render_analysis(window, app, outdir: Path, width: int, height: int) -> list[Path]:
    """Write the analysis screenshots and return their paths (the dock is put back afterwards)."""
    from qcode.core.analysis.frequencies import Grouping

    project = window.project
    written = []
    area = window.analysis.open("matrix")
    dock = window.analysis.dock
    dock.setFloating(True)
    dock.resize(width, height)
    try:
        matrix = area.views["matrix"]
        matrix.set_columns(Grouping("attribute", project.find_attribute("Peer-support setting").id))
        written.append(_shoot(app, dock, matrix, outdir / "analysis_matrix.png", width, height))

        cooccurrence = window.analysis.open("cooccurrence").views["cooccurrence"]
        written.append(_shoot(app, dock, cooccurrence, outdir / "analysis_cooccurrence.png", width, height))

        frequencies = window.analysis.open("frequencies").views["frequencies"]
        written.append(_shoot(app, dock, frequencies, outdir / "analysis_frequencies_chart.png", width, height))
    finally:
        dock.setFloating(False)
    return written


def _shoot(app, dock, view, path: Path, width: int, height: int) -> Path:
    """Wait for the view's result and chart, then grab the floating dock at exactly width x height."""
    deadline = time.monotonic() + 20
    while (view.result is None or view.computing() or not view.chart.has_chart()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    dock.resize(width, height)
    for _ in range(10):
        app.processEvents()
    time.sleep(0.2)  # the chart is drawn again at its pane's size once resizing pauses
    deadline = time.monotonic() + 20
    while (view.chart.rendering() or not view.chart.has_chart()) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
    picture = dock.grab()
    if (picture.width(), picture.height()) != (width, height):
        picture = picture.scaled(width, height)
    if not picture.save(str(path)):
        raise OSError(f"could not write {path}")
    return path
