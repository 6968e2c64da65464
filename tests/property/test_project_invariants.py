"""Random sequences of edits keep the project's invariants.

After every step: offsets lie inside their texts, no row is orphaned, the code tree is acyclic, and
every frequency (maintained aggregates and filtered computation alike) equals a plain recount.
Texts contain astral characters, so code-point offsets are exercised.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import QcodeError
from qcode.core.model import Filter
from qcode.core.project import Project
from tests.recount import counts_for, recount

PIECES = st.sampled_from([*"ab c😀é\n", "🧔🏽", " the "])
TEXTS = st.lists(PIECES, min_size=1, max_size=30).map("".join).filter(lambda t: t.strip())


class ProjectMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = tempfile.TemporaryDirectory()
        self.project = Project.create(Path(self.tmp.name) / "p.qcode")
        self.second = self.project.ensure_coder("Second").id
        self.counter = 0

    def teardown(self) -> None:
        self.project.close()
        self.tmp.cleanup()

    def _name(self) -> str:
        self.counter += 1
        return f"n{self.counter}"

    # --- rules -------------------------------------------------------------------------------------

    @rule(text=TEXTS)
    def add_source(self, text: str) -> None:
        self.project.add_source(self._name(), text)

    @rule(data=st.data())
    def create_code(self, data: st.DataObject) -> None:
        parents = [None] + [c.id for c in self.project.codes()]
        self.project.create_code(self._name(), parent_id=data.draw(st.sampled_from(parents)))

    @precondition(lambda self: self.project.sources() and self.project.codes())
    @rule(data=st.data(), second=st.booleans())
    def add_coding(self, data: st.DataObject, second: bool) -> None:
        source = data.draw(st.sampled_from(self.project.sources()))
        code = data.draw(st.sampled_from(self.project.codes()))
        start = data.draw(st.integers(0, source.length - 1))
        end = data.draw(st.integers(start + 1, source.length))
        try:
            self.project.add_coding(source.id, code.id, start, end, coder_id=self.second if second else None)
        except QcodeError:
            pass  # a duplicate: refused, nothing changed (checked by the invariants)

    @precondition(lambda self: self.project.coding_count() > 0)
    @rule(data=st.data())
    def remove_coding(self, data: st.DataObject) -> None:
        codings = [c for s in self.project.sources() for c in self.project.codings_for_source(s.id)]
        self.project.remove_coding(data.draw(st.sampled_from(codings)).id)

    @precondition(lambda self: len(self.project.codes()) >= 2)
    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        codes = self.project.codes()
        a = data.draw(st.sampled_from(codes))
        b = data.draw(st.sampled_from(codes))
        try:
            self.project.merge_codes(a.id, b.id)
        except QcodeError:
            pass

    @precondition(lambda self: len(self.project.codes()) >= 1)
    @rule(data=st.data())
    def move(self, data: st.DataObject) -> None:
        codes = self.project.codes()
        code = data.draw(st.sampled_from(codes))
        parent = data.draw(st.sampled_from([None] + [c.id for c in codes]))
        try:
            self.project.move_code(code.id, parent, position=data.draw(st.integers(0, 3)))
        except QcodeError:
            pass

    def _state(self) -> tuple:
        codes = self.project.codes()
        codings = sorted((c for code in codes for c in self.project.codings_for_code(code.id)), key=lambda c: c.id)
        return codes, codings, sorted(self.project.memos(), key=lambda m: m.id)

    @precondition(lambda self: len(self.project.codes()) >= 2)
    @rule(data=st.data())
    def merge_then_undo(self, data: st.DataObject) -> None:
        codes = self.project.codes()
        a = data.draw(st.sampled_from(codes))
        b = data.draw(st.sampled_from(codes))
        before = self._state()
        snapshot = self.project.merge_snapshot(a.id, b.id)
        try:
            self.project.merge_codes(a.id, b.id)
        except QcodeError:
            return
        self.project.unmerge_codes(snapshot)
        assert self._state() == before

    @precondition(lambda self: len(self.project.codes()) >= 1)
    @rule(data=st.data())
    def move_then_undo(self, data: st.DataObject) -> None:
        codes = self.project.codes()
        code = data.draw(st.sampled_from(codes))
        parent = data.draw(st.sampled_from([None] + [c.id for c in codes]))
        before = self._state()
        order = self.project.code_order([code.parent_id, parent])
        try:
            self.project.move_code(code.id, parent, position=data.draw(st.integers(0, 3)))
        except QcodeError:
            return
        self.project.restore_code_order(order)
        assert self._state() == before

    @precondition(lambda self: len(self.project.codes()) >= 1)
    @rule(data=st.data(), keep=st.booleans())
    def delete_code(self, data: st.DataObject, keep: bool) -> None:
        code = data.draw(st.sampled_from(self.project.codes()))
        try:
            self.project.delete_code(code.id, keep_codings=keep)
        except QcodeError:
            pass

    @precondition(lambda self: self.project.sources())
    @rule(data=st.data(), whole=st.booleans())
    def add_case_member(self, data: st.DataObject, whole: bool) -> None:
        cases = self.project.cases()
        if not cases or data.draw(st.booleans()):
            case = self.project.create_case(self._name())
        else:
            case = data.draw(st.sampled_from(cases))
        source = data.draw(st.sampled_from(self.project.sources()))
        start = end = None
        if not whole:
            start = data.draw(st.integers(0, source.length - 1))
            end = data.draw(st.integers(start + 1, source.length))
        try:
            self.project.add_case_member(case.id, source.id, start, end)
        except QcodeError:
            pass

    @precondition(lambda self: self.project.cases())
    @rule(data=st.data(), value=st.sampled_from(["young", "old", 30, None]))
    def set_case_value(self, data: st.DataObject, value: object) -> None:
        case = data.draw(st.sampled_from(self.project.cases()))
        try:
            attribute = self.project.find_attribute("Group", scope="case")
        except QcodeError:
            attribute = self.project.create_attribute("Group", "text")
        self.project.set_attribute_value(attribute.id, case.id, value)

    @precondition(lambda self: self.project.cases())
    @rule(data=st.data())
    def delete_case(self, data: st.DataObject) -> None:
        self.project.delete_case(data.draw(st.sampled_from(self.project.cases())).id)

    @precondition(lambda self: len(self.project.sources()) > 1)
    @rule(data=st.data())
    def delete_source(self, data: st.DataObject) -> None:
        self.project.delete_source(data.draw(st.sampled_from(self.project.sources())).id)

    # --- invariants --------------------------------------------------------------------------------

    @invariant()
    def file_is_sound(self) -> None:
        assert self.project.check() == []

    @invariant()
    def frequencies_equal_a_recount(self) -> None:
        expected = recount(self.project)
        for row in self.project.frequencies():
            assert (row.own, row.total) == expected[row.code_id], row
        # the filtered path must agree with the maintained aggregates
        coders = tuple(c.id for c in self.project.coders())
        for row in self.project.frequencies(Filter(coders=coders)):
            assert (row.own, row.total) == expected[row.code_id], row

    @invariant()
    def tables_by_case_attribute_agree(self) -> None:
        # the maintained sums by value (fast path) and the computation from the coding rows give one table
        attributes = self.project.attributes("case")
        if not attributes:
            return
        grouping = Grouping("attribute", attributes[0].id)
        coders = tuple(c.id for c in self.project.coders())
        fast = self.project.frequencies(group_by=grouping)
        computed = self.project.frequencies(Filter(coders=coders), group_by=grouping)
        assert fast == computed

    @invariant()
    def second_coder_filter_equals_recount(self) -> None:
        for row in self.project.frequencies(Filter(coders=(self.second,))):
            own = [c for c in self.project.codings_for_code(row.code_id) if c.coder_id == self.second]
            assert row.own == counts_for(self.project, own)


ProjectMachine.TestCase.settings = settings(
    stateful_step_count=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
TestProjectInvariants = ProjectMachine.TestCase
