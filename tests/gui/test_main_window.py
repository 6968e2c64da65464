"""The main window's wiring: show a source, apply a code to the selection, undo and redo it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index
from tests.gui.gestures import (
    CTRL,
    SHIFT,
    click_code,
    double_click_code,
    open_source,
    press,
    select_with_keys,
    show,
)


def test_apply_code_to_selection_and_undo(qtbot, project: Project, tmp_path: Path,
                                          modal_messages: list[str]) -> None:
    text = "Interviewer: hi 😀\n\nAl: I keep it to myself.\n\nInterviewer: ok\n\nAl: yes"
    folder = project.create_folder("Interviews")
    source = project.add_source("Int 1", text, folder_id=folder.id)
    other = project.add_source("Int 2", "Another talk.", folder_id=folder.id)
    code = project.create_code("Self-reliance")
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, other.id)
    open_source(qtbot, window, source.id)
    assert window.document.toPlainText() == text
    start = text.index("I keep")
    select_with_keys(qtbot, window, start, start + len("I keep it to myself."))
    assert window.document.selection() == (start, start + 20)  # code points, despite the emoji before it
    double_click_code(qtbot, window, code.id)
    codings = project.codings_for_source(source.id)
    assert [(c.start, c.end, c.code_id) for c in codings] == [(start, start + 20, code.id)]
    assert modal_messages == []  # one gesture, one coding, no "already has this code" dialog
    assert "already" not in window.statusBar().currentMessage()  # nor a second attempt
    assert window.undo_stack.count() == 1
    assert window.document.coding_highlights() == [(start, start + 20)]
    assert window.codebook_model.item(0, 1).text() == "1"
    double_click_code(qtbot, window, code.id)  # again: said in the status bar, not in a dialog
    assert project.coding_count() == 1
    assert modal_messages == []
    assert "already has 'Self-reliance'" in window.statusBar().currentMessage()
    press(qtbot, window.document, Qt.Key.Key_Z, CTRL)  # Edit > Undo
    assert project.codings_for_source(source.id) == []
    assert window.document.coding_highlights() == []
    press(qtbot, window.document, Qt.Key.Key_Z, CTRL | SHIFT)  # Edit > Redo
    assert [c.id for c in project.codings_for_source(source.id)] == [codings[0].id]
    window.grab().save(str(tmp_path / "main_window.png"))


def test_enter_on_a_code_codes_the_selection(qtbot, project: Project, modal_messages: list[str]) -> None:
    text = "Al: I keep it to myself."
    source = project.add_source("S", text)
    parent = project.create_code("Coping")
    child = project.create_code("Alone", parent_id=parent.id)
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    select_with_keys(qtbot, window, 4, 10)
    click_code(qtbot, window, child.id)
    press(qtbot, window.codebook_view, Qt.Key.Key_Return)
    assert [(c.start, c.end, c.code_id) for c in project.codings_for_source(source.id)] == [(4, 10, child.id)]
    double_click_code(qtbot, window, parent.id)  # a parent code: coded, and still expanded
    assert window.codebook_view.isExpanded(find_index(window.codebook_model, "code", parent.id))
    assert project.coding_count() == 2
    assert modal_messages == []


def test_no_selection_gives_a_hint_not_a_coding(qtbot, project: Project, modal_messages: list[str]) -> None:
    source = project.add_source("S", "some text")
    code = project.create_code("C")
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    double_click_code(qtbot, window, code.id)
    assert project.coding_count() == 0
    assert "Select some text" in window.statusBar().currentMessage()
    assert modal_messages == []


def test_read_only_project_says_so_in_the_title(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    holder = Project.create(path, name="Study")
    try:
        reader = Project.open(path, mode="auto")
        window = MainWindow(reader)
        qtbot.addWidget(window)
        assert "read-only" in window.windowTitle()
        assert window.windowTitle().startswith("Study")
        window.close()
        reader.close()
    finally:
        holder.close()


def test_opening_backs_up_off_the_main_thread(tmp_path: Path) -> None:
    import threading

    from qcode.core.store import backups
    from qcode.gui import lifecycle

    path = tmp_path / "p.qcode"
    with Project.create(path) as p:
        p.create_code("Saved")
        before = set(threading.enumerate())
        lifecycle.backup_in_background(p.path)
        workers = [t for t in threading.enumerate() if t not in before and t.name == "qcode-backup"]
        for worker in workers:
            worker.join(timeout=30)
    listed = backups.list_backups(path)
    assert len(listed) == 1
    assert listed[0].reason == "open"
