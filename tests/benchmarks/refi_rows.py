"""Benchmark rows of the REFI-QDA exchange: exporting the reference project as .qdpx and importing it into a new
project, each in a process of its own so that its peak memory is its own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from peak import PEAK_MB_SOURCE  # this folder is on the path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = PEAK_MB_SOURCE + """
import json, resource, sys, time
from pathlib import Path
from qcode.core.project import Project
mode, project, archive, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
t0 = time.perf_counter()
if mode == "export":
    with Project.open(project, mode="read") as p:
        p.export_refi(archive)
        count = p.coding_count()
else:
    for leftover in (target, Path(str(target) + "-wal"), Path(str(target) + "-shm")):
        leftover.unlink(missing_ok=True)
    with Project.create(target) as p:
        p.name_coder("Benchmark")
        p.import_refi(archive)
        count = p.coding_count()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([time.perf_counter() - t0, peak_mb(), count, usage.ru_utime + usage.ru_stime]))
"""

#: peak memory budget of each process: what Python, Qt-free qcode and the reference project's text need, with room
PEAK_BUDGET_MB = 1500


def refi_rows(path: Path, folder: Path) -> list[dict]:
    """export_qdpx and import_qdpx (each under 30 s), with the peak memory of each."""
    archive = folder / "reference.qdpx"
    target = folder / "refi-import.qcode"
    rows = []
    for mode in ("export", "import"):
        out = subprocess.run([sys.executable, "-c", _PROBE, mode, str(path), str(archive), str(target)],
                             capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            raise SystemExit(f"the REFI-QDA benchmark ({mode}) failed:\n{out.stderr}")
        seconds, peak_mb, codings, cpu = json.loads(out.stdout.strip().splitlines()[-1])
        # the processor time beside the wall-clock time: on a shared machine the two differ widely
        rows.append({"name": f"{mode}_qdpx", "seconds": seconds, "budget_seconds": 30.0, "value": codings,
                     "unit": f"codings ({cpu:.1f} s of processor time)", "cpu_seconds": round(cpu, 2)})
        rows.append({"name": f"{mode}_qdpx_peak", "seconds": seconds, "budget_seconds": None,
                     "value": round(peak_mb, 1), "unit": f"MB peak memory (budget {PEAK_BUDGET_MB} MB)",
                     "ratio_budget": PEAK_BUDGET_MB})
    return rows
