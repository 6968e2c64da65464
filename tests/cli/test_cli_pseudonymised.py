"""`qcode export --pseudonymise`: every format read back holds no register term and every coding still covers
the same words; the project's default and its override; the name check, asked on a terminal and confirmed
by a flag in scripts. The interview text here is fictional, written for these tests."""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
from defusedxml import ElementTree

from qcode.cli import main
from qcode.core.demo import build_demo
from qcode.core.project import Project

TEXT = ("Interviewer: How do you cope, Bartholomew?\n\n"
        "Bartholomew: I go to the Riverside Shed and talk to Gaz. Bartholomew's wife says it helps.\n\n"
        "Interviewer: And at work?\n\nBartholomew: At Hartley Builders nobody talks about it.\n")
TERMS = {"Bartholomew": "P07", "Riverside Shed": "[community shed]", "Gaz": "P08", "Hartley Builders": "[employer]",
         "Wendy Coder": "Coder A"}
PHRASES = {"I go to the Riverside Shed and talk to Gaz": "Places/Talking to Gaz",
           "At Hartley Builders nobody talks about it": "Work",
           "Bartholomew's wife says it helps": "Places/Talking to Gaz"}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def named(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcode"
    with Project.create(path, name="Coping with Bartholomew") as p:
        p.use_coder("Wendy Coder")
        folder = p.create_folder("Riverside Shed interviews")
        source = p.add_source("Interview - Bartholomew", TEXT, folder_id=folder.id)
        for phrase, code_path in PHRASES.items():
            code = p.find_or_create_code(code_path)[0]
            start = TEXT.index(phrase)
            p.add_coding(source.id, code.id, start, start + len(phrase))
        case = p.create_case("Bartholomew")
        p.add_case_member(case.id, source.id)
        employer = p.create_attribute("Employer", "text")
        p.set_attribute_value(employer.id, case.id, "Hartley Builders")
        p.set_memo("code", p.find_code("Work").id, "Hartley Builders comes up whenever Bartholomew talks of work.")
        p.set_journal("Met Bartholomew at the Riverside Shed.")
        for term, pseudonym in TERMS.items():
            p.add_name(term, pseudonym)
    return path


def docx_texts(path: Path) -> list[str]:
    """Everything a reader of the Word file sees: paragraphs, tables, headers, footers, document properties."""
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.even_page_header):
            texts += [p.text for p in part.paragraphs]
            texts += [cell.text for table in part.tables for row in table.rows for cell in row.cells]
    props = document.core_properties
    texts += [props.title, props.subject, props.author, props.keywords, props.comments, props.last_modified_by,
              props.category]
    return [t for t in texts if t]


def xlsx_texts(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path)
    texts = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    texts += [sheet.title for sheet in book.worksheets]
    props = book.properties
    texts += [v for v in (props.title, props.creator, props.subject, props.description, props.keywords,
                          props.lastModifiedBy) if v]
    return texts


def csv_texts(path: Path) -> list[str]:
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return [cell for file in files for row in csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig")))
            for cell in row] + [file.name for file in files]


def zip_xml_texts(path: Path) -> list[str]:
    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            texts.append(name)
            data = archive.read(name)
            if name.endswith(".qde"):
                root = ElementTree.fromstring(data)
                texts += [t for element in root.iter() for t in (element.text, *element.attrib.values()) if t]
            else:
                texts.append(data.decode("utf-8"))
    return texts


def qdc_texts(path: Path) -> list[str]:
    root = ElementTree.fromstring(path.read_bytes())
    return [t for element in root.iter() for t in (element.text, *element.attrib.values()) if t]


