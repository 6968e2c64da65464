"""An import into a project can be taken back exactly and put back exactly (what the GUI's undo uses)."""

from __future__ import annotations

from pathlib import Path

from refi_helpers import content

from qcode.core.project import Project


def _other(tmp_path: Path) -> Path:
    with Project.create(tmp_path / "other.qcode") as other:
        other.use_coder("Bea")
        folder = other.create_folder("Theirs")
        source = other.add_source("Theirs", "Bea: We walk the dog every morning.", folder_id=folder.id)
        shared = other.add_source("Shared", "Common text: both projects hold it.")
        code = other.create_code("Walking", definition="Walks")
        child = other.create_code("Dogs", parent_id=code.id)
        coding = other.add_coding(source.id, child.id, 5, 33)
        other.add_coding(shared.id, code.id, 0, 11)
        other.set_memo("coding", coding.id, "A daily habit")
        other.set_memo("source", shared.id, "Their note on the shared text")
        case = other.create_case("Bea")
        other.add_case_member(case.id, source.id)
        other.add_case_member(case.id, shared.id, 0, 11)
        group = other.create_attribute("Group", "choice", choices=["A", "C"])
        other.set_attribute_value(group.id, case.id, "C")
        other.set_journal("Their journal")
        return other.export_refi(tmp_path / "other.qdpx")


def test_an_import_is_taken_back_and_put_back_exactly(project: Project, tmp_path: Path) -> None:
    shared = project.add_source("Shared", "Common text: both projects hold it.")
    project.set_memo("source", shared.id, "My note")
    project.set_journal("My journal")
    mine = project.create_code("Walking")
    project.add_coding(shared.id, mine.id, 13, 17)
    case = project.create_case("Bea")
    group = project.create_attribute("Group", "choice", choices=["A", "B"])
    project.set_attribute_value(group.id, case.id, "A")
    before = content(project)
    report = project.import_refi(_other(tmp_path))
    after = content(project)
    assert after != before
    assert report.record is not None
    undo = project.take_back_refi_import(report.record)
    assert content(project) == before
    assert project.check() == []
    project.put_back_refi_import(undo)
    assert content(project) == after
    assert project.check() == []
    undo = project.take_back_refi_import(report.record)
    assert content(project) == before
