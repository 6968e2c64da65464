"""Exports show what was asked for: filtered tables list the chosen codes, every filter and --by applies or is
refused, and frequency tables carry each code's coverage."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from qcode.cli import main
from qcode.core.analysis.frequencies import Grouping
from qcode.core.demo import build_demo
from qcode.core.exporters import export
from qcode.core.exporters.tables import NOTHING_MATCHES
from qcode.core.model import Filter
from qcode.core.project import Project

TODAY = date(2026, 11, 25)
TRUST = "Peer relationships/Trust and confidentiality"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "d.qcode"
    build_demo(path)
    return path


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


# --- 2. filtered tables list the chosen codes --------------------------------------------------------------


def test_a_code_filter_lists_the_chosen_code_in_every_format(demo: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    chosen = "Peer relationships > Trust and confidentiality"
    for what in ("frequencies", "matrix"):
        out = tmp_path / f"{what}.csv"
        assert _run(capsys, "export", str(demo), "--out", str(out), "--what", what, "--code", TRUST)[0] == 0
        # a matrix ends with its total row
        assert [row["code"] for row in _csv(out)] == ([chosen] if what == "frequencies" else [chosen, "total"]), what
    workbook = tmp_path / "all.xlsx"
    assert _run(capsys, "export", str(demo), "--out", str(workbook), "--code", "Peer relationships")[0] == 0
    book = openpyxl.load_workbook(workbook)
    listed = [row[0] for row in book["Frequencies"].iter_rows(min_row=2, values_only=True)]
    assert len(listed) == 6  # the category and its five sub-codes, nothing else
    assert all(path.startswith("Peer relationships") for path in listed)
    assert [row[0] for row in book["Matrix"].iter_rows(min_row=2, values_only=True)][:6] == listed
    report = tmp_path / "freq.docx"
    assert _run(capsys, "export", str(demo), "--out", str(report), "--what", "frequencies", "--code", TRUST)[0] == 0
    table = docx.Document(str(report)).tables[0]
    assert [row.cells[0].text for row in table.rows[1:]] == ["Trust and confidentiality"]


def chart_references(workbook: Path) -> list[str]:
    """The cell ranges the workbook's charts draw (openpyxl does not read charts back, so read the package)."""
    with zipfile.ZipFile(workbook) as package:
        return [ref for name in package.namelist() if name.startswith("xl/charts/chart")
                for ref in re.findall(r"<f>([^<]+)</f>", package.read(name).decode())]


def test_a_chart_shows_only_the_chosen_codes(demo: Path, tmp_path: Path) -> None:
    with Project.open(demo, mode="read") as p:
        flt = Filter(codes=(p.find_code(TRUST).id,))
        out = export(p, tmp_path / "f.xlsx", what="frequencies", flt=flt, today=TODAY)
    references = chart_references(out)
    assert references
    drawn = [ref for ref in references if "$" in ref]  # the series title is a plain cell reference
    assert all(ref.endswith("$2") for ref in drawn), drawn  # one bar: the chosen code's row


def test_an_empty_result_says_so_in_words(project: Project, tmp_path: Path) -> None:
    source = project.add_source("One", "Some words here.")
    used, unused = project.create_code("Used"), project.create_code("Unused")
    project.add_coding(source.id, used.id, 0, 4)
    flt = Filter(codes=(unused.id,))
    report = export(project, tmp_path / "f.docx", what="frequencies", flt=flt, today=TODAY)
    document = docx.Document(str(report))
    assert document.tables == []
    assert NOTHING_MATCHES in [p.text for p in document.paragraphs]
    matrix = export(project, tmp_path / "m.docx", what="matrix", flt=flt, today=TODAY)
    assert NOTHING_MATCHES in [p.text for p in docx.Document(str(matrix)).paragraphs]
    rows = _csv(export(project, tmp_path / "f.csv", what="frequencies", flt=flt, today=TODAY))
    assert rows == []  # the header alone: no all-zero rows
    book = openpyxl.load_workbook(export(project, tmp_path / "f.xlsx", what="all", flt=flt, today=TODAY))
    assert book["Frequencies"]["A2"].value == NOTHING_MATCHES
    assert book["Matrix"]["A2"].value == NOTHING_MATCHES


# --- 3. every filter and --by applies, or is refused ------------------------------------------------------------


