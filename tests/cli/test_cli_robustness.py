"""The command line with hostile input: names full of control characters, text that is not UTF-8, files
named like options, and a batch in which one file makes a reading library fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.project import Project

ROOT = Path(__file__).resolve().parents[2]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcode"
    Project.create(path).close()
    return path


def test_a_file_named_like_an_option_imports_after_a_double_dash(
        tmp_path: Path, project_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-x.txt").write_text("Interviewer: An invented question.\n", encoding="utf-8")
    Path("b.txt").write_text("Interviewer: Another invented question.\n", encoding="utf-8")
    code, out, err = cli(capsys, "import", str(project_file), "--folder", "F", "--", "-x.txt")
    assert (code, err) == (0, "")
    assert out == "imported\t-x.txt\t\n"
    # names may also follow the options, before or after a double dash
    code, out, _ = cli(capsys, "import", str(project_file), "--folder", "G", "b.txt")
    assert (code, out) == (0, "imported\tb.txt\t\n")
    with Project.open(project_file, mode="read") as project:
        assert sorted(project.source_path(s.id) for s in project.sources()) == ["F/-x", "G/b"]
    code, _, err = cli(capsys, "import", str(project_file), "--bogus", "b.txt")
    assert code == 2
    assert "unrecognized arguments: --bogus" in err


def test_listings_never_replay_control_characters(
        tmp_path: Path, project_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "Red \x1b[31mname\x07.txt"
    path.write_text("Interviewer: An invented question.\n", encoding="utf-8")
    code, out, _ = cli(capsys, "import", str(project_file), str(path))
    assert code == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\\x1b[31m" in out  # the report shows the file's real name, escaped
    code, out, _ = cli(capsys, "cases", str(project_file), "add", "Case \u202eevil\x1b]0;x\x07")
    assert code == 0
    for command in (("sources", str(project_file)), ("cases", str(project_file))):
        code, out, _ = cli(capsys, *command)
        assert code == 0
        assert not any(c in out for c in "\x1b\x07\u202e")


def test_text_arguments_that_are_not_utf8_are_refused_in_one_line(project_file: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LC_ALL": "C.UTF-8"}
    for args in ([b"cases", b"add", b"bad \xff name"], [b"code", b"--source", b"1", b"--code", b"C\xe9",
                                                         b"--start", b"0", b"--end", b"2"]):
        done = subprocess.run([sys.executable, "-m", "qcode", args[0], os.fsencode(project_file), *args[1:]],
                              capture_output=True, env=env)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.decode("utf-8").strip().splitlines()
        assert len(lines) == 1, lines
        assert "is not valid UTF-8" in lines[0]
    with Project.open(project_file, mode="read") as project:
        assert project.cases() == []
        assert project.codes() == []


def test_the_import_report_keeps_one_line_per_file_whatever_the_names(
        tmp_path: Path, project_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "two\nlines\tand a tab.txt"
    odd.write_text("Interviewer: An invented question.\n", encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("Interviewer: Another invented question.\n", encoding="utf-8")
    code, out, _ = cli(capsys, "import", str(project_file), str(odd), str(plain))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert [line.count("\t") for line in lines] == [2, 2]
    assert lines[0].endswith("two\\x0alines\\x09and a tab.txt\t")


def test_a_file_a_library_fails_on_is_one_line_and_the_rest_import(
        tmp_path: Path, project_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    import docx

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("Interviewer: An invented question.\n", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("Interviewer: Another invented question?")
    document.save(str(tmp_path / "good.docx"))
    with zipfile.ZipFile(tmp_path / "good.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    main = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
    parts["word/document.xml"] = parts["word/document.xml"].replace(main, main[:-1] + b"X\"")
    with zipfile.ZipFile(folder / "b.docx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (folder / "c.md").write_text("# Notes\n\nAn invented note.", encoding="utf-8")
    code, out, err = cli(capsys, "import", str(project_file), str(folder))
    assert code == 1
    assert err == ""
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["imported", "failed", "imported"]
    assert "b.docx could not be read: it seems damaged" in lines[1]
