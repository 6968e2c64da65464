"""Matrix, co-occurrence and the AND/OR/NOT query equal a brute-force recount from the raw codings."""

from __future__ import annotations

import itertools
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.analysis.frequencies import Grouping
from qcode.core.analysis.matrix import matrix_from_rows
from qcode.core.model import Filter, NewCoding, Span
from qcode.core.project import Project

LENGTH = 40
TEXT = "Ab cd. Ef gh ij.\n\nKl mn op. Qr st uv wx."[:LENGTH]
PARAGRAPHS = [Span("paragraph", 0, 16), Span("paragraph", 18, len(TEXT))]

ranges = st.tuples(st.integers(0, LENGTH - 1), st.integers(1, 12)).map(
    lambda r: (r[0], min(len(TEXT), r[0] + r[1])))
codings = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 3), st.integers(0, 1), ranges), max_size=14)
members = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.one_of(st.none(), ranges)), max_size=5)


def build(folder: Path, coding_plan, member_plan) -> tuple[Project, dict]:
    project = Project.create(folder / "p.qcode")
    sources = [project.add_source(f"S{i}", TEXT, spans=PARAGRAPHS).id for i in range(2)]
    top = project.create_code("Top").id
    codes = [top, project.create_code("Left", parent_id=top).id, project.create_code("Right", parent_id=top).id,
             project.create_code("Alone").id]
    coders = [project.current_coder.id, project.ensure_coder("Other").id]
    project.add_codings(NewCoding(sources[s], codes[c], start, end, coders[k])
                        for s, c, k, (start, end) in coding_plan if end > start)
    cases = [project.create_case(f"Case {i}").id for i in range(3)]
    for case, source, span in member_plan:
        start, end = span if span else (None, None)
        if not any(m.source_id == sources[source] and m.start == start and m.end == end
                   for m in project.case_members(cases[case])):
            project.add_case_member(cases[case], sources[source], start, end)
    return project, {"codes": codes, "sources": sources, "cases": cases, "coders": coders}


def subtree(project: Project, code_id: int) -> set[int]:
    return set(project.descendants(code_id))


def in_case(project: Project, coding, case_id: int) -> bool:
    return any(m.source_id == coding.source_id and (m.start is None or (m.start < coding.end and m.end > coding.start))
               for m in project.case_members(case_id))


def measure(project: Project, chosen, cell: str, cases_of) -> int:
    if cell == "excerpts":
        return len(chosen)
    if cell == "sources":
        return len({c.source_id for c in chosen})
    if cell == "cases":
        return len({case for c, counted in chosen.items() for case in counted})
    return len({(c.source_id, i) for c in chosen for i in range(c.start, c.end)})


def brute_matrix(project: Project, kind: str, cell: str) -> dict:
    everything = project.codings()
    all_cases = [k.id for k in project.cases()]
    cases_of = {c.id: {k for k in all_cases if in_case(project, c, k)} for c in everything}
    if kind == "case":
        keys = sorted(all_cases, key=lambda k: project.case(k).name.casefold())
        def place(c): return [(k, {k}) for k in keys if k in cases_of[c.id]]
    elif kind == "source":
        keys = [s.id for s in sorted(project.sources(), key=lambda s: s.name.casefold())]
        def place(c): return [(c.source_id, cases_of[c.id])]
    else:
        keys = [k.id for k in sorted(project.coders(), key=lambda k: k.name.casefold())]
        def place(c): return [(c.coder_id, cases_of[c.id])]
    table = {}
    for row in [*[c.id for c in project.codes()], None]:
        in_row = [c for c in everything if row is None or c.code_id in subtree(project, row)]
        cells = []
        union: dict = {}
        for key in keys:
            chosen = {}
            for c in in_row:
                for k, counted in place(c):
                    if k == key:
                        chosen[c] = counted
                        union.setdefault(c, set()).update(counted)
            cells.append(measure(project, chosen, cell, cases_of))
        table[row] = (*cells, measure(project, union, cell, cases_of))
    return table


