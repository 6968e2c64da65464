"""The longest stalls of the event loop in the analysis views at reference scale.

    python tests/benchmarks/analysis_stalls.py PROJECT SCRATCH_FOLDER [--json] [--blame] [--long-calls]

A 10 ms timer probes the event loop while each view of the Analysis area is opened (until its table and
chart are shown), its filters dialog is opened (the choices of codes, sources, cases, values and coders
built), a filter is chosen (until the new result and chart are shown) and its table is sorted by a number
column, as a click on the header does. Every action runs from the event loop, as the user's would; the
longest gap between two timer turns is what the user feels as a frozen window (the issue's rule: never over
100 ms). Prints one line per view and step with the longest gap (wall; with the GUI thread's own processor
time in it: the rest it waited for the interpreter or a processor), the processor time of the step and when
its result was shown (the table; the step ends once its chart is drawn too), or, with --json, the benchmark
rows `gui_analysis_longest_stall_<view>` (budget 0.1 s). With --blame, a watchdog thread prints where the GUI
thread is whenever it has not turned for 80 ms (what to fix next) and the other threads' innermost calls,
and each collection of the cycle collector over 20 ms; with --long-calls, every call into C over 50 ms on a
worker.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE_MS = 10
BUDGET = 0.100


class StallProbe:
    """A timer every 10 ms that records the longest gap between its turns since `reset()`."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.last = self.ended = time.perf_counter()  # ended: when the longest stall ended
        self.longest = 0.0
        self.last_cpu = time.thread_time()
        self.longest_cpu = 0.0  # the GUI thread's own processor time in the longest stall (the rest: waiting
        self.timer.start()  # for the interpreter, held by a worker, or for a processor)

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if now - self.last > self.longest:
            self.longest, self.ended, self.longest_cpu = now - self.last, now, cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu

    def watch(self, after: float = 0.08) -> None:
        """Print the GUI thread's stack whenever its last turn is over `after` seconds old (once per stall)."""
        gui = threading.get_ident()

        def watchdog() -> None:
            reported = 0.0
            while True:
                time.sleep(0.02)
                last = self.last
                if reported and last != reported:  # the stall reported last has ended: say how long it was
                    print(f"--- (that stall lasted {(last - reported) * 1000:.0f} ms)", file=sys.stderr)
                    reported = 0.0
                if time.perf_counter() - last > after and last != reported:
                    reported = last
                    frames = sys._current_frames()
                    others = "".join(
                        f"  (thread {ident}: {' < '.join(_where(f) for f in traceback.extract_stack(frame)[:-6:-1])})\n"
                        for ident, frame in frames.items() if ident not in (gui, threading.get_ident()))
                    frame = frames.get(gui)
                    if frame is not None:
                        stack = "".join(traceback.format_stack(frame, limit=12))
                        print(f"--- GUI thread busy for {after * 1000:.0f} ms at:\n{stack}"
                              f" other threads meanwhile (innermost first):\n{others}", file=sys.stderr)

        threading.Thread(target=watchdog, daemon=True).start()

    def reset(self) -> None:
        self.last = self.ended = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.longest = self.longest_cpu = 0.0


def report_long_calls(after: float = 0.05) -> None:
    """Print every call into C (a builtin: numpy, sqlite, re) on a worker that takes over `after` seconds: such a
    call may hold the interpreter all along (what --blame cannot see: its watchdog waits for the interpreter
    too). Slows the workers' Python down."""
    from qcode.gui.support import workers

    run = workers.CoreTask.run

    def watched(task: workers.CoreTask) -> None:
        calls: list[tuple[float, object, str]] = []

        def profile(frame: object, event: str, arg: object) -> None:
            if event == "c_call":
                calls.append((time.perf_counter(), arg, f"{Path(frame.f_code.co_filename).name}:{frame.f_lineno}"))  # type: ignore[attr-defined]
            elif event in ("c_return", "c_exception") and calls:
                began, function, where = calls.pop()
                took = time.perf_counter() - began
                if took > after:
                    name = getattr(function, "__qualname__", str(function))
                    print(f"--- worker: {took * 1000:.0f} ms in {name} from {where}", file=sys.stderr)

        sys.setprofile(profile)
        try:
            run(task)
        finally:
            sys.setprofile(None)

    workers.CoreTask.run = watched  # type: ignore[method-assign]


def report_collections(after: float = 0.02) -> None:
    """Print every collection of Python's cycle collector that takes over `after` seconds (it holds the
    interpreter all along, whichever thread it runs on)."""
    import gc

    began: list[float] = []

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            began[:] = [time.perf_counter()]
        elif began:
            took = time.perf_counter() - began[0]
            if took > after:
                thread = "GUI thread" if threading.current_thread() is threading.main_thread() else "a worker"
                print(f"--- a collection of generation {info['generation']} took {took * 1000:.0f} ms "
                      f"on {thread}", file=sys.stderr)

    gc.callbacks.append(callback)


def _where(frame: traceback.FrameSummary) -> str:
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


