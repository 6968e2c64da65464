"""The screenshot script renders its pictures of the demo project at the size asked for."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

SCRIPT = Path(__file__).with_name("render_screenshots.py")


def test_screenshots_are_rendered(qtbot, tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("render_screenshots", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.render(tmp_path, 1400, 900)
    assert sorted(p.name for p in written) == ["analysis_cooccurrence.png", "analysis_frequencies_chart.png",
                                               "analysis_matrix.png", "analysis_saturation.png", "codebook.png",
                                               "main_window.png", "segments.png"]
    for path in written:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1400, 900), path.name
        # a real picture of the window, not a blank one: many distinct colours (text, highlights, swatches)
        colours = {image.pixel(x, y) for x in range(0, 1400, 7) for y in range(0, 900, 7)}
        assert len(colours) > 50, path.name
