"""Frequencies (held to a plain recount), search, locations, memos, cases and attributes."""

from __future__ import annotations

import pytest

from qcode.core.analysis.frequencies import Grouping, union_length
from qcode.core.errors import (
    DuplicateNameError,
    InvalidAttributeValueError,
    InvalidOperationError,
    InvalidQueryError,
    InvalidRequestError,
)
from qcode.core.model import Counts, Filter, Span
from qcode.core.project import Project
from tests.recount import counts_for, recount


@pytest.fixture
def coded(project: Project) -> Project:
    """Two interviews, one focus group with per-speaker cases, two coders, a small tree."""
    p = project
    s1 = p.add_source("Int 1", "Interviewer: hi\n\nAl: I never talk about it. Mates help though.")
    s2 = p.add_source("Int 2", "Interviewer: hello\n\nBo: My dad never cried. I went to the GP once.")
    fg = p.add_source("FG", "Facilitator: go\n\nAl: walking helps\n\nCy: talking helps\n\nAl: agreed, mate")
    top = p.create_code("Top")
    kid = p.create_code("Kid", parent_id=top.id)
    other = p.create_code("Other")
    second = p.ensure_coder("Second").id
    t1 = p.source_text(s1.id)
    p.add_coding(s1.id, kid.id, t1.index("I never"), t1.index("Mates") - 1)
    p.add_coding(s1.id, top.id, t1.index("never"), len(t1))  # overlaps the kid coding
    p.add_coding(s1.id, kid.id, t1.index("I never"), t1.index("Mates") - 1, coder_id=second)
    t2 = p.source_text(s2.id)
    p.add_coding(s2.id, other.id, t2.index("My dad"), t2.index("I went"), coder_id=second)
    tf = p.source_text(fg.id)
    p.add_coding(fg.id, kid.id, tf.index("walking"), tf.index("walking") + 13)
    p.add_coding(fg.id, top.id, tf.index("talking"), tf.index("talking") + 13)
    age = p.create_attribute("Age group", "choice", choices=["18-34", "35+"])
    setting = p.create_attribute("Setting", "text", scope="source")
    for name, sources, group in (("Al", [s1.id], "18-34"), ("Bo", [s2.id], "35+"), ("Cy", [], "35+")):
        case = p.create_case(name)
        p.set_attribute_value(age.id, case.id, group)
        for sid in sources:
            p.add_case_member(case.id, sid)
        for turn in p.spans(fg.id, "turn"):
            if turn.value == name:
                p.add_case_member(case.id, fg.id, turn.start, turn.end)
    p.set_attribute_value(setting.id, s1.id, "club")
    p.set_attribute_value(setting.id, fg.id, "walk")
    return p


def test_union_length() -> None:
    assert union_length([(0, 5), (3, 8), (10, 12), (11, 11)]) == 10
    assert union_length([]) == 0


def test_unfiltered_frequencies_match_recount(coded: Project) -> None:
    expected = recount(coded)
    rows = coded.frequencies()
    assert [r.path for r in rows] == ["Top", "Top/Kid", "Other"]
    for row in rows:
        assert (row.own, row.total) == expected[row.code_id]
    top = rows[0]
    assert top.total.excerpts == 5
    assert top.total.cases == 2  # Al (Int 1, and his FG turn) and Cy (his FG turn); Bo's source has only Other
    assert coded.check() == []


def test_cases_count_only_overlapping_members(coded: Project) -> None:
    kid = next(r for r in coded.frequencies() if r.path == "Top/Kid")
    assert kid.own.cases == 1  # Al only: the FG coding lies in Al's turn, not in Cy's
    assert kid.own == Counts(excerpts=3, sources=2, cases=1, characters=kid.own.characters)


def test_filters_match_recount(coded: Project) -> None:
    second = next(c for c in coded.coders() if c.name == "Second")
    rows = coded.frequencies(Filter(coders=(second.id,)))
    for row in rows:
        own = [c for c in coded.codings_for_code(row.code_id) if c.coder_id == second.id]
        assert row.own == counts_for(coded, own)
    fg = coded.find_source("FG")
    rows = coded.frequencies(Filter(sources=(fg.id,)))
    assert {r.path: r.own.excerpts for r in rows} == {"Top": 1, "Top/Kid": 1, "Other": 0}
    al = coded.find_case("Al")
    rows = coded.frequencies(Filter(cases=(al.id,)))
    assert {r.path: r.own.excerpts for r in rows} == {"Top": 1, "Top/Kid": 3, "Other": 0}
    top = coded.find_code("Top")
    rows = coded.frequencies(Filter(codes=(top.id,)))
    assert {r.path: r.total.excerpts for r in rows} == {"Top": 5, "Top/Kid": 3, "Other": 0}


