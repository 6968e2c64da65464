"""Dragging a selection from the document onto a code codes it, as one undo step; other drops are left alone."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index
from qcode.gui.selection_drag import dropped_selection

TEXT = "Interviewer: hi 😀\n\nAl: I keep it to myself.\n\nInterviewer: ok\n\nAl: yes"


def _drop(window: MainWindow, data: QMimeData, code_id: int) -> QDropEvent:
    rect = window.codebook_view.visualRect(find_index(window.codebook_model, "code", code_id))
    event = QDropEvent(QPointF(rect.center()), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    # the filter is called directly: offscreen, Qt delivers drops only during a real drag
    window.selection_drops.eventFilter(window.codebook_view.viewport(), event)
    return event


def test_a_dropped_selection_is_coded(qtbot, project: Project) -> None:
    source = project.add_source("Int", TEXT)
    project.create_code("Other")
    code = project.create_code("Self-reliance")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    window._source_clicked(find_index(window.sources_model, "source", source.id))
    start = TEXT.index("I keep")
    window.document.select_range(start, start + 20)
    data = window.document.createMimeDataFromSelection()
    assert dropped_selection(data) == (source.id, start, start + 20)
    assert data.text() == "I keep it to myself."
    window.document.select_range(0, 3)  # the selection may change while dragging: the dragged range counts
    event = _drop(window, data, code.id)
    assert event.isAccepted()
    assert [(c.code_id, c.start, c.end) for c in project.codings_for_source(source.id)] == [(code.id, start, start + 20)]
    window.undo_stack.undo()
    assert project.codings_for_source(source.id) == []


def test_plain_text_drops_do_not_code(qtbot, project: Project) -> None:
    source = project.add_source("Int", TEXT)
    code = project.create_code("C")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    data = QMimeData()
    data.setText("some text from elsewhere")
    _drop(window, data, code.id)
    assert project.codings_for_source(source.id) == []
