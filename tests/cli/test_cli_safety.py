"""The command on a damaged, read-only, full or busy project: one line naming the real cause, nothing written."""

from __future__ import annotations

import argparse
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from qcode.cli import commands, main
from qcode.core.project import Project
from tests.damage import build_project, fingerprint, overwrite_page, run_sql

QCODE = Path(sys.executable).parent / "qcode"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(QCODE), *args], capture_output=True, text=True, timeout=120)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.skipif(not QCODE.exists(), reason="the console script is not installed")
def test_a_write_command_on_a_damaged_project_changes_nothing(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode")
    overwrite_page(path)
    before = fingerprint(path)
    for args in (("code", str(path), "--source", "Interview 01", "--code", "Coping", "--start", "30", "--end", "40"),
                 ("memo", str(path), "--project", "--set", "a note")):
        done = run(*args)
        assert done.returncode == 1
        assert done.stderr.startswith(f"qcode: {path} seems damaged (")
        assert f"'qcode backups {path}' lists them" in done.stderr
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
    assert fingerprint(path) == before


def test_text_that_breaks_utf8_while_connecting_is_damage(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = build_project(tmp_path / "p.qcode", sources=2)
    run_sql(path, "PRAGMA writable_schema = ON",
            "UPDATE sqlite_master SET name = CAST(x'636fff' AS TEXT), sql = 'CREATE TABLE c' WHERE name = 'coder'")
    before = fingerprint(path)
    for args in (("sources", str(path)), ("memo", str(path), "--project", "--set", "x"), ("check", str(path))):
        code, _, err = cli(capsys, *args)
        assert code == 1
        assert "seems damaged (some of its text is not valid UTF-8)" in err
    assert fingerprint(path) == before


def test_a_read_only_project_file_reads_but_refuses_writes(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = build_project(tmp_path / "p.qcode", sources=2)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        code, out, _ = cli(capsys, "sources", str(path))
        assert code == 0
        assert "Interview 01" in out
        code, _, err = cli(capsys, "memo", str(path), "--project", "--set", "a note")
        assert code == 1
        assert err.startswith("qcode: The project file is read-only (")
        assert "not a qcode project" not in err
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_read_only_folder_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.store import lock

    path = build_project(tmp_path / "p.qcode", sources=1)

    def cannot_create(self, holder=None):  # a read-only folder refuses the lock file (even root, on a read-only mount)
        raise OSError(30, "Read-only file system", str(self.path))

    monkeypatch.setattr(lock.ProjectLock, "acquire", cannot_create)
    code, _, err = cli(capsys, "memo", str(path), "--project", "--set", "x")
    assert code == 1
    assert err.startswith(f"qcode: The folder {tmp_path.resolve()} is read-only")
    assert "another qcode window" not in err


def test_the_lock_message_names_the_command_holding_the_project(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = build_project(tmp_path / "p.qcode", sources=1)
    holding = argparse.Namespace(project=str(path), handler=commands.cmd_import, coder=None)
    with commands._open(holding, write=True):
        code, _, err = cli(capsys, "memo", str(path), "--project", "--set", "x")
        assert code == 1
        assert "This project is being changed by the command 'qcode import' (process" in err
        assert "window" not in err
        code, _out, _ = cli(capsys, "sources", str(path))  # reading goes on
        assert code == 0


def test_a_full_disk_keeps_the_batch_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_project(tmp_path / "p.qcode", sources=1)
    files = []
    for i in range(2):
        file = tmp_path / f"long{i}.txt"
        file.write_text(f"Bo: words of interview {i}. " * 4000, encoding="utf-8")
        files.append(str(file))
    real_open = Project.open.__func__

    def nearly_full(cls, *args, **kwargs):  # ENOSPC at the store: the file may grow two pages more
        project = real_open(cls, *args, **kwargs)
        project.verify()
        conn = project._store.conn
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0] + 2}")
        return project

    monkeypatch.setattr(Project, "open", classmethod(nearly_full))
    code, out, err = cli(capsys, "import", str(path), *files)
    assert code == 1
    lines = out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["failed", "failed"]
    assert all("The disk is full" in line for line in lines)
    assert "damaged" not in out + err


@pytest.mark.parametrize(("errorname", "text", "expected"), [
    ("SQLITE_FULL", "database or disk is full",
     "qcode: the disk is full (database or disk is full); the project holds every change made before"),
    ("SQLITE_CORRUPT", "database disk image is malformed",
     "seems damaged (database disk image is malformed). Restore a backup as a copy: 'qcode backups "),
])
def test_an_sqlite_failure_that_escapes_a_command_names_its_cause(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        errorname: str, text: str, expected: str) -> None:
    import sqlite3

    import qcode.cli.parser as parser_module

    def failing(args: argparse.Namespace) -> int:
        err = sqlite3.OperationalError(text)
        err.sqlite_errorname = errorname
        raise err

    monkeypatch.setattr(parser_module.commands, "cmd_sources", failing)
    path = build_project(tmp_path / "p.qcode", sources=1)
    code, _, err = cli(capsys, "sources", str(path))
    assert code == 1
    assert expected in err
    assert len(err.strip().splitlines()) == 1