@settings(max_examples=25, deadline=None)
@given(codings, members, st.sampled_from(["case", "source", "coder"]),
       st.sampled_from(["excerpts", "sources", "cases", "characters"]))
def test_matrix_equals_a_brute_force_recount(coding_plan, member_plan, kind, cell):
    with tempfile.TemporaryDirectory() as folder:
        project, _ = build(Path(folder), coding_plan, member_plan)
        with project:
            expected = brute_matrix(project, kind, cell)
            for result in (project.matrix(columns=Grouping(kind), cell=cell),
                           matrix_from_rows(project._store.read, Filter(), Grouping(kind), cell=cell)):
                got = {r.code_id: (*r.cells, r.total) for r in result.rows}
                got[None] = (*result.column_totals, result.grand_total)
                assert got == expected


def brute_cooccurrence(project: Project) -> dict:
    leaves = {c.id for c in project.codes() if not project.children(c.id)}
    paths = {c.id: project.code_path(c.id) for c in project.codes()}
    everything = [c for c in project.codings() if c.code_id in leaves]
    counts: dict = defaultdict(int)
    for x in everything:
        for y in everything:
            if (x.id < y.id and x.source_id == y.source_id and x.code_id != y.code_id
                    and x.start < y.end and y.start < x.end):
                counts[tuple(sorted((paths[x.code_id], paths[y.code_id])))] += 1

    def chars(path: str) -> set:
        return {(c.source_id, i) for c in everything if paths[c.code_id] == path for i in range(c.start, c.end)}

    return {pair: (count, round(len(chars(pair[0]) & chars(pair[1])) / len(chars(pair[0]) | chars(pair[1])), 4))
            for pair, count in counts.items()}


@settings(max_examples=25, deadline=None)
@given(codings)
def test_cooccurrence_equals_a_brute_force_recount(coding_plan):
    with tempfile.TemporaryDirectory() as folder:
        project, _ = build(Path(folder), coding_plan, [])
        with project:
            got = {(r.path_a, r.path_b): (r.count, r.jaccard) for r in project.cooccurrence()}
            assert got == brute_cooccurrence(project)


@settings(max_examples=25, deadline=None)
@given(codings, st.sampled_from(["AND", "OR", "NOT"]), st.integers(0, 3), st.integers(0, 3),
       st.sampled_from([None, "Other"]))
def test_and_or_not_equal_character_set_algebra(coding_plan, operator, a, b, coder):
    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, [])
        with project:
            paths = [project.code_path(c) for c in ids["codes"]]
            other = project.ensure_coder("Other").id

            def chars(index: int, only_coder: int | None = None) -> set:
                wanted = subtree(project, ids["codes"][index])
                return {(c.source_id, i) for c in project.codings() if c.code_id in wanted
                        and (only_coder is None or c.coder_id == only_coder) for i in range(c.start, c.end)}

            right = f'"{paths[b]}"' + (f"@{coder}" if coder else "")
            passages = project.coding_query(f'"{paths[a]}" {operator} {right}')
            got = {(p.source_id, i) for p in passages for i in range(p.start, p.end)}
            left_set, right_set = chars(a), chars(b, other if coder else None)
            expected = {"AND": left_set & right_set, "OR": left_set | right_set, "NOT": left_set - right_set}[operator]
            assert got == expected
            by_source = defaultdict(list)
            for p in passages:
                by_source[p.source_id].append((p.start, p.end))
                assert p.text == TEXT[p.start:p.end]
            for spans in by_source.values():  # merged: sorted, neither overlapping nor touching
                assert all(first[1] < second[0] for first, second in itertools.pairwise(spans))


@settings(max_examples=25, deadline=None)
@given(codings, st.lists(st.tuples(st.integers(0, 2), st.one_of(st.none(), ranges)), max_size=2),
       st.sampled_from(["case", "source", "coder", "attribute"]), st.sampled_from(["excerpts", "characters"]),
       st.booleans(), st.booleans())
