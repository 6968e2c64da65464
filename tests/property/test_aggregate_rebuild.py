"""The aggregates stay exact whichever way they are kept: change by change, by the groups a large batch changed
(a merge, removing a merge), or all recomputed at once (a project import): for random projects with nested codes,
two coders, cases whose members are whole sources, passages or both, and case attribute values, each way gives
the rows a full rebuild gives."""

from __future__ import annotations

import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.core.errors import DuplicateCodingError
from qcode.core.model import NewCoding, Source
from qcode.core.project import Project, team
from qcode.core.store import aggregates

TABLES = ("code_source_stat", "code_coder_stat", "code_case_stat", "code_stat", "code_value_stat")
TEXTS = st.lists(st.sampled_from(["word ", "é ", "😀", "\n\n", "Al: ", "more words "]), min_size=3, max_size=25).map(
    "".join)


def _tables(project: Project) -> dict[str, list[tuple[object, ...]]]:
    read = project._store.read
    return {t: sorted(read.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


@st.composite
def projects(draw: st.DrawFn) -> dict[str, object]:
    texts = draw(st.lists(TEXTS, min_size=1, max_size=5))
    parents = draw(st.lists(st.integers(-1, 6), min_size=1, max_size=7))  # parent index (or none), earlier codes only
    codings = draw(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 6), st.booleans(), st.floats(0, 1),
                                      st.floats(0, 1)), max_size=40))
    cases = draw(st.lists(st.lists(st.tuples(st.integers(0, 4), st.booleans(), st.floats(0, 1), st.floats(0, 1)),
                                   min_size=1, max_size=4), max_size=4))
    values = draw(st.lists(st.sampled_from(["a", "b", 3]), min_size=len(cases), max_size=len(cases)))
    return {"texts": texts, "parents": parents, "codings": codings, "cases": cases, "values": values}


def _range(length: int, a: float, b: float) -> tuple[int, int]:
    start = min(int(a * length), length - 1)
    return start, max(start + 1, min(length, start + 1 + int(b * length)))


def _assert_kept_as_rebuilt(project: Project) -> None:
    """The aggregates as kept equal a full rebuild, which finds nothing stale, and the project checks clean."""
    kept = _tables(project)
    with project._store.transaction() as tx:
        aggregates.rebuild_all(tx)
        assert aggregates.stale_rows(tx) == 0
        assert aggregates.stale_value_groups(tx) == 0
    assert _tables(project) == kept
    assert project.check() == []


def _add_cases(project: Project, spec: dict, sources: list[Source], kind: int) -> list[int]:
    """The spec's cases with their members and values of "Kind"; their ids."""
    cases = []
    for number, members in enumerate(spec["cases"]):
        case = project.create_case(f"K{number}").id
        placed = set()
        for index, whole, a, b in members:
            source = sources[index % len(sources)]
            where = (None, None) if whole else _range(source.length, a, b)
            if (source.id, where) not in placed:  # the same part twice is refused
                placed.add((source.id, where))
                project.add_case_member(case, source.id, *where)
        project.set_attribute_value(kind, case, spec["values"][number])
        cases.append(case)
    return cases


def _sources_and_codes(project: Project, spec: dict) -> tuple[int, list[Source], list[int], int]:
    """A second coder, the spec's sources and code tree, and a case attribute "Kind"."""
    second = project.ensure_coder("Second").id
    sources = [project.add_source(f"S{i}", text) for i, text in enumerate(spec["texts"])]
    codes: list[int] = []
    for i, parent in enumerate(spec["parents"]):
        parent_id = codes[parent] if 0 <= parent < len(codes) else None
        codes.append(project.create_code(f"C{i}", parent_id=parent_id).id)
    return second, sources, codes, project.create_attribute("Kind", "text").id


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=projects(), batch=st.booleans(), removed=st.lists(st.integers(0, 39), max_size=10))
def test_every_way_of_keeping_the_aggregates_gives_the_rows_of_a_full_rebuild(spec: dict, batch: bool,
                                                                               removed: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "p.qcode") as project:
        second, sources, codes, kind = _sources_and_codes(project, spec)
        # cases first when `batch`, so that the codings' upkeep meets the members; otherwise the members' upkeep
        # meets the codings
        def add_cases() -> None:
            _add_cases(project, spec, sources, kind)

        if batch:
            add_cases()
        new = []
        for index, code, by_second, a, b in spec["codings"]:
            source = sources[index % len(sources)]
            start, end = _range(source.length, a, b)
            new.append(NewCoding(source.id, codes[code % len(codes)], start, end, second if by_second else None))
        unique = list({(c.source_id, c.code_id, c.start, c.end, c.coder_id): c for c in new}.values())
        first = project.current_coder.id
        with mock.patch.object(team, "BULK_CODINGS", 0):  # every batch takes the path of large ones
            if batch:
                half = len(unique) // 2
                project.add_codings(unique[:half])  # change by change
                project.insert_codings([(c.source_id, c.code_id, c.coder_id or first, c.start, c.end,
                                         "2026-01-01T00:00:00", f"G{n}") for n, c in enumerate(unique[half:])])
            else:
                for coding in unique:
                    project.add_coding(coding.source_id, coding.code_id, coding.start, coding.end,
                                       coder_id=coding.coder_id)
                add_cases()
            everything = [c.id for s in sources for c in project.codings_for_source(s.id)]
            project.remove_many_codings({everything[i] for i in removed if i < len(everything)})
        _assert_kept_as_rebuilt(project)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=projects(), removed=st.lists(st.integers(0, 39), max_size=10), undone=st.integers(0, 5))
def test_codings_applied_and_removed_one_at_a_time_among_cases_keep_every_sum_exact(spec: dict, removed: list[int],
                                                                                   undone: int) -> None:
    """The way a coder works: the cases and their values exist, codings come and go one by one (the sums by
    value follow each case's change), some come back (undo); then everything equals a full rebuild."""
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "p.qcode") as project:
        second, sources, codes, kind = _sources_and_codes(project, spec)
        size = project.create_attribute("Size", "number").id
        for number, case in enumerate(_add_cases(project, spec, sources, kind)):
            if number % 2:  # some cases hold two values, some one
                project.set_attribute_value(size, case, number % 3)
        added = []
        for index, code, by_second, a, b in spec["codings"]:
            source = sources[index % len(sources)]
            start, end = _range(source.length, a, b)
            try:
                added.append(project.add_coding(source.id, codes[code % len(codes)], start, end,
                                                coder_id=second if by_second else None))
            except DuplicateCodingError:
                continue
        gone = [project.remove_coding(added[i].id) for i in dict.fromkeys(removed) if i < len(added)]
        for coding in gone[:undone]:
            project.restore_coding(coding)
        _assert_kept_as_rebuilt(project)
