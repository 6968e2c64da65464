"""The coding query in the app: the builder writes what the core parses, typed faults read as messages, and
"Code all results as…" is one undo step that Undo takes back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.analysis import coding_query as cq
from qcode.core.project import Project
from qcode.gui.analysis.query_builder import QueryBuilder
from qcode.gui.analysis.query_expression import code_term, combine, grouped
from qcode.gui.commands.base import push
from qcode.gui.commands.codings import CodePassages
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
    ('"Barriers"@Zed', "No coder is called 'Zed'"),
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
