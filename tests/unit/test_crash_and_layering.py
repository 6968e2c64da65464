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
    from pathlib import Path
    from qcode.core.project import Project
    p = Project.open(sys.argv[1])
    files = Path(sys.argv[2])
    code = p.find_code("C")
    i = 0
    while True:
        i += 1
        if i % 10 == 0:
            file = files / f"import{i}.txt"
            file.write_text(f"Interviewer: number {i}?\\n\\nAl: text number {i} " * 40, encoding="utf-8")
            (outcome,) = p.import_paths([file])
            assert outcome.status == "imported", outcome.reason
            print("source", *outcome.source_ids, flush=True)
        else:
            src = p.sources()[-1]
            start = i % (src.length - 5)
            coding = p.add_coding(src.id, code.id, start, start + 5)
            print("coding", coding.id, flush=True)
    """
)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_mid_run_keeps_every_committed_action(tmp_path: Path) -> None:
    path = tmp_path / "crash.qcode"
    files = tmp_path / "files"
    files.mkdir()
    with Project.create(path) as project:
        project.create_code("C")
        first = project.add_source("S0", "first source text " * 20)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(files)], stdout=subprocess.PIPE, text=True)
    codings: list[int] = []
    sources = [first.id]
    deadline = time.monotonic() + 60
    assert child.stdout is not None
    while len(codings) < 150 and time.monotonic() < deadline:
        kind, _, number = child.stdout.readline().partition(" ")
        if kind == "coding":
            codings.append(int(number))
        elif kind == "source":
            sources.append(int(number))
    child.send_signal(signal.SIGKILL)  # in the middle of the run: the child is still writing
    child.wait(timeout=30)
    child.stdout.close()
    assert len(codings) >= 150, "the child did not get going"
    assert len(sources) > 10
    with Project.open(path) as project:  # the lock died with the child
        assert project.check() == []  # PRAGMA integrity_check, foreign keys, offsets, aggregates
        stored = {c.id for s in project.sources() for c in project.codings_for_source(s.id)}
        assert set(codings) <= stored  # every acknowledged (committed) coding is there
        assert set(sources) <= {s.id for s in project.sources()}
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