def test_matrix_from_the_aggregates_equals_the_count_from_the_rows(coding_plan, member_plan, kind, cell, own,
                                                                   narrowed):
    """Each source in at most one case, so the aggregates answer; they must give what counting the rows gives."""
    with tempfile.TemporaryDirectory() as folder:
        plan = [(case, source, span) for source, (case, span) in enumerate(member_plan)]
        project, ids = build(Path(folder), coding_plan, plan)
        with project:
            size = project.create_attribute("Size", "choice", choices=("small", "large")).id
            for number, case in enumerate(ids["cases"]):
                project.set_attribute_value(size, case, ("large", "small")[number % 2])
            grouping = Grouping("attribute", size) if kind == "attribute" else Grouping(kind)
            flt = Filter(codes=(ids["codes"][0],)) if narrowed else Filter()
            fast = project.matrix(flt, columns=grouping, cell=cell, own=own)
            slow = matrix_from_rows(project._store.read, flt, grouping, cell=cell, own=own)
            assert fast == slow


@settings(max_examples=40, deadline=None)
@given(codings, st.sampled_from(["overlap", "near:0", "near:3", "near:25"]), st.booleans())
def test_cooccurrence_counted_in_bulk_equals_the_count_source_by_source(coding_plan, mode_text, with_descendants):
    """The numpy path (overlap and nearness) gives what counting pair by pair in each source gives."""
    from qcode.core.analysis import cooccurrence as co

    with tempfile.TemporaryDirectory() as folder:
        project, _ = build(Path(folder), coding_plan, [])
        with project:
            mode = co.parse_mode(mode_text)
            fast = project.cooccurrence(mode=mode_text, with_descendants=with_descendants)
            conn = project._store.read
            scope = co.code_scope(conn, Filter())
            counted = co._counted_codes(scope, with_descendants)
            rows = co.analysis_reads.coded_ranges(conn, Filter(), counted)
            slow = co._rows(scope, *co._counts(rows, scope, counted, mode, with_descendants, conn))
            assert fast == slow


@settings(max_examples=40, deadline=None)
@given(codings, members, st.sampled_from(["coder", "by coder", "sources", "folder"]))
def test_tables_from_the_aggregates_count_cases_as_the_rows_do(coding_plan, member_plan, ask):
    """Whole and ranged case members, shared sources: the per-coder and per-source aggregates give the frequency
    tables that counting the coding rows gives."""
    from qcode.core.analysis import frequencies as freq

    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, member_plan)
        with project:
            grouping = Grouping("coder") if ask == "by coder" else None
            flt = {"coder": Filter(coders=(ids["coders"][1],)), "by coder": Filter(),
                   "sources": Filter(sources=(ids["sources"][1],)),
                   "folder": Filter(sources=tuple(ids["sources"]))}[ask]
            conn = project._store.read
            fast = freq._fast_coders(conn, flt, grouping) if "coder" in ask else freq._fast_source_scope(
                conn, flt, grouping)
            assert fast is not None
            assert fast == freq.cells_from_rows(conn, flt, grouping)


@settings(max_examples=60, deadline=None)
@given(codings, members, st.booleans(), st.booleans(), st.sampled_from(["excerpts", "characters"]))
def test_matrix_by_case_from_the_aggregates_when_cases_share_sources(coding_plan, member_plan, own, narrowed, cell):
    """Sources holding members of several cases (whole or ranged): the cells come from the per-case aggregates
    and the totals count a coding, or a character, in two cases once, as counting the rows does."""
    from qcode.core.analysis import matrix_fast
    from qcode.core.analysis.code_scope import code_scope

    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, member_plan)
        with project:
            flt = Filter(codes=(ids["codes"][0],)) if narrowed and cell == "excerpts" else Filter()
            conn = project._store.read
            fast = matrix_fast.try_matrix(conn, flt, Grouping("case"), cell=cell, own=own,
                                          scope=code_scope(conn, flt))
            assert fast is not None
            assert fast == matrix_from_rows(conn, flt, Grouping("case"), cell=cell, own=own)


