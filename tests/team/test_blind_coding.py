"""Blind coding in the core: every listing, count, analysis and export shows the session's coder only their own
codings; asking for another coder's, or comparing coders, is refused until the team ends blind coding."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import BlindCodingError
from qcode.core.exporters import export
from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.core.team.agreement import AgreementRequest
from qcode.core.team.review import coverage, disagreements

# fictional interview text, written for these tests
TEXT = "We meet at the club. My father never said a word about it. Friends help me, honestly."


@pytest.fixture
def team(project: Project):
    """Ana and Ben coded one source each their own way, with a memo on each of their codings; Ana codes now."""
    source = project.add_source("Interview", TEXT)
    support = project.create_code("Support")
    family = project.create_code("Family")
    ben = project.use_coder("Ben")
    bens = [project.add_coding(source.id, support.id, 0, 20), project.add_coding(source.id, family.id, 21, 58)]
    project.set_memo("coding", bens[0].id, "Ben's note on the club.")
    ana = project.use_coder("Ana")
    anas = [project.add_coding(source.id, support.id, 59, 85)]
    project.set_memo("coding", anas[0].id, "Ana's note on friends.")
    project.set_memo("project", None, "The team's journal.")
    project.set_blind_coding(True)
    return project, source, support, family, ana, ben, anas, bens


def test_listings_show_only_the_viewers_codings(team) -> None:
    project, source, support, family, ana, _ben, anas, bens = team
    assert project.viewer() == ana
    assert [c.id for c in project.codings()] == [anas[0].id]
    assert [c.id for c in project.codings_for_source(source.id)] == [anas[0].id]
    assert [c.id for c in project.codings_for_code(support.id)] == [anas[0].id]
    assert [e.coding.id for e in project.excerpts_matching()] == [anas[0].id]
    assert [e.coding.id for e in project.excerpts(support.id)] == [anas[0].id]
    assert [e.coding.id for e in project.excerpts_of_codings([c.id for c in anas + bens])] == [anas[0].id]
    assert project.coding_counts_by_source() == {source.id: 1}
    assert project.excerpt_counts() == {support.id: 1, family.id: 0}
    totals = {row.path: row.total.excerpts for row in project.frequencies()}
    assert totals == {"Support": 1, "Family": 0}
    by_coder = project.frequencies(group_by=Grouping("coder"))
    assert {row.group for row in by_coder} == {"Ana"}
    matrix = project.matrix(columns=Grouping("coder"))
    assert [c.label for c in matrix.columns] == ["Ana"]
    assert [p.start for p in project.coding_query('"Support"')] == [59]
    assert project.cooccurrence(mode="paragraph") == []
    assert [r.source_id for r in project.saturation()] == [source.id]
    words = {w.word for w in project.word_frequencies(Filter(codes=(support.id,)))}
    assert "friends" in words
    assert "club" not in words
    # a filter that selects text, not codings, still searches and counts all of the text
    assert [h.start for h in project.search("club")] == [15]
    assert len(project.search("club", flt=Filter(codes=(support.id,)))) == 0


def test_memos_on_other_coders_codings_are_left_out(team) -> None:
    project, *_, anas, bens = team
    texts = {m.text for m in project.memos()}
    assert texts == {"Ana's note on friends.", "The team's journal."}
    assert "Ben's note on the club." in {m.text for m in project.memos(everyone=True)}
    assert project.memo("coding", anas[0].id) is not None
    with pytest.raises(BlindCodingError):
        project.memo("coding", bens[0].id)


@pytest.mark.parametrize("ask", [
    lambda p, ana, ben: p.codings(Filter(coders=(ben.id,))),
    lambda p, ana, ben: p.codings_for_source(p.sources()[0].id, coder_id=ben.id),
    lambda p, ana, ben: p.codings_for_coder(ben.id),
    lambda p, ana, ben: p.excerpts_matching(Filter(coders=(ana.id, ben.id))),
    lambda p, ana, ben: p.frequencies(Filter(coders=(ben.id,))),
    lambda p, ana, ben: p.matrix(Filter(coders=(ben.id,)), columns=Grouping("case")),
    lambda p, ana, ben: p.coding_query('"Support"@Ben'),
    lambda p, ana, ben: p.search("club", flt=Filter(coders=(ben.id,))),
    lambda p, ana, ben: p.agreement(AgreementRequest(coder_ids=(ana.id, ben.id))),
    lambda p, ana, ben: coverage(p, [ana.id, ben.id]),
    lambda p, ana, ben: disagreements(p, [ana.id, ben.id]),
    lambda p, ana, ben: p.coders_by_source([ana.id, ben.id]),
])
def test_asking_for_other_coders_is_refused_and_says_how_to_end_it(team, ask) -> None:
    project, _source, _support, _family, ana, ben, *_ = team
    with pytest.raises(BlindCodingError) as refused:
        ask(project, ana, ben)
    assert "Blind coding is on: Ana sees only their own codings" in refused.value.message
    assert "--blind off" in refused.value.message


def test_ending_blind_coding_shows_everyone_again(team) -> None:
    project, source, support, *_ = team
    project.set_blind_coding(False)
    assert len(project.codings()) == 3
    assert project.coding_counts_by_source() == {source.id: 3}
    assert project.excerpt_counts()[support.id] == 2
    assert len(project.memos()) == 3


def test_a_reading_session_sees_the_codings_of_the_coder_it_names(team, tmp_path: Path, monkeypatch) -> None:
    project, *_ = team
    path = project.path
    project.close()
    with Project.open(path, mode="read", coder="Ben") as reader:
        assert {c.start for c in reader.codings()} == {0, 21}
    monkeypatch.setenv("QCODE_CODER", "Ana")
    with Project.open(path, mode="read") as reader:  # $QCODE_CODER, else the user name
        assert {c.start for c in reader.codings()} == {59}
    with Project.open(path, mode="read", coder="Cleo") as reader:  # has not coded yet: sees nothing
        assert reader.codings() == []
        assert reader.excerpt_counts() == {c.id: 0 for c in reader.codes()}


def test_exports_hold_only_the_viewers_codings(team, tmp_path: Path) -> None:
    project, *_ = team
    written = export(project, tmp_path / "excerpts.csv", what="excerpts")
    with open(written, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["coder"], r["memo"]) for r in rows] == [("Ana", "Ana's note on friends.")]
    refi = project.export_refi(tmp_path / "team.qdpx")
    with zipfile.ZipFile(refi) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    assert xml.count("<Coding ") == 1
    assert "Ben's note on the club." not in xml
    assert "Ana's note on friends." in xml


def test_a_merge_reads_every_coder_of_a_blind_copy(team, tmp_path: Path) -> None:
    project, *_ = team
    copy = project.save_copy(tmp_path / "copy.qcode")
    with Project.create(tmp_path / "target.qcode") as target:
        report = target.merge_project(copy)
        assert report.codings_added == 3
        target.set_blind_coding(False)
        assert {m.text for m in target.memos()} >= {"Ben's note on the club.", "Ana's note on friends."}


def test_a_report_says_it_holds_one_coders_codings(team, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    project, *_ = team
    written = export(project, tmp_path / "excerpts.xlsx", what="excerpts")
    book = load_workbook(written, read_only=True)
    cells = [str(v) for row in book["About"].iter_rows(values_only=True) for v in row if v is not None]
    book.close()
    assert "blind coding: the codings of Ana only" in cells


def test_a_blind_project_takes_a_merge_of_every_coder(team, tmp_path: Path) -> None:
    """Merging into a project in blind coding reads and writes for the whole team (memos on others' codings too)."""
    project, *_ = team
    with Project.create(tmp_path / "cleo.qcode") as other:
        other.use_coder("Cleo")
        theirs = other.add_source("Interview", TEXT)
        code = other.create_code("Support")
        coding = other.add_coding(theirs.id, code.id, 3, 7)
        other.set_memo("coding", coding.id, "Cleo's note.")
    report = project.merge_project(tmp_path / "cleo.qcode")
    assert report.applied
    assert report.codings_added == 1
    assert "Cleo's note." in {m.text for m in project.memos(everyone=True)}
    assert "Cleo's note." not in {m.text for m in project.memos()}  # Ana, blind, does not see it
    project.unmerge(report.record)
    assert [c.name for c in project.coders()] == ["Ben", "Ana"]
