"""Word frequency with keyword in context in the app: KWIC lines for a word, a click opens the passage, and the
project's stop list changes by undoable steps that persist in the project."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.analysis.kwic_list import KwicList
from qcode.gui.commands.analysis import add_stop_words, remove_stop_words
from qcode.gui.commands.base import push
from tests.unit.analysis_fixture import INTERVIEW, build_small


@pytest.fixture
def small(tmp_path):
    built = build_small(tmp_path / "small.qcode")
    yield built
    built.project.close()


def test_kwic_list_shows_the_cores_lines_and_a_click_opens_the_occurrence(qtbot, small):
    lines = small.project.kwic("mates", Filter(codes=(small.peers,)), width=10)
    view = KwicList()
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.show()
    view.set_lines("mates", lines)
    model = view.model()
    assert model.rowCount() == 3
    assert [tuple(model.index(r, c).data() for c in range(5)) for r in range(3)] == [
        (k.source_name, k.location, k.left, k.word, k.right) for k in lines]
    assert model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole) & int(Qt.AlignmentFlag.AlignRight)
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(1, 3)).center())
    source_id, start, end = opened.args
    assert (source_id, INTERVIEW[start:end]) == (small.s1, "Mates")
    assert start == lines[1].start


def test_stop_words_are_added_and_removed_by_undoable_steps_kept_in_the_project(small):
    project: Project = small.project
    stack = QUndoStack()
    push(stack, add_stop_words(project, ["Mates"]))
    assert project.stop_words() == ["mates"]
    assert "mates" not in [w.word for w in project.word_frequencies(Filter(codes=(small.peers,)))]
    push(stack, add_stop_words(project, ["club", "talk"]))
    assert stack.undoText() == "Add 2 words to the stop list"
    push(stack, remove_stop_words(project, ["mates"]))
    assert project.stop_words() == ["club", "talk"]
    stack.undo()
    assert project.stop_words() == ["club", "mates", "talk"]
    stack.undo()
    stack.undo()
    assert project.stop_words() == []
    stack.redo()
    path = project.path
    project.close()
    with Project.open(path, mode="read") as again:
        assert again.stop_words() == ["mates"]
    small.project = Project.open(path)
