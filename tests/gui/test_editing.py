"""Codebook editing, removing codings and the coded-segments panel, all through the undo stack."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index

TEXT = "Interviewer: hi\n\nAl: I keep it to myself 😀 mostly.\n\nInterviewer: ok\n\nAl: the lads help"


def _window(qtbot, project: Project) -> MainWindow:
    window = MainWindow(project)
    qtbot.addWidget(window)
    return window


def test_codebook_changes_undo_and_redo(qtbot, project: Project) -> None:
    window = _window(qtbot, project)
    window.codebook_actions.new_code(None, "Stoicism")
    top = project.find_code("Stoicism")
    window.codebook_actions.new_code(top.id, "Silence")
    kid = project.find_code("Stoicism/Silence")
    source = project.add_source("S", TEXT)
    project.add_coding(source.id, kid.id, 22, 40)
    window.codebook_actions.rename_code(kid.id, "Keeping quiet")
    window.codebook_actions.recolor_code(kid.id, "#112233")
    assert (project.code(kid.id).name, project.code(kid.id).color) == ("Keeping quiet", "#112233")
    window.codebook_actions.delete_code(top.id)
    assert project.codes() == []
    assert project.coding_count() == 0
    window.undo_stack.undo()  # the delete
    assert project.code(kid.id).name == "Keeping quiet"
    assert project.coding_count() == 1
    window.undo_stack.undo()  # colour
    window.undo_stack.undo()  # name
    assert (project.code(kid.id).name, project.code(kid.id).color) != ("Keeping quiet", "#112233")
    assert project.code(kid.id).name == "Silence"
    for _ in range(3):
        window.undo_stack.redo()
    assert project.codes() == []
    assert project.check() == []


def test_refused_change_never_reaches_the_stack(qtbot, project: Project, modal_messages: list[str]) -> None:
    window = _window(qtbot, project)
    window.codebook_actions.new_code(None, "A")
    window.codebook_actions.new_code(None, "a")  # same name under one parent: refused with a message
    assert [c.name for c in project.codes()] == ["A"]
    assert window.undo_stack.count() == 1
    assert any("already a code" in message for message in modal_messages)


def test_remove_coding_from_the_document_menu_and_undo(qtbot, project: Project) -> None:
    source = project.add_source("S", TEXT)
    code = project.create_code("Self-reliance")
    coding = project.add_coding(source.id, code.id, 22, 40)
    window = _window(qtbot, project)
    window.show_source(source.id)
    assert [c.id for c in window.document.codings_at(30)] == [coding.id]
    assert window.document.codings_at(5) == []
    window.remove_coding(coding.id)
    assert project.coding_count() == 0
    window.undo_stack.undo()
    assert project.codings_for_source(source.id) == [coding]


def test_segments_panel_lists_and_opens_excerpts(qtbot, project: Project) -> None:
    source = project.add_source("S", TEXT)
    top = project.create_code("Top")
    kid = project.create_code("Kid", parent_id=top.id)
    project.add_coding(source.id, kid.id, TEXT.index("the lads"), len(TEXT))
    window = _window(qtbot, project)
    with qtbot.waitSignal(window.segments.loaded, timeout=10_000):
        window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", top.id))
    model = window.segments.model_
    assert model.rowCount() == 1
    assert model.text(0, 0) == "Top › Kid"  # the code's path, with its colour
    assert model.text(0, 1) == "the lads help"
    assert model.text(0, 3) == "¶ 4, Al"
    assert model.rowCount() == len(project.excerpts(top.id, include_descendants=True))
    other = project.create_code("Other")
    project.add_coding(source.id, other.id, 0, 5)
    with qtbot.waitSignal(window.segments.loaded, timeout=10_000):
        window.segments.show_codes([kid.id, other.id])
    assert [(model.text(r, 0), model.text(r, 1)) for r in range(model.rowCount())] == [
        ("Other", TEXT[:5]), ("Top › Kid", "the lads help")]
    assert window.segments.title.text() == "2 coded segments of 2 codes (with sub-codes)"
    window.open_excerpt(source.id, TEXT.index("the lads"), len(TEXT))
    assert window.document.selection() == (TEXT.index("the lads"), len(TEXT))


def test_cases_dock_assigns_the_selected_passage(qtbot, project: Project) -> None:
    source = project.add_source("S", TEXT)
    case = project.create_case("Al")
    window = _window(qtbot, project)
    window.show_source(source.id)
    start = TEXT.index("the lads")
    window.document.select_range(start, len(TEXT))
    window.cases_table.select_case(case.id)
    members = window.cases_table.members
    qtbot.mouseClick(members.assign_passage_button, Qt.MouseButton.LeftButton)
    assert [(m.start, m.end) for m in project.case_members(case.id)] == [(start, len(TEXT))]
    window.undo_stack.undo()
    assert project.case_members(case.id) == []
    # "Add this source" adds the whole source, even with a selection left over from coding
    qtbot.mouseClick(members.assign_button, Qt.MouseButton.LeftButton)
    assert [(m.start, m.end) for m in project.case_members(case.id)] == [(None, None)]
    assert members.model.item(0, 1).text() == "whole source"
    window.document.select_range(0, 0)
    assert not members.assign_passage_button.isEnabled()


def test_selecting_several_codes_lists_all_their_segments(qtbot, project: Project) -> None:
    from PySide6.QtCore import QItemSelectionModel

    source = project.add_source("S", TEXT)
    first, second, third = (project.create_code(name) for name in ("One", "Two", "Three"))
    project.add_coding(source.id, first.id, 0, 5)
    project.add_coding(source.id, second.id, 6, 10)
    project.add_coding(source.id, third.id, 11, 15)
    window = _window(qtbot, project)
    selection = window.codebook_view.selectionModel()
    with qtbot.waitSignal(window.segments.loaded, timeout=10_000):
        window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", first.id))
    with qtbot.waitSignal(window.segments.loaded, timeout=10_000):
        selection.select(find_index(window.codebook_model, "code", third.id),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(window.segments.code_ids) == sorted([first.id, third.id])
    assert window.segments.model_.rowCount() == 2
    assert window.segments.title.text() == "2 coded segments of 2 codes (with sub-codes)"


def test_deleting_and_merging_large_codes_run_on_a_worker_and_undo_exactly(qtbot, project: Project,
                                                                             monkeypatch) -> None:
    from qcode.gui.commands import codebook as codebook_commands

    monkeypatch.setattr(codebook_commands, "LARGE_STEP", 0)  # every step counts as large here
    source = project.add_source("S", TEXT)
    a, b = project.create_code("A"), project.create_code("B")
    project.add_coding(source.id, a.id, 0, 5)
    project.add_coding(source.id, b.id, 6, 10)
    window = _window(qtbot, project)
    before = sorted((c.code_id, c.start) for c in project.codings_for_source(source.id))
    window.codebook_actions.delete_code(a.id)
    assert window.undo_stack.command(0).runs_in_background
    assert [c.name for c in project.codes()] == ["B"]
    window.undo_stack.undo()
    assert sorted((c.code_id, c.start) for c in project.codings_for_source(source.id)) == before
    assert window.codebook_actions.merge_codes([a.id], b.id)
    assert [c.name for c in project.codes()] == ["B"]
    window.undo_stack.undo()
    assert sorted((c.code_id, c.start) for c in project.codings_for_source(source.id)) == before


def test_a_coding_is_removed_from_the_coded_segments_list(qtbot, project: Project) -> None:
    source = project.add_source("S", TEXT)
    code = project.create_code("C")
    coding = project.add_coding(source.id, code.id, 0, 5)
    window = _window(qtbot, project)
    with qtbot.waitSignal(window.segments.loaded, timeout=10_000):
        window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    window.segments.remove_requested.emit(coding.id)  # what the list's "Remove this coding" sends
    assert project.codings_for_source(source.id) == []
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 0)
    window.undo_stack.undo()
    assert project.codings_for_source(source.id) == [coding]
