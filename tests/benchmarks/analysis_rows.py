"""Benchmark rows of the analyses (issue: questions of the data) on the reference project.

`rows(path, ids, folder, timed, wanted)` returns rows {name, seconds, cpu_seconds, budget_seconds} (+ value/unit)
for run.py, of the names in ROW_NAMES that `wanted` accepts. Each
analysis is timed in-process (median); the plain-SQL rows give the same question asked of the bare coding rows,
side by side; `apply_batch_10k` writes on a copy of the project; the peak memory of `qcode stats --by source`
is measured in a process of its own.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from peak import PEAK_MB_SOURCE  # this folder is on the path

ROOT = Path(__file__).resolve().parents[2]
Timed = Callable[[Callable[[], object], int], dict[str, float]]  # run.timed: {seconds, cpu_seconds} (medians)

# the in-process rows with their budgets, in the order they run
BUDGETS = {
    "matrix_by_case": 0.300, "matrix_by_case_characters": 0.300, "matrix_by_source": 0.300,
    "matrix_by_coder": 0.300, "matrix_by_attribute": 0.300, "frequencies_filtered_by_coder": 0.200,
    "frequencies_filtered_by_folder": 0.030, "frequencies_filtered_by_sources": 0.020, "cooccurrence": 1.0,
    "coding_query": 0.300, "word_frequency": 0.300, "word_frequency_all_sources": 0.500, "saturation": 0.300,
    "code_excerpts_with_locations": 0.050,
    # the app's matrix view after a change of one filter (issue 17: a result < 500 ms after a filter change)
    "matrix_by_attribute_filtered_values": 0.500, "matrix_by_case_filtered_values": 0.500,
    "matrix_by_case_filtered_codes": 0.500, "matrix_by_case_filtered_cases": 0.500,
    "matrix_by_source_filtered_coder": 0.500, "matrix_by_coder_filtered_folder": 0.500,
    "matrix_by_source_filtered_sources": 0.500, "matrix_by_case_filtered_coder_sources": 0.500,
    "matrix_by_case_filtered_values_cases": 0.500, "matrix_by_source_filtered_coder_characters": 0.500,
    # the app's frequency view and `stats --by` with filters the aggregates cannot answer: the matrix of the filter
    "frequencies_filtered_cases": 0.500, "frequencies_by_case_filtered_values": 0.500,
    "frequencies_by_coder_filtered_folder": 0.500,
    "frequencies_by_source_filtered_coder": 1.0,  # `stats --by source --coder`: 110,000 rows to make
}
ROW_NAMES = [*BUDGETS, "frequencies_filtered_by_folder_plain_sql", "frequencies_filtered_by_sources_plain_sql",
             "apply_batch_10k", "stats_by_source_peak"]


def _plain_sql_seconds(path: Path, source_ids: list[int], timed: Timed) -> dict[str, float]:
    """The same filtered frequencies as a plain GROUP BY over the bare coding rows (own codings only)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    marks = ",".join("?" * len(source_ids))
    sql = f"SELECT code_id, count(*), count(DISTINCT source_id) FROM coding WHERE source_id IN ({marks}) GROUP BY code_id"
    try:
        return timed(lambda: conn.execute(sql, source_ids).fetchall(), 7)
    finally:
        conn.close()


