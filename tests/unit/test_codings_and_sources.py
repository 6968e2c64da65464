"""Sources, folders, codings and their error paths."""

from __future__ import annotations

import pytest

from qcode.core.errors import (
    DuplicateCodingError,
    DuplicateNameError,
    InvalidOperationError,
    InvalidRangeError,
    NotFoundError,
    TreeCycleError,
)
from qcode.core.model import NewCoding
from qcode.core.project import Project

TEXT = "Interviewer: How are you? 😀\n\nMarcus: Fine, I suppose. I keep it to myself.\n\nInterviewer: Why?"


def test_add_source_keeps_text_hash_and_structure(project: Project) -> None:
    s = project.add_source("Interview", TEXT)
    assert project.source_text(s.id) == TEXT
    assert s.length == len(TEXT)
    assert len(s.sha256) == 64
    kinds = {span.kind for span in project.spans(s.id)}
    assert kinds == {"paragraph", "turn"}
    assert [t.value for t in project.spans(s.id, "turn")] == ["Interviewer", "Marcus", "Interviewer"]


def test_same_name_in_folder_gets_a_number(project: Project) -> None:
    a = project.add_source("Interview", "a")
    b = project.add_source("Interview", "b")
    assert (a.name, b.name) == ("Interview", "Interview (2)")
    with pytest.raises(DuplicateNameError):
        project.rename_source(b.id, "interview")


def test_folders_move_rename_delete(project: Project) -> None:
    top = project.create_folder("Interviews")
    sub = project.create_folder("2026", parent_id=top.id)
    s = project.add_source("S", "text", folder_id=sub.id)
    assert project.source_path(s.id) == "Interviews/2026/S"
    assert project.find_source("Interviews/2026/S").id == s.id
    with pytest.raises(TreeCycleError):
        project.move_folder(top.id, sub.id)
    project.rename_folder(sub.id, "Spring")
    assert project.source_path(s.id) == "Interviews/Spring/S"
    with pytest.raises(InvalidOperationError, match="not empty"):
        project.delete_folder(top.id)
    project.move_source(s.id, None)
    with pytest.raises(InvalidOperationError, match="not empty"):
        project.delete_folder(top.id)
    project.delete_folder(top.id, recursive=True)
    assert project.folders() == []
    assert project.source(s.id).folder_id is None


def test_recursive_folder_delete_takes_sources_and_codings(project: Project) -> None:
    top = project.create_folder("F")
    s = project.add_source("S", "some text here", folder_id=top.id)
    code = project.create_code("C")
    project.add_coding(s.id, code.id, 0, 4)
    project.delete_folder(top.id, recursive=True)
    assert project.sources() == []
    assert project.frequencies()[0].total.excerpts == 0
    assert project.check() == []


def test_coding_offsets_are_code_points(project: Project) -> None:
    s = project.add_source("S", TEXT)
    code = project.create_code("Emoji")
    start = TEXT.index("😀")
    coding = project.add_coding(s.id, code.id, start, start + 1)
    assert project.source_slice(s.id, coding.start, coding.end) == "😀"
    excerpt = project.excerpts(code.id)[0]
    assert excerpt.text == "😀"


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (6, 2), (0, len(TEXT) + 1)])
def test_invalid_ranges_change_nothing(project: Project, start: int, end: int) -> None:
    s = project.add_source("S", TEXT)
    code = project.create_code("C")
    with pytest.raises(InvalidRangeError):
        project.add_coding(s.id, code.id, start, end)
    assert project.coding_count() == 0


def test_unknown_code_and_source(project: Project) -> None:
    s = project.add_source("S", TEXT)
    with pytest.raises(NotFoundError, match="no code"):
        project.add_coding(s.id, 999, 0, 1)
    code = project.create_code("C")
    with pytest.raises(NotFoundError, match="no source"):
        project.add_coding(999, code.id, 0, 1)


