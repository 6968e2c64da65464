"""A killed process loses nothing it committed; the core never imports Qt."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import qcode
from qcode.core.project import Project

CHILD = textwrap.dedent(
    """
    import sys
    from qcode.core.project import Project
    p = Project.open(sys.argv[1])
    code = p.find_code("C")
    i = 0
    while True:
        i += 1
        if i % 10 == 0:
            s = p.add_source(f"S{i}", "text number %d " % i * 50)
            print("source", s.id, flush=True)
        else:
            src = p.sources()[-1]
            start = i % (src.length - 5)
            p.add_coding(src.id, code.id, start, start + 5)
            print("coding", i, flush=True)
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_mid_run_keeps_every_committed_action(tmp_path: Path) -> None:
    path = tmp_path / "crash.qcode"
    with Project.create(path) as project:
        project.create_code("C")
        project.add_source("S0", "first source text " * 20)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    acknowledged_codings = 0
    acknowledged_sources = 1
    deadline = time.monotonic() + 60
    assert child.stdout is not None
    while acknowledged_codings < 150 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if line.startswith("coding"):
            acknowledged_codings += 1
        elif line.startswith("source"):
            acknowledged_sources += 1
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert acknowledged_codings >= 150, "the child did not get going"
    with Project.open(path) as project:  # the lock died with the child
        assert project.check() == []
        assert project.coding_count() >= acknowledged_codings
        assert len(project.sources()) >= acknowledged_sources
        row = project.frequencies()[0]
        assert row.own.excerpts == project.coding_count()


def test_core_never_imports_qt() -> None:
    core = Path(qcode.__file__).parent / "core"
    offenders = []
    for file in core.rglob("*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "qcode") and
                   (n.startswith(("PySide6", "PyQt")) or n.startswith("qcode.gui")) for n in names):
                offenders.append(f"{file.relative_to(core)}: {names}")
    assert offenders == []


def test_sql_lives_in_the_store() -> None:
    core = Path(qcode.__file__).parent / "core"
    offenders = []
    for file in core.rglob("*.py"):
        if "store" in file.relative_to(core).parts:
            continue
        text = file.read_text(encoding="utf-8")
        for marker in (".execute(", "executemany(", "commit()"):
            if marker in text:
                offenders.append(f"{file.relative_to(core)} uses {marker}")
    assert offenders == []
