"""GUI benchmark rows, run by run.py in a process of their own on Qt's offscreen platform.

    python tests/benchmarks/gui_rows.py PROJECT SCRATCH_FOLDER ONE_CODE_ID

Works on a copy of the reference project (the cached one is never changed) and prints the rows as JSON:
- gui_open_window: open the project, build and show the main window, until the first source is shown
  with its highlights and the sources and codebook panels are filled;
- gui_open_large_source: show a 1 MB source with 5,000 codings in the document view, highlights included,
  and paint its viewport;
- gui_select_code: choose a code in the codebook until its 1,000 coded segments are listed (their
  locations are filled in afterwards, between events);
- gui_apply_coding / gui_remove_coding: one coding applied (removed) through the undo stack until every
  panel shows it, with a code's 1,000 coded segments listed in the segments panel;
- gui_matrix_view / gui_cooccurrence_view: open the analysis view (codes by case; overlapping leaf codes)
  until its first result is in its table (the chart follows between events).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LARGE_SOURCE_CHARS = 1_000_000
LARGE_SOURCE_CODINGS = 5_000


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


def _copy_project(path: Path, scratch: Path) -> Path:
    """A fresh copy of the reference project, so the cached one stays as built."""
    target = scratch / "gui-bench.qcode"
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm"), Path(f"{target}.lock")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(path, target)
    return target


def _add_large_source(path: Path) -> int:
    """A 1 MB transcript with 5,000 codings spread over the codebook, in a folder of its own."""
    from run import make_text  # the benchmark's own text generator (this folder is on the path)

    from qcode.core.model import NewCoding
    from qcode.core.project import Project

    rng = random.Random(11)
    with Project.open(path) as project:
        coders = [c.id for c in project.coders()]
        codes = [c.id for c in project.codes()]
        folder = project.create_folder("Long transcripts")
        source = project.add_source("Long transcript", make_text(rng, LARGE_SOURCE_CHARS), folder_id=folder.id)
        batch, used = [], set()
        while len(batch) < LARGE_SOURCE_CODINGS:
            start = rng.randrange(0, source.length - 50)
            end = min(source.length, start + rng.randint(20, 1200))
            key = (rng.choice(codes), rng.choice(coders), start, end)
            if key not in used:
                used.add(key)
                batch.append(NewCoding(source.id, key[0], start, end, key[1]))
        # batches below the core's bulk threshold: a bulk add rebuilds every aggregate (minutes on this project)
        for first in range(0, len(batch), 1000):
            project.add_codings(batch[first:first + 1000])
        return source.id


def _wait_until(app, ready: Callable[[], bool], limit: float = 30.0) -> None:
    """Process events until `ready()` holds (the window is usable), failing loudly after `limit` seconds."""
    deadline = time.perf_counter() + limit
    app.processEvents()
    while not ready():
        if time.perf_counter() > deadline:
            raise RuntimeError("the main window did not become ready")
        app.processEvents()


def _first_result(app, window, key: str) -> float:
    """Open an analysis view (Analyse menu) until its first result is in its table: the median of fresh views
    after the first opening (which also builds the Analysis area and starts loading matplotlib). The wait lets
    the event loop sleep between events, as the app's does (a busy loop would take the worker's turns at
    Python), and each view's chart is drawn before the next view is timed."""
    from qcode.gui.analysis.registry import VIEWS

    def wait(ready: Callable[[], bool], limit: float = 120.0) -> None:
        deadline = time.perf_counter() + limit
        while not ready():
            if time.perf_counter() > deadline:
                raise RuntimeError(f"the {key} view did not show its result")
            app.processEvents()
            time.sleep(0.002)

    entry = next(e for e in VIEWS if e.key == key)
    samples = []
    for attempt in range(4):
        t0 = time.perf_counter()
        if attempt == 0:
            area = window.analysis.open(key)
            view = area.views[key]
        else:
            view = entry.view_class()(window.project)
            area.addTab(view, view.title)
            area.setCurrentWidget(view)
            view.start()
        wait(lambda v=view: v.result is not None and not v.computing())
        if attempt:
            samples.append(time.perf_counter() - t0)
        wait(lambda v=view: v.chart.has_chart() or not v.chart_kinds)
        if attempt:
            area.removeTab(area.indexOf(view))
            view.signals.detach()
            view.deleteLater()
        app.processEvents()
    return _median(samples)