def test_duplicate_coding_refused_but_other_coder_allowed(project: Project) -> None:
    s = project.add_source("S", TEXT)
    code = project.create_code("C")
    project.add_coding(s.id, code.id, 0, 5)
    with pytest.raises(DuplicateCodingError):
        project.add_coding(s.id, code.id, 0, 5)
    other = project.ensure_coder("Second")
    project.add_coding(s.id, code.id, 0, 5, coder_id=other.id)
    assert len(project.codings_for_code(code.id)) == 2
    assert len(project.codings_for_code(code.id, coder_id=other.id)) == 1
    assert len(project.codings_for_coder(other.id)) == 1


def test_remove_and_restore_coding(project: Project) -> None:
    s = project.add_source("S", TEXT)
    code = project.create_code("C")
    coding = project.add_coding(s.id, code.id, 2, 9)
    project.set_memo("coding", coding.id, "note")
    removed = project.remove_coding(coding.id)
    assert project.codings_for_source(s.id) == []
    assert project.memo("project") is None
    project.restore_coding(removed)
    assert project.codings_for_source(s.id) == [coding]


def test_batch_codings_skip_duplicates(project: Project) -> None:
    s = project.add_source("S", TEXT)
    code = project.create_code("C")
    added = project.add_codings([NewCoding(s.id, code.id, 0, 4), NewCoding(s.id, code.id, 0, 4),
                                 NewCoding(s.id, code.id, 5, 9)])
    assert added == 2
    assert project.add_codings([NewCoding(s.id, code.id, 0, 4)]) == 0


def test_delete_source_takes_its_codings_memos_and_members(project: Project) -> None:
    s = project.add_source("S", TEXT)
    keep = project.add_source("T", "other text")
    code = project.create_code("C")
    coding = project.add_coding(s.id, code.id, 0, 4)
    project.add_coding(keep.id, code.id, 0, 4)
    project.set_memo("coding", coding.id, "x")
    project.set_memo("source", s.id, "y")
    project.add_range_memo(s.id, 0, 3, "z")
    case = project.create_case("P1")
    project.add_case_member(case.id, s.id)
    project.delete_source(s.id)
    assert project.memos() == []
    assert project.case_members(case.id) == []
    row = project.frequencies()[0]
    assert (row.own.excerpts, row.own.sources, row.own.cases) == (1, 1, 0)
    assert project.check() == []


def test_autocode_units(project: Project) -> None:
    s = project.add_source("S", TEXT)
    code = project.create_code("Self")
    planned = project.autocode_preview(code.id, keywords=["myself"], unit="sentence")
    assert [project.source_slice(p.source_id, p.start, p.end) for p in planned] == ["I keep it to myself."]
    turn = project.autocode_preview(code.id, pattern=r"suppose", unit="turn")
    assert project.source_slice(s.id, turn[0].start, turn[0].end) == "Fine, I suppose. I keep it to myself."
    paragraph = project.autocode_preview(code.id, pattern=r"suppose", unit="paragraph")
    assert project.source_slice(s.id, paragraph[0].start, paragraph[0].end) == "Fine, I suppose. I keep it to myself."
    first = project.autocode_preview(code.id, pattern=r"Fine", unit="sentence")
    assert project.source_slice(s.id, first[0].start, first[0].end) == "Fine, I suppose."
    hits = project.autocode_preview(code.id, keywords=["interviewer"], unit="hit")
    assert len(hits) == 2
    assert project.add_codings(hits) == 2


def test_names_made_of_digits_are_found_by_name_too(project: Project) -> None:
    from qcode.core.errors import AmbiguousNameError

    first = project.add_source("Interview", "a")
    year = project.add_source("2019", "b")  # a literature source named after its year
    assert project.find_source("2019").id == year.id
    assert project.find_source(str(first.id)).id == first.id
    clash = project.add_source(str(first.id), "c")  # named like the first source's id
    with pytest.raises(AmbiguousNameError) as caught:
        project.find_source(str(first.id))
    assert f"(id {first.id})" in caught.value.message
    assert f"(id {clash.id})" in caught.value.message
    code = project.create_code("1999")
    assert project.find_code("1999").id == code.id
