"""Codebook operations and their error paths."""

from __future__ import annotations

import pytest

from qcode.core.errors import (
    AmbiguousNameError,
    DuplicateNameError,
    InvalidNameError,
    InvalidOperationError,
    InvalidRequestError,
    NotFoundError,
    TreeCycleError,
)
from qcode.core.project import Project


def test_create_with_all_fields_and_tree_order(project: Project) -> None:
    top = project.create_code("Help-seeking", color="#112233", definition="d", inclusion="i", exclusion="e",
                              example="x")
    child = project.create_code("Barriers", parent_id=top.id)
    other = project.create_code("Peers")
    assert [c.name for c in project.codes()] == ["Help-seeking", "Barriers", "Peers"]
    assert (top.definition, top.inclusion, top.exclusion, top.example, top.color) == ("d", "i", "e", "x", "#112233")
    assert project.code_path(child.id) == "Help-seeking/Barriers"
    assert len({top.guid, child.guid, other.guid}) == 3


def test_duplicate_name_under_one_parent_is_refused(project: Project) -> None:
    top = project.create_code("A")
    project.create_code("B", parent_id=top.id)
    with pytest.raises(DuplicateNameError, match="already a code called 'b'"):
        project.create_code("b", parent_id=top.id)
    project.create_code("B")  # another parent: fine
    assert len(project.codes()) == 3


@pytest.mark.parametrize("name", ["", "   ", "a/b"])
def test_bad_names(project: Project, name: str) -> None:
    with pytest.raises(InvalidNameError):
        project.create_code(name)


def test_bad_colour(project: Project) -> None:
    with pytest.raises(InvalidRequestError, match="not a colour"):
        project.create_code("A", color="red")


def test_rename_recolour_and_edit_fields(project: Project) -> None:
    code = project.create_code("A")
    project.create_code("B")
    project.rename_code(code.id, "Renamed")
    project.recolor_code(code.id, "#AABBCC")
    project.update_code(code.id, definition="def", inclusion="inc", exclusion="exc", example="ex")
    again = project.code(code.id)
    assert (again.name, again.color, again.definition, again.inclusion, again.exclusion, again.example) == (
        "Renamed", "#aabbcc", "def", "inc", "exc", "ex")
    with pytest.raises(DuplicateNameError):
        project.rename_code(code.id, "B")
    with pytest.raises(InvalidRequestError, match="no field"):
        project.update_code(code.id, colour="#000000")


def test_move_reorders_and_refuses_cycles(project: Project) -> None:
    a = project.create_code("A")
    b = project.create_code("B", parent_id=a.id)
    c = project.create_code("C", parent_id=b.id)
    d = project.create_code("D")
    with pytest.raises(TreeCycleError):
        project.move_code(a.id, c.id)
    with pytest.raises(TreeCycleError):
        project.move_code(a.id, a.id)
    project.move_code(b.id, d.id)
    assert project.code_path(c.id) == "D/B/C"
    project.move_code(d.id, None, position=0)
    assert [x.name for x in project.children(None)] == ["D", "A"]
    project.move_code(b.id, None, position=1)
    assert [x.name for x in project.children(None)] == ["D", "B", "A"]
    assert project.check() == []


def test_move_refuses_name_clash(project: Project) -> None:
    a = project.create_code("A")
    project.create_code("X", parent_id=a.id)
    x2 = project.create_code("X")
    with pytest.raises(DuplicateNameError):
        project.move_code(x2.id, a.id)


def test_merge_moves_codings_children_and_collapses_duplicates(project: Project) -> None:
    s = project.add_source("S", "one two three four five six")
    a = project.create_code("A")
    b = project.create_code("B")
    kid = project.create_code("Kid", parent_id=a.id)
    dup_a = project.add_coding(s.id, a.id, 0, 3)
    project.add_coding(s.id, b.id, 0, 3)
    project.add_coding(s.id, a.id, 4, 7)
    project.set_memo("coding", dup_a.id, "memo on the duplicate")
    project.set_memo("code", a.id, "A's memo")
    project.merge_codes(a.id, b.id)
    with pytest.raises(NotFoundError):
        project.code(a.id)
    codings = project.codings_for_code(b.id)
    assert [(c.start, c.end) for c in codings] == [(0, 3), (4, 7)]
    assert project.code(kid.id).parent_id == b.id
    survivor = codings[0]
    assert project.memo("coding", survivor.id).text == "memo on the duplicate"
    assert project.memo("code", b.id).text == "A's memo"
    assert project.check() == []


def test_merge_errors(project: Project) -> None:
    a = project.create_code("A")
    b = project.create_code("B", parent_id=a.id)
    with pytest.raises(InvalidOperationError, match="into itself"):
        project.merge_codes(a.id, a.id)
    with pytest.raises(InvalidOperationError, match="own sub-code"):
        project.merge_codes(a.id, b.id)


