#!/usr/bin/env python3
"""Only the exchange rows of the benchmark, each with its processor time beside its wall-clock time.

    python tests/benchmarks/exchange_rows.py [--quick] [--only NAME ...] [--profile FOLDER]

The rows: import_qdpx (REFI-QDA project import of the reference project; the export is made first when
missing), merge_reference and agreement_paragraph (team coding), import_bibtex_20000 and _50000. They run on
the reference project that `run.py` built and cached under .bench/ (run it once first). On a machine shared with
other work the wall-clock time varies widely; the processor time (`time.process_time`) much less, so both are
printed, with the load average. `--profile FOLDER` writes a cProfile file per row.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from import_bounds import write_bibtex  # noqa: E402  (this folder is on the path)
from run import GENERATOR_VERSION, ensure_project_python  # noqa: E402
from team_rows import AGREEMENT_BUDGET, MERGE_BUDGET, _split_copy  # noqa: E402

ROWS = ("import_qdpx", "merge_reference", "agreement_paragraph", "import_bibtex_20000", "import_bibtex_50000")


def _fresh(target: Path) -> None:
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)


def _measure(fn: Callable[[], object], profile: Path | None) -> tuple[float, float, object]:
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    result = fn()
    if profiler:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler and profile:
        profiler.dump_stats(str(profile))
    return wall, cpu, result


def main() -> int:
    ensure_project_python()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="the tenth-size reference project and libraries")
    parser.add_argument("--only", nargs="+", choices=ROWS, default=list(ROWS), metavar="ROW")
    parser.add_argument("--profile", metavar="FOLDER", help="write ROW.prof files (cProfile) here")
    args = parser.parse_args()
    os.environ.setdefault("QCODE_DATA_DIR", str(ROOT / ".bench" / "data"))
    from qcode.core.project import Project
    from qcode.core.team.agreement import AgreementRequest

    folder = ROOT / ".bench"
    path = folder / f"reference-{'quick' if args.quick else 'full'}-v{GENERATOR_VERSION}.qcode"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run tests/benchmarks/run.py{' --quick' if args.quick else ''} once")
    profiles = Path(args.profile) if args.profile else None
    if profiles:
        profiles.mkdir(parents=True, exist_ok=True)

    open_projects: list[Project] = []

    def opened(project: Project) -> Project:
        open_projects.append(project)
        return project

    def import_qdpx() -> object:
        archive = folder / f"{path.stem}.qdpx"
        if not archive.exists():
            with Project.open(path, mode="read") as p:
                p.export_refi(archive)
        target = folder / "refi-import.qcode"
        _fresh(target)
        p = opened(Project.create(target))
        p.name_coder("Benchmark")
        return lambda: (p.import_refi(archive), p.coding_count())[1]

    def merge_reference() -> object:
        ours, theirs = folder / f"{path.stem}-coders-ab.qcode", folder / f"{path.stem}-coder-c.qcode"
        _split_copy(path, ours, {"Coder A", "Coder B"})
        _split_copy(path, theirs, {"Coder C"})
        target = folder / f"{path.stem}-merge-target.qcode"
        _fresh(target)
        shutil.copyfile(ours, target)
        p = opened(Project.open(target))
        return lambda: p.merge_project(theirs).codings_added

    def agreement_paragraph() -> object:
        project = opened(Project.open(path, mode="read"))
        request = AgreementRequest(tuple(c.id for c in project.coders()), unit="paragraph")
        project.agreement(request)  # warm-up, as run.py takes the median of three
        return lambda: len(project.agreement(request).rows) - 1

    def bibtex(entries: int) -> Callable[[], object]:
        def prepare() -> object:
            bib = folder / f"library-{entries}.bib"
            if not bib.exists():
                write_bibtex(bib, entries)
            target = folder / "bounds-bib.qcode"
            _fresh(target)
            project = opened(Project.create(target))
            return lambda: project.import_file(bib).status
        return prepare

    scale = 10 if args.quick else 1
    prepare: dict[str, Callable[[], object]] = {
        "import_qdpx": import_qdpx, "merge_reference": merge_reference, "agreement_paragraph": agreement_paragraph,
        "import_bibtex_20000": bibtex(20_000 // scale), "import_bibtex_50000": bibtex(50_000 // scale),
    }
    budgets = {"import_qdpx": 30.0, "merge_reference": MERGE_BUDGET, "agreement_paragraph": AGREEMENT_BUDGET,
               "import_bibtex_20000": 30.0, "import_bibtex_50000": 45.0}
    print(f"load average before: {os.getloadavg()[0]:.2f}  ({path.name})")
    print(f"{'operation':<24}{'wall s':>9}{'cpu s':>9}{'budget':>8}  load  result")
    rows = []
    for name in args.only:
        run = prepare[name]()
        wall, cpu, result = _measure(run, profiles / f"{name}.prof" if profiles else None)  # type: ignore[arg-type]
        load = os.getloadavg()[0]
        while open_projects:
            open_projects.pop().close()
        budget = "-" if args.quick else f"{budgets[name]:.1f}"  # a tenth of the sizes: no budgets
        print(f"{name:<24}{wall:>9.2f}{cpu:>9.2f}{budget:>8}  {load:4.2f}  {result}")
        rows.append({"name": name, "seconds": wall, "cpu_seconds": cpu, "load": load, "result": repr(result)})
    if not args.quick:
        subprocess.run(["uptime"], check=False)
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