def leaked(texts: list[str], terms: object) -> set[str]:
    joined = "\n".join(texts)
    return {term for term in terms if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", joined, re.IGNORECASE)}  # type: ignore[attr-defined]


READERS = {"docx": docx_texts, "xlsx": xlsx_texts, "csv": csv_texts, "qdpx": zip_xml_texts, "qdc": qdc_texts}


@pytest.mark.parametrize(("name", "options", "reader"), [
    ("excerpts.docx", [], "docx"), ("memos.docx", ["--what", "memos"], "docx"),
    ("codebook.docx", ["--what", "codebook"], "docx"), ("matrix.docx", ["--what", "matrix"], "docx"),
    ("frequencies.docx", ["--what", "frequencies", "--by", "case"], "docx"),
    ("transcript.docx", ["--what", "transcript", "--transcript-source", "1"], "docx"),
    ("all.xlsx", [], "xlsx"), ("excerpts.csv", [], "csv"), ("matrix.csv", ["--what", "matrix"], "csv"),
    ("tables", ["--format", "csv", "--what", "all"], "csv"), ("study.qdpx", [], "qdpx"), ("codes.qdc", [], "qdc"),
])
def test_every_export_read_back_holds_no_register_term(named: Path, tmp_path: Path, capsys, name: str,
                                                       options: list[str], reader: str) -> None:
    out = tmp_path / name
    code, stdout, err = cli(capsys, "export", str(named), "--out", str(out), *options, "--pseudonymise")
    assert (code, err) == (0, "")
    assert "pseudonymised: 5 terms of the name register were replaced" in stdout
    texts = READERS[reader](out)
    assert leaked(texts, TERMS) == set()
    shown = "P08" if "codebook" in name or reader == "qdc" else "P07"  # in a code's name, or the participant's
    assert leaked(texts, [shown]) == {shown}


def test_without_the_option_the_names_stay_and_the_output_says_so(named: Path, tmp_path: Path, capsys) -> None:
    code, stdout, _ = cli(capsys, "export", str(named), "--out", str(tmp_path / "plain.docx"))
    assert code == 0
    assert "not pseudonymised: it holds the names as they are" in stdout
    assert leaked(docx_texts(tmp_path / "plain.docx"), TERMS) == set(TERMS)


def test_excerpts_keep_their_words(named: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "excerpts.csv"
    assert cli(capsys, "export", str(named), "--out", str(out), "--pseudonymise")[0] == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    with Project.open(named, mode="read") as p:
        pseudonymiser = p.pseudonymiser()
    assert Counter(r["excerpt"] for r in rows) == Counter(pseudonymiser.apply(phrase) for phrase in PHRASES)


def test_a_pseudonymised_qdpx_reimports_with_exact_codings(named: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "study.qdpx"
    assert cli(capsys, "export", str(named), "--out", str(out), "--pseudonymise")[0] == 0
    anon = tmp_path / "anon.qcode"
    assert cli(capsys, "import-project", str(anon), str(out))[0] == 0
    with Project.open(named, mode="read") as p:
        apply = p.pseudonymiser().apply
        expected = Counter((apply(p.source(c.source_id).name), apply(p.code_path(c.code_id)),
                            apply(p.source_slice(c.source_id, c.start, c.end)))
                           for s in p.sources() for c in p.codings_for_source(s.id))
        original_text = apply(p.source_text(1))
    with Project.open(anon, mode="read") as a:
        got = Counter((a.source(c.source_id).name, a.code_path(c.code_id), a.source_slice(c.source_id, c.start, c.end))
                      for s in a.sources() for c in a.codings_for_source(s.id))
        assert [a.source_text(s.id) for s in a.sources()] == [original_text]
        assert leaked([a.source_text(1), *(c.name for c in a.cases()), *(c.name for c in a.coders())], TERMS) == set()
    assert got == expected
    assert ("Interview - P07", "Places/Talking to P08", "P07's wife says it helps") in got


def test_the_project_default_and_its_override(named: Path, tmp_path: Path, capsys) -> None:
    assert cli(capsys, "names", str(named), "default")[1] == "pseudonymised exports by default: off\n"
    code, stdout, _ = cli(capsys, "names", str(named), "default", "on")
    assert code == 0
    assert "pseudonymised (the register's 5 terms) unless --no-pseudonymise" in stdout
    assert cli(capsys, "names", str(named))[1].endswith("pseudonymised exports by default: on\n")
    with Project.open(named, mode="read") as p:
        assert p.pseudonymise_exports

    code, stdout, _ = cli(capsys, "export", str(named), "--out", str(tmp_path / "default.docx"))
    assert code == 0
    assert ", pseudonymised:" in stdout
    assert leaked(docx_texts(tmp_path / "default.docx"), TERMS) == set()

    code, stdout, _ = cli(capsys, "export", str(named), "--out", str(tmp_path / "plain.docx"), "--no-pseudonymise")
    assert code == 0
    assert "not pseudonymised (--no-pseudonymise; the project's default is pseudonymised)" in stdout
    assert leaked(docx_texts(tmp_path / "plain.docx"), TERMS) == set(TERMS)

    code, stdout, _ = cli(capsys, "export", str(named), "--out", str(tmp_path / "plain.qdpx"), "--no-pseudonymise")
    assert code == 0
    assert "Bartholomew" in "\n".join(zip_xml_texts(tmp_path / "plain.qdpx"))

    assert cli(capsys, "names", str(named), "default", "off")[0] == 0
    code, stdout, _ = cli(capsys, "export", str(named), "--out", str(tmp_path / "off.docx"))
    assert "not pseudonymised: it holds" in stdout
    assert cli(capsys, "names", str(named), "default", "maybe")[0] == 2


def test_refusals_are_clear_and_write_nothing(named: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.docx"
    code, _, err = cli(capsys, "export", str(named), "--out", str(out), "--pseudonymise", "--no-pseudonymise")
    assert code == 2
    assert "not allowed with argument" in err
    code, _, err = cli(capsys, "export", str(named), "--out", str(out), "--confirm-names")
    assert code == 2
    assert "--confirm-names goes with a pseudonymised export" in err
    code, _, err = cli(capsys, "export", str(named), "--out", str(tmp_path / "x.qdpx"), "--pseudonymise",
                       "--what", "memos")
    assert code == 2
    assert "--what do" in err
    assert "not apply" in err
    code, stdout, err = cli(capsys, "export", str(named), "--out", str(out), "--pseudonymise", "--delimiter", ";")
    assert code == 2
    assert "Name check" not in stdout  # a request that cannot go is refused before any question

    empty = tmp_path / "empty.qcode"
    with Project.create(empty) as p:
        p.add_source("Interview", "Bartholomew: hello.")
    code, _, err = cli(capsys, "export", str(empty), "--out", str(out), "--pseudonymise")
    assert code == 1
    assert "name register has no terms to apply" in err
    assert cli(capsys, "names", str(empty), "default", "on")[0] == 0
    code, _, err = cli(capsys, "export", str(empty), "--out", str(out))
    assert code == 1
    assert "pseudonymises its exports by default" in err
    assert "--no-pseudonymise" in err
    assert not out.exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def with_stranger(named: Path) -> Path:
    with Project.open(named) as p:
        p.use_coder("Wendy Coder")
        source = p.add_source("Second interview", "Interviewer: Who else?\n\nBartholomew: My brother-in-law "
                              "Cornelius, mostly. Cornelius never judges.\n")
        p.add_coding(source.id, p.find_code("Work").id, 36, 98)
    return named


def test_the_name_check_stops_a_script_until_confirmed(with_stranger: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.docx"
    code, stdout, err = cli(capsys, "export", str(with_stranger), "--out", str(out), "--pseudonymise")
    assert code == 1
    assert "Nothing was exported" in err
    assert "--confirm-names" in err
    assert "no terminal can ask" in err
    listing = stdout.splitlines()
    assert listing[0].startswith("Name check: 1 word looks like a name the register lacks")
    assert listing[1].split() == ["term", "count", "example"]
    assert listing[3].split()[:2] == ["Cornelius", "2"]
    assert "My brother-in-law Cornelius, mostly." in listing[3]
    assert not out.exists()

    code, stdout, err = cli(capsys, "export", str(with_stranger), "--out", str(out), "--pseudonymise",
                            "--confirm-names")
    assert (code, err) == (0, "")
    assert "Exporting with these words as they are (--confirm-names)." in stdout
    texts = docx_texts(out)
    assert leaked(texts, TERMS) == set()
    assert leaked(texts, ["Cornelius"]) == {"Cornelius"}  # confirmed: it goes as it is


def test_the_name_check_asks_on_a_terminal(with_stranger: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    out = tmp_path / "report.docx"
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, stdout, err = cli(capsys, "export", str(with_stranger), "--out", str(out), "--pseudonymise")
    assert code == 1
    assert "Export with these words as they are? [y/N]" in stdout
    assert err.startswith("qcode: Nothing was exported. Register them (qcode names ")
    assert not out.exists()

    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    assert cli(capsys, "export", str(with_stranger), "--out", str(out), "--pseudonymise")[0] == 0
    assert out.exists()

    with Project.open(with_stranger) as p:  # registered, the name is replaced and the check finds nothing
        p.add_name("Cornelius", "[relative]")
    monkeypatch.setattr(sys, "stdin", Terminal(""))  # nothing is asked
    code, stdout, _ = cli(capsys, "export", str(with_stranger), "--out", str(tmp_path / "again.docx"),
                          "--pseudonymise")
    assert code == 0
    assert "Name check: no capitalised word outside the register was found" in stdout
    assert leaked(docx_texts(tmp_path / "again.docx"), [*TERMS, "Cornelius"]) == set()


#: the participants of the demo project (fictional people): its interviewees and the focus group's members
DEMO_PARTICIPANTS = ("Marcus", "Dev", "Graham", "Tomasz", "Aaron", "Pete", "Kwame", "Liam", "Ravi", "Hamish",
                     "Stuart", "Danny", "Joe")


def test_done_when_the_demo_excerpts_go_to_word_with_every_participant_replaced(tmp_path: Path, capsys) -> None:
    demo = build_demo(tmp_path / "demo.qcode")
    with Project.open(demo) as p:
        speakers = {s.term for s in p.suggest_names() if s.reason == "speaker"}
        assert speakers == set(DEMO_PARTICIPANTS)  # the demo's participants, as the register suggests them
        for number, name in enumerate(DEMO_PARTICIPANTS, start=1):
            p.add_name(name, f"P{number:02d}")
        excerpts = len(p.excerpts_matching())
    plain = tmp_path / "plain.docx"
    assert cli(capsys, "export", str(demo), "--out", str(plain))[0] == 0
    assert leaked(docx_texts(plain), DEMO_PARTICIPANTS) == set(DEMO_PARTICIPANTS)  # the names are there to hide

    out = tmp_path / "demo excerpts.docx"
    code, stdout, err = cli(capsys, "export", str(demo), "--out", str(out), "--pseudonymise", "--confirm-names")
    assert (code, err) == (0, "")
    assert "13 terms of the name register were replaced" in stdout
    texts = docx_texts(out)
    assert leaked(texts, DEMO_PARTICIPANTS) == set()
    assert leaked(texts, [f"P{n:02d}" for n in range(1, 14)]) == {f"P{n:02d}" for n in range(1, 14)}
    assert sum(text.startswith("Interview 01 - P01") for text in texts) > 0
    assert excerpts > 400


@pytest.mark.parametrize("args", [("--limit", "5"), ("add", "Nell", "--as", "P9", "--limit", "5"),
                                  ("remove", "Nell", "--format", "json"), ("default", "on", "--format", "csv")])
def test_names_refuses_an_option_its_action_does_not_take(named: Path, capsys, args: tuple[str, ...]) -> None:
    def register() -> list[tuple[str, str, bool]]:
        with Project.open(named, mode="read") as project:
            return [(e.term, e.pseudonym, e.enabled) for e in project.name_register()]

    before = register()
    code, _out, err = cli(capsys, "names", str(named), *args)
    assert code == 2
    assert "goes with" in err
    assert register() == before
