"""Round trip qcode -> .qdpx -> qcode over random projects: every text, code field, coding, case, attribute
value and memo comes back. Names and memos are drawn from characters XML can hold (others are dropped on
export, as in every XML export); source texts from any characters but NUL, since they travel as .txt files."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from refi_helpers import content, qde_of, schema_errors

from qcode.core.project import Project

xml_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from(
    "\n\t ")
words = st.text(st.sampled_from("abcdeé 😀-"), min_size=1, max_size=8).map(str.strip).filter(bool)
# qcode's sources never hold NUL (importers refuse such data as binary, and SQLite's length() stops at it)
source_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00") | st.sampled_from(
                          "\r\n😀\ufeff "),
                      min_size=1, max_size=60)
field_text = st.lists(st.text(xml_chars, max_size=8) | st.sampled_from(["Example:", "\\Example:", "Inclusion criteria:",
                                                                      "\n\n", "\n"]), max_size=5).map("".join)
memo_text = st.text(xml_chars | st.just("\r"), min_size=1, max_size=30)


@st.composite
def projects(draw):
    texts = draw(st.lists(source_text, min_size=1, max_size=3))
    code_names = draw(st.lists(words, min_size=1, max_size=5, unique_by=str.casefold))
    parents = [draw(st.integers(-1, i - 1)) for i in range(len(code_names))]
    fields = [draw(st.tuples(field_text, field_text, field_text, field_text)) for _ in code_names]
    codings = draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4), st.integers(0, 59), st.integers(1, 60),
                                      st.booleans(), st.booleans()), max_size=8))
    memos = draw(st.lists(st.tuples(st.sampled_from(["project", "source", "code", "range", "case"]), memo_text),
                          max_size=4))
    cases = draw(st.lists(st.tuples(words, st.integers(0, 2), st.booleans(), st.integers(-5, 5) | st.none(),
                                    st.sampled_from(["A", "B"])), max_size=3, unique_by=lambda c: c[0].casefold()))
    in_folder = draw(st.booleans())
    return texts, code_names, parents, fields, codings, memos, cases, in_folder


def build(p: Project, plan) -> None:
    texts, code_names, parents, fields, codings, memos, cases, in_folder = plan
    folder = p.create_folder("Data") if in_folder else None
    sources = [p.add_source(f"S{i}", text, folder_id=folder.id if folder and i else None)
               for i, text in enumerate(texts)]
    codes = []
    for name, parent, (definition, inclusion, exclusion, example) in zip(code_names, parents, fields, strict=True):
        parent_id = codes[parent].id if parent >= 0 else None
        if any(c.name.casefold() == name.casefold() and c.parent_id == parent_id for c in codes):
            continue
        codes.append(p.create_code(name, parent_id=parent_id, definition=definition, inclusion=inclusion,
                                   exclusion=exclusion, example=example))
    second = p.ensure_coder("Second")
    for source_index, code_index, start, length, other, memo in codings:
        source = sources[source_index % len(sources)]
        start = min(start, source.length - 1)
        end = min(source.length, start + length)
        code = codes[code_index % len(codes)]
        found = [c for c in p.codings_for_source(source.id) if (c.code_id, c.start, c.end) == (code.id, start, end)
                 and c.coder_id == (second.id if other else p.current_coder.id)]
        if found:
            continue
        coding = p.add_coding(source.id, code.id, start, end, coder_id=second.id if other else None)
        if memo:
            p.set_memo("coding", coding.id, f"about {coding.start}")
    made_cases = []
    age = p.create_attribute("Age", "number")
    group = p.create_attribute("Group", "choice", choices=["A", "B"])
    for name, source_index, whole, number, choice in cases:
        case = p.create_case(name)
        source = sources[source_index % len(sources)]
        if whole:
            p.add_case_member(case.id, source.id)
        else:
            p.add_case_member(case.id, source.id, 0, source.length)
        if number is not None:
            p.set_attribute_value(age.id, case.id, number / 2 if number % 2 else number)
        p.set_attribute_value(group.id, case.id, choice)
        made_cases.append(case)
    for kind, text in memos:
        if kind == "project":
            p.set_journal(text)
        elif kind == "source":
            p.set_memo("source", sources[0].id, text)
        elif kind == "code":
            p.set_memo("code", codes[-1].id, text)
        elif kind == "range":
            p.add_range_memo(sources[0].id, 0, sources[0].length, text)
        elif made_cases:
            p.set_memo("case", made_cases[0].id, text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_round_trip_of_random_projects(plan) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Project.create(root / "a.qcode") as original:
            build(original, plan)
            out = original.export_refi(root / "a.qdpx")
            assert schema_errors("Project", qde_of(out)) == []
            expected = content(original)
        with Project.create(root / "b.qcode") as back:
            report = back.import_refi(out)
            assert report.left_out == ()
            assert back.check() == []
            assert content(back) == expected


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects(), projects())
def test_a_merge_is_taken_back_and_put_back_exactly(ours, theirs) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Project.create(root / "theirs.qcode") as other:
            other.use_coder("Them")
            build(other, theirs)
            out = other.export_refi(root / "theirs.qdpx")
        with Project.create(root / "ours.qcode") as project:
            build(project, ours)
            before = content(project)
            report = project.import_refi(out)
            after = content(project)
            assert project.check() == []
            assert report.record is not None
            undo = project.take_back_refi_import(report.record)
            assert content(project) == before
            assert project.check() == []
            project.put_back_refi_import(undo)
            assert content(project) == after
            assert project.check() == []