def test_delete_with_codings_removes_the_subtree(project: Project) -> None:
    s = project.add_source("S", "abcdefghij")
    a = project.create_code("A")
    b = project.create_code("B", parent_id=a.id)
    project.add_coding(s.id, b.id, 0, 2)
    project.delete_code(a.id)
    assert project.codes() == []
    assert project.coding_count() == 0
    assert project.check() == []


def test_delete_keeping_codings_moves_them_to_the_parent(project: Project) -> None:
    s = project.add_source("S", "abcdefghij")
    a = project.create_code("A")
    b = project.create_code("B", parent_id=a.id)
    c = project.create_code("C", parent_id=b.id)
    project.add_coding(s.id, b.id, 0, 2)
    project.delete_code(b.id, keep_codings=True)
    assert [x.start for x in project.codings_for_code(a.id)] == [0]
    assert project.code(c.id).parent_id == a.id


def test_delete_top_level_to_parent_is_refused(project: Project) -> None:
    a = project.create_code("A")
    with pytest.raises(InvalidOperationError, match="top-level"):
        project.delete_code(a.id, keep_codings=True)
    assert project.code(a.id).name == "A"


def test_find_code_by_path_and_ambiguity(project: Project) -> None:
    a = project.create_code("A")
    b = project.create_code("B")
    x1 = project.create_code("X", parent_id=a.id)
    project.create_code("X", parent_id=b.id)
    assert project.find_code("A/X").id == x1.id
    assert project.find_code(str(x1.id)).id == x1.id
    with pytest.raises(AmbiguousNameError, match="A/X") as info:
        project.find_code("X")
    assert len(info.value.candidates) == 2
    with pytest.raises(NotFoundError):
        project.find_code("A/Nope")


def test_deleted_code_comes_back_exactly(project: Project) -> None:
    s = project.add_source("S", "abcdefghijklmnop")
    a = project.create_code("A", definition="def")
    b = project.create_code("B", parent_id=a.id)
    other = project.create_code("Other")
    coding = project.add_coding(s.id, b.id, 0, 4)
    project.add_coding(s.id, a.id, 2, 9)
    project.set_memo("code", b.id, "memo on B")
    project.set_memo("coding", coding.id, "memo on coding")
    before = (project.codes(), project.frequencies(), sorted(project.memos(), key=lambda m: m.id))
    snapshot = project.code_snapshot(a.id)
    project.delete_code(a.id)
    assert [c.name for c in project.codes()] == ["Other"]
    project.restore_codes(snapshot)
    after = (project.codes(), project.frequencies(), sorted(project.memos(), key=lambda m: m.id))
    assert after == before
    assert project.code(other.id).name == "Other"
    assert project.check() == []


def _whole_state(project: Project) -> tuple:
    codes = project.codes()
    codings = sorted((c for code in codes for c in project.codings_for_code(code.id)), key=lambda c: c.id)
    return codes, codings, sorted(project.memos(), key=lambda m: m.id), project.frequencies()


def test_merge_is_undone_exactly(project: Project) -> None:
    s = project.add_source("S", "one two three four five six seven")
    a = project.create_code("A", definition="A's definition")
    b = project.create_code("B")
    kid = project.create_code("Kid", parent_id=a.id)
    grandkid = project.create_code("Grandkid", parent_id=kid.id)
    project.create_code("Own kid", parent_id=b.id)
    dup_a = project.add_coding(s.id, a.id, 0, 3)
    dup_b = project.add_coding(s.id, b.id, 0, 3)
    project.add_coding(s.id, a.id, 4, 7)
    project.add_coding(s.id, grandkid.id, 8, 13)
    project.set_memo("coding", dup_a.id, "memo on A's duplicate")
    project.set_memo("coding", dup_b.id, "memo on B's duplicate")
    project.set_memo("code", a.id, "A's memo")
    project.set_memo("code", b.id, "B's memo")
    before = _whole_state(project)
    created = project.code_snapshot(a.id).created_at
    assert set(created) == {a.id, kid.id, grandkid.id}
    snapshot = project.merge_snapshot(a.id, b.id)
    project.merge_codes(a.id, b.id)
    assert _whole_state(project) != before
    project._store.now = lambda: "2099-01-01T00:00:00+00:00"  # a later clock: creation times must not take it
    project.unmerge_codes(snapshot)
    assert _whole_state(project) == before
    assert project.code_snapshot(a.id).created_at == created
    assert project.code(grandkid.id).parent_id == kid.id
    assert project.check() == []
    with pytest.raises(InvalidOperationError):
        project.unmerge_codes(snapshot)


