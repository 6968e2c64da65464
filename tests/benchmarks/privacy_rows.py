"""Benchmark rows for participant privacy: the check of names the register lacks, run before a pseudonymised
export of every excerpt (the app runs it on a worker, with progress and Cancel; reported, with no budget).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path


def privacy_rows(path: Path, folder: Path) -> list[dict]:
    from qcode.core.privacy.export import unregistered_names
    from qcode.core.project import Project

    copy = folder / "privacy.qcode"  # a copy, given a register (the check refuses an empty one)
    for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    with Project.open(copy) as project:
        project.use_coder("Coder A")
        project.add_name("Participant", "P")
    with Project.open(copy, mode="read") as project:
        wall, cpu = time.perf_counter(), time.process_time()
        found = unregistered_names(project, scope="excerpts")
        seconds, cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
        codings = project.coding_count()
    copy.unlink(missing_ok=True)
    return [{"name": "name_check_excerpts", "seconds": seconds, "budget_seconds": None, "value": codings,
             "unit": f"codings' passages read ({cpu_seconds:.1f} s CPU, {len(found)} names found)"}]