def rows(path: Path, ids: dict, folder: Path, timed: Timed,
         wanted: Callable[[str], bool] = lambda name: True) -> list[dict]:
    from qcode.core.analysis.frequencies import Grouping
    from qcode.core.model import Filter
    from qcode.core.project import Project

    found: list[dict] = []
    with Project.open(path, mode="read") as project:
        coder_a = next(c.id for c in project.coders() if c.name == "Coder A")
        setting = project.find_attribute("Setting").id
        batch_folder = project.find_folder("Batch 1").id
        hundred = tuple(s.id for s in project.sources()[:100])
        leaves = [c.id for c in project.codes() if not project.children(c.id)]
        paths = [project.code_path(c) for c in leaves[:3]]
        expression = f'("{paths[0]}" OR "{paths[1]}") AND "{paths[2]}"'
        one_code = Filter(codes=(ids["one_code"],))
        age_group = project.find_attribute("Age group").id
        two_ages = Filter(attributes=((age_group, "18-24"), (age_group, "25-34")))
        one_branch = Filter(codes=(next(c.id for c in project.codes() if c.parent_id is None),))
        thirty_cases = Filter(cases=tuple(c.id for c in project.cases()[:30]))
        by_coder_a = Filter(coders=(coder_a,))
        by_case, by_source = Grouping("case"), Grouping("source")
        measures: dict[str, Callable[[], object]] = {
            "matrix_by_case": lambda: project.matrix(columns=Grouping("case")),
            "matrix_by_case_characters": lambda: project.matrix(columns=Grouping("case"), cell="characters"),
            "matrix_by_source": lambda: project.matrix(columns=Grouping("source")),
            "matrix_by_coder": lambda: project.matrix(columns=Grouping("coder")),
            "matrix_by_attribute": lambda: project.matrix(columns=Grouping("attribute", setting)),
            "frequencies_filtered_by_coder": lambda: project.frequencies(Filter(coders=(coder_a,))),
            "frequencies_filtered_by_folder": lambda: project.frequencies(Filter(folders=(batch_folder,))),
            "frequencies_filtered_by_sources": lambda: project.frequencies(Filter(sources=hundred)),
            "cooccurrence": lambda: project.cooccurrence(),
            "coding_query": lambda: project.coding_query(expression),
            "word_frequency": lambda: project.word_frequencies(one_code),
            # every source (the app's word view before a filter is chosen): the sums of the stored counts
            "word_frequency_all_sources": lambda: project.word_frequencies(Filter()),
            "saturation": lambda: project.saturation(),
            "code_excerpts_with_locations": lambda: project.excerpts(ids["one_code"], with_location=True),
            "matrix_by_attribute_filtered_values": lambda: project.matrix(
                two_ages, columns=Grouping("attribute", age_group)),
            "matrix_by_case_filtered_values": lambda: project.matrix(two_ages, columns=by_case),
            "matrix_by_case_filtered_codes": lambda: project.matrix(one_branch, columns=by_case, cell="sources"),
            "matrix_by_case_filtered_cases": lambda: project.matrix(thirty_cases, columns=by_case),
            "matrix_by_source_filtered_coder": lambda: project.matrix(by_coder_a, columns=by_source),
            "matrix_by_coder_filtered_folder": lambda: project.matrix(Filter(folders=(batch_folder,)),
                                                                      columns=Grouping("coder")),
            "matrix_by_source_filtered_sources": lambda: project.matrix(Filter(sources=hundred), columns=by_source),
            "matrix_by_case_filtered_coder_sources": lambda: project.matrix(by_coder_a, columns=by_case,
                                                                            cell="sources"),
            "matrix_by_case_filtered_values_cases": lambda: project.matrix(two_ages, columns=by_case, cell="cases"),
            "matrix_by_source_filtered_coder_characters": lambda: project.matrix(by_coder_a, columns=by_source,
                                                                                 cell="characters"),
            "frequencies_filtered_cases": lambda: project.frequencies(thirty_cases),
            "frequencies_by_case_filtered_values": lambda: project.frequencies(two_ages, group_by=by_case),
            "frequencies_by_coder_filtered_folder": lambda: project.frequencies(Filter(folders=(batch_folder,)),
                                                                                group_by=Grouping("coder")),
            "frequencies_by_source_filtered_coder": lambda: project.frequencies(by_coder_a, group_by=by_source),
        }
        for label, budget in BUDGETS.items():
            if wanted(label):
                repeat = 3 if budget >= 1.0 else 5
                found.append({"name": label, **timed(measures[label], repeat), "budget_seconds": budget})
        folder_sources = [s.id for s in project.sources() if s.folder_id == batch_folder]
    for row, sources in (("frequencies_filtered_by_folder", folder_sources),
                         ("frequencies_filtered_by_sources", list(hundred))):
        if wanted(f"{row}_plain_sql"):
            plain = _plain_sql_seconds(path, sources, timed)
            found.append({"name": f"{row}_plain_sql", **plain, "budget_seconds": None,
                          "value": len(sources), "unit": "sources; the same question as a plain GROUP BY"})
    if wanted("apply_batch_10k"):
        found.append(_apply_batch(path, folder))
    if wanted("stats_by_source_peak"):
        found.append(_stats_peak(path))
    return found


def _apply_batch(path: Path, folder: Path) -> dict:
    """Apply 10,000 new codings in one batch (what autocoding a common word does) on a copy of the project."""
    from qcode.core.model import NewCoding
    from qcode.core.project import Project

    copy = folder / "apply-batch.qcode"
    for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    rng = random.Random(11)
    with Project.open(copy) as project:
        project.use_coder("Coder B")
        sources = [(s.id, s.length) for s in project.sources()]
        code = project.create_code("Benchmark batch").id
        batch = []
        for _ in range(10_000):
            source, length = sources[rng.randrange(len(sources))]
            start = rng.randrange(0, length - 40)
            batch.append(NewCoding(source, code, start, start + rng.randint(5, 40)))
        t0, c0 = time.perf_counter(), time.process_time()
        added = project.apply_codings(batch)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        problems = project.check()
    if problems:
        raise SystemExit(f"apply_batch_10k left the project inconsistent: {problems[:3]}")
    return {"name": "apply_batch_10k", "seconds": seconds, "cpu_seconds": round(cpu, 4), "budget_seconds": 1.0,
            "value": len(added), "unit": "codings added"}


def _stats_peak(path: Path) -> dict:
    """`qcode stats --by source` in a process of its own: time (process start included) and peak memory."""
    probe = PEAK_MB_SOURCE + ("import sys, time, os, contextlib\n"
             "from qcode.cli import main\n"
             "t0, c0 = time.perf_counter(), time.process_time()\n"
             "with open(os.devnull, 'w') as sink, contextlib.redirect_stdout(sink):  # as `qcode stats ... > file`\n"
             "    code = main(['stats', sys.argv[1], '--by', 'source'])\n"
             "assert code == 0\n"
             "print(time.perf_counter() - t0, time.process_time() - c0, peak_mb())\n")
    out = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    seconds, cpu, peak_mb = map(float, out.stdout.split()[-3:])
    return {"name": "stats_by_source_peak", "seconds": seconds, "cpu_seconds": round(cpu, 4), "budget_seconds": None,
            "value": round(peak_mb, 1), "unit": "MB peak memory (budget 200 MB)", "ratio_budget": 200.0}
