"""What an importer brings besides text (cases, attributes, codings) lands with its file, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.core.importers import REGISTRY, ImportOptions, ParsedCase, ParsedCoding, ParsedSource, ParseResult
from qcode.core.model import Span
from qcode.core.project import Project


class FakeSurvey:
    name = "a test"
    suffixes = (".fake",)

    def __init__(self, bad_value: bool = False) -> None:
        self.bad_value = bad_value

    def sniff(self, head: bytes) -> bool:
        return True

    def parse(self, path: Path, options: ImportOptions, progress: object) -> ParseResult:
        text = "first answer\n\nsecond answer"
        source = ParsedSource("Q1", text, kind="survey",
                              spans=[Span("paragraph", 0, 12), Span("turn", 0, 12, "R1"),
                                     Span("paragraph", 14, 27), Span("turn", 14, 27, "R2")],
                              attributes={"Wave": 2})
        cases = [ParsedCase("R1", {"Age": 31, "Group": "a", "Joined": "2026-01-02"}, [(0, 0, 12)]),
                 ParsedCase("R2", {"Age": "not a number" if self.bad_value else 47, "Group": "b"}, [(0, 14, 27)])]
        return ParseResult([source], cases, [ParsedCoding(0, "Imported/Theme", 0, 5)],
                           {("case", "Age"): "number", ("case", "Group"): "choice", ("case", "Joined"): "date",
                            ("source", "Wave"): "number"})


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setitem(REGISTRY, ".fake", FakeSurvey())
    path = tmp_path / "answers.fake"
    path.write_text("x")
    return path


def test_cases_attributes_and_codings_land_together(project: Project, fake: Path) -> None:
    outcome = project.import_file(fake)
    assert outcome.status == "imported"
    assert [c.name for c in project.cases()] == ["R1", "R2"]
    r1 = project.find_case("R1")
    assert project.attribute_values("case", r1.id) == {"Age": 31, "Group": "a", "Joined": "2026-01-02"}
    group = project.find_attribute("Group")
    assert (group.type, group.choices) == ("choice", ("a", "b"))
    source = project.sources()[0]
    assert project.attribute_values("source", source.id) == {"Wave": 2}
    assert [(m.start, m.end) for m in project.case_members(r1.id)] == [(0, 12)]
    theme = project.find_code("Imported/Theme")
    row = next(r for r in project.frequencies() if r.code_id == theme.id)
    assert (row.own.excerpts, row.own.cases, row.own.characters) == (1, 1, 5)
    assert project.check() == []


def test_a_bad_value_fails_the_whole_file(project: Project, fake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(REGISTRY, ".fake", FakeSurvey(bad_value=True))
    outcome = project.import_file(fake)
    assert outcome.status == "failed"
    assert "takes a number" in outcome.reason
    assert project.sources() == []
    assert project.cases() == []
    assert project.codes() == []
    assert project.attributes() == []


def test_speaker_cases_and_autocoding(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("Interviewer: hi\n\nSam: hello there\n\nInterviewer: and?\n\nSam: bye", encoding="utf-8")
    project.create_case("Sam")
    outcome = project.import_file(path, speaker_cases=True, autocode_speakers=True)
    assert outcome.status == "imported"
    assert sorted(c.name for c in project.cases()) == ["Interviewer", "Sam"]
    sam = project.find_case("Sam")
    text = project.source_text(outcome.source_ids[0])
    assert [text[m.start:m.end] for m in project.case_members(sam.id)] == ["Sam: hello there", "Sam: bye"]
    code = project.find_code("Speakers/Sam")
    assert [project.source_slice(c.source_id, c.start, c.end) for c in project.codings_for_code(code.id)] == [
        "Sam: hello there", "Sam: bye"]
    assert project.check() == []


def test_size_limits(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 50_000)
    small = ImportOptions(max_file_bytes=100_000)
    outcome = project.import_file(path, options=small)
    assert outcome.status == "failed"
    assert "--max-size" in outcome.reason
    outcome = project.import_file(path, options=ImportOptions(max_text_chars=1000))
    assert outcome.status == "failed"
    assert "250,000 characters of text, more than the limit of 1,000" in outcome.reason
    assert project.sources() == []


def test_a_failed_file_leaves_no_empty_folder(project: Project, tmp_path: Path) -> None:
    material = tmp_path / "material"
    (material / "round1").mkdir(parents=True)
    (material / "round2").mkdir()
    (material / "round1" / "int1.txt").write_text("Al: fine words.\n\nBo: more words.", encoding="utf-8")
    (material / "round2" / "broken.docx").write_bytes(b"not a zip at all")
    outcomes = project.import_paths([material])
    assert sorted(o.status for o in outcomes) == ["failed", "imported"]
    assert sorted(project.folder_path(f.id) for f in project.folders()) == ["material", "material/round1"]
    again = project.import_paths([material])  # the duplicate and the failure again create nothing
    assert sorted(o.status for o in again) == ["duplicate", "failed"]
    assert len(project.folders()) == 2


def test_the_original_file_hash_is_kept(project: Project, tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "t.txt"
    path.write_bytes("Interviewer: hi\r\n\r\nSam: hello".encode("utf-16"))
    outcome = project.import_file(path)
    source = project.source(outcome.source_ids[0])
    assert source.meta["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source.sha256 == hashlib.sha256(b"Interviewer: hi\n\nSam: hello").hexdigest()  # of the stored text