def main() -> int:
    path, scratch, one_code = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from qcode.core.project import Project
    from qcode.gui.main_window import MainWindow
    from qcode.gui.models.project_trees import find_index

    app = QApplication.instance() or QApplication(["qcode-benchmark"])
    settings_dir = Path(tempfile.mkdtemp(prefix="qcode-bench-settings-"))
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("coder/name", "Coder A")
    copy = _copy_project(path, scratch)
    rows: list[dict] = []

    def open_window() -> tuple[Project, MainWindow]:
        project = Project.open(copy, mode="auto")
        project.name_coder("Coder A")
        checked = project.begin_verify()  # as the app does: the check runs while the window is built
        window = MainWindow(project, settings)
        checked()
        project.use_coder("Coder A")
        window.resize(1400, 900)
        window.show()
        _wait_until(app, lambda: bool(window.document.toPlainText())
                    and window.sources_model.rowCount() > 0 and window.codebook_model.rowCount() > 0
                    and (not project.codings_for_source(window.document.source_id)
                         or bool(window.document.extraSelections())))
        return project, window

    def close(project: Project, window: MainWindow) -> None:
        window.close()
        window.deleteLater()
        app.processEvents()
        project.close()

    samples = []
    for attempt in range(4):  # the first one warms the file cache and Qt; the median of the others counts
        t0 = time.perf_counter()
        project, window = open_window()
        if attempt:
            samples.append(time.perf_counter() - t0)
        close(project, window)
    rows.append({"name": "gui_open_window", "seconds": _median(samples), "budget_seconds": 1.5})


    large = _add_large_source(copy)
    project, window = open_window()
    small = window.document.source_id
    assert small is not None
    assert small != large

    def show(source_id: int) -> None:
        window.show_source(source_id)  # what a click on the source does
        app.processEvents()
        window.document.viewport().grab()  # paint the visible part, highlights included

    samples = []
    for attempt in range(4):
        show(small)
        t0 = time.perf_counter()
        show(large)
        if attempt:
            samples.append(time.perf_counter() - t0)
        assert window.document.source_id == large
        assert window.document.extraSelections()
    rows.append({"name": "gui_open_large_source", "seconds": _median(samples), "budget_seconds": 0.5,
                 "value": len(project.codings_for_source(large)), "unit": "codings in a 1 MB source"})

    # apply and remove on a reference transcript, with a code of 1,000 excerpts listed in the segments panel
    show(small)
    code_index = find_index(window.codebook_model, "code", one_code)
    other_index = find_index(window.codebook_model, "code", next(
        c.id for c in project.codes() if c.id != one_code and not project.children(c.id)))
    samples = []
    for attempt in range(4):  # choosing the code lists its 1,000 excerpts; their locations follow between events
        window.codebook_view.setCurrentIndex(other_index)
        _wait_until(app, lambda: not window.segments.locating())
        t0 = time.perf_counter()
        window.codebook_view.setCurrentIndex(code_index)
        app.processEvents()
        if attempt:
            samples.append(time.perf_counter() - t0)
        _wait_until(app, lambda: not window.segments.locating())
    rows.append({"name": "gui_select_code", "seconds": _median(samples), "budget_seconds": 0.1,
                 "value": window.segments.model_.rowCount(), "unit": "coded segments listed"})
    listed = window.segments.model_.rowCount()
    count_item = window.codebook_model.itemFromIndex(code_index.siblingAtColumn(1))
    offsets = window.document.offsets

    def highlighted(start: int, end: int) -> bool:
        wanted = (offsets.to_qt(start), offsets.to_qt(end))
        return any((sel.cursor.selectionStart(), sel.cursor.selectionEnd()) == wanted
                   for sel in window.document.extraSelections())

    applied, removed = [], []
    for attempt in range(8):
        start, end = project.coding_range(small, 200 + attempt * 997, 350 + attempt * 997)  # as a gesture trims
        window.document.select_range(start, end)
        t0 = time.perf_counter()
        window.coding.apply_code(one_code)  # what Enter or a double-click on the code does
        app.processEvents()
        applied.append(time.perf_counter() - t0)
        coding = next(c for c in project.codings_for_source(small)
                      if (c.start, c.end, c.code_id) == (start, end, one_code))
        assert window.segments.model_.rowCount() == listed + 1, "segments panel not updated"
        assert count_item.text() == str(listed + 1), "codebook count not updated"
        assert highlighted(start, end), "highlight not shown"
        t0 = time.perf_counter()
        window.remove_coding(coding.id)  # the context menu's "Remove coding"
        app.processEvents()
        removed.append(time.perf_counter() - t0)
        assert window.segments.model_.rowCount() == listed
        assert count_item.text() == str(listed)
        assert not highlighted(start, end), "highlight not removed"
    rows.append({"name": "gui_apply_coding", "seconds": _median(applied[1:]), "budget_seconds": 0.050})
    rows.append({"name": "gui_remove_coding", "seconds": _median(removed[1:]), "budget_seconds": 0.050})
    for key in ("matrix", "cooccurrence"):
        rows.append({"name": f"gui_{key}_view", "seconds": _first_result(app, window, key), "budget_seconds": 1.0})
    close(project, window)
    shutil.rmtree(settings_dir, ignore_errors=True)
    for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"), Path(f"{copy}.lock")):
        leftover.unlink(missing_ok=True)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
