"""The coding query in the app: the builder writes what the core parses, typed faults read as messages, and
"Code all results as…" is one undo step that Undo takes back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from qcode.core.analysis import coding_query as cq
from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.analysis.code_results_dialog import CodeResultsDialog
from qcode.gui.analysis.query_builder import QueryBuilder
from qcode.gui.analysis.query_expression import code_term, combine, grouped
from qcode.gui.commands.base import push
from qcode.gui.commands.codings import CodePassages
from tests.gui.analysis_helpers import click_cell, listed_coding_ids, open_view, table_rows, wait_result
from tests.unit.analysis_fixture import build_small


@pytest.fixture
def small(tmp_path):
    built = build_small(tmp_path / "small.qcode")
    yield built
    built.project.close()


def _snapshot(project: Project) -> tuple:
    codings = sorted((c.id, c.source_id, c.code_id, c.coder_id, c.start, c.end, c.guid)
                     for s in project.sources() for c in project.codings_for_source(s.id))
    codes = [(c.id, c.parent_id, c.name, c.color) for c in project.codes()]
    return codings, codes, [(r.code_id, r.total.excerpts) for r in project.frequencies()]


names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip())


@settings(max_examples=150, deadline=None)
@given(paths=st.lists(names, min_size=1, max_size=4), coders=st.lists(st.one_of(st.none(), names.filter(
    lambda s: '"' not in s)), min_size=4, max_size=4),
       ops=st.lists(st.sampled_from(["AND", "OR", "NOT", "NEAR", "SAMEPARA", "SAMETURN"]), min_size=3, max_size=3),
       group=st.booleans())
def test_built_expressions_are_read_back_by_the_core(paths, coders, ops, group):
    expression = ""
    expected = []
    for index, path in enumerate(paths):
        expression = combine(expression, ops[index - 1] if index else "AND", code_term(path, coders[index]),
                             distance=7)
        expected.append((path, coders[index]))
        if group and index == 1:
            expression = grouped(expression)
    tree = cq.parse(expression)
    assert [(c.path, c.coder) for c in cq.codes_of(tree)] == expected
    if len(paths) >= 2 and ops[0] == "NEAR":  # the first join is the deepest on the left, whatever follows
        first = tree
        while isinstance(first, cq.Op) and isinstance(first.left, cq.Op):
            first = first.left
        assert isinstance(first, cq.Op)
        assert first.distance == 7


def test_grouping_makes_the_next_operator_apply_to_everything_before():
    expression = grouped(combine(code_term("A"), "OR", code_term("B")))
    expression = combine(expression, "AND", code_term("C"))
    assert expression == '("A" OR "B") AND "C"'
    tree = cq.parse(expression)
    assert isinstance(tree, cq.Op)
    assert tree.name == "AND"
    assert tree.left.name == "OR"
    assert grouped(expression) == f"({expression})"
    assert grouped("(\"A\" OR \"B\")") == "(\"A\" OR \"B\")"  # already grouped as a whole
    assert grouped('("A") OR ("B")') == '(("A") OR ("B"))'


def test_builder_pickers_build_the_text_the_core_runs(qtbot, small):
    builder = QueryBuilder(small.project)
    qtbot.addWidget(builder)
    assert builder.code.count() == len(small.project.codes())
    assert [builder.coder.itemText(i) for i in range(builder.coder.count())] == ["any coder", "Tester", "Ana"]
    assert not builder.run_button.isEnabled()
    builder.code.setCurrentIndex(builder.code.findText("Support/Peers"))
    builder.coder.setCurrentIndex(builder.coder.findText("Ana"))
    builder.add_button.click()
    builder.operator.setCurrentIndex(builder.operator.findData("SAMEPARA"))
    builder.code.setCurrentIndex(builder.code.findText("Support/Family"))
    builder.coder.setCurrentIndex(0)
    builder.add_button.click()
    assert builder.text() == '"Support/Peers"@Ana SAMEPARA "Support/Family"'
    assert builder.error() is None
    assert builder.run_button.isEnabled()
    expected = small.project.coding_query('"Support/Peers"@Ana SAMEPARA "Support/Family"')
    assert [(p.source_id, p.start, p.end) for p in small.project.coding_query(builder.text())] == [
        (p.source_id, p.start, p.end) for p in expected]
    assert len(expected) == 1
    builder.operator.setCurrentIndex(builder.operator.findData("NEAR"))
    assert builder.distance.isVisibleTo(builder)
    builder.distance.setValue(12)
    builder.add_button.click()
    assert builder.text().endswith('NEAR/12 "Support/Family"')
    with qtbot.waitSignal(builder.submitted):
        builder.run_button.click()


@pytest.mark.parametrize(("typed", "says"), [
    ('"Support/Peers" AND', "expected a code path in double quotes"),
    ('"Support/Peers" NEAR "Barriers"', "NEAR takes a number of characters"),
    ('("Barriers" OR "Support"', "expected ')'"),
    ('"Nobody knows"', "Nobody knows"),
    ('"Barriers"@Zed', "There is no coder 'Zed'"),
])
def test_a_typed_fault_is_a_message_and_blocks_running(qtbot, small, typed, says):
    builder = QueryBuilder(small.project)
    qtbot.addWidget(builder)
    builder.expression.setText(typed)
    assert says in builder.message.text()
    assert "Traceback" not in builder.message.text()
    assert not builder.run_button.isEnabled()
    with qtbot.assertNotEmitted(builder.submitted):
        builder.expression.returnPressed.emit()


def test_code_all_results_as_a_new_code_is_one_step_undo_restores_exactly(qtbot, small):
    from PySide6.QtGui import QUndoStack

    project = small.project
    stack = QUndoStack()
    before = _snapshot(project)
    passages = project.coding_query('"Support/Peers" OR "Barriers"')
    ranges = [(p.source_id, p.start, p.end) for p in passages]
    command = CodePassages(project, ranges, "Code query results", new_code="Results/Peers or barriers")
    push(stack, command)
    after = _snapshot(project)
    code = project.find_code("Results/Peers or barriers")
    assert sorted((c.source_id, c.start, c.end) for c in project.codings_for_code(code.id)) == sorted(ranges)
    assert stack.count() == 1
    stack.undo()
    assert _snapshot(project) == before
    stack.redo()
    assert _snapshot(project) == after
    stack.undo()
    assert _snapshot(project) == before


# --- the view in the window -----------------------------------------------------------------------------


def _run(qtbot, view, expression: str) -> None:
    view.builder.set_text(expression)
    assert view.builder.run_button.isEnabled(), view.builder.message.text()
    wait_result(qtbot, view, view.builder.run_button.click)


def test_query_view_lists_the_cores_passages_and_their_excerpts(qtbot, small):
    window, view = open_view(qtbot, small, "query")
    assert view.result is None
    assert "Run query" in view.status.text()
    expression = '"Support/Peers" OR "Barriers"'
    _run(qtbot, view, expression)
    found = small.project.coding_query_excerpts(expression)
    assert [(r[0], r[1], r[3], r[4]) for r in table_rows(view)] == [
        (p.source_name, p.location, p.end - p.start, len(e)) for p, e in found]
    assert len(found) == 3
    for row, (_, excerpts) in enumerate(found):
        listed = listed_coding_ids(qtbot, window, lambda row=row: click_cell(qtbot, view, row, 2))
        assert sorted(listed) == sorted(e.coding.id for e in excerpts)
    assert "the query's passage in" in window.segments.title.text()
    listed = listed_coding_ids(qtbot, window, view.list_all_button.click)
    assert sorted(listed) == sorted({e.coding.id for _, excerpts in found for e in excerpts})
    assert expression in window.segments.title.text()
    copied = view.copy_table()
    assert QApplication.clipboard().text() == copied
    lines = copied.splitlines()
    assert lines[0].split("\t")[:3] == ["Source", "Location", "Passage"]
    assert len(lines) == 1 + len(found)
    assert lines[1].split("\t")[0] == "Interview A"


def test_query_view_recomputes_when_the_filters_change(qtbot, small):
    _window, view = open_view(qtbot, small, "query")
    expression = '"Support/Peers" OR "Barriers"'
    _run(qtbot, view, expression)
    ana = next(c for c in small.project.coders() if c.name == "Ana")
    wait_result(qtbot, view, lambda: view.filters.choose(coders=[ana.id]))
    expected = small.project.coding_query(expression, Filter(coders=(ana.id,)))
    assert [(r[0], r[1], r[3]) for r in table_rows(view)] == [
        (p.source_name, p.location, p.end - p.start) for p in expected]
    assert view.result_filter == Filter(coders=(ana.id,))


def test_a_query_the_core_refuses_shows_its_message_and_no_table(qtbot, small):
    _window, view = open_view(qtbot, small, "query")
    _run(qtbot, view, '"Barriers"')
    view.expression = '"Support/Nobody"'  # e.g. a code deleted since the query was built
    with qtbot.waitSignal(view.failed, timeout=20000) as failed:
        view.recompute()
    assert "Support/Nobody" in failed.args[0]
    assert view.status.text() == failed.args[0]
    assert "Traceback" not in view.status.text()


def test_code_all_results_from_the_view_is_one_undo_step_of_the_window(qtbot, small):
    window, view = open_view(qtbot, small, "query")
    project = small.project
    _run(qtbot, view, '"Support/Peers" SAMEPARA "Support/Family"')
    before = _snapshot(project)
    assert view.code_all_button.isEnabled()
    wait_result(qtbot, view, lambda: view.code_all("Results/Peers beside family"))  # coding recomputes the view
    code = project.find_code("Results/Peers beside family")
    passages = project.coding_query('"Support/Peers" SAMEPARA "Support/Family"')
    assert [(c.source_id, c.start, c.end) for c in project.codings_for_code(code.id)] == [
        (p.source_id, p.start, p.end) for p in passages]
    assert window.undo_stack.count() == 1
    assert "Peers beside family" in window.undo_stack.undoText()
    window.undo_stack.undo()
    assert _snapshot(project) == before
    window.undo_stack.redo()
    assert project.find_code("Results/Peers beside family").name == "Peers beside family"
    window.undo_stack.undo()
    assert _snapshot(project) == before
    # an existing code: the passages are added to it
    barriers_before = len(project.codings_for_code(small.barriers))
    added = view.code_all("Barriers")
    assert added == 1
    assert len(project.codings_for_code(small.barriers)) == barriers_before + 1


def test_code_results_dialog_says_new_or_existing(qtbot, small):
    dialog = CodeResultsDialog(small.project, 3)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.code.setEditText("Support/Peers")
    assert dialog.choice() == (small.peers, "Support/Peers")
    assert "are added to" in dialog.note.text()
    dialog.code.setEditText("Brand new")
    assert dialog.choice() == (None, "Brand new")
    assert "is a new code" in dialog.note.text()
    assert ok.isEnabled()


def test_the_builder_follows_the_codebook(qtbot, small):
    _window, view = open_view(qtbot, small, "query")
    view.builder.set_text('"Barriers" AND "Support/Peers"')
    assert view.builder.run_button.isEnabled()
    small.project.rename_code(small.barriers, "Obstacles")
    qtbot.waitUntil(lambda: view.builder.code.findText("Obstacles") >= 0)
    assert view.builder.code.findText("Barriers") < 0
    assert "Barriers" in view.builder.message.text()
    assert not view.builder.run_button.isEnabled()


def test_code_all_results_asks_for_the_code_and_cancel_changes_nothing(qtbot, small, monkeypatch):
    window, view = open_view(qtbot, small, "query")
    _run(qtbot, view, '"Support/Family"')
    before = _snapshot(small.project)
    answers = iter([(0, ""), (1, "Results/Family talk")])

    def answer(dialog):
        accepted, text = next(answers)
        dialog.code.setEditText(text)
        return accepted

    monkeypatch.setattr(CodeResultsDialog, "exec", answer)
    assert view.code_all() == 0  # cancelled
    assert _snapshot(small.project) == before
    assert window.undo_stack.count() == 0
    wait_result(qtbot, view, view.code_all_button.click)
    code = small.project.find_code("Results/Family talk")
    assert [(c.source_id, c.start, c.end) for c in small.project.codings_for_code(code.id)] == [
        (small.s1, *small.ranges["c3"])]
    window.undo_stack.undo()
    assert _snapshot(small.project) == before


def test_in_blind_coding_the_query_and_the_words_see_only_the_windows_coder(qtbot, small):
    project = small.project
    everyone = project.coding_query('"Support/Peers"')
    project.set_blind_coding(True)
    mine = project.coding_query('"Support/Peers"')  # the window's coder (Tester) only
    assert len(mine) < len(everyone)
    _window, view = open_view(qtbot, small, "query")
    _run(qtbot, view, '"Support/Peers"')
    assert [(r[0], r[1], r[3]) for r in table_rows(view)] == [
        (p.source_name, p.location, p.end - p.start) for p in mine]
    words = view.window().analysis.open("words").views["words"]
    wait_result(qtbot, words)
    wait_result(qtbot, words, lambda: words.filters.choose(codes=[small.peers]))
    seen = project.word_frequencies(Filter(codes=(small.peers,)))
    assert table_rows(words) == [(w.word, w.count, w.sources) for w in seen]
    wait_result(qtbot, words, lambda: project.set_blind_coding(False))  # counted again, not chosen from the tally
    everything = project.word_frequencies(Filter(codes=(small.peers,)))
    assert everything != seen
    assert table_rows(words) == [(w.word, w.count, w.sources) for w in everything]
