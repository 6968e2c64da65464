"""The `qcode` command, through its real entry point and in-process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qcode import __version__
from qcode.cli import main
from qcode.core.project import Project

QCODE = Path(sys.executable).parent / ("qcode.exe" if os.name == "nt" else "qcode")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    return subprocess.run([str(QCODE), *args], capture_output=True, text=True, timeout=120, input=stdin)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def transcripts(tmp_path: Path) -> Path:
    folder = tmp_path / "material"
    (folder / "round2").mkdir(parents=True)
    (folder / "int1.txt").write_text(
        "Interviewer: How do you cope?\n\nAl: I keep it to myself. Help-seeking feels weak.\n\n"
        "Interviewer: And mates?\n\nAl: Mates at the club help.\n", encoding="utf-8")
    (folder / "round2" / "int2.txt").write_text(
        "Interviewer: Tell me.\n\nBo: My dad never cried. The café group helped.\n\nInterviewer: Ok.\n\nBo: Yes.\n",
        encoding="cp1252")
    (folder / "broken.docx").write_bytes(b"this is not a zip")
    (folder / "notes.xyz").write_text("ignored: unknown type inside a folder")
    return folder


def test_version_and_help_through_the_entry_point() -> None:
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"qcode {__version__}"
    helped = run("--help")
    for name in ("new", "import", "sources", "codes", "code", "autocode", "stats", "search", "memo", "cases",
                 "check", "demo", "backups", "restore", "open"):
        assert name in helped.stdout
    assert run("stats", "--help").returncode == 0


def test_workflow_through_the_entry_point(tmp_path: Path, transcripts: Path) -> None:
    project = str(tmp_path / "p.qcode")
    assert run("new", project).returncode == 0
    imported = run("import", project, str(transcripts), "--folder", "Interviews", "--coder", "Ann")
    lines = imported.stdout.strip().splitlines()
    statuses = sorted(line.split("\t")[0] for line in lines)
    assert statuses == ["failed", "imported", "imported"]
    assert imported.returncode == 1  # one file failed, after the whole batch
    failed = next(line for line in lines if line.startswith("failed"))
    assert "broken.docx" in failed
    assert "does not match that format" in failed
    again = run("import", project, str(transcripts / "int1.txt"))
    assert again.stdout.startswith("duplicate\t")
    sources = json.loads(run("sources", project, "--format", "json").stdout)
    assert [s["folder"] for s in sources] == ["Interviews/material", "Interviews/material/round2"]
    assert set(sources[0]) == {"id", "name", "kind", "folder", "length", "codings"}
    int2 = next(s for s in sources if s["name"] == "int2")
    assert int2["length"] == len("Interviewer: Tell me.\n\nBo: My dad never cried. The café group helped.\n\n"
                                 "Interviewer: Ok.\n\nBo: Yes.")
    coded = run("autocode", project, "--code", "Help-seeking/Informal", "--keywords", "mates", "club",
                "--unit", "sentence", "--coder", "Ann")
    assert coded.returncode == 0, coded.stderr
    assert "Coded 2 passages" in coded.stdout
    stats = run("stats", project, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(stats.stdout)))
    assert rows[0] == {"code": "Help-seeking", "excerpts": "2", "sources": "1", "cases": "0",
                       "characters": str(len("And mates?") + len("Mates at the club help."))}
    assert [r["code"] for r in rows] == ["Help-seeking", "Help-seeking/Informal"]
    nested = run("autocode", project, "--code", "help-seeking/Formal/GP", "--keywords", "dad", "--coder", "Ann")
    assert nested.returncode == 0, nested.stderr  # the existing parent is matched in any case; the rest is made
    codes = json.loads(run("codes", project, "--format", "json").stdout)
    assert "Help-seeking/Formal/GP" in json.dumps(codes)
    assert "help-seeking" not in json.dumps(codes)
    speaker = run("autocode", project, "--code", "Bo says", "--speaker", "bo", "--dry-run")
    assert speaker.returncode == 0, speaker.stderr
    assert speaker.stdout.splitlines()[-1] == "2 passages would be coded with Bo says (a new code)"
    assert "My dad never cried. The café group helped." in speaker.stdout
    assert run("check", project).stdout.startswith("ok")


def test_stats_by_group_filters_and_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as p:
        p.use_coder("Ann")
        s = p.add_source("One", "alpha beta gamma delta")
        t = p.add_source("Two", "alpha beta gamma delta epsilon")
        code = p.create_code("Greek")
        p.add_coding(s.id, code.id, 0, 5)
        p.add_coding(t.id, code.id, 0, 10)
        case = p.create_case("P1")
        p.add_case_member(case.id, s.id)
        group = p.create_attribute("Group", "choice", choices=["x", "y"])
        p.set_attribute_value(group.id, case.id, "x")
    code, out, _ = cli(capsys, "stats", str(path), "--by", "source", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [(r["group"], r["code"], r["excerpts"], r["characters"]) for r in data] == [
        ("One", "Greek", 1, 5), ("Two", "Greek", 1, 10)]
    code, out, _ = cli(capsys, "stats", str(path), "--by", "attribute:Group", "--format", "csv")
    assert out.splitlines() == ["group,code,excerpts,sources,cases,characters", "x,Greek,1,1,1,5"]
    code, out, _ = cli(capsys, "stats", str(path), "--where", "Group=x", "--format", "csv")
    assert out.splitlines()[1] == "Greek,1,1,1,5"
    code, out, _ = cli(capsys, "stats", str(path), "--source", "Two", "--coder", "Ann", "--format", "csv")
    assert out.splitlines()[1] == "Greek,1,1,0,10"
    code, out, _ = cli(capsys, "stats", str(path))
    assert "Greek" in out
    assert out.splitlines()[0].split() == ["code", "excerpts", "sources", "cases", "characters"]
    code, _, err = cli(capsys, "stats", str(path), "--by", "attribute:Nope")
    assert code == 1
    assert err.startswith("qcode: There is no attribute")


def test_code_search_memo_and_cases_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        p.add_source("Int", "Interviewer: hi\n\nAl: help-seeking is hard 😀 for me\n\nInterviewer: ok\n\nAl: yes")
        p.create_code("Barriers")
    code, out, err = cli(capsys, "code", path, "--source", "Int", "--code", "Barriers", "--start", "21",
                         "--end", "33", "--coder", "Bea")
    assert code == 0, err
    assert "¶ 2, Al" in out
    code, out, _ = cli(capsys, "code", path, "--source", "Int", "--code", "Barriers", "--start", "5", "--end", "500")
    assert code == 1
    code, out, _ = cli(capsys, "search", path, "help-seeking", "--format", "json")
    hits = json.loads(out)
    assert hits == [{"source": "Int", "source_id": 1, "start": 21, "end": 33, "context": hits[0]["context"]}]
    assert cli(capsys, "memo", path, "--project", "--set", "Journal entry")[0] == 0
    assert cli(capsys, "memo", path, "--project")[1] == "Journal entry\n"
    memo_file = tmp_path / "memo.txt"
    memo_file.write_text("From a file ✓", encoding="utf-8")
    assert cli(capsys, "memo", path, "--code", "Barriers", "--file", str(memo_file))[0] == 0
    assert cli(capsys, "memo", path, "--code", "Barriers")[1] == "From a file ✓\n"
    assert cli(capsys, "memo", path, "--coding", "1", "--set", "on the coding")[0] == 0
    code, out, err = cli(capsys, "cases", path, "add", "Al", "--source", "Int", "--attr", "Age=34",
                         "--attr", "Setting=club")
    assert code == 0, err
    code, out, _ = cli(capsys, "cases", path, "--format", "json")
    assert json.loads(out) == [{"id": 1, "name": "Al", "sources": 1, "Age": 34, "Setting": "club"}]
    code, out, _ = cli(capsys, "codes", path, "--format", "csv")
    assert out.splitlines()[1].startswith("1,Barriers,")
    assert out.splitlines()[1].endswith(",1,1,1,12")


def test_ambiguous_names_list_candidates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        a = p.create_folder("A")
        b = p.create_folder("B")
        p.add_source("Same", "x y z", folder_id=a.id)
        p.add_source("Same", "x y z w", folder_id=b.id)
        p.create_code("C")
    code, _, err = cli(capsys, "code", path, "--source", "Same", "--code", "C", "--start", "0", "--end", "1")
    assert code == 1
    assert "A/Same (id 1)" in err
    assert "B/Same (id 2)" in err
    assert cli(capsys, "code", path, "--source", "B/Same", "--code", "C", "--start", "0", "--end", "1")[0] == 0


def test_errors_are_one_line_and_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run("stats", str(tmp_path / "missing.qcode"))
    assert missing.returncode == 1
    assert missing.stderr.strip().count("\n") == 0
    assert "Traceback" not in missing.stderr
    not_project = tmp_path / "x.qcode"
    not_project.write_text("hello")
    out = run("sources", str(not_project))
    assert out.returncode == 1
    assert "not a qcode project" in out.stderr
    assert run("stats").returncode == 2
    assert run("code", str(not_project), "--start", "x").returncode == 2


def test_writes_to_a_locked_project_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    holder = Project.create(path)
    holder.add_source("S", "some words here")
    try:
        listed = run("sources", str(path))
        assert listed.returncode == 0
        assert "S" in listed.stdout
        refused = run("memo", str(path), "--project", "--set", "x")
        assert refused.returncode == 1
        assert "open in another qcode window" in refused.stderr
    finally:
        holder.close()


def test_unexpected_errors_print_the_log_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from qcode.cli import commands

    def boom(args: object) -> int:
        raise RuntimeError("kaput")

    monkeypatch.setattr(commands, "cmd_sources", boom)
    import qcode.cli.parser as parser_module

    monkeypatch.setattr(parser_module.commands, "cmd_sources", boom)
    path = tmp_path / "p.qcode"
    Project.create(path).close()
    code, _, err = cli(capsys, "sources", str(path))
    assert code == 1
    assert "kaput" in err
    assert "qcode.log" in err
    log = Path(os.environ["QCODE_DATA_DIR"]) / "logs" / "qcode.log"
    assert "Traceback" in log.read_text()


def test_backups_and_restore_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as p:
        p.create_code("Saved")
        p.backup("manual")
    _code, out, _ = cli(capsys, "backups", str(path), "--format", "json")
    listed = json.loads(out)
    assert len(listed) == 1
    target = tmp_path / "back.qcode"
    assert cli(capsys, "restore", listed[0]["path"], str(target))[0] == 0
    assert cli(capsys, "restore", listed[0]["path"], str(target))[0] == 1
    with Project.open(target) as p:
        assert [c.name for c in p.codes()] == ["Saved"]


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as p:
        s = p.add_source("Int", "Interviewer: hi\n\nAl: words here\n\nInterviewer: ok\n\nAl: yes")
        code = p.create_code("C")
        p.add_coding(s.id, code.id, 17, 31)
    code_, _out, err = cli(capsys, "export", str(path), "--out", str(tmp_path / "x.xlsx"))
    assert code_ == 0, err
    assert (tmp_path / "x.xlsx").exists()
    code_, _out, err = cli(capsys, "export", str(path), "--out", str(tmp_path / "e.csv"), "--code", "C",
                          "--delimiter", ";")
    assert code_ == 0, err
    lines = (tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("C;Int;;Tester;17;31;")
    code_, _out, err = cli(capsys, "export", str(path), "--out", str(tmp_path / "m.xlsx"), "--what", "memos")
    assert code_ == 1
    assert "Word" in err


def test_refused_autocode_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        p.add_source("Int", "Al: I ring my mate. Then we go for a pint.\n\nBo: A pint helps.")
    code, _, err = cli(capsys, "autocode", path, "--code", "New/Sub", "--pattern", "(")
    assert code == 1
    assert "not a valid regular expression" in err
    code, _, err = cli(capsys, "autocode", path, "--code", "New/Sub", "--keywords", "pint", "--source", "Nope")
    assert code == 1
    code, out, _ = cli(capsys, "autocode", path, "--code", "New/Sub", "--keywords", "pint", "--dry-run")
    assert code == 0
    assert "2 passages would be coded with New/Sub (a new code)" in out
    code, out, _ = cli(capsys, "autocode", path, "--code", "New/Sub", "--keywords", "pint", "--dry-run",
                       "--format", "json")
    assert [(h["source"], h["start"], h["end"], h["text"]) for h in json.loads(out)] == [
        ("Int", 37, 41, "pint"), ("Int", 50, 54, "pint")]
    with Project.open(path) as p:
        assert p.codes() == []
    code, out, _ = cli(capsys, "autocode", path, "--code", "New/Sub", "--keywords", "pint", "--unit", "sentence")
    assert code == 0
    assert "Coded 2 passages with New/Sub" in out
    with Project.open(path) as p:
        assert [p.code_path(c.id) for c in p.codes()] == ["New", "New/Sub"]
        assert p.coding_count() == 2


def test_search_takes_the_shared_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        p.use_coder("Ann")
        one = p.add_source("One", "help-seeking is hard. Later, help-seeking got easier.")
        p.add_source("Two", "Nobody mentioned help-seeking here.")
        code = p.create_code("Barriers")
        p.add_coding(one.id, code.id, 0, 21)
    code_, out, _ = cli(capsys, "search", path, "help-seeking", "--format", "csv")
    assert len(out.splitlines()) == 4
    code_, out, err = cli(capsys, "search", path, "help-seeking", "--code", "Barriers", "--format", "json")
    assert code_ == 0, err
    assert [(h["source"], h["start"], h["end"]) for h in json.loads(out)] == [("One", 0, 12)]
    code_, out, _ = cli(capsys, "search", path, "help-seeking", "--source", "Two", "--format", "json")
    assert [h["source"] for h in json.loads(out)] == ["Two"]
    code_, out, _ = cli(capsys, "search", path, "help-seeking", "--coder", "Ann", "--format", "json")
    assert len(json.loads(out)) == 1
    assert cli(capsys, "search", path, "help-seeking", "--limit", "0")[0] == 2  # a usage error


def test_stats_and_codes_show_paths_and_keep_to_the_filtered_codes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        s = p.add_source("One", "alpha beta gamma delta")
        top = p.create_code("Top")
        kid = p.create_code("Kid", parent_id=top.id)
        other = p.create_code("Other")
        p.add_coding(s.id, kid.id, 0, 5)
        p.add_coding(s.id, other.id, 6, 10)
    _, out, _ = cli(capsys, "stats", path)
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["Top", "Top/Kid", "Other"]
    _, out, _ = cli(capsys, "stats", path, "--code", "Top", "--format", "csv")
    assert out.splitlines() == ["code,excerpts,sources,cases,characters", "Top,1,1,0,5", "Top/Kid,1,1,0,5"]
    _, out, _ = cli(capsys, "codes", path, "--code", "Other", "--format", "json")
    assert [(c["path"], c["excerpts"]) for c in json.loads(out)] == [("Other", 1)]
    _, out, _ = cli(capsys, "codes", path, "--source", "One", "--format", "csv")
    assert len(out.splitlines()) == 4


def test_import_listing_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str], transcripts: Path) -> None:
    path = str(tmp_path / "p.qcode")
    Project.create(path).close()
    code, out, _ = cli(capsys, "import", path, str(transcripts / "int1.txt"), str(transcripts / "broken.docx"),
                       "--format", "csv")
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["status"], Path(r["file"]).name) for r in rows] == [("imported", "int1.txt"), ("failed", "broken.docx")]
    assert rows[0]["source_ids"] == "1"
    code, out, _ = cli(capsys, "import", path, str(transcripts / "int1.txt"), "--format", "json")
    assert code == 0
    assert json.loads(out)[0]["status"] == "duplicate"


def test_unknown_words_and_missing_projects(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    code, _, err = cli(capsys, "stast", "demo.qcode")
    assert code == 2
    assert "'stast' is neither a command nor a project file" in err
    code, _, err = cli(capsys, str(tmp_path / "missing.qcode"))
    assert code == 1
    assert "There is no project at" in err
    demo = tmp_path / "d.qcode"
    demo.write_text("mine")
    code, _, err = cli(capsys, "demo", str(demo))
    assert code == 1
    assert "--force" in err
    assert demo.read_text() == "mine"


def test_check_reports_a_damaged_project(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "p.qcode"
    with Project.create(path) as p:
        s = p.add_source("Int", "short text")
        code = p.create_code("C")
        p.add_coding(s.id, code.id, 0, 5)
    assert run("check", str(path)).returncode == 0
    conn = sqlite3.connect(path)
    conn.execute('UPDATE coding SET "end" = 500')  # a coding past the end of its text
    conn.commit()
    conn.close()
    checked = run("check", str(path))
    assert checked.returncode == 1
    assert "lies outside 'Int'" in checked.stdout
    assert "out of date" in checked.stdout  # the stored characters no longer match a recount


def test_a_refused_part_of_cases_add_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        p.add_source("Int", "Al: some words here")
        p.create_attribute("Age", "number")
    code, _, err = cli(capsys, "cases", path, "add", "Al", "--source", "Int", "--attr", "Setting=club",
                       "--attr", "Age=old")
    assert code == 1
    assert "takes a number" in err
    with Project.open(path) as p:
        assert p.cases() == []
        assert [a.name for a in p.attributes()] == ["Age"]
    code, _, err = cli(capsys, "cases", path, "add", "Al", "--source", "Int", "--start", "0", "--end", "99")
    assert code == 1
    with Project.open(path) as p:
        assert p.cases() == []


def test_wrong_combinations_of_options_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        p.add_source("Int", "Al: some words here")
    for args in (("cases", path, "add"), ("cases", path, "add", "Al", "--start", "1"), ("cases", path, "Al"),
                 ("stats", path, "--by", "colour"), ("stats", path, "--where", "no equals sign"),
                 ("import", path)):
        code, _out, err = cli(capsys, *args)
        assert code == 2, args
        assert err.startswith("qcode: "), err
        assert err.count("\n") == 1, err
    with Project.open(path) as p:
        assert p.cases() == []


def test_a_refused_command_adds_no_coder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    with Project.create(path) as p:
        p.add_source("Int", "Al: some words here")
        p.create_code("C")
    code, _, _ = cli(capsys, "code", path, "--source", "Int", "--code", "C", "--start", "0", "--end", "999",
                     "--coder", "Newcomer")
    assert code == 1
    with Project.open(path) as p:
        assert "Newcomer" not in [c.name for c in p.coders()]
    code, _, _ = cli(capsys, "code", path, "--source", "Int", "--code", "C", "--start", "0", "--end", "2",
                     "--coder", "Newcomer")
    assert code == 0
    with Project.open(path) as p:
        (coding,) = p.codings()
        assert p.coder(coding.coder_id).name == "Newcomer"