def run_step(probe: StallProbe, action: Callable[[], None], ready: Callable[[], bool],
             limit: float = 90.0) -> tuple[float, float, float, float]:
    """Run `action` from the event loop, then let the loop run until `ready()`: (longest gap, wall, CPU,
    seconds into the step when the longest gap began, the GUI thread's processor time in it)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.perf_counter() + limit
    poll = QTimer()
    poll.setInterval(5)

    def check() -> None:
        if ready() or time.perf_counter() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    probe.reset()
    t0, c0 = time.perf_counter(), time.process_time()
    QTimer.singleShot(0, action)
    QTimer.singleShot(20, poll.start)  # the action first
    loop.exec()
    poll.stop()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    probe._tick()
    if not ready():
        wall = float("inf")  # not ready within the limit (a view without a first result, say)
    return probe.longest, wall, cpu, probe.ended - probe.longest - t0, probe.longest_cpu


def main() -> int:
    path, scratch = Path(sys.argv[1]), Path(sys.argv[2])
    as_json = "--json" in sys.argv
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, str(ROOT))
    # qcode's modules load from bytecode, as in the installed app and as the installed libraries do (compiled
    # here beforehand into __pycache__: with PYTHONDONTWRITEBYTECODE each import of a view compiled its
    # source, some 90 ms of the first opening)
    import compileall

    compileall.compile_dir(ROOT / "qcode", quiet=1)
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from qcode.core.project import Project
    from qcode.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(["qcode-benchmark"])
    settings_dir = Path(tempfile.mkdtemp(prefix="qcode-bench-settings-"))
    settings = QSettings(str(settings_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("coder/name", "Coder A")
    copy = scratch / "stall-bench.qcode"
    for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"), Path(f"{copy}.lock")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    project = Project.open(copy, mode="auto")
    project.name_coder("Coder A")
    project.use_coder("Coder A")
    window = MainWindow(project, settings)
    window.resize(1400, 900)
    window.show()
    probe = StallProbe()
    if "--blame" in sys.argv:
        probe.watch()
        report_collections()
    if "--long-calls" in sys.argv:
        report_long_calls()
    from qcode.gui.analysis.registry import VIEWS

    cases = [c.id for c in project.cases()][: max(1, len(project.cases()) // 3)]
    rows: list[dict] = []
    lines: list[str] = []
    if not as_json:
        print(f"load average at the start {' '.join(f'{v:.2f}' for v in os.getloadavg())}", flush=True)
    for entry in VIEWS:
        key = entry.key
        holder: dict = {}

        def shown(holder: dict = holder) -> bool:
            view = holder.get("view")
            if view is not None and view.result is None and not view.computing():
                return True  # nothing is on its way (the coding query before a query is typed): no wait
            return view is not None and view.result is not None and not view.computing() and not view.drawing() \
                and (view.chart.has_chart() or not view.chart_kinds)

        def open_view(key: str = key, holder: dict = holder) -> None:
            area = window.analysis.open(key)
            holder["view"] = area.views[key]
            holder["computed"] = 0
            holder["view"].computed.connect(lambda holder=holder: holder.update(computed=holder["computed"] + 1,
                                                                                shown_at=time.perf_counter()))
            holder["view"].start()

        def recomputed(holder: dict = holder) -> bool:
            """The result for the new filter is shown, with its chart (or nothing is on its way: the coding
            query before a query is typed)."""
            view = holder["view"]
            if view.result is None and not view.computing():
                return True
            return holder["computed"] > holder["before"] and shown(holder)

        steps: list[tuple[str, Callable[[], None], Callable[[], bool]]] = [("open", open_view, shown)]

        def open_dialog(holder: dict = holder) -> None:
            holder["dialog"] = holder["view"].filters.open_dialog()

        def close_dialog(holder: dict = holder) -> None:
            holder["dialog"].reject()

        def choose(holder: dict = holder) -> None:
            holder["before"] = holder["computed"]
            holder["view"].filters.choose(cases=cases)

        def sort(holder: dict = holder) -> None:
            view = holder["view"]
            column = next((c for c, v in enumerate(view.model.table.rows[0]) if isinstance(v, (int, float))), 1) \
                if view.model.table.rows else 0
            view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)

        steps += [("filters dialog", open_dialog, lambda: True), ("close dialog", close_dialog, lambda: True),
                  ("filter change", choose, recomputed), ("sort", sort, lambda: True)]
        worst = 0.0
        for name, action, ready in steps:
            started = [time.perf_counter()]
            gap, wall, cpu, began, gui_cpu = run_step(probe, action, ready)
            worst = max(worst, gap)
            view = holder.get("view")
            size = f"{len(view.model.table.rows)}x{len(view.model.table.columns)}" if view is not None else ""
            shown_at = holder.pop("shown_at", None)  # when the step's (last) result was shown
            result = f"   result at {shown_at - started[0]:5.2f} s" if shown_at is not None else ""
            lines.append(f"{key:14} {name:15} longest stall {gap * 1000:5.0f} ms (from {began:5.2f} s, "
                         f"GUI thread CPU {gui_cpu * 1000:4.0f} ms)   "
                         f"step {wall:6.2f} s wall "
                         f"{cpu:6.2f} s CPU   table {size}{result}")
            if not as_json:
                print(lines[-1], flush=True)
        rows.append({"name": f"gui_analysis_longest_stall_{key}", "seconds": worst, "budget_seconds": BUDGET})
    window.close()
    window.deleteLater()
    app.processEvents()
    project.close()
    shutil.rmtree(settings_dir, ignore_errors=True)
    for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm"), Path(f"{copy}.lock")):
        leftover.unlink(missing_ok=True)
    if as_json:
        print(json.dumps(rows))
    else:
        print(f"load average at the end {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
