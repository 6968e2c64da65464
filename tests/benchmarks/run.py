#!/usr/bin/env python3
"""qcode benchmark: builds the reference project deterministically and times core operations.

    python tests/benchmarks/run.py [--quick] [--check] [--json FILE] [--rebuild] [--only PATTERN ...]

The reference project: 2,000 sources (about 40 MB of text), 300 codes in three levels, 200,000 codings by
three coders, 300 cases with 5 attributes. `--quick` builds a tenth of it and judges no budgets. The built
project is kept under .bench/ and reused while the generator is unchanged (`--rebuild` forces a new one).
Each operation runs a few times; the median is reported. The GUI rows (gui_rows.py) run on a copy of
the project in a process of their own, on Qt's offscreen platform. `--check` exits 1 when a budget is missed.
`--only PATTERN` (repeatable, or comma-separated) runs only the rows whose name matches one of the patterns
(shell-style: `--only 'matrix_*' --only cooccurrence`), skipping every part of the run that gives none of them;
`--list` prints the row names without running anything.
Output: a table, and with --json a list of rows {name, seconds, budget_seconds, ok} (+ value/unit). Rows timed
in this process also carry `cpu_seconds`, the processor time (`time.process_time`) of the same runs: on a busy
machine wall time grows with the load while processor time stays close to the work done.
"""

from __future__ import annotations

import argparse
import fnmatch
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from peak import PEAK_MB_SOURCE  # this folder is on the path

ROOT = Path(__file__).resolve().parents[2]
GENERATOR_VERSION = "2"  # 2: fixed timestamps and identifiers


def ensure_project_python() -> None:
    """Re-run with the project's own environment when started with another Python."""
    venv_python = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if venv_python.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        sys.exit(subprocess.call([str(venv_python), __file__, *sys.argv[1:]]))
    sys.path.insert(0, str(ROOT))


@dataclass
class Scale:
    sources: int
    chars_per_source: int
    codes_top: int
    codes_mid: int  # per top code
    codes_leaf: int  # per mid code
    codings: int
    cases: int
    one_code_excerpts: int


FULL = Scale(sources=2000, chars_per_source=20_000, codes_top=6, codes_mid=7, codes_leaf=6, codings=200_000,
             cases=300, one_code_excerpts=1000)
QUICK = Scale(sources=200, chars_per_source=20_000, codes_top=6, codes_mid=7, codes_leaf=6, codings=20_000,
              cases=30, one_code_excerpts=100)

WORDS = ["mate", "talk", "help", "pub", "footy", "shed", "walk", "mind", "dad", "work", "stress", "sleep", "money", "farm", "drought", "club", "group", "trust", "feel", "quiet", "laugh", "banter", "strong", "weak", "doctor", "counsellor", "phone", "forum", "night", "week", "family", "partner", "kids", "job", "boss", "team", "training", "match", "ground", "tea", "kettle", "bench", "tools", "wood", "dog", "beach", "rain", "wind", "morning", "evening", "reckon", "maybe", "honestly", "never", "always", "sometimes", "proper", "really", "bit", "lot", "thing", "stuff", "people", "bloke", "lads", "guys", "friend", "brother"]
SPEAKERS = ("Interviewer", "Participant")
AGE_GROUPS = ("18-24", "25-34", "35-44", "45-54", "55+")
SETTINGS = ("Sports club", "Online forum", "Community shed", "Workplace programme", "Student peer group",
            "Farming network", "Veterans' group", "Fathers' group", "Walking group")


def make_text(rng: random.Random, target: int) -> str:
    """Speaker-labelled paragraphs of pseudo-words, about `target` characters."""
    parts: list[str] = []
    size = 0
    turn = 0
    while size < target:
        words = rng.choices(WORDS, k=rng.randint(20, 90))
        sentence_ends = sorted(rng.sample(range(3, len(words)), k=min(4, len(words) - 3)))
        for index in sentence_ends:
            words[index - 1] += "."
        paragraph = f"{SPEAKERS[turn % 2]}: " + " ".join(words).capitalize() + "."
        parts.append(paragraph)
        size += len(paragraph) + 2
        turn += 1
    return "\n\n".join(parts)


