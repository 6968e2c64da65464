"""The benchmark script keeps working: a quick run builds its project and writes well-formed rows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_quick_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "benchmarks" / "run.py"), "--quick", "--rebuild", "--json", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(out.read_text())
    names = [row["name"] for row in rows]
    assert names[:35] == ["build", "open", "frequencies", "frequencies_by_attribute", "search", "code_excerpts",
                     "export_xlsx_20k", "export_docx_20k", "import_docx_20", "import_overhead_ratio",
                     "import_text_5mb_peak", "import_pdf_shared_stream_400", "import_bibtex_2000",
                     "import_bibtex_5000", "import_pdf_bomb_80mb_peak", "export_qdpx", "export_qdpx_peak",
                     "import_qdpx", "import_qdpx_peak", "gui_open_window", "gui_open_large_source", "gui_select_code",
                     "gui_apply_coding", "gui_remove_coding", "gui_matrix_view", "gui_cooccurrence_view",
                     *(f"gui_analysis_longest_stall_{key}"
                       for key in ("frequencies", "matrix", "cooccurrence", "query", "words", "saturation")),
                     "check_before_first_write",
                     "agreement_paragraph", "merge_reference"]
    assert {"matrix_by_case", "matrix_by_source", "matrix_by_coder", "matrix_by_attribute", "cooccurrence",
            "coding_query", "word_frequency", "word_frequency_all_sources", "saturation", "apply_batch_10k",
            "code_excerpts_with_locations",
            "frequencies_filtered_by_folder", "frequencies_filtered_by_sources", "frequencies_filtered_by_coder",
            "stats_by_source_peak", "name_check_excerpts"} <= set(names)
    for row in rows:
        assert set(row) >= {"name", "seconds", "budget_seconds", "ok"}
        assert row["seconds"] > 0


def test_the_reference_build_is_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    try:
        import run as bench
    finally:
        sys.path.pop(0)
    tiny = bench.Scale(sources=4, chars_per_source=1500, codes_top=2, codes_mid=2, codes_leaf=2, codings=120,
                       cases=3, one_code_excerpts=10)
    bench.build(tmp_path / "a.qcode", tiny)
    bench.build(tmp_path / "b.qcode", tiny)
    assert (tmp_path / "a.qcode").read_bytes() == (tmp_path / "b.qcode").read_bytes()


def test_the_import_peak_is_the_importing_process_alone(tmp_path: Path) -> None:
    """A child started from a process holding much memory reports its own peak, not the parent's (Linux keeps
    ru_maxrss across fork and exec)."""
    sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
    try:
        import run as bench
    finally:
        sys.path.pop(0)
    ballast = bytearray(400 * 1024 * 1024)
    for index in range(0, len(ballast), 4096):  # touch every page, so the parent's memory is resident
        ballast[index] = 1
    (peak,) = [row for row in bench.import_rows(tmp_path, quick=True) if row["name"] == "import_text_5mb_peak"]
    del ballast
    assert peak["value"] < peak["ratio_budget"] < 400
