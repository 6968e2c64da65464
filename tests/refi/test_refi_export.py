"""Exports to REFI-QDA: valid against the schemas, stable identities, files other programs place right."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from refi_helpers import content, qde_of, schema_errors

from qcode.core.project import Project


def _fill(p: Project) -> None:
    interviews = p.create_folder("Interviews")
    wave = p.create_folder("Wave 1", parent_id=interviews.id)
    p.create_folder("Empty")
    ana = p.add_source("Ana", "Interviewer: How do you cope?\n\nAna: I talk to my sister 😀 a lot.\n\nAna: Tea & \"cake\" <3",
                       folder_id=wave.id)
    ben = p.add_source("Ben", "Ben: Mostly alone.\r\nSometimes the gym.")
    coping = p.create_code("Coping", color="#1F77B4", definition="Ways of dealing.\n\nExample:\nnot a heading",
                           inclusion="Talk, sport", exclusion="Denial", example="\"I talk to my sister\"")
    family = p.create_code("Family", parent_id=coping.id)
    alone = p.create_code("Alone", parent_id=coping.id, color="#abcdef")
    talk = p.add_coding(ana.id, family.id, 36, 55)
    p.add_coding(ana.id, coping.id, 31, 64, coder_id=p.ensure_coder("Second coder").id)
    p.add_coding(ben.id, alone.id, 5, 18)
    p.set_memo("coding", talk.id, "Sister = main support")
    p.set_memo("code", coping.id, "Check against the literature.")
    p.set_memo("source", ben.id, "Short interview.")
    p.set_journal("Day 1: started coding.\r\nDay 2: more.")
    p.add_range_memo(ana.id, 0, 11, "The interviewer's opening")
    case = p.create_case("Ana")
    p.add_case_member(case.id, ana.id, 31, 86)
    ben_case = p.create_case("Ben")
    p.add_case_member(ben_case.id, ben.id)
    p.set_memo("case", case.id, "Recruited through the clinic.")
    age = p.create_attribute("Age", "number")
    group = p.create_attribute("Group", "choice", choices=["A", "B"])
    joined = p.create_attribute("Joined", "date")
    note = p.create_attribute("Note", "text", scope="source")
    score = p.create_attribute("Score", "number", scope="source")
    p.set_attribute_value(age.id, case.id, 34)
    p.set_attribute_value(age.id, ben_case.id, 41)
    p.set_attribute_value(group.id, case.id, "B")
    p.set_attribute_value(joined.id, ben_case.id, "2024-03-13")
    p.set_attribute_value(note.id, ana.id, "first")
    p.set_attribute_value(score.id, ben.id, 2.5)


@pytest.fixture
def filled(project: Project) -> Project:
    _fill(project)
    return project


def test_project_export_validates_and_holds_everything(filled: Project, tmp_path: Path) -> None:
    out = filled.export_refi(tmp_path / "study.qdpx")
    assert schema_errors("Project", qde_of(out)) == []
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        guids = filled.exchange_guids("source")
        for source in filled.sources():
            data = archive.read(f"sources/{guids[source.id]}.txt")
            assert not data.startswith(b"\xef\xbb\xbf")  # no BOM: QualCoder would count it as a character
            assert data.decode("utf-8") == filled.source_text(source.id)
    assert "project.qde" in names
    qde = qde_of(out).decode("utf-8")
    assert 'startPosition="36" endPosition="55"' in qde  # code points
    assert "Inclusion criteria:\nTalk, sport" in qde


def test_codebook_export_validates(filled: Project, tmp_path: Path) -> None:
    out = filled.export_refi(tmp_path / "codes.qdc", codebook_only=True)
    assert schema_errors("Codebook", out.read_bytes()) == []
    text = out.read_text("utf-8")
    assert text.count("<Code ") == 3
    assert "Sets" not in text


def test_an_empty_project_exports_valid_files(project: Project, tmp_path: Path) -> None:
    assert schema_errors("Project", qde_of(project.export_refi(tmp_path / "e.qdpx"))) == []
    project.create_code("Only")
    assert schema_errors("Codebook", project.export_refi(tmp_path / "e.qdc", codebook_only=True).read_bytes()) == []


def test_repeated_exports_keep_identities_and_fresh_guids_do_not(filled: Project, tmp_path: Path) -> None:
    first = qde_of(filled.export_refi(tmp_path / "a.qdpx"))
    second = qde_of(filled.export_refi(tmp_path / "b.qdpx"))
    assert first == second
    fresh = qde_of(filled.export_refi(tmp_path / "c.qdpx", fresh_guids=True)).decode()
    assert schema_errors("Project", fresh) == []
    for guid in filled.exchange_guids("source").values():
        assert guid not in fresh
    for code in filled.codes():
        assert code.guid not in fresh
    with Project.create(tmp_path / "fresh.qcode") as other:
        other.import_refi(tmp_path / "c.qdpx")
        assert content(other)["codings"]
        assert not (
            set(other.exchange_guids("source").values()) & set(filled.exchange_guids("source").values()))


def test_round_trip_keeps_everything(filled: Project, tmp_path: Path) -> None:
    filled.export_refi(tmp_path / "rt.qdpx")
    with Project.create(tmp_path / "back.qcode") as back:
        report = back.import_refi(tmp_path / "rt.qdpx")
        assert back.check() == []
        assert content(back) == content(filled)
    assert report.left_out == ()
    assert report.added["codings"] == 3
    assert report.added["sources"] == 2


def test_importing_the_same_file_again_adds_nothing(filled: Project, tmp_path: Path) -> None:
    filled.export_refi(tmp_path / "rt.qdpx")
    before = content(filled)
    report = filled.import_refi(tmp_path / "rt.qdpx")
    assert content(filled) == before
    assert report.matched["sources"] == 2
    assert report.matched["codes"] == 3
    assert report.matched["codings"] == 3
    assert not report.added.get("sources")
    assert not report.added.get("codings")


def test_an_independent_reader_finds_the_same_content(filled: Project, tmp_path: Path) -> None:
    pytest.importorskip("pyrefiqda")
    from pyrefiqda import RefiProject

    out = filled.export_refi(tmp_path / "ind.qdpx")
    model = RefiProject.load(out, extract_dir=str(tmp_path / "unpacked"))
    texts = model.sources.text_source
    assert len(texts) == len(filled.sources())

    def count(codes) -> int:
        return sum(1 + count(c.code) for c in codes)

    assert count(model.code_book.codes.code) == len(filled.codes())
    selections = [s for t in texts for s in t.plain_text_selection]
    assert sum(len(s.coding) for s in selections) == filled.coding_count()
    # the coded text, read the way another program reads it (the .txt file, positions as code points)
    found = set()
    guid_to_path = {c.guid: filled.code_path(c.id) for c in filled.codes()}
    for t in texts:
        path = RefiProject.resolve_source_path(t.plain_text_path, str(tmp_path / "unpacked"))
        raw = path.read_text("utf-8")
        for s in t.plain_text_selection:
            for coding in s.coding:
                found.add((guid_to_path[coding.code_ref.target_guid], raw[s.start_position:s.end_position]))
    expected = {(filled.code_path(c.code_id), filled.source_slice(s.id, c.start, c.end))
                for s in filled.sources() for c in filled.codings_for_source(s.id)}
    assert found == expected


def test_the_export_entry_point_writes_exchange_files(filled: Project, tmp_path: Path) -> None:
    from qcode.core.errors import InvalidRequestError
    from qcode.core.exporters import export
    from qcode.core.model import Filter

    assert schema_errors("Project", qde_of(export(filled, tmp_path / "a.qdpx"))) == []
    assert schema_errors("Codebook", export(filled, tmp_path / "a.xml", fmt="qdc").read_bytes()) == []
    with pytest.raises(InvalidRequestError, match="what do not apply"):
        export(filled, tmp_path / "b.qdpx", what="codebook")
    with pytest.raises(InvalidRequestError, match="filters do not apply"):
        export(filled, tmp_path / "b.qdc", flt=Filter(codes=(1,)))


def test_a_pseudonymised_export_replaces_names_moves_positions_and_never_maps_back(filled: Project,
                                                                                  tmp_path: Path) -> None:
    from qcode.core.privacy.check import terms_left
    from qcode.core.privacy.export import export_pseudonymised

    filled.add_name("Ana", "P01")
    filled.add_name("sister", "[relative]")
    out = export_pseudonymised(filled, tmp_path / "anon.qdpx")
    assert terms_left(out, filled.pseudonymiser()) == []
    assert schema_errors("Project", qde_of(out)) == []
    with Project.create(tmp_path / "anon.qcode") as anon:
        anon.import_refi(out)
        texts = {s.name: anon.source_text(s.id) for s in anon.sources()}
        assert "P01: I talk to my [relative] 😀 a lot." in texts["P01"]
        coded = sorted(anon.source_slice(s.id, c.start, c.end) for s in anon.sources()
                       for c in anon.codings_for_source(s.id))
        assert "I talk to my [relative]" in coded  # the coding still covers the same words
        assert not set(anon.exchange_guids("source").values()) & set(filled.exchange_guids("source").values())
        assert not {c.guid for c in anon.codes()} & {c.guid for c in filled.codes()}
    # imported into the original project, a pseudonymised source is never taken for its original (Ben's text,
    # which holds no registered name, is the same text and is matched by it)
    before = len(filled.sources())
    filled.import_refi(out)
    assert len(filled.sources()) == before + 1