@settings(max_examples=60, deadline=None)
@given(codings, members, st.lists(st.sampled_from([None, "small", "large"]), min_size=3, max_size=3), st.booleans())
def test_excerpts_by_a_case_attribute_from_the_aggregates_when_cases_share_sources(coding_plan, member_plan,
                                                                                   values, own):
    """Cases sharing sources, some without a value: when no source holds two cases with a value, the sums by value
    answer, and give what counting the rows gives."""
    from qcode.core.analysis import matrix_fast
    from qcode.core.analysis.code_scope import code_scope

    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, member_plan)
        with project:
            size = project.create_attribute("Size", "choice", choices=("small", "large")).id
            for case, value in zip(ids["cases"], values, strict=True):
                if value is not None:
                    project.set_attribute_value(size, case, value)
            grouping = Grouping("attribute", size)
            conn = project._store.read
            fast = matrix_fast.try_matrix(conn, Filter(), grouping, cell="excerpts", own=own,
                                          scope=code_scope(conn, Filter()))
            assert fast is None or fast == matrix_from_rows(conn, Filter(), grouping, cell="excerpts", own=own)


filters = st.sampled_from(["codes", "sources", "folders", "cases", "coders", "case values", "source values",
                           "case values and cases", "none"])


@settings(max_examples=120, deadline=None)
@given(codings, members, filters, st.sampled_from(["case", "source", "coder", "case attribute", "source attribute"]),
       st.sampled_from(["excerpts", "sources", "cases", "characters"]), st.booleans(),
       st.lists(st.sampled_from([None, "small", "large"]), min_size=3, max_size=3), st.integers(0, 1),
       st.booleans())
def test_filtered_matrix_counted_in_bulk_equals_the_count_coding_by_coding(coding_plan, member_plan, kind, grouping,
                                                                           cell, own, values, pick, read_all):
    """Every filter kind, grouping and cell, with cases sharing sources, ranged members and cases without a value:
    the numpy count of the filtered coding rows gives what counting them one by one gives (whether the case
    conditions narrow the sources read or, past the most sources one statement names, every coding is read)."""
    from qcode.core.analysis import matrix_bulk

    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, member_plan)
        with project:
            size = project.create_attribute("Size", "choice", choices=("small", "large")).id
            for case, value in zip(ids["cases"], values, strict=True):
                if value is not None:
                    project.set_attribute_value(size, case, value)
            kind_of = project.create_attribute("Kind", "text", scope="source").id
            project.set_attribute_value(kind_of, ids["sources"][0], "interview")
            chosen = ("small", "large")[pick]
            batch = project.create_folder("Batch").id
            project.move_source(ids["sources"][pick], batch)
            flt = {
                "codes": Filter(codes=(ids["codes"][pick * 3],)), "sources": Filter(sources=(ids["sources"][pick],)),
                "folders": Filter(folders=(batch,)), "cases": Filter(cases=tuple(ids["cases"][pick:pick + 2])),
                "coders": Filter(coders=(ids["coders"][pick],)), "case values": Filter(attributes=((size, chosen),)),
                "source values": Filter(attributes=((kind_of, "interview"),)),
                "case values and cases": Filter(cases=(ids["cases"][pick],), attributes=((size, chosen),)),
                "none": Filter()}[kind]
            columns = {"case attribute": Grouping("attribute", size), "source attribute": Grouping("attribute", kind_of)
                       }.get(grouping, Grouping(grouping))
            most = matrix_bulk._MOST_SOURCES
            matrix_bulk._MOST_SOURCES = 0 if read_all else most
            try:
                fast = project.matrix(flt, columns=columns, cell=cell, own=own)
            finally:
                matrix_bulk._MOST_SOURCES = most
            assert fast == matrix_from_rows(project._store.read, flt, columns, cell=cell, own=own)


