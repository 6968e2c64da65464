"""A killed process loses nothing it committed; the core never imports Qt; the faces use only the core's surface."""

from __future__ import annotations

import ast
import importlib
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


PACKAGE = Path(qcode.__file__).parent


def _imported_modules(file: Path) -> set[str]:
    """Every module a file imports, absolute; `from a import b` counts as both a and a.b (b may be a module)."""
    parts = file.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1]  # the package a relative import starts from (for __init__ too)
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _offenders(folders: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    offenders = []
    for folder in folders:
        files = [folder] if folder.is_file() else sorted(folder.rglob("*.py"))
        for file in files:
            for name in sorted(_imported_modules(file)):
                if any(name == f or name.startswith(f + ".") for f in forbidden):
                    offenders.append(f"{file.relative_to(PACKAGE)} imports {name}")
    return offenders


#: the only modules of the core a face (qcode/cli, qcode/gui) may import; what else a face needs is re-exported
#: by qcode.core.project (see its docstring). `qcode.core` itself is there for `from qcode.core import paths`.
PUBLIC_CORE = ("qcode.core", "qcode.core.project", "qcode.core.model", "qcode.core.errors", "qcode.core.paths",
               "qcode.core.progress")


def _module_of(name: str) -> str:
    """The module a dotted import name ends in: `qcode.core.project.Project` is in `qcode.core.project`, while
    `qcode.core.project.cases` is a module of its own."""
    parts = name.split(".")
    while len(parts) > 1:
        path = PACKAGE.parent.joinpath(*parts)
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            break
        parts.pop()
    return ".".join(parts)


def _internal_imports(folders: list[Path]) -> list[str]:
    """Every import of a core module outside PUBLIC_CORE, as "file imports module"."""
    found = set()
    for folder in folders:
        for file in sorted(folder.rglob("*.py")):
            for name in _imported_modules(file):
                module = _module_of(name)
                if (module == "qcode.core" or module.startswith("qcode.core.")) and module not in PUBLIC_CORE:
                    found.add(f"{file.relative_to(PACKAGE)} imports {module}")
    return sorted(found)


def test_faces_use_only_the_public_surface_of_the_core() -> None:
    faces = [PACKAGE / "cli", PACKAGE / "gui"]
    assert _offenders(faces, ("qcode.core.store",)) == []
    assert _internal_imports(faces) == [], f"import these from one of {PUBLIC_CORE} (qcode.core.project re-exports)"


def test_the_public_check_tells_a_module_from_a_name_in_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "qcode"
    for package in ("core", "core/project", "core/team", "gui"):
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text("")
    for module in ("core/model.py", "core/project/cases.py", "core/team/review.py"):
        (fake / module).write_text("")
    (fake / "gui" / "a.py").write_text("from qcode.core.project import Project, coerce_value\n"
                                       "from qcode.core.model import Filter\nfrom qcode.core import paths\n")
    (fake / "gui" / "b.py").write_text("from qcode.core.project.cases import coerce_value\n")
    (fake / "gui" / "c.py").write_text("def later():\n    from qcode.core.team import review\n")
    (fake / "gui" / "d.py").write_text("import qcode.core.team.review as r\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert _internal_imports([fake / "gui"]) == [
        "gui/b.py imports qcode.core.project.cases",
        "gui/c.py imports qcode.core.team",
        "gui/c.py imports qcode.core.team.review",
        "gui/d.py imports qcode.core.team.review",
    ]


def test_the_project_module_re_exports_what_it_lists_and_loads_it_on_first_use() -> None:
    import qcode.core.project as public

    lazy = set(public._ELSEWHERE)
    assert lazy <= set(public.__all__)
    for name in public.__all__:
        module, attribute = public._ELSEWHERE.get(name, (public.__name__, name))
        assert getattr(public, name) is getattr(importlib.import_module(module), attribute), name
    probe = "import sys, qcode.core.project; print(sorted(m for m in ('qcode.core.exporters', " \
            "'qcode.core.refi.reader', 'qcode.core.team.agreement_export', 'qcode.core.demo') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"  # opening a project does not load the exporters, REFI-QDA or the demo


def test_no_upward_imports() -> None:
    # the core and the crash log serve every face, so they import none; the app never reaches into the CLI
    assert _offenders([PACKAGE / "core", PACKAGE / "crash_log.py"], ("qcode.cli", "qcode.gui")) == []
    assert _offenders([PACKAGE / "gui"], ("qcode.cli",)) == []


def test_the_layering_check_sees_every_form_of_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "qcode"
    (fake / "gui").mkdir(parents=True)
    (fake / "gui" / "a.py").write_text("from qcode.core import store\n")
    (fake / "gui" / "b.py").write_text("import qcode.core.store.backups as b\n")
    (fake / "gui" / "c.py").write_text("from ..cli import report_bug\n")
    (fake / "gui" / "d.py").write_text("from qcode.core import paths\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert _offenders([fake / "gui"], ("qcode.core.store", "qcode.cli")) == [
        "gui/a.py imports qcode.core.store",
        "gui/b.py imports qcode.core.store.backups",
        "gui/c.py imports qcode.cli",
        "gui/c.py imports qcode.cli.report_bug",
    ]


def test_the_crash_log_is_written_without_the_cli(tmp_path: Path) -> None:
    from qcode import crash_log

    try:
        raise RuntimeError("kaput")
    except RuntimeError as err:
        line = crash_log.report_line(err)
    assert "RuntimeError: kaput" in line
    assert str(crash_log.log_path()) in line
    assert "Traceback" in crash_log.log_path().read_text(encoding="utf-8")
    assert crash_log.log_path().is_relative_to(Path(os.environ["QCODE_DATA_DIR"]))