def test_merge_into_a_code_without_memo_is_undone_exactly(project: Project) -> None:
    s = project.add_source("S", "one two three four")
    a = project.create_code("A")
    b = project.create_code("B")
    coding = project.add_coding(s.id, a.id, 0, 3)
    project.add_coding(s.id, b.id, 0, 3)
    project.set_memo("coding", coding.id, "only memo")
    project.set_memo("code", a.id, "A's memo")
    before = _whole_state(project)
    snapshot = project.merge_snapshot(a.id, b.id)
    project.merge_codes(a.id, b.id)
    assert project.memo("code", b.id).text == "A's memo"
    project.unmerge_codes(snapshot)
    assert _whole_state(project) == before
    assert project.memo("code", b.id) is None


def test_moves_are_undone_exactly_with_their_positions(project: Project) -> None:
    s = project.add_source("S", "one two three")
    a = project.create_code("A")
    gone = project.create_code("Gone", parent_id=a.id)
    x = project.create_code("X", parent_id=a.id)
    y = project.create_code("Y", parent_id=a.id)
    b = project.create_code("B")
    project.delete_code(gone.id)  # leaves a gap in A's positions
    project.add_coding(s.id, x.id, 0, 3)
    before = _whole_state(project)
    order = project.code_order([a.id, b.id, None])
    project.move_code(x.id, b.id)
    project.move_code(y.id, None, position=0)
    assert [c.name for c in project.children(None)] == ["Y", "A", "B"]
    project.restore_code_order(order)
    assert _whole_state(project) == before
    assert project.check() == []


def test_move_before_a_sibling(project: Project) -> None:
    a, b, c = (project.create_code(n) for n in "ABC")
    project.move_code(c.id, None, before_id=a.id)
    assert [x.name for x in project.children(None)] == ["C", "A", "B"]
    project.move_code(c.id, None, before_id=b.id)
    assert [x.name for x in project.children(None)] == ["A", "C", "B"]
    with pytest.raises(InvalidRequestError):
        project.move_code(a.id, b.id, before_id=c.id)


def test_atomic_keeps_all_changes_or_none(project: Project) -> None:
    from qcode.core.errors import DuplicateNameError as Duplicate

    def two_codes_with_one_name() -> None:
        with project.atomic():
            project.create_code("First")
            project.create_code("first")  # refused: the whole group is undone

    with pytest.raises(Duplicate):
        two_codes_with_one_name()
    assert project.codes() == []
    with project.atomic():
        parent = project.create_code("First")
        project.create_code("Second", parent_id=parent.id)
    assert [project.code_path(c.id) for c in project.codes()] == ["First", "First/Second"]
    assert project.check() == []


def test_find_or_create_code_is_one_rule_for_every_face(project: Project) -> None:
    top = project.create_code("Help-seeking")
    found, created = project.find_or_create_code("Help-seeking")
    assert (found.id, created) == (top.id, ())
    child, created = project.find_or_create_code("help-SEEKING/ Informal ")  # names matched case-insensitively
    assert child.parent_id == top.id
    assert created == (child.id,)
    deep, created = project.find_or_create_code("Barriers/Stigma/Self-stigma")  # every missing parent is made
    assert [project.code_path(i) for i in created] == ["Barriers", "Barriers/Stigma", "Barriers/Stigma/Self-stigma"]
    assert created[-1] == deep.id
    assert project.find_or_create_code("informal") == (child, ())  # a unique bare name, as find_code finds it
    assert project.find_or_create_code(str(top.id)) == (top, ())


def test_find_or_create_code_refuses_a_bad_part_and_creates_nothing(project: Project) -> None:
    project.create_code("A")
    with pytest.raises(InvalidNameError):
        project.find_or_create_code("New//Sub")
    with pytest.raises(InvalidNameError):
        project.find_or_create_code("   ")
    assert [c.name for c in project.codes()] == ["A"]


def test_all_paths_read_at_once_equal_each_path(project: Project) -> None:
    top = project.create_code("Help-seeking")
    child = project.create_code("Barriers", parent_id=top.id)
    project.create_code("Cost", parent_id=child.id)
    project.create_code("Peers")
    assert project.code_paths(separator=" > ") == {c.id: project.code_path(c.id, separator=" > ")
                                                   for c in project.codes()}
    assert project.code_paths()[child.id] == "Help-seeking/Barriers"
    outer = project.create_folder("Interviews")
    inner = project.create_folder("Round 2", parent_id=outer.id)
    for number, folder in enumerate((None, outer.id, inner.id)):
        project.add_source(f"S{number}", "Al: some words.", folder_id=folder)
    assert project.source_paths() == {s.id: project.source_path(s.id) for s in project.sources()}
    assert sorted(project.source_paths().values()) == ["Interviews/Round 2/S2", "Interviews/S1", "S0"]