def test_attribute_filters(coded: Project) -> None:
    age = coded.find_attribute("Age group")
    rows = coded.frequencies(Filter(attributes=((age.id, "35+"),)))
    assert {r.path: r.own.excerpts for r in rows} == {"Top": 1, "Top/Kid": 0, "Other": 1}
    setting = coded.find_attribute("Setting")
    rows = coded.frequencies(Filter(attributes=((setting.id, "walk"),)))
    assert {r.path: r.own.excerpts for r in rows} == {"Top": 1, "Top/Kid": 1, "Other": 0}


@pytest.mark.parametrize("kind", ["source", "case", "coder", "attribute"])
def test_grouped_frequencies_match_recount(coded: Project, kind: str) -> None:
    grouping = Grouping(kind, coded.find_attribute("Age group").id if kind == "attribute" else None)
    rows = coded.frequencies(group_by=grouping)
    assert rows
    members = coded.case_members()
    values = coded.values_of_attribute(grouping.attribute_id) if grouping.attribute_id else {}
    case_names = {c.id: c.name for c in coded.cases()}
    coder_names = {c.id: c.name for c in coded.coders()}
    for row in rows:
        codings = coded.codings_for_code(row.code_id)

        def overlapping(c, case_ids):
            return any(m.case_id in case_ids and m.source_id == c.source_id and (
                m.start is None or (m.start < c.end and m.end > c.start)) for m in members)

        if kind == "source":
            mine = [c for c in codings if coded.source_path(c.source_id) == row.group]
        elif kind == "coder":
            mine = [c for c in codings if coder_names[c.coder_id] == row.group]
        elif kind == "case":
            ids = {i for i, n in case_names.items() if n == row.group}
            mine = [c for c in codings if overlapping(c, ids)]
        else:
            ids = {i for i, v in values.items() if v == row.group}
            mine = [c for c in codings if overlapping(c, ids)]
        expected = counts_for(coded, mine)
        if kind in ("case", "attribute"):
            ids_in_group = ids
            cases = {m.case_id for c in mine for m in members if m.case_id in ids_in_group and m.source_id == c.source_id
                     and (m.start is None or (m.start < c.end and m.end > c.start))}
            expected = Counts(expected.excerpts, expected.sources, len(cases), expected.characters)
        assert row.own == expected, (kind, row)


def test_attribute_grouping_falls_back_when_cases_share_a_source(coded: Project) -> None:
    # Al and Cy (different groups) share FG; make Bo (35+, like Cy) share it too: the fast path must step aside
    fg = coded.find_source("FG")
    bo = coded.find_case("Bo")
    coded.add_case_member(bo.id, fg.id)
    age = coded.find_attribute("Age group")
    rows = coded.frequencies(group_by=Grouping("attribute", age.id))
    kid_35 = [r for r in rows if r.group == "35+" and r.path == "Top/Kid"]
    assert kid_35[0].own.excerpts == 1  # the FG coding, through Bo's whole-source membership, counted once
    assert kid_35[0].own.cases == 1


def test_search_phrases_prefixes_literals_and_diacritics(project: Project) -> None:
    s = project.add_source("S", "He spoke about help-seeking. Café culture; the CAFE was warm. Helping others helps.")
    project.add_source("T", "Nothing relevant.")
    assert [(h.start, h.end) for h in project.search("help-seeking")] == [(15, 27)]
    assert len(project.search("cafe")) == 2
    assert {project.source_slice(s.id, h.start, h.end) for h in project.search("help*")} == {
        "help", "Helping", "helps"}
    assert project.search('"was warm"')[0].context.startswith("He spoke")
    assert project.search("culture warm")  # both words occur: AND
    assert project.search("culture zebra") == []
    assert project.search("NOT AND OR") == []  # operators are plain words
    with pytest.raises(InvalidQueryError):
        project.search("  -- ")


def test_search_pages_and_astral_offsets(project: Project) -> None:
    text = "😀 word " * 50
    s = project.add_source("S", text)
    first = project.search("word", limit=10)
    second = project.search("word", limit=10, offset=10)
    assert len(first) == 10
    assert first[-1].start < second[0].start
    for hit in first + second:
        assert project.source_slice(s.id, hit.start, hit.end) == "word"


def test_describe_location(project: Project) -> None:
    text = "Heading\n\nInterviewer: first\n\nP3: second paragraph\n\nInterviewer: and?\n\nP3: yes"
    s = project.add_source("S", text)
    at = text.index("second")
    assert project.describe_location(s.id, at) == "¶ 3, P3"
    spans = [Span("page", 0, 10, "4"), Span("paragraph", 0, 10), Span("paragraph", 12, 20),
             Span("timestamp", 12, 20, "00:12:31"), Span("turn", 12, 20, "Participant 3")]
    pdf = project.add_source("P", "x" * 30, spans=spans)
    assert project.describe_location(pdf.id, 2) == "p. 4, ¶ 1"
    assert project.describe_location(pdf.id, 13) == "p. 4, 00:12:31, Participant 3"


