"""Deleting a case, an attribute or a membership can be undone exactly: same ids, members, values, memo."""

from __future__ import annotations

import pytest

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import DuplicateNameError, InvalidOperationError
from qcode.core.project import Project

TEXT = "Interviewer: how was it?\n\nMarcus: I kept it to myself, mostly.\n\nDev: same here."


@pytest.fixture
def setup(project: Project) -> dict[str, int]:
    source = project.add_source("Interview 1", TEXT)
    other = project.add_source("Interview 2", "A second interview.")
    code = project.create_code("Stoicism")
    project.add_coding(source.id, code.id, 26, 60)
    marcus = project.create_case("Marcus")
    dev = project.create_case("Dev")
    age = project.create_attribute("Age", "number")
    group = project.create_attribute("Age group", "choice", choices=["18-29", "30-49"])
    setting = project.create_attribute("Setting", "text")
    project.add_case_member(marcus.id, source.id, 26, 60)
    project.add_case_member(marcus.id, other.id)
    project.add_case_member(dev.id, source.id, 62, 76)
    project.set_attribute_value(age.id, marcus.id, 34)
    project.set_attribute_value(group.id, marcus.id, "30-49")
    project.set_attribute_value(setting.id, marcus.id, "Rural")
    project.set_attribute_value(age.id, dev.id, 22)
    project.set_memo("case", marcus.id, "Talks little about feelings.")
    return {"source": source.id, "other": other.id, "code": code.id, "marcus": marcus.id, "dev": dev.id,
            "age": age.id, "group": group.id, "setting": setting.id}


def _state(project: Project) -> tuple:
    cases = project.cases()
    return (
        cases,
        project.case_members(),
        {c.id: project.attribute_values("case", c.id) for c in cases},
        [project.memo("case", c.id) for c in cases],
        project.attributes(),
        project.frequencies(),
        project.frequencies(group_by=Grouping("case")),
    )


def test_deleted_case_comes_back_exactly(project: Project, setup: dict[str, int]) -> None:
    before = _state(project)
    snapshot = project.case_snapshot(setup["marcus"])
    assert len(snapshot.members) == 2
    assert dict(snapshot.values) == {setup["age"]: 34, setup["group"]: "30-49", setup["setting"]: "Rural"}
    project.delete_case(setup["marcus"])
    assert [c.name for c in project.cases()] == ["Dev"]
    restored = project.restore_case(snapshot)
    assert restored == snapshot.case
    assert _state(project) == before
    assert project.check() == []


def test_restore_leaves_out_what_was_deleted_since(project: Project, setup: dict[str, int]) -> None:
    snapshot = project.case_snapshot(setup["marcus"])
    project.delete_case(setup["marcus"])
    project.delete_attribute(setup["setting"])
    project.delete_source(setup["other"])
    project.restore_case(snapshot)
    assert [m.source_id for m in project.case_members(setup["marcus"])] == [setup["source"]]
    assert project.attribute_values("case", setup["marcus"]) == {"Age": 34, "Age group": "30-49"}
    assert project.check() == []


def test_restore_refuses_a_case_that_is_there(project: Project, setup: dict[str, int]) -> None:
    snapshot = project.case_snapshot(setup["marcus"])
    with pytest.raises(InvalidOperationError):
        project.restore_case(snapshot)
    project.delete_case(setup["marcus"])
    project.create_case("marcus")
    with pytest.raises(DuplicateNameError):
        project.restore_case(snapshot)


def test_restore_notifies(project: Project, setup: dict[str, int]) -> None:
    snapshot = project.case_snapshot(setup["dev"])
    project.delete_case(setup["dev"])
    changes = []
    project.subscribe(changes.append)
    project.restore_case(snapshot)
    assert [(c.kind, c.action, c.ids) for c in changes] == [("case", "added", (setup["dev"],))]


def test_deleted_attribute_comes_back_in_its_place_with_values(project: Project, setup: dict[str, int]) -> None:
    before = _state(project)
    snapshot = project.attribute_snapshot(setup["group"])
    assert dict(snapshot.values) == {setup["marcus"]: "30-49"}
    project.delete_attribute(setup["group"])
    assert "Age group" not in project.attribute_values("case", setup["marcus"])
    project.restore_attribute(snapshot)
    assert [a.name for a in project.attributes("case")] == ["Age", "Age group", "Setting"]
    assert _state(project) == before
    with pytest.raises(InvalidOperationError):
        project.restore_attribute(snapshot)


def test_attribute_restore_skips_owners_deleted_since(project: Project, setup: dict[str, int]) -> None:
    snapshot = project.attribute_snapshot(setup["age"])
    project.delete_attribute(setup["age"])
    project.delete_case(setup["dev"])
    project.restore_attribute(snapshot)
    assert project.values_of_attribute(setup["age"]) == {setup["marcus"]: 34}


def test_removed_member_comes_back_with_its_id(project: Project, setup: dict[str, int]) -> None:
    member = project.case_members(setup["marcus"])[0]
    before = _state(project)
    project.remove_case_member(member.id)
    assert member not in project.case_members()
    assert project.restore_case_member(member) == member
    assert _state(project) == before
    with pytest.raises(InvalidOperationError):
        project.restore_case_member(member)
    assert project.check() == []