def build(path: Path, scale: Scale) -> dict[str, int]:
    """Build the reference project through the public API; returns ids the timings need."""
    from qcode.core.model import NewCoding
    from qcode.core.project import Project

    rng = random.Random(20261125)
    ticks = itertools.count()
    epoch = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def clock() -> str:  # fixed, increasing timestamps and name-based identifiers: two builds are identical
        return (epoch + timedelta(seconds=next(ticks))).isoformat(timespec="seconds")

    guids = itertools.count()
    project = Project.create(path, name="qcode benchmark reference project", clock=clock,
                             guids=lambda: str(uuid.uuid5(uuid.NAMESPACE_URL, f"qcode-bench-{next(guids)}")).upper())
    coders = [project.ensure_coder(name).id for name in ("Coder A", "Coder B", "Coder C")]
    project.use_coder("Coder A")
    folders = [project.create_folder(f"Batch {i + 1}").id for i in range(10)]
    sources = []
    lengths = []
    for i in range(scale.sources):
        text = make_text(rng, scale.chars_per_source)
        source = project.add_source(f"Transcript {i + 1:04d}", text, folder_id=folders[i % len(folders)])
        sources.append(source.id)
        lengths.append(source.length)
    leaves = []
    for t in range(scale.codes_top):
        top = project.create_code(f"Theme {t + 1}").id
        for m in range(scale.codes_mid):
            mid = project.create_code(f"Category {t + 1}.{m + 1}", parent_id=top).id
            for leaf in range(scale.codes_leaf):
                leaves.append(project.create_code(f"Code {t + 1}.{m + 1}.{leaf + 1}", parent_id=mid).id)
    all_codes = [c.id for c in project.codes()]
    attributes = {
        "age_group": project.create_attribute("Age group", "choice", choices=AGE_GROUPS).id,
        "setting": project.create_attribute("Setting", "choice", choices=SETTINGS).id,
        "age": project.create_attribute("Age", "number").id,
        "prior_help": project.create_attribute("Prior professional help", "choice", choices=("Yes", "No")).id,
        "interviewed": project.create_attribute("Interview date", "date").id,
    }
    for c in range(scale.cases):
        case = project.create_case(f"Participant {c + 1:03d}").id
        for s in range(c, len(sources), scale.cases):
            project.add_case_member(case, sources[s])
        project.set_attribute_value(attributes["age_group"], case, AGE_GROUPS[c % len(AGE_GROUPS)])
        project.set_attribute_value(attributes["setting"], case, SETTINGS[c % len(SETTINGS)])
        project.set_attribute_value(attributes["age"], case, 18 + (c * 7) % 60)
        project.set_attribute_value(attributes["prior_help"], case, ("Yes", "No")[c % 2])
        project.set_attribute_value(attributes["interviewed"], case, f"2026-0{1 + c % 9}-1{c % 10}")
    one_code = leaves[0]
    others = [c for c in all_codes if c != one_code]
    batch = []
    used = set()
    while len(batch) < scale.codings:
        code = one_code if len(batch) < scale.one_code_excerpts else rng.choice(others)
        index = rng.randrange(len(sources))
        start = rng.randrange(0, lengths[index] - 50)
        end = min(lengths[index], start + rng.randint(20, 1200))
        coder = coders[rng.randrange(3)]
        key = (sources[index], code, coder, start, end)
        if key in used:
            continue
        used.add(key)
        batch.append(NewCoding(sources[index], code, start, end, coder))
    project.add_codings(batch)
    project.close()
    return {"one_code": one_code, "age_group": attributes["age_group"]}


