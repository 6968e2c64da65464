"""The team rows of the benchmark: agreement at paragraph level, and merging two reference-size projects.

`agreement_paragraph`: every code of the reference project (300 codes), its three coders, every source, at
paragraph level. `merge_reference`: two copies of the reference project, one holding the codings of coders A and B,
the other those of coder C, merged into one (every source matched by content, every code by identity, a third
of the codings added and checked against the rest for duplicates). The copies are made once and cached.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

AGREEMENT_BUDGET = 2.0
MERGE_BUDGET = 30.0


def _split_copy(reference: Path, target: Path, keep: set[str]) -> None:
    """A copy of the reference project holding only the codings of the coders named in `keep`."""
    from qcode.core.project import Project

    if target.exists() and target.stat().st_mtime >= reference.stat().st_mtime:
        return  # made from this build of the reference project
    partial = target.with_suffix(".partial")
    for stale in (partial, target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    with Project.open(reference, mode="read") as project:
        project.save_copy(partial)
    with Project.open(partial) as project:
        drop = {c.id for c in project.coders() if c.name not in keep}
        project.remove_many_codings([c.id for c in project.codings() if c.coder_id in drop])
    partial.rename(target)
    Path(f"{partial}.lock").unlink(missing_ok=True)


def team_rows(path: Path, folder: Path) -> list[dict]:
    from qcode.core.project import Project
    from qcode.core.team.agreement import AgreementRequest

    rows: list[dict] = []
    with Project.open(path, mode="read") as project:
        coders = tuple(c.id for c in project.coders())
        request = AgreementRequest(coders, unit="paragraph")
        samples = []
        for _ in range(3):
            t0 = time.perf_counter()
            report = project.agreement(request)
            samples.append(time.perf_counter() - t0)
        rows.append({"name": "agreement_paragraph", "seconds": sorted(samples)[1], "budget_seconds": AGREEMENT_BUDGET,
                     "value": len(report.rows) - 1, "unit": "codes"})

    ours = folder / f"{path.stem}-coders-ab.qcode"
    theirs = folder / f"{path.stem}-coder-c.qcode"
    _split_copy(path, ours, {"Coder A", "Coder B"})
    _split_copy(path, theirs, {"Coder C"})
    target = folder / f"{path.stem}-merge-target.qcode"
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(ours, target)
    with Project.open(target) as project:
        t0 = time.perf_counter()
        report = project.merge_project(theirs)
        seconds = time.perf_counter() - t0
    for done in (target, Path(f"{target}.lock")):
        done.unlink(missing_ok=True)
    rows.append({"name": "merge_reference", "seconds": seconds, "budget_seconds": MERGE_BUDGET,
                 "value": report.codings_added, "unit": "codings added"})
    return rows
