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
    assert names == ["build", "open", "frequencies", "frequencies_by_attribute", "search", "code_excerpts",
                     "export_xlsx_20k", "export_docx_20k", "import_docx_20", "import_overhead_ratio",
                     "import_text_5mb_peak", "gui_open_window", "gui_open_large_source", "gui_select_code",
                     "gui_apply_coding", "gui_remove_coding"]
    for row in rows:
        assert set(row) >= {"name", "seconds", "budget_seconds", "ok"}
        assert row["seconds"] > 0