@pytest.fixture
def team(project: Project) -> Project:
    """Two coders, two codes, memos on codes, codings, a source and a case."""
    p = project
    source = p.add_source("Talk", "Al: we meet at the club.\n\nAl: my dad never said much.\n\nAl: bye now.")
    other = p.add_source("Notes", "Field notes from the visit.")
    club, dad = p.create_code("Club"), p.create_code("Dad")
    p.use_coder("Ann")
    first = p.add_coding(source.id, club.id, 4, 24)
    p.add_coding(source.id, dad.id, 30, 52)
    p.set_memo("coding", first.id, "Ann on the club")
    p.set_memo("code", dad.id, "Ann on dad")
    p.use_coder("Ben")
    p.add_coding(source.id, dad.id, 30, 40)
    p.set_memo("code", club.id, "Ben on the club")
    p.set_memo("source", other.id, "Ben on the notes")
    case = p.create_case("Al")
    p.add_case_member(case.id, source.id)
    p.set_memo("case", case.id, "Ben on Al")
    p.set_journal("The journal.")
    return p


def _ids(p: Project, *, codes: tuple[str, ...] = (), coders: tuple[str, ...] = ()) -> Filter:
    coder_ids = tuple(c.id for c in p.coders() if c.name in coders)
    return Filter(codes=tuple(p.find_code(c).id for c in codes), coders=coder_ids)


def test_memos_follow_code_and_coder_filters(team: Project, tmp_path: Path) -> None:
    out = export(team, tmp_path / "m.docx", what="memos", flt=_ids(team, codes=("Club",), coders=("Ben",)),
                 filter_text="codes Club; coders Ben", today=TODAY)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Ben on the club" in texts
    for other in ("Ann on the club", "Ann on dad", "Ben on the notes", "Ben on Al", "The journal."):
        assert other not in texts
    assert "Filters: codes Club; coders Ben" in texts
    by_source = export(team, tmp_path / "s.docx", what="memos",
                       flt=Filter(sources=(team.find_source("Notes").id,)), today=TODAY)
    texts = [p.text for p in docx.Document(str(by_source)).paragraphs]
    assert "Ben on the notes" in texts
    assert "Ann on the club" not in texts
    by_case = export(team, tmp_path / "c.docx", what="memos", flt=Filter(cases=(team.find_case("Al").id,)),
                     today=TODAY)
    texts = [p.text for p in docx.Document(str(by_case)).paragraphs]
    assert {"Ben on Al", "Ann on the club"} <= set(texts)
    assert "Ben on the notes" not in texts


def test_codebook_of_the_chosen_branch(team: Project, tmp_path: Path) -> None:
    flt = _ids(team, codes=("Dad",))
    rows = _csv(export(team, tmp_path / "cb.csv", what="codebook", flt=flt, today=TODAY))
    assert [r["code"] for r in rows] == ["Dad"]
    table = docx.Document(str(export(team, tmp_path / "cb.docx", what="codebook", flt=flt, today=TODAY))).tables[0]
    assert [row.cells[0].text for row in table.rows[1:]] == ["Dad"]


def test_transcript_shows_the_chosen_coders_and_codes(team: Project, tmp_path: Path) -> None:
    source_id = team.find_source("Talk").id
    out = export(team, tmp_path / "t.docx", what="transcript", source_id=source_id,
                 flt=_ids(team, codes=("Dad",), coders=("Ben",)), today=TODAY)
    beside = " ".join(row.cells[2].text for row in docx.Document(str(out)).tables[0].rows[1:])
    assert "Dad (Ben)" in beside
    assert "Ann" not in beside
    assert "Club" not in beside


