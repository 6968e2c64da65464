"""In-vivo codes, quick keys and the quick-code box: each one undoable step."""

from __future__ import annotations

from qcode.core.project import Project
from qcode.gui.actions.coding import in_vivo_name
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index

TEXT = "Interviewer: hi\n\nAl: “You just crack on,” Dad said. 😀\n\nInterviewer: ok\n\nAl: the lads help"


def _window(qtbot, project: Project) -> tuple[MainWindow, int]:
    source = project.add_source("S", TEXT)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window._source_clicked(find_index(window.sources_model, "source", source.id))
    return window, source.id


def test_in_vivo_name() -> None:
    assert in_vivo_name("  “You just crack on,” ") == "You just crack on"
    assert in_vivo_name("either/or") == "either-or"
    assert len(in_vivo_name("word " * 40)) <= 61


def test_code_in_vivo_is_one_undo_step(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    start = TEXT.index("“You")
    window.document.select_range(start, TEXT.index(" Dad"))
    assert window.coding.code_in_vivo()
    code = project.find_code("You just crack on")
    assert [(c.start, c.code_id) for c in project.codings_for_source(source_id)] == [(start, code.id)]
    window.undo_stack.undo()
    assert project.codes() == []
    assert project.coding_count() == 0
    window.undo_stack.redo()
    assert project.coding_count() == 1


def test_quick_keys_apply_their_code(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    code = project.create_code("Peers")
    window.coding.assign_quick_key(3, code.id)
    start = TEXT.index("the lads")
    window.document.select_range(start, len(TEXT))
    assert window.coding.apply_quick_key(3)
    assert not window.coding.apply_quick_key(4)
    assert [c.code_id for c in project.codings_for_source(source_id)] == [code.id]


def test_quick_code_box_finds_or_creates(qtbot, project: Project) -> None:
    window, _ = _window(qtbot, project)
    top = project.create_code("Help-seeking")
    start = TEXT.index("the lads")
    window.document.select_range(start, len(TEXT))
    assert window.coding.quick_code("Help-seeking/Informal")
    informal = project.find_code("Help-seeking/Informal")
    assert informal.parent_id == top.id
    window.document.select_range(start, start + 3)
    assert window.coding.quick_code("informal")  # a unique name, any case
    assert len(project.codings_for_code(informal.id)) == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert [c.name for c in project.codes()] == ["Help-seeking"]


def test_quick_code_creates_missing_parents_in_one_undo_step(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    project.create_code("Peer relationships")
    start = TEXT.index("the lads")
    window.document.select_range(start, len(TEXT))
    assert window.coding.quick_code("peer RELATIONSHIPS/Trust/Banter")
    banter = project.find_code("Peer relationships/Trust/Banter")
    assert [c.code_id for c in project.codings_for_source(source_id)] == [banter.id]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert [c.name for c in project.codes()] == ["Peer relationships"]
    assert project.codings_for_source(source_id) == []
    window.undo_stack.redo()
    assert project.code_path(project.find_code("Banter").id) == "Peer relationships/Trust/Banter"
    assert len(project.codings_for_source(source_id)) == 1