def test_memos_on_everything(project: Project) -> None:
    s = project.add_source("S", "some text")
    code = project.create_code("C")
    coding = project.add_coding(s.id, code.id, 0, 4)
    case = project.create_case("K")
    project.set_journal("journal text")
    for kind, target in (("source", s.id), ("code", code.id), ("coding", coding.id), ("case", case.id)):
        project.set_memo(kind, target, f"on {kind}")
        assert project.memo(kind, target).text == f"on {kind}"
    memo = project.add_range_memo(s.id, 5, 9, "on a range")
    assert (memo.start, memo.end) == (5, 9)
    project.update_memo(memo.id, "changed")
    assert project.range_memos(s.id)[0].text == "changed"
    assert project.journal() == "journal text"
    project.set_memo("code", code.id, "")
    assert project.memo("code", code.id) is None
    with pytest.raises(InvalidRequestError):
        project.set_memo("folder", 1, "x")
    assert len(project.memos()) == 5
    deleted = project.delete_memo(memo.id)
    assert project.range_memos(s.id) == []
    assert project.restore_memo(deleted) == deleted  # same id, range and text
    assert project.range_memos(s.id) == [deleted]


def test_cases_and_typed_attributes(project: Project) -> None:
    s = project.add_source("S", "some text here")
    case = project.create_case("P1")
    with pytest.raises(DuplicateNameError):
        project.create_case("p1")
    project.add_case_member(case.id, s.id)
    with pytest.raises(InvalidOperationError):
        project.add_case_member(case.id, s.id)
    member = project.add_case_member(case.id, s.id, 0, 4)
    assert (member.start, member.end) == (0, 4)
    age = project.create_attribute("Age", "number")
    date = project.create_attribute("Interviewed", "date")
    group = project.create_attribute("Group", "choice", choices=["a", "b"])
    assert project.set_attribute_value(age.id, case.id, "34") == 34
    assert project.set_attribute_value(age.id, case.id, "34,5") == 34.5
    assert project.set_attribute_value(date.id, case.id, "2026-03-04") == "2026-03-04"
    with pytest.raises(InvalidAttributeValueError):
        project.set_attribute_value(age.id, case.id, "old")
    with pytest.raises(InvalidAttributeValueError):
        project.set_attribute_value(date.id, case.id, "04/03/2026")
    with pytest.raises(InvalidAttributeValueError, match="choices"):
        project.set_attribute_value(group.id, case.id, "c")
    project.set_attribute_value(group.id, case.id, "b")
    assert project.attribute_values("case", case.id) == {"Age": 34.5, "Interviewed": "2026-03-04", "Group": "b"}
    project.remove_case_member(member.id)
    project.delete_case(case.id)
    assert project.cases() == []
    assert project.check() == []


def test_coding_date_filter(tmp_path) -> None:
    now = ["2026-01-01T10:00:00+00:00"]
    p = Project.create(tmp_path / "d.qcode", clock=lambda: now[0])
    try:
        s = p.add_source("S", "alpha beta gamma")
        code = p.create_code("C")
        now[0] = "2026-02-10T09:00:00+00:00"
        p.add_coding(s.id, code.id, 0, 5)
        now[0] = "2026-03-05T12:00:00+00:00"
        p.add_coding(s.id, code.id, 6, 10)
        assert p.frequencies(Filter(created_from="2026-03-01"))[0].own.excerpts == 1
        assert p.frequencies(Filter(created_to="2026-02-10"))[0].own.excerpts == 1
        assert p.frequencies(Filter(created_from="2026-02-10", created_to="2026-03-05"))[0].own.excerpts == 2
    finally:
        p.close()


def test_case_filters_count_only_the_cases_they_name(coded: Project) -> None:
    # Int 1 is Al's; make Bo a member of its second half too: a coding there overlaps both cases
    s1 = coded.find_source("Int 1")
    bo = coded.find_case("Bo")
    al = coded.find_case("Al")
    coded.add_case_member(bo.id, s1.id, 20, coded.source(s1.id).length)
    top = next(r for r in coded.frequencies() if r.path == "Top")
    assert top.own.cases == 3  # unfiltered: Al, Bo (both in Int 1) and Cy (FG)
    by_case = {r.path: r.own for r in coded.frequencies(Filter(cases=(al.id,)))}
    assert by_case["Top"].cases == 1  # Bo also overlaps that coding, but the filter asks about Al alone
    age = coded.find_attribute("Age group")
    by_age = {r.path: r.own for r in coded.frequencies(Filter(attributes=((age.id, "35+"),)))}
    assert by_age["Top"].cases == 2  # Bo and Cy are 35+; Al is not and does not count
    assert by_age["Top"].excerpts == 2