def test_frequencies_by_coder_are_grouped(team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "f.csv"
    assert _run(capsys, "export", str(team.path), "--out", str(out), "--what", "frequencies", "--by", "coder")[0] == 0
    rows = _csv(out)
    assert [(r["group"], r["code"], r["excerpts"]) for r in rows] == [("Ann", "Club", "1"), ("Ann", "Dad", "1"),
                                                                       ("Ben", "Dad", "1")]
    length = sum(s.length for s in team.sources())
    assert float(rows[2]["coverage"]) == round(100 * 10 / length, 2)  # a coder's share of all the text
    report = docx.Document(str(export(team, tmp_path / "f.docx", what="frequencies",
                                      grouping=Grouping("coder"), today=TODAY)))
    table = report.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Coder", "Code"]
    assert table.rows[1].cells[0].paragraphs[0].paragraph_format.left_indent in (None, 0)
    book = openpyxl.load_workbook(export(team, tmp_path / "f.xlsx", what="frequencies",
                                         grouping=Grouping("coder"),
                                         today=TODAY))
    header = [c.value for c in book["Frequencies"][1]]
    assert header[:2] == ["Coder", "Code"]


@pytest.mark.parametrize(("args", "flag"), [
    (["--what", "codebook", "--by", "case"], "--by"),
    (["--what", "excerpts", "--by", "coder"], "--by"),
    (["--what", "memos", "--where", "Age=30"], "--where"),
    (["--what", "transcript", "--transcript-source", "Talk", "--case", "Al"], "--case"),
    (["--what", "transcript", "--transcript-source", "Talk", "--source", "Talk"], "--source"),
    (["--what", "matrix", "--no-frequency-table"], "--no-frequency-table"),
    (["--what", "excerpts", "--transcript-source", "Talk"], "--transcript-source"),
    (["--format", "xlsx", "--delimiter", ";"], "--delimiter"),
])
def test_options_that_do_not_apply_are_refused(team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               args: list[str], flag: str) -> None:
    team.create_attribute("Age", "number")
    out = tmp_path / ("x.xlsx" if "xlsx" in args else "x.docx")
    code, err = _run(capsys, "export", str(team.path), "--out", str(out), *args)
    assert code == 2, err
    assert flag in err
    assert "does not apply" in err
    assert err.count("\n") == 1
    assert not out.exists()


def test_a_transcript_without_its_source_names_the_real_flag(team: Project, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(capsys, "export", str(team.path), "--out", str(tmp_path / "t.docx"), "--what", "transcript")
    assert code == 1
    assert "--transcript-source" in err
    code, err = _run(capsys, "export", str(team.path), "--out", str(tmp_path / "t.docx"), "--what", "transcript",
                     "--source", "Talk")
    assert code == 2
    assert "given with --transcript-source" in err


# --- 8. coverage ---------------------------------------------------------------------------------------------


def test_frequency_tables_end_with_coverage(team: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    length = sum(s.length for s in team.sources())
    rows = _csv(export(team, tmp_path / "f.csv", what="frequencies", today=TODAY))
    assert list(rows[0]) == ["code", "excerpts", "sources", "cases", "characters", "coverage"]
    by_code = {r["code"]: r for r in rows}
    assert float(by_code["Dad"]["coverage"]) == round(100 * 22 / length, 2)  # Ben's coding lies inside Ann's
    talk = team.find_source("Talk")
    rows = _csv(export(team, tmp_path / "g.csv", what="frequencies", flt=Filter(sources=(talk.id,)), today=TODAY))
    assert float({r["code"]: r for r in rows}["Club"]["coverage"]) == round(100 * 20 / talk.length, 2)
    assert main(["stats", str(team.path), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "code,excerpts,sources,cases,characters,coverage"
    assert lines[2] == f"Dad,2,1,1,22,{round(100 * 22 / length, 2)}"
    assert main(["stats", str(team.path), "--by", "source", "--format", "csv"]) == 0
    grouped = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert {(r["group"], r["code"], float(r["coverage"])) for r in grouped} == {
        ("Talk", "Club", round(100 * 20 / talk.length, 2)), ("Talk", "Dad", round(100 * 22 / talk.length, 2))}


def test_a_pseudonymised_export_measures_coverage_against_the_same_sources(project: Project, tmp_path: Path) -> None:
    """The view renames attribute values; a --where filter given with the real value still finds its sources."""
    from qcode.core.privacy.export import export_pseudonymised

    source = project.add_source("Talk", "Al: I work at Hartley Builders and nobody talks there.")
    code = project.create_code("Work")
    project.add_coding(source.id, code.id, 4, 30)
    case = project.create_case("Al")
    project.add_case_member(case.id, source.id)
    employer = project.create_attribute("Employer", "text")
    project.set_attribute_value(employer.id, case.id, "Hartley Builders")
    project.add_name("Hartley Builders", "[employer]")
    flt = Filter(attributes=((employer.id, "Hartley Builders"),))
    plain = _csv(export(project, tmp_path / "plain.csv", what="frequencies", flt=flt, today=TODAY))
    hidden = _csv(export_pseudonymised(project, tmp_path / "hidden.csv", what="frequencies", flt=flt, today=TODAY))
    assert float(plain[0]["coverage"]) == round(100 * 26 / source.length, 2)
    assert hidden[0]["coverage"] == plain[0]["coverage"]
