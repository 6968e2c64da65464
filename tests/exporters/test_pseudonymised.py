"""Pseudonymised exports: every register term is gone from every file written (read back), the pseudonyms are
there, and an export that would still hold a term is never saved."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qcode.core.errors import ExportError, InvalidOperationError, InvalidRequestError
from qcode.core.privacy.check import terms_left, written_texts
from qcode.core.privacy.export import export_pseudonymised, pseudonymised_view, unregistered_names
from qcode.core.privacy.view import PseudonymisedView
from qcode.core.project import Project

TEXT = ("Interviewer: How do you cope, Marcus?\n\n"
        "Marcus: Honestly? I go down to the Riverside Shed and talk to Gaz. Marcus's wife says it helps.\n\n"
        "Interviewer: And work?\n\nMarcus: At Hartley Builders nobody talks. My mate Callum quit.\n")
TERMS = {"Marcus": "P01", "Riverside Shed": "[community shed]", "Gaz": "P02", "Hartley Builders": "[employer]"}


@pytest.fixture
def named(project: Project) -> Project:
    project.use_coder("Ann Teller")
    source = project.add_source("Interview 01 - Marcus", TEXT)
    code = project.create_code("Talking to Gaz")
    other = project.create_code("Work")
    for phrase, code_id in (("I go down to the Riverside Shed and talk to Gaz", code.id),
                            ("At Hartley Builders nobody talks. My mate Callum quit", other.id),
                            ("Marcus's wife says it helps", code.id)):
        start = TEXT.index(phrase)
        project.add_coding(source.id, code_id, start, start + len(phrase))
    case = project.create_case("Marcus")
    project.add_case_member(case.id, source.id)
    employer = project.create_attribute("Employer", "text")
    project.set_attribute_value(employer.id, case.id, "Hartley Builders")
    project.set_memo("code", code.id, "Gaz comes up whenever Marcus talks about the shed.")
    project.set_journal("Met Marcus at the Riverside Shed.")
    for term, pseudonym in TERMS.items():
        project.add_name(term, pseudonym)
    project.add_name("Ann Teller", "Coder A")
    return project


@pytest.mark.parametrize(("name", "options"), [
    ("report.docx", {}), ("memos.docx", {"what": "memos"}), ("codebook.docx", {"what": "codebook"}),
    ("matrix.docx", {"what": "matrix"}), ("all.xlsx", {}), ("excerpts.csv", {}), ("tables", {"fmt": "csv", "what": "all"}),
])
def test_no_term_survives_any_export(named: Project, tmp_path: Path, name: str, options: dict[str, str]) -> None:
    target = export_pseudonymised(named, tmp_path / name, **options)
    texts = "\n".join(written_texts(target))
    for term in [*TERMS, "Ann Teller"]:
        assert term.casefold() not in texts.casefold()
    assert terms_left(target, named.pseudonymiser()) == []
    assert any(pseudonym in texts for pseudonym in TERMS.values())
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.qcode")] == [name]  # no private folder


def test_excerpts_keep_their_words(named: Project, tmp_path: Path) -> None:
    target = export_pseudonymised(named, tmp_path / "excerpts.csv")
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines(True)))
    excerpts = sorted(r["excerpt"] for r in rows)
    assert excerpts == ["At [employer] nobody talks. My mate Callum quit", "I go down to the [community shed] and talk to P02",
                        "P01's wife says it helps"]
    assert {r["source"] for r in rows} == {"Interview 01 - P01"}
    assert {r["case"] for r in rows} == {"P01"}
    assert {r["coder"] for r in rows} == {"Coder A"}


def test_a_leak_is_caught_and_nothing_is_saved(named: Project, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.docx"
    target.write_bytes(b"an older report")
    monkeypatch.setattr(PseudonymisedView, "clean", lambda self, value: value)  # a view that hides nothing
    with pytest.raises(ExportError, match=r"still held .*marcus") as raised:
        export_pseudonymised(named, target)
    assert "was not saved" in str(raised.value)
    assert target.read_bytes() == b"an older report"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.qcode")] == ["report.docx"]


def test_refusals(project: Project, named: Project) -> None:
    view = pseudonymised_view(named)
    with pytest.raises(InvalidOperationError):
        view.add_source("x", "y")
    assert view.name == named.name
    assert [c.name for c in view.cases()] == ["P01"]
    for entry in named.name_register():
        named.update_name(entry.term, enabled=False)
    with pytest.raises(InvalidRequestError, match="no terms to apply"):
        pseudonymised_view(named)


def test_unregistered_names_are_listed(named: Project) -> None:
    found = {s.term for s in unregistered_names(named)}
    assert "Callum" in found
    assert not found & {*TERMS, "P01", "P02"}
