#!/usr/bin/env python3
"""Render screenshots of the main window with the demo project open (for the README and for review).

    python tests/gui/render_screenshots.py OUTDIR [--width 1400 --height 900]

Builds the demo project in a temporary folder, opens it under a fixed coder with settings of its own (so no
dialog asks anything and the user's settings are untouched), and writes, on Qt's offscreen platform:
- main_window.png: a coded interview transcript with its highlights, and the codebook beside it;
- codebook.png: the codebook with a code selected and its definition shown;
- segments.png: the coded segments of a code;
- analysis_matrix.png, analysis_cooccurrence.png, analysis_frequencies_chart.png: the Analysis area's views
  with their charts (tests/gui/analysis_screenshots.py);
- analysis_saturation.png: the Saturation view (its dock alone) on the interviews by interview date, for all
  coders and each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "Interview 01 - Marcus"  # a transcript with overlapping codings from several categories
CODE = "Humour and banter as deflection"  # a code with a definition, a memo and excerpts in many sources


def render(outdir: Path, width: int = 1400, height: int = 900) -> list[Path]:
    """Write the screenshots into `outdir` and return their paths."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication, QDockWidget

    from qcode.core.demo import build_demo
    from qcode.core.project import Project
    from qcode.gui.main_window import MainWindow
    from qcode.gui.models.project_trees import find_index
    from qcode.gui.views.segments_panel import CODING_ROLE

    app = QApplication.instance() or QApplication(["qcode"])
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="qcode-screenshots-") as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("coder/name", "Jordan")  # the coder is known: nothing asks for a name
        project = Project.open(build_demo(Path(scratch) / "demo.qcode"))
        project.use_coder("Jordan")
        window = MainWindow(project, settings)
        try:
            window.resize(width, height)
            window.show()
            settle(app)
            source = next(s for s in project.sources() if s.name == SOURCE)
            code = project.find_code(f"Gender socialization/{CODE}")
            window.show_source(source.id)
            window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
            scroll_to_busiest_passage(window, project, source.id)
            settle(app)
            written.append(save(window, outdir / "main_window.png"))

            show_code_details(window, app, width)
            written.append(save(window, outdir / "codebook.png"))
            window.dock_layout.fit()

            segments = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Coded segments")
            segments.raise_()
            window.resizeDocks([segments], [height // 2], Qt.Orientation.Vertical)
            window.segments.setFocus()
            settle_until(app, lambda: not window.segments.locating())
            first = window.segments.model_.index(0, 0)
            window.segments.view.setCurrentIndex(first)
            window.open_excerpt(*first.data(CODING_ROLE))  # what a double-click does
            window.segments.setFocus()
            settle(app)
            written.append(save(window, outdir / "segments.png"))
            from tests.gui.analysis_screenshots import render_analysis

            written.extend(render_analysis(window, app, outdir, width, height))
            written.append(render_saturation(window, app, project, outdir / "analysis_saturation.png", width, height))
        finally:
            window.close()
            settle(app)
            project.close()
    return written


def render_saturation(window, app, project, path: Path, width: int, height: int) -> Path:
    """The Saturation view on its own at the size asked for (what goes on a slide): the interviews in order of
    their interview date, all coders and each, the table beside the curves, the row of the second interview selected (a click on it
    lists the excerpts of the codes it brought in Coded segments). The view's dock floats for the picture and
    goes back to its place after."""
    area = window.analysis.open("saturation")
    view = area.views["saturation"]
    dock = area.parentWidget()
    interviews = next(f for f in project.folders() if f.name == "Interviews")
    date = project.find_attribute("Interview date").id
    view.filters.choose(folders=[interviews.id])
    view.order.setCurrentIndex(view.order.findData(f"attribute:{date}"))
    view.coder.setCurrentIndex(view.coder.findData("each"))
    settle_until(app, lambda: view.result is not None and not view.computing() and view.chart.has_chart())
    dock.setFloating(True)
    dock.resize(width, height)
    settle(app)
    view.splitter.setSizes([int(view.width() * 0.45), int(view.width() * 0.55)])
    view.table.resizeColumnsToContents()
    view.table.selectRow(1)
    view.redraw_chart()  # drawn again at the size it now has
    settle_until(app, lambda: view.chart.has_chart())
    try:
        return save(dock, path)
    finally:
        dock.setFloating(False)
        settle(app)


def settle(app) -> None:
    """Let layouts, deferred updates and paints run."""
    for _ in range(5):
        app.processEvents()


def settle_until(app, done, seconds: float = 10.0) -> None:
    """Let events run until `done()` holds (background reads reporting back), for at most `seconds`."""
    import time

    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    settle(app)


def scroll_to_busiest_passage(window, project, source_id: int) -> None:
    """Scroll the document so the paragraph with the most distinct codes is near the top."""
    text = window.document.source_text()
    codings = project.codings_for_source(source_id)
    best, best_start = -1, 0
    start = 0
    for paragraph in text.split("\n\n"):
        end = start + len(paragraph)
        codes = {c.code_id for c in codings if c.start < end and c.end > start}
        if len(codes) > best:
            best, best_start = len(codes), start
        start = end + 2
    block = window.document.document().findBlock(window.document.offsets.to_qt(best_start))
    previous = block.previous().previous()  # a paragraph of context above it
    window.document.verticalScrollBar().setValue((previous if previous.isValid() else block).blockNumber())


def show_code_details(window, app, width: int) -> None:
    """Give the codebook room and bring the selected code's definition form forward, when the window has one
    (a widget whose accessible name mentions the definition, or a dock titled for it)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDockWidget, QWidget

    codebook = next(d for d in window.findChildren(QDockWidget) if d.windowTitle() == "Codebook")
    window.resizeDocks([codebook], [int(width * 0.36)], Qt.Orientation.Horizontal)
    docks = [d for d in window.findChildren(QDockWidget)
             if any(word in d.windowTitle().lower() for word in ("definition", "code details", "code form"))]
    for form in window.findChildren(QWidget):
        if "definition" in form.accessibleName().lower():
            parent = form.parentWidget()
            while parent is not None and not isinstance(parent, QDockWidget):
                parent = parent.parentWidget()
            if parent is not None and parent is not codebook:
                docks.append(parent)
    for dock in docks:
        dock.show()
        dock.raise_()
    settle(app)


def save(window, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    if QApplication.activeModalWidget() is not None:
        raise RuntimeError(f"a dialog is waiting: {QApplication.activeModalWidget().windowTitle()}")
    if not window.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def ensure_project_python() -> None:
    """Re-run with the project's own environment when started with another Python."""
    venv_python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if venv_python.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        sys.exit(subprocess.call([str(venv_python), __file__, *sys.argv[1:]]))


def main() -> int:
    ensure_project_python()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    for path in render(args.outdir, args.width, args.height):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
