"""The check before a pseudonymised export reads what that export writes: coded passages once each, whole
sources, tables or the codebook; and the project's setting that makes pseudonymised exports the default.
The interview text is fictional, written for these tests."""

from __future__ import annotations

import pytest

from qcode.core.errors import InvalidOperationError, InvalidRequestError, NameCheckCancelled
from qcode.core.model import Filter
from qcode.core.privacy.export import check_scope, coded_passages, pseudonymised_view, unregistered_names
from qcode.core.project import Project

TEXT = ("Interviewer: Who helps, Bartholomew?\n\n"
        "Bartholomew: My brother-in-law Cornelius, mostly. Cornelius never judges.\n\n"
        "Interviewer: Anyone else?\n\nBartholomew: Not really. Once I rang Philippa from the helpline.\n")


@pytest.fixture
def named(project: Project) -> Project:
    project.use_coder("Wendy Coder")
    folder = project.create_folder("Met at Fairweather Hall")
    source = project.add_source("Interview", TEXT, folder_id=folder.id)
    support = project.create_code("Support", definition="Someone helps, as Theodora wrote in the protocol.")
    family = project.create_code("Family")
    first = TEXT.index("My brother")
    project.add_coding(source.id, support.id, first, first + 40)
    project.add_coding(source.id, family.id, first + 10, TEXT.index("judges.") + 7)
    project.add_coding(source.id, family.id, first + 3, first + 12)  # inside the others
    project.add_name("Bartholomew", "P01")
    return project


def test_overlapping_codings_are_read_once_as_one_passage(named: Project) -> None:
    first = TEXT.index("My brother")
    assert coded_passages(named, Filter()) == [(1, TEXT[first:TEXT.index("judges.") + 7])]
    assert coded_passages(named, Filter(codes=(named.find_code("Support").id,))) == [(1, TEXT[first:first + 40])]


@pytest.mark.parametrize(("fmt", "what", "scope"), [
    ("docx", "excerpts", "excerpts"), ("xlsx", "all", "excerpts"), ("csv", None, "excerpts"),
    ("qdpx", None, "sources"), ("docx", "transcript", "sources"), ("qdc", None, "codebook"),
    ("docx", "codebook", "codebook"), ("docx", "memos", "memos"), ("xlsx", "matrix", "tables"),
    ("csv", "frequencies", "tables"),
])
def test_each_export_is_checked_on_what_it_writes(fmt: str, what: str | None, scope: str) -> None:
    assert check_scope(fmt, what) == scope


def test_the_scopes_read_what_their_exports_write(named: Project) -> None:
    def terms(scope: str) -> set[str]:
        return {s.term for s in unregistered_names(named, scope=scope)}

    assert {"Cornelius", "Theodora", "Wendy Coder", "Fairweather Hall"} <= terms("excerpts")
    assert "Philippa" not in terms("excerpts")  # not coded: not in an excerpts export
    assert {"Cornelius", "Philippa", "Theodora"} <= terms("sources")
    assert terms("codebook") == {"Theodora"}
    assert "Cornelius" not in terms("tables")
    assert "Wendy Coder" in terms("tables")  # the coders' names go into every export but a codebook
    assert not terms("sources") & {"Bartholomew", "P01"}
    with pytest.raises(InvalidRequestError, match="not 'everything'"):
        unregistered_names(named, scope="everything")


def test_each_name_comes_with_an_example_and_its_count(named: Project) -> None:
    found = {s.term: s for s in unregistered_names(named, scope="sources")}
    assert found["Cornelius"].occurrences == 2
    assert found["Cornelius"].example == "…helps, P01? P01: My brother-in-law Cornelius, mostly. Cornelius never…"
    assert "Once I rang Philippa from the helpline." in found["Philippa"].example


class Cancelled:
    def __init__(self) -> None:
        self.steps: list[tuple[int, int]] = []

    def step(self, done: int, total: int, text: str) -> None:
        self.steps.append((done, total))

    def cancelled(self) -> bool:
        return bool(self.steps)


def test_the_check_can_be_cancelled(named: Project) -> None:
    progress = Cancelled()
    with pytest.raises(NameCheckCancelled, match="nothing was exported"):
        unregistered_names(named, scope="sources", progress=progress)
    assert progress.steps[0][0] == 0


def test_the_default_is_a_setting_of_the_project(named: Project) -> None:
    assert not named.pseudonymise_exports
    changes = []
    named.subscribe(changes.append)
    named.set_pseudonymise_exports(True)
    assert named.pseudonymise_exports
    assert [(c.kind, c.action) for c in changes] == [("names", "changed")]
    path = named.path
    named.close()
    with Project.open(path, mode="read") as again:
        assert again.pseudonymise_exports
        with pytest.raises(InvalidOperationError):
            pseudonymised_view(again).set_pseudonymise_exports(False)
