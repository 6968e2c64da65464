"""Deleting a source can be undone exactly: text, structure, codings, memos, case members, attribute values."""

from __future__ import annotations

import pytest

from qcode.core.model import Span
from qcode.core.project import Project
from tests.recount import recount

TEXT = "Al: I keep it to myself. 😀\n\nBo: The lads help though.\n\nAl: My brother rings."


def _state(project: Project) -> tuple:
    sources = project.sources()
    return (
        sources,
        [(s.id, project.source_text(s.id), project.spans(s.id)) for s in sources],
        sorted((c for s in sources for c in project.codings_for_source(s.id)), key=lambda c: c.id),
        sorted(project.memos(), key=lambda m: m.id),
        project.case_members(),
        [(s.id, project.attribute_values("source", s.id)) for s in sources],
        [(r.code_id, r.own, r.total) for r in project.frequencies()],
        [(h.source_id, h.start) for h in project.search("brother")],
    )


def test_delete_and_restore_a_source_leaves_the_project_as_it_was(project: Project) -> None:
    other = project.add_source("Other", "Bo: Nothing about a brother here.")
    source = project.add_source("Al", TEXT, spans=[Span("paragraph", 0, 27), Span("turn", 0, 27, "Al")])
    top = project.create_code("Coping")
    kid = project.create_code("Alone", parent_id=top.id)
    first = project.add_coding(source.id, kid.id, 4, 23)
    project.add_coding(source.id, top.id, 29, 54)
    project.add_coding(other.id, top.id, 0, 10)
    project.set_memo("coding", first.id, "keeps it in")
    project.set_memo("source", source.id, "first interview")
    project.add_range_memo(source.id, 29, 35, "the lads")
    case = project.create_case("Al")
    project.add_case_member(case.id, source.id, 0, 27)
    setting = project.create_attribute("Setting", scope="source")
    project.set_attribute_value(setting.id, source.id, "club")
    project.set_attribute_value(setting.id, other.id, "online")
    before = _state(project)

    snapshot = project.source_snapshot(source.id)
    project.delete_source(source.id)
    assert _state(project) != before
    project.restore_sources([snapshot])

    assert _state(project) == before
    for row in project.frequencies():
        assert (row.own, row.total) == recount(project)[row.code_id]
    assert project.check() == []


def test_delete_and_restore_a_folder_tree_with_its_sources(project: Project) -> None:
    top = project.create_folder("Interviews")
    sub = project.create_folder("Wave 2", parent_id=top.id)
    project.create_folder("Elsewhere")
    a = project.add_source("A", "Al: one two three", folder_id=top.id)
    b = project.add_source("B", "Bo: four five six", folder_id=sub.id)
    code = project.create_code("C")
    project.add_coding(a.id, code.id, 0, 5)
    project.add_coding(b.id, code.id, 4, 8)
    before = (project.folders(), _state(project))

    snapshot = project.folder_snapshot(top.id)
    assert [f.id for f in snapshot.folders] == [top.id, sub.id]
    project.delete_folder(top.id, recursive=True)
    assert project.sources() == []
    project.restore_folder(snapshot)

    assert (project.folders(), _state(project)) == before
    assert project.check() == []


def test_moving_several_sources_is_all_or_nothing(project: Project) -> None:
    from qcode.core.errors import DuplicateNameError

    target = project.create_folder("Target")
    project.add_source("B", "taken", folder_id=target.id)
    a, b = project.add_source("A", "one"), project.add_source("B", "two")
    with pytest.raises(DuplicateNameError):
        project.move_sources([a.id, b.id], target.id)
    assert [project.source(a.id).folder_id, project.source(b.id).folder_id] == [None, None]
    project.move_sources([a.id], target.id)
    assert project.source(a.id).folder_id == target.id
    project.delete_sources([a.id, b.id])
    assert [s.name for s in project.sources()] == ["B"]


def test_a_batch_of_codings_across_sources_keeps_every_aggregate_true(project: Project) -> None:
    from qcode.core.model import NewCoding

    sources = [project.add_source(f"S{i}", f"Al: words {i} about help and mates.\n\nBo: more words here.")
               for i in range(6)]
    top = project.create_code("Top")
    kid = project.create_code("Kid", parent_id=top.id)
    cases = [project.create_case(f"P{i}") for i in range(3)]
    for i, source in enumerate(sources):
        project.add_case_member(cases[i % 3].id, source.id, 0, 10)
    age = project.create_attribute("Age", "choice", choices=["young", "old"])
    for i, case in enumerate(cases):
        project.set_attribute_value(age.id, case.id, ("young", "old")[i % 2])
    project.add_coding(sources[0].id, top.id, 0, 3)
    batch = [NewCoding(s.id, (top.id, kid.id)[i % 2], start, start + 5)
             for i, s in enumerate(sources) for start in (0, 4, 20)]
    added = project.apply_codings(batch)
    assert len(added) == len(batch)
    assert project.check() == []
    for row in project.frequencies():
        assert (row.own, row.total) == recount(project)[row.code_id]
    project.remove_codings([c.id for c in added[::2]])
    assert project.check() == []
    for row in project.frequencies():
        assert (row.own, row.total) == recount(project)[row.code_id]