@settings(max_examples=80, deadline=None)
@given(codings, members, filters, st.sampled_from(["case", "source", "coder", "case attribute"]), st.booleans(),
       st.integers(0, 4), st.integers(0, 3))
def test_cell_codings_found_in_bulk_equal_those_found_coding_by_coding(coding_plan, member_plan, kind, grouping, own,
                                                                      row, column):
    """Each cell's (and total's) codings, as the click-through lists them, are the row-by-row count's."""
    from qcode.core.analysis.matrix import cell_codings, cell_codings_from_rows

    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, member_plan)
        with project:
            size = project.create_attribute("Size", "choice", choices=("small", "large")).id
            project.set_attribute_value(size, ids["cases"][0], "small")
            project.set_attribute_value(size, ids["cases"][1], "large")
            flt = {"codes": Filter(codes=(ids["codes"][0],)), "sources": Filter(sources=(ids["sources"][1],)),
                   "folders": Filter(), "cases": Filter(cases=tuple(ids["cases"][:2])),
                   "coders": Filter(coders=(ids["coders"][1],)), "case values": Filter(attributes=((size, "small"),)),
                   "source values": Filter(), "case values and cases": Filter(cases=(ids["cases"][0],),
                                                                              attributes=((size, "large"),)),
                   "none": Filter()}[kind]
            columns = Grouping("attribute", size) if grouping == "case attribute" else Grouping(grouping)
            keys = [c.key for c in project.matrix(flt, columns=columns).columns]
            code_id = ids["codes"][row] if row < len(ids["codes"]) else None
            key = keys[column] if column < len(keys) else None
            conn = project._store.read
            assert cell_codings(conn, flt, columns, code_id=code_id, column=key, own=own) == sorted(
                cell_codings_from_rows(conn, flt, columns, code_id=code_id, column=key, own=own))


@settings(max_examples=60, deadline=None)
@given(codings, members, st.sampled_from([None, "source", "case", "coder", "case attribute", "source attribute"]),
       st.sampled_from(["none", "code", "case", "coder", "case value", "source value", "case and value"]))
def test_frequency_tables_from_the_matrix_count_as_the_rows_do(coding_plan, member_plan, group, narrow):
    """Every frequency table the aggregates cannot answer is the matrix of the filtered codings (each measure,
    alone and with sub-codes); it equals the count coding by coding for every grouping and filter, with whole and
    ranged case members and sources shared by cases."""
    from qcode.core.analysis import frequencies as freq

    with tempfile.TemporaryDirectory() as folder:
        project, ids = build(Path(folder), coding_plan, member_plan)
        with project:
            size = project.create_attribute("Size", "choice", scope="case", choices=("small", "large")).id
            kind = project.create_attribute("Kind", "text", scope="source").id
            for number, case in enumerate(ids["cases"][:2]):
                project.set_attribute_value(size, case, ("small", "large")[number])
            project.set_attribute_value(kind, ids["sources"][0], "interview")
            grouping = {None: None, "source": Grouping("source"), "case": Grouping("case"),
                        "coder": Grouping("coder"), "case attribute": Grouping("attribute", size),
                        "source attribute": Grouping("attribute", kind)}[group]
            flt = {"none": Filter(coders=tuple(ids["coders"])), "code": Filter(codes=(ids["codes"][1],)),
                   "case": Filter(cases=(ids["cases"][0], ids["cases"][2])),
                   "coder": Filter(coders=(ids["coders"][1],), sources=(ids["sources"][0],)),
                   "case value": Filter(attributes=((size, "small"),)),
                   "source value": Filter(attributes=((kind, "interview"),)),
                   "case and value": Filter(cases=(ids["cases"][0],), attributes=((size, "small"),))}[narrow]
            conn = project._store.read
            expected = freq.rows_from_cells(conn, freq.cells_from_rows(conn, flt, grouping), grouping,
                                            freq.code_rows(conn))
            assert freq._matrix_rows(conn, flt, grouping, freq.code_rows(conn)) == expected
            assert project.frequencies(flt, group_by=grouping) == expected