def import_rows(folder: Path, quick: bool) -> list[dict]:
    """Importing is bounded by parsing: 200 Word transcripts, and peak memory for one 50 MB text file."""
    import docx

    from qcode.core.importers import ImportOptions, find_importer
    from qcode.core.project import Project

    corpus = folder / f"docx-{'quick' if quick else 'full'}"
    count = 20 if quick else 200
    if not corpus.is_dir() or len(list(corpus.glob("*.docx"))) != count:
        corpus.mkdir(exist_ok=True)
        rng = random.Random(7)
        for i in range(count):
            document = docx.Document()
            for paragraph in make_text(rng, 20_000).split("\n\n"):
                document.add_paragraph(paragraph)
            document.save(str(corpus / f"transcript-{i:03d}.docx"))
    files = sorted(corpus.glob("*.docx"))
    t0 = time.perf_counter()
    for path in files:
        find_importer(path).parse(path, ImportOptions(), None)
    parse_seconds = time.perf_counter() - t0
    target = folder / "import-test.qcode"
    for stale in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    with Project.create(target) as project:
        t0 = time.perf_counter()
        outcomes = project.import_paths(files)
        import_seconds = time.perf_counter() - t0
    assert all(o.status == "imported" for o in outcomes)
    rows = [
        {"name": f"import_docx_{count}", "seconds": import_seconds, "budget_seconds": None},
        {"name": "import_overhead_ratio", "seconds": import_seconds, "budget_seconds": None,
         "value": round(import_seconds / parse_seconds, 3), "unit": "import time / parse time (budget 1.5)",
         "ratio_budget": 1.5},
    ]
    big = folder / ("text-5mb.txt" if quick else "text-50mb.txt")
    size_mb = 5 if quick else 50
    if not big.exists():
        rng = random.Random(8)
        with big.open("w", encoding="utf-8") as fh:
            while fh.tell() < size_mb * 1_000_000:
                fh.write(make_text(rng, 200_000) + "\n\n")
    probe = PEAK_MB_SOURCE + (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from qcode.core.project import Project\n"
        "target = Path(sys.argv[2])\n"
        "[p.unlink() for p in (target, Path(str(target) + '-wal'), Path(str(target) + '-shm')) if p.exists()]\n"
        "t0 = time.perf_counter()\n"
        "with Project.create(target) as project:\n"
        "    outcome = project.import_file(sys.argv[1])\n"
        "assert outcome.status == 'imported', outcome.reason\n"
        "print(time.perf_counter() - t0, peak_mb())\n"
    )
    out = subprocess.run([sys.executable, "-c", probe, str(big), str(folder / "big-import.qcode")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak_mb = map(float, out.stdout.split())
    file_mb = big.stat().st_size / (1024 * 1024)
    rows.append({"name": f"import_text_{size_mb}mb_peak", "seconds": seconds, "budget_seconds": None,
                 "value": round(peak_mb, 1), "unit": "MB peak memory (budget 3 x file + 200 MB)",
                 "ratio_budget": round(3 * file_mb + 200, 1)})
    return rows


def gui_rows(path: Path, folder: Path, one_code: int) -> list[dict]:
    """The GUI rows (gui_rows.py), in a process of their own on Qt's offscreen platform."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("gui_rows.py")), str(path), str(folder),
                          str(one_code)], capture_output=True, text=True, cwd=ROOT, env=env)
    if out.returncode != 0:
        raise SystemExit(f"the GUI benchmark failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def stall_rows(path: Path, folder: Path) -> list[dict]:
    """The longest event-loop stall of each analysis view (analysis_stalls.py), in a process of its own."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("analysis_stalls.py")), str(path), str(folder),
                          "--json"], capture_output=True, text=True, cwd=ROOT, env=env)
    if out.returncode != 0:
        raise SystemExit(f"the analysis stall benchmark failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    """Run `fn` once to warm up, then `repeat` times: {seconds, cpu_seconds}, the medians of wall-clock time and of
    this process's processor time."""
    fn()  # warm-up
    samples = []
    cpu_samples = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu_samples.append(time.process_time() - c0)
        samples.append(time.perf_counter() - t0)
    return {"seconds": statistics.median(samples), "cpu_seconds": round(statistics.median(cpu_samples), 4)}


# every part of the run and the rows it gives (`--only` skips a part none of whose rows is wanted);
# the analysis rows are listed by analysis_rows.py itself
def parts(quick: bool) -> dict[str, list[str]]:
    count, size_mb = (20, 5) if quick else (200, 50)
    return {
        "core": ["open", "frequencies", "frequencies_by_attribute", "search", "code_excerpts"],
        "exports": ["export_xlsx_20k", "export_docx_20k"],
        "imports": [f"import_docx_{count}", "import_overhead_ratio", f"import_text_{size_mb}mb_peak"],
        "bounds": ["import_pdf_shared_stream_400" if quick else "import_pdf_shared_stream_4000",
                   *(["import_bibtex_2000", "import_bibtex_5000"] if quick else
                     ["import_bibtex_20000", "import_bibtex_50000"]),
                   "import_pdf_bomb_80mb_peak" if quick else "import_pdf_bomb_800mb_peak"],
        "refi": ["export_qdpx", "export_qdpx_peak", "import_qdpx", "import_qdpx_peak"],
        "gui": ["gui_open_window", "gui_open_large_source", "gui_select_code", "gui_apply_coding",
                "gui_remove_coding", "gui_matrix_view", "gui_cooccurrence_view"],
        "stalls": [f"gui_analysis_longest_stall_{key}" for key in ("frequencies", "matrix", "cooccurrence", "query", "words", "saturation")],
        "safety": ["check_before_first_write"],
        "team": ["agreement_paragraph", "merge_reference"],
        "privacy": ["name_check_excerpts"],
    }


def matcher(patterns: list[str] | None) -> Callable[[str], bool]:
    """A test of row names against `--only` patterns (all rows without any)."""
    wanted = [p.strip() for item in patterns or () for p in item.split(",") if p.strip()]
    if not wanted:
        return lambda name: True
    return lambda name: any(fnmatch.fnmatchcase(name, p) for p in wanted)


def main() -> int:
    ensure_project_python()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the reference project; no budgets")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--json", metavar="FILE", help="write the rows as JSON")
    parser.add_argument("--rebuild", action="store_true", help="build the project again even if cached")
    parser.add_argument("--only", metavar="PATTERN", action="append",
                        help="run only the rows whose name matches this shell-style pattern (e.g. 'matrix_*'); "
                             "repeat it or separate patterns by commas; the build row is always reported")
    parser.add_argument("--list", action="store_true", help="print the name of every row (as --only filters "
                                                            "them) and exit")
    args = parser.parse_args()

    os.environ.setdefault("QCODE_DATA_DIR", str(ROOT / ".bench" / "data"))
    from analysis_rows import ROW_NAMES as ANALYSIS_ROW_NAMES
    from analysis_rows import rows as analysis_rows

    wanted = matcher(args.only)
    names = {**parts(args.quick), "analysis": ANALYSIS_ROW_NAMES}
    if args.list:
        print("\n".join(n for part in names.values() for n in part if wanted(n)))
        return 0
    if not any(wanted(n) for part in names.values() for n in part):
        parser.error(f"no row matches --only {' '.join(args.only or ())}; --list names them")

    def runs(part: str) -> bool:
        return any(wanted(n) for n in names[part])

    from qcode.core.analysis.frequencies import Grouping
    from qcode.core.project import Project

    scale = QUICK if args.quick else FULL
    folder = ROOT / ".bench"
    folder.mkdir(exist_ok=True)
    name = f"reference-{'quick' if args.quick else 'full'}-v{GENERATOR_VERSION}"
    path = folder / f"{name}.qcode"
    ids_file = folder / f"{name}.json"
    rows: list[dict] = []

    if args.rebuild or not path.exists() or not ids_file.exists():
        for stale in (path, ids_file, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        t0 = time.perf_counter()
        ids = build(path, scale)
        ids["build_seconds"] = time.perf_counter() - t0
        ids_file.write_text(json.dumps(ids))
        rows.append({"name": "build", "seconds": ids["build_seconds"], "budget_seconds": None})
    else:
        ids = json.loads(ids_file.read_text())
        # the project was built by an earlier run: report that run's build time, marked as cached
        rows.append({"name": "build", "seconds": ids.get("build_seconds", 0.0), "budget_seconds": None,
                     "cached": True})

    def open_project() -> None:
        with Project.open(path) as project:
            project.sources()
            project.codes()

    if wanted("open"):
        rows.append({"name": "open", **timed(open_project, 5), "budget_seconds": 0.5})
    project = Project.open(path, mode="read")
    group = Grouping("attribute", ids["age_group"])
    measures: list[tuple[str, Callable[[], object], float]] = [
        ("frequencies", lambda: project.frequencies(), 0.100),
        ("frequencies_by_attribute", lambda: project.frequencies(group_by=group), 0.200),
        ("search", lambda: project.search("drought kettle", limit=100), 0.050),
        ("code_excerpts", lambda: project.excerpts(ids["one_code"]), 0.050),
    ]
    for label, fn, budget in measures:
        if wanted(label):
            rows.append({"name": label, **timed(fn, 7), "budget_seconds": budget})
    # exports of about 20,000 excerpts (the codings of a tenth of the sources), timed once each
    from qcode.core.exporters import export
    from qcode.core.model import Filter

    if runs("exports"):
        tenth = Filter(sources=tuple(s.id for s in project.sources()[: max(1, len(project.sources()) // 10)]))
        export_count = len(project.excerpts_matching(tenth, with_location=False))
        out_dir = folder / "exports"
        out_dir.mkdir(exist_ok=True)
        for label, suffix, budget in (("export_xlsx_20k", "xlsx", 10.0), ("export_docx_20k", "docx", 30.0)):
            if not wanted(label):
                continue
            t0, c0 = time.perf_counter(), time.process_time()
            export(project, out_dir / f"excerpts.{suffix}", what="excerpts", flt=tenth)
            rows.append({"name": label, "seconds": time.perf_counter() - t0,
                         "cpu_seconds": round(time.process_time() - c0, 4), "budget_seconds": budget,
                         "value": export_count, "unit": "excerpts"})
    if runs("imports"):
        rows.extend(import_rows(folder, args.quick))
    from import_bounds import bounds_rows  # PDFs and libraries that used to be unbounded (this folder is on the path)

    if runs("bounds"):
        rows.extend(bounds_rows(folder, args.quick))
    from refi_rows import refi_rows

    if runs("refi"):
        rows.extend(refi_rows(path, folder))
    if runs("gui"):
        rows.extend(gui_rows(path, folder, ids["one_code"]))
    if runs("stalls"):
        rows.extend(stall_rows(path, folder))
    from safety_rows import safety_rows  # this folder is on the path, as for gui_rows
    from team_rows import team_rows

    if runs("safety"):
        rows.extend(safety_rows(path))
    if runs("team"):
        rows.extend(team_rows(path, folder))
    from privacy_rows import privacy_rows

    if runs("privacy"):
        rows.extend(privacy_rows(path, folder))

    if runs("analysis"):  # the analyses (matrix, co-occurrence, queries, ...)
        rows.extend(analysis_rows(path, ids, folder, timed, wanted))
    rows = [row for row in rows if row["name"] == "build" or wanted(row["name"])]
    excerpts = len(project.excerpts(ids["one_code"]))
    stats = {"sources": len(project.sources()), "codes": len(project.codes()), "codings": project.coding_count(),
             "text_mb": round(sum(s.length for s in project.sources()) / 1e6, 1), "one_code_excerpts": excerpts}
    project.close()

    for row in rows:
        budget = row["budget_seconds"]
        row["ok"] = True if (budget is None or args.quick) else row["seconds"] <= budget
        if "ratio_budget" in row and not args.quick:
            row["ok"] = row["value"] <= row.pop("ratio_budget")
        row.pop("ratio_budget", None)
    print(f"qcode benchmark ({'quick' if args.quick else 'reference'} project: {stats})")
    if hasattr(os, "getloadavg"):  # what the wall-clock times were measured under
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'operation':<34}{'seconds':>10}{'cpu':>10}{'budget':>10}  ok")
    for row in rows:
        budget = "" if row["budget_seconds"] is None else f"{row['budget_seconds']:.3f}"
        cpu = f"{row['cpu_seconds']:.4f}" if "cpu_seconds" in row else ""
        value = f"  ({row['value']} {row['unit']})" if "value" in row else ""
        value += "  (cached project; time of the run that built it)" if row.get("cached") else ""
        print(f"{row['name']:<34}{row['seconds']:>10.4f}{cpu:>10}{budget:>10}  {'yes' if row['ok'] else 'NO'}{value}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    if args.check and not all(row["ok"] for row in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
