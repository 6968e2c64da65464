"""Disagreements between coders and their resolutions (accept a version, remove, keep both)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.core.errors import InvalidRequestError
from qcode.core.model import NewCoding
from qcode.core.project import Project
from qcode.core.team.review import Disagreement, disagreements, resolution

TEXT = "We talk at the club on Sundays. My father never talked about it. Mates help, honestly."


@pytest.fixture
def coded(project: Project):
    source = project.add_source("Interview", TEXT)
    code = project.create_code("Support")
    other = project.create_code("Family")
    ana, ben = project.ensure_coder("Ana"), project.ensure_coder("Ben")
    project.add_coding(source.id, code.id, 0, 31, coder_id=ana.id)   # the first sentence
    project.add_coding(source.id, code.id, 10, 40, coder_id=ben.id)  # overlaps it, and goes on
    project.add_coding(source.id, other.id, 32, 64, coder_id=ana.id)
    project.add_coding(source.id, other.id, 32, 64, coder_id=ben.id)  # agreement: no disagreement
    return project, source, code, ana, ben


def state(project: Project, source_id: int, code_id: int) -> list[tuple[int, int, int]]:
    return sorted((c.coder_id, c.start, c.end) for c in project.codings_for_source(source_id)
                  if c.code_id == code_id)


def test_the_stretches_where_coders_differ(coded) -> None:
    project, source, code, ana, ben = coded
    found = disagreements(project, [ana.id, ben.id])
    assert found == [Disagreement(source.id, code.id, 0, 10, (ana.id,)),
                     Disagreement(source.id, code.id, 31, 40, (ben.id,))]
    assert disagreements(project, [ana.id, ben.id], code_ids=[project.find_code("Family").id]) == []
    with pytest.raises(InvalidRequestError):
        disagreements(project, [ana.id])


def test_accepting_a_version_makes_the_others_match(coded) -> None:
    project, source, code, ana, ben = coded
    first, second = disagreements(project, [ana.id, ben.id])
    plan = resolution(project, first, "accept", coder_ids=[ana.id, ben.id], accept=ana.id)
    assert plan.remove == ()
    assert [(a.coder_id, a.start, a.end) for a in plan.add] == [(ben.id, 0, 10)]
    plan = resolution(project, second, "accept", coder_ids=[ana.id, ben.id], accept=ana.id)
    assert [c.coder_id for c in plan.remove] == [ben.id]
    assert [(a.coder_id, a.start, a.end) for a in plan.add] == [(ben.id, 10, 31)]  # Ben's coding, trimmed
    project.remove_codings([c.id for c in plan.remove])
    project.apply_codings(plan.add)
    assert state(project, source.id, code.id) == [(ana.id, 0, 31), (ben.id, 10, 31)]
    assert disagreements(project, [ana.id, ben.id]) == [first]


def test_remove_and_keep(coded) -> None:
    project, source, code, ana, ben = coded
    first, second = disagreements(project, [ana.id, ben.id])
    assert resolution(project, first, "keep", coder_ids=[ana.id, ben.id]).changes_nothing
    plan = resolution(project, first, "remove", coder_ids=[ana.id, ben.id])
    assert [(a.coder_id, a.start, a.end) for a in plan.add] == [(ana.id, 10, 31)]
    project.remove_codings([c.id for c in plan.remove])
    project.apply_codings(plan.add)
    assert state(project, source.id, code.id) == [(ana.id, 10, 31), (ben.id, 10, 40)]
    with pytest.raises(InvalidRequestError):
        resolution(project, second, "accept", coder_ids=[ana.id, ben.id], accept=None)
    with pytest.raises(InvalidRequestError):
        resolution(project, second, "merge", coder_ids=[ana.id, ben.id])


def test_three_coders(project: Project) -> None:
    source = project.add_source("S", TEXT)
    code = project.create_code("C")
    a, b, c = (project.ensure_coder(n) for n in "ABC")
    project.add_coding(source.id, code.id, 0, 20, coder_id=a.id)
    project.add_coding(source.id, code.id, 0, 20, coder_id=b.id)
    project.add_coding(source.id, code.id, 0, 20, coder_id=c.id)
    project.add_coding(source.id, code.id, 30, 40, coder_id=c.id)
    found = disagreements(project, [a.id, b.id, c.id])
    assert found == [Disagreement(source.id, code.id, 30, 40, (c.id,))]
    plan = resolution(project, found[0], "accept", coder_ids=[a.id, b.id, c.id], accept=c.id)
    assert sorted((n.coder_id, n.start) for n in plan.add) == [(a.id, 30), (b.id, 30)]


spec = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 70), st.integers(1, 20)), max_size=10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec)
def test_disagreements_are_exactly_the_characters_where_coders_differ(project: Project, codings) -> None:
    project.remove_codings([c.id for c in project.codings()])
    if not project.sources():
        project.add_source("S", TEXT)
        project.create_code("C")
        for name in "ABC":
            project.ensure_coder(name)
    source = project.sources()[0]
    code = project.codes()[0]
    coders = [c.id for c in project.coders() if c.name in "ABC"]
    marks = [[0] * len(TEXT) for _ in coders]
    for who, start, length in codings:
        end = min(start + length, len(TEXT))
        project.apply_codings([NewCoding(source.id, code.id, start, end, coders[who])])
        for i in range(start, end):
            marks[who][i] = 1
    differing = {i for i in range(len(TEXT)) if 0 < sum(m[i] for m in marks) < len(coders)}
    found = disagreements(project, coders)
    covered = [i for d in found for i in range(d.start, d.end)]
    assert sorted(covered) == sorted(differing)  # every differing character once, and nothing else
    for d in found:
        for i in range(d.start, d.end):
            assert tuple(c for k, c in enumerate(coders) if marks[k][i]) == d.coders