def test_search_keeps_to_what_a_filter_selects(coded: Project) -> None:
    def found(query: str, flt: Filter | None = None) -> list[tuple[str, str]]:
        hits = coded.search(query, flt=flt)
        return [(h.source_name, coded.source_slice(h.source_id, h.start, h.end)) for h in hits]

    assert sorted(found("never")) == [("Int 1", "never"), ("Int 2", "never")]
    int1, bo, cy = coded.find_source("Int 1"), coded.find_case("Bo"), coded.find_case("Cy")
    assert found("never", Filter(sources=(int1.id,))) == [("Int 1", "never")]
    assert found("never", Filter(cases=(bo.id,))) == [("Int 2", "never")]
    assert found("never", Filter(codes=(coded.find_code("Other").id,))) == [("Int 2", "never")]
    second = next(c for c in coded.coders() if c.name == "Second")
    assert sorted(found("never", Filter(coders=(second.id,)))) == [("Int 1", "never"), ("Int 2", "never")]
    # hits outside the coded ranges do not count: "hi" is in no coding of the code Other
    assert found("hi", Filter(codes=(coded.find_code("Other").id,))) == []
    # a case that is a range of a source: only the hits inside its members
    fg = coded.source_text(coded.find_source("FG").id)
    hits = coded.search("helps", flt=Filter(cases=(cy.id,)))
    assert [(h.start, h.end) for h in hits] == [(fg.index("talking helps") + 8, fg.index("talking helps") + 13)]
    age = coded.find_attribute("Age group")
    hits = coded.search("helps", flt=Filter(attributes=((age.id, "18-34"),)))
    assert [h.start for h in hits] == [fg.index("walking helps") + 8]
    setting = coded.find_attribute("Setting")
    assert len(coded.search("helps", flt=Filter(attributes=((setting.id, "walk"),)))) == 2
    assert coded.search("helps", flt=Filter(attributes=((setting.id, "club"),))) == []
    # paging counts only the hits the filter keeps
    assert coded.search("helps", flt=Filter(attributes=((setting.id, "walk"),)), offset=1, limit=5)[0].start == \
        fg.index("talking helps") + 8


def test_sums_by_case_attribute_values_follow_every_change(coded: Project) -> None:
    age = coded.find_attribute("Age group")
    grouping = Grouping("attribute", age.id)
    everyone = Filter(coders=tuple(c.id for c in coded.coders()))  # a filter forces the computation from rows
    # Al and Cy share FG but sit in different groups, so the maintained sums serve this table
    al, bo, cy = (coded.find_case(n) for n in ("Al", "Bo", "Cy"))

    def agree() -> list:
        assert coded.check() == []
        fast = coded.frequencies(group_by=grouping)
        assert fast == coded.frequencies(everyone, group_by=grouping)
        return fast

    before = agree()
    assert {r.group for r in before} == {"18-34", "35+"}
    coded.set_attribute_value(age.id, al.id, "35+")  # Al moves to Cy's group: they share FG, fall back
    agree()
    coded.set_attribute_value(age.id, cy.id, "18-34")
    agree()
    coded.set_attribute_value(age.id, bo.id, None)
    assert all(r.group != "35+" or r.path != "Other" for r in agree())
    kid = coded.find_code("Top/Kid")
    int2 = coded.find_source("Int 2")
    coded.set_attribute_value(age.id, bo.id, "35+")
    coded.add_coding(int2.id, kid.id, 0, 5)
    agree()
    coded.remove_case_member(coded.case_members(bo.id)[0].id)
    agree()
    coded.delete_case(cy.id)
    agree()
    coded.merge_codes(kid.id, coded.find_code("Other").id)
    agree()
    coded.delete_attribute(age.id)
    assert coded.check() == []


def test_codings_listed_through_a_filter(coded: Project) -> None:
    everything = coded.codings()
    assert len(everything) == coded.coding_count() == 6
    second = next(c for c in coded.coders() if c.name == "Second")
    assert coded.codings(Filter(coders=(second.id,))) == [c for c in everything if c.coder_id == second.id]
    top = coded.find_code("Top")
    assert {c.id for c in coded.codings(Filter(codes=(top.id,)))} == {
        c.id for c in coded.codings_for_code(top.id, include_descendants=True)}
    bo = coded.find_case("Bo")
    assert [coded.code_path(c.code_id) for c in coded.codings(Filter(cases=(bo.id,)))] == ["Other"]
