"""Benchmark rows for imports that used to be unbounded: a PDF whose 4,000 pages share a content stream with a
wrong /Length, BibTeX libraries of 20,000 and 50,000 short entries, and a flate bomb's peak memory.

Called from run.py; `quick` uses a tenth of the sizes and judges no budgets. The files are generated
(deterministically, with invented text) under the benchmark folder and reused.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from peak import PEAK_MB_SOURCE  # this folder is on the path

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("harvest", "river", "school", "market", "family", "weather", "village", "coast", "council", "garden")


def write_bibtex(path: Path, entries: int) -> Path:
    """A library of short invented entries, each with authors, a year, a journal, keywords and an abstract."""
    rng = random.Random(entries)
    with path.open("w", encoding="utf-8") as out:
        for i in range(entries):
            out.write(
                f"@article{{key{i}, author={{Surname{i % 997}, Given and Other{i % 89}, Name}}, "
                f"title={{On the {rng.choice(WORDS)} number {i}}}, year={{{1990 + i % 30}}}, "
                f"journal={{Journal of {rng.choice(WORDS).title()}}}, keywords={{{rng.choice(WORDS)}, "
                f"{rng.choice(WORDS)}}}, abstract={{An invented abstract {i} about the {rng.choice(WORDS)}.}}}}\n"
            )
    return path


def _timed_import(path: Path, target: Path) -> tuple[float, str, int]:
    from qcode.core.project import Project

    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    with Project.create(target) as project:
        t0 = time.perf_counter()
        outcome = project.import_file(path)
        seconds = time.perf_counter() - t0
        count = len(project.sources())
    return seconds, outcome.status, count


BOMB_PROBE = PEAK_MB_SOURCE + """
import resource, sys
from pathlib import Path
from qcode.core.project import Project
from tests.importers.pdf_fixtures import flate_bomb_pdf
bomb = Path(sys.argv[1])
if not bomb.exists():
    flate_bomb_pdf(bomb, int(sys.argv[2]))
target = Path(sys.argv[3])
target.unlink(missing_ok=True)
with Project.create(target) as project:
    outcome = project.import_file(bomb)
assert outcome.status == "failed", outcome.reason
print(peak_mb())
"""


def bounds_rows(folder: Path, quick: bool) -> list[dict]:
    from tests.importers.pdf_fixtures import shared_stream_pdf

    rows: list[dict] = []
    pages = 400 if quick else 4000
    pdf = folder / f"shared-stream-{pages}.pdf"
    if not pdf.exists():
        shared_stream_pdf(pdf, pages)
    seconds, status, _ = _timed_import(pdf, folder / "bounds-pdf.qcode")
    assert status == "imported", status
    rows.append({"name": f"import_pdf_shared_stream_{pages}", "seconds": seconds, "budget_seconds": 20.0})
    for entries, budget in ((20_000, 30.0), (50_000, 45.0)):
        entries //= 10 if quick else 1
        bib = folder / f"library-{entries}.bib"
        if not bib.exists():
            write_bibtex(bib, entries)
        seconds, status, count = _timed_import(bib, folder / "bounds-bib.qcode")
        assert (status, count) == ("imported", entries)
        rows.append({"name": f"import_bibtex_{entries}", "seconds": seconds, "budget_seconds": budget})
    inflated = 80 if quick else 800
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", BOMB_PROBE, str(folder / f"bomb-{inflated}.pdf"), str(inflated),
                          str(folder / "bounds-bomb.qcode")], capture_output=True, text=True, check=True, cwd=ROOT)
    rows.append({"name": f"import_pdf_bomb_{inflated}mb_peak", "seconds": time.perf_counter() - t0,
                 "budget_seconds": None, "value": round(float(out.stdout.split()[-1]), 1),
                 "unit": "MB peak memory, refused (budget 500 MB)", "ratio_budget": 500})
    return rows
