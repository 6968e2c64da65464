"""Word frequency with keyword in context in the app: KWIC lines for a word, a click opens the passage, and the
project's stop list changes by undoable steps that persist in the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.analysis.kwic_list import KwicList
from qcode.gui.analysis.word_view import StopListDialog
from qcode.gui.commands.analysis import add_stop_words, remove_stop_words
from qcode.gui.commands.base import push
from tests.gui.analysis_helpers import click_cell, open_view, table_rows, wait_result
from tests.unit.analysis_fixture import INTERVIEW, NOTES, build_small


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
    view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # by the words after the keyword
    assert [model.index(r, 4).data() for r in range(3)] == sorted((k.right for k in lines), key=str.casefold)
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by the words before it, nearest first
    assert [model.index(r, 2).data() for r in range(3)] == [lines[1].left, lines[2].left, lines[0].left]
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, 3)).center())
    assert opened.args[1] == lines[1].start  # a sorted row opens its own occurrence


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


# --- the view in the window -----------------------------------------------------------------------------


def test_word_view_shows_the_cores_counts_and_a_word_click_lists_its_lines(qtbot, small):
    window, view = open_view(qtbot, small, "words")
    wait_result(qtbot, view)
    expected = small.project.word_frequencies()
    assert table_rows(view) == [(w.word, w.count, w.sources) for w in expected]
    row = [w.word for w in expected].index("dad")
    tip = view.sorter.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "“dad”: 2 occurrences in 2 sources\nClick to see it in context."
    with qtbot.waitSignal(view.kwic.model_.modelReset, timeout=20000):
        click_cell(qtbot, view, row, 0)
    assert view.word == "dad"
    lines = small.project.kwic("dad", width=60)
    assert view.kwic.model_.lines == lines
    assert len(lines) == 2
    assert "“dad” in context: 2 occurrences" in view.kwic_title.text()
    copied = view.copy_lines().splitlines()
    assert copied[0] == "Source\tLocation\tBefore\tWord\tAfter"
    assert [line.split("\t")[3] for line in copied[1:]] == [k.word for k in lines]
    index = view.kwic.model().index(1, 3)
    qtbot.mouseClick(view.kwic.viewport(), Qt.MouseButton.LeftButton, pos=view.kwic.visualRect(index).center())
    assert window.document.source_id == lines[1].source_id
    cursor = window.document.textCursor()
    assert cursor.selectedText().casefold() == "dad"


def test_word_view_follows_the_filters_and_the_chart_has_a_bar_per_word(qtbot, small):
    _window, view = open_view(qtbot, small, "words")
    wait_result(qtbot, view)
    wait_result(qtbot, view, lambda: view.filters.choose(codes=[small.peers]))
    expected = small.project.word_frequencies(Filter(codes=(small.peers,)))
    assert table_rows(view) == [(w.word, w.count, w.sources) for w in expected]
    assert view.chart.hits.count == len(expected)
    image = view.chart.render_image(Path(view.project.path).with_suffix(".png"))
    assert image.stat().st_size > 5000
    wait_result(qtbot, view, lambda: view.min_length.setValue(5))
    assert [r[0] for r in table_rows(view)] == ["mates", "matter"]


def test_adding_a_stop_word_removes_it_from_the_table_persists_and_undoes(qtbot, small):
    window, view = open_view(qtbot, small, "words")
    wait_result(qtbot, view)
    assert table_rows(view)[0][0] == "mates"
    view.table.setCurrentIndex(view.sorter.index(0, 0))
    assert view.stop_button.isEnabled()
    assert "mates" in view.stop_button.text()
    wait_result(qtbot, view, view.stop_button.click)
    assert "mates" not in [r[0] for r in table_rows(view)]
    assert small.project.stop_words() == ["mates"]
    assert view.stop_list_button.text() == "Stop list (1)…"
    assert window.undo_stack.undoText() == "Add 'mates' to the stop list"
    wait_result(qtbot, view, window.undo_stack.undo)
    assert table_rows(view)[0][0] == "mates"
    assert small.project.stop_words() == []
    wait_result(qtbot, view, window.undo_stack.redo)
    dialog = StopListDialog(view)
    qtbot.addWidget(dialog)
    assert [dialog.words.item(i).text() for i in range(dialog.words.count())] == ["mates"]
    dialog.words.item(0).setSelected(True)
    wait_result(qtbot, view, dialog.remove_button.click)
    assert dialog.words.count() == 0
    assert table_rows(view)[0][0] == "mates"


def test_a_frequent_word_lists_its_first_occurrences_and_says_how_many_there_are(qtbot, small, monkeypatch):
    from qcode.gui.analysis import word_view

    monkeypatch.setattr(word_view, "KWIC_LINES", 2)
    _window, view = open_view(qtbot, small, "words")
    wait_result(qtbot, view)
    with qtbot.waitSignal(view.kwic.model_.modelReset, timeout=20000):
        view.show_word("mates")
    assert view.kwic.model_.lines == small.project.kwic("mates", width=60)[:2]
    assert "the first 2 of 3 occurrences" in view.kwic_title.text()


def test_only_a_new_filter_or_new_codings_count_the_words_again(qtbot, small, monkeypatch):
    counted = []
    tally = Project.word_tally

    def counting(self, flt=None):
        if self is not small.project:  # the view's workers, each with a project of its own
            counted.append(flt)
        return tally(self, flt)

    monkeypatch.setattr(Project, "word_tally", counting)
    window, view = open_view(qtbot, small, "words")
    wait_result(qtbot, view)
    assert len(counted) == 1
    view.table.setCurrentIndex(view.sorter.index(0, 0))
    wait_result(qtbot, view, view.stop_button.click)  # a stop word: chosen from the same tally
    wait_result(qtbot, view, lambda: view.min_length.setValue(4))
    assert len(counted) == 1
    assert table_rows(view) == [(w.word, w.count, w.sources)
                                for w in small.project.word_frequencies(min_length=4)]
    wait_result(qtbot, view, lambda: view.filters.choose(codes=[small.family]))
    assert len(counted) == 2
    wait_result(qtbot, view, lambda: small.project.add_coding(small.s3, small.family, 0, len(NOTES)))
    assert len(counted) == 3
    assert "nothing" in [r[0] for r in table_rows(view)]  # "Nothing coded here yet." is coded now
    wait_result(qtbot, view, lambda: qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton))
    assert len(counted) == 4
    window.close()


def test_the_lines_in_context_are_read_again_only_when_the_text_may_differ(qtbot, small, monkeypatch):
    reads = []
    kwic = Project.kwic

    def counting(self, word, flt=None, **options):
        if self is not small.project:
            reads.append(word)
        return kwic(self, word, flt, **options)

    monkeypatch.setattr(Project, "kwic", counting)
    _window, view = open_view(qtbot, small, "words")
    wait_result(qtbot, view)
    with qtbot.waitSignal(view.kwic.model_.modelReset, timeout=20000):
        view.show_word("dad")
    assert reads == ["dad"]
    wait_result(qtbot, view, lambda: view.add_to_stop_list("mates"))  # the same text: the same lines
    assert reads == ["dad"]
    with qtbot.waitSignal(view.kwic.model_.modelReset, timeout=20000):
        wait_result(qtbot, view, lambda: small.project.add_coding(small.s3, small.family, 0, len(NOTES)))
    assert reads == ["dad", "dad"]
