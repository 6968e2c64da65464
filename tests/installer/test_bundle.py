"""Release smoke test of the app bundle that `installer/build.py` makes (dist/qcode/qcode).

It runs only when asked, after a build, because building takes minutes:

    .venv/bin/python installer/build.py && QCODE_TEST_BUNDLE=1 .venv/bin/python -m pytest tests/installer

Each command runs the bundle's binary in a bare environment (no Python or Qt of the system on the path), as
a researcher's double-click would.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import docx
import pytest

import qcode

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / "dist" / "qcode" / ("qcode.exe" if os.name == "nt" else "qcode")

pytestmark = pytest.mark.skipif(os.environ.get("QCODE_TEST_BUNDLE") != "1",
                                reason="set QCODE_TEST_BUNDLE=1 after installer/build.py to test the bundle")


def run(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    bare = {"HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "QCODE_CODER": "Smoke",
            "QCODE_DATA_DIR": str(home / "data"), "LANG": "C.UTF-8"}
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=timeout, env=bare,
                          cwd=home)


def test_the_bundle_runs_the_app_and_the_command_line(tmp_path: Path) -> None:
    assert BINARY.is_file(), "build the bundle first: python installer/build.py"
    assert run(tmp_path, "--version").stdout.strip() == f"qcode {qcode.__version__}"
    demo = tmp_path / "demo.qcode"
    built = run(tmp_path, "demo", str(demo))
    assert built.returncode == 0, built.stderr

    started = time.perf_counter()
    opened = run(tmp_path, "open", str(demo), "--ready-check")
    elapsed = time.perf_counter() - started
    assert opened.returncode == 0, opened.stderr
    assert "ready in" in opened.stdout
    print(f"bundle: started and showed the demo in {elapsed:.2f} s")  # the README states this figure

    interview = docx.Document()
    for line in ("Interviewer: Who do you talk to?", "Bo: The lads at the shed.", "Interviewer: And?",
                 "Bo: Nobody else."):
        interview.add_paragraph(line)
    interview.save(str(tmp_path / "interview.docx"))
    imported = run(tmp_path, "import", str(demo), str(tmp_path / "interview.docx"))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported\t")
    for out in ("excerpts.docx", "tables.xlsx", "excerpts.csv"):
        exported = run(tmp_path, "export", str(demo), "--out", str(tmp_path / out))
        assert exported.returncode == 0, exported.stderr
        assert (tmp_path / out).stat().st_size > 1000
    checked = run(tmp_path, "check", str(demo))
    assert checked.returncode == 0, checked.stdout
