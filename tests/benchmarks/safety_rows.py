"""Benchmark rows for the project's safety checks: what the check before the first write costs.

The app runs this check when it opens a project, and every command that changes a project runs it once
before its first change (`Project.verify`: SQLite's quick_check plus names and ranges). Reported, with no
budget of its own: the app runs it while it builds its window (the gui_open_window row includes that).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def safety_rows(path: Path) -> list[dict]:
    from qcode.core.project import Project

    samples = []
    for attempt in range(4):  # the first run warms the file cache
        with Project.open(path, mode="read") as project:
            t0 = time.perf_counter()
            project.verify()
            if attempt:
                samples.append(time.perf_counter() - t0)
    return [{"name": "check_before_first_write", "seconds": statistics.median(samples), "budget_seconds": None}]
