"""The main window's wiring: show a source, apply a code to the selection, undo and redo it."""

from __future__ import annotations

from pathlib import Path

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index


def test_apply_code_to_selection_and_undo(qtbot, project: Project, tmp_path: Path) -> None:
    text = "Interviewer: hi 😀\n\nAl: I keep it to myself.\n\nInterviewer: ok\n\nAl: yes"
    folder = project.create_folder("Interviews")
    source = project.add_source("Int 1", text, folder_id=folder.id)
    code = project.create_code("Self-reliance")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    window._source_clicked(find_index(window.sources_model, "source", source.id))
    assert window.document.toPlainText() == text
    start = text.index("I keep")
    window.document.select_range(start, start + len("I keep it to myself."))
    assert window.document.selection() == (start, start + 20)  # code points, despite the emoji before it
    window._code_activated(find_index(window.codebook_model, "code", code.id))
    codings = project.codings_for_source(source.id)
    assert [(c.start, c.end, c.code_id) for c in codings] == [(start, start + 20, code.id)]
    assert window.document.coding_highlights() == [(start, start + 20)]
    assert window.codebook_model.item(0, 1).text() == "1"
    window.undo_stack.undo()
    assert project.codings_for_source(source.id) == []
    assert window.document.coding_highlights() == []
    window.undo_stack.redo()
    assert [c.id for c in project.codings_for_source(source.id)] == [codings[0].id]
    window.grab().save(str(tmp_path / "main_window.png"))


def test_no_selection_gives_a_hint_not_a_coding(qtbot, project: Project) -> None:
    source = project.add_source("S", "some text")
    code = project.create_code("C")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window._source_clicked(find_index(window.sources_model, "source", source.id))
    window._code_activated(find_index(window.codebook_model, "code", code.id))
    assert project.coding_count() == 0
    assert "Select some text" in window.statusBar().currentMessage()


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
