"""The memo panel saves as you type, one undo step per pause, for sources, codes and the journal."""

from __future__ import annotations

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index


def test_memo_of_the_shown_source_saves_and_undoes(qtbot, project: Project) -> None:
    source = project.add_source("S", "some text")
    window = MainWindow(project)
    qtbot.addWidget(window)
    panel = window.memo_panel
    assert panel.title.text() == "Memo on source 'S'"
    panel.editor.setPlainText("First thoughts")
    qtbot.waitUntil(lambda: project.memo("source", source.id) is not None, timeout=5000)
    assert project.memo("source", source.id).text == "First thoughts"
    window.undo_stack.undo()
    assert project.memo("source", source.id) is None
    assert panel.editor.toPlainText() == ""


def test_switching_target_saves_pending_text(qtbot, project: Project) -> None:
    project.add_source("S", "some text")
    code = project.create_code("C")
    window = MainWindow(project)
    qtbot.addWidget(window)
    panel = window.memo_panel
    panel.set_target("project", None, "the project journal")
    panel.editor.setPlainText("Journal entry")
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    assert project.journal() == "Journal entry"
    assert panel.title.text() == "Memo on code 'C'"
    panel.editor.setPlainText("About C")
    panel.save()
    assert project.memo("code", code.id).text == "About C"
