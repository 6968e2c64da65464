"""Matrix coding, co-occurrence, coding queries, word counts and saturation against hand-counted expectations."""

from __future__ import annotations

import pytest

from qcode.core.analysis.frequencies import Grouping
from qcode.core.analysis.words import words_of
from qcode.core.errors import InvalidRequestError, NotFoundError, QuerySyntaxError
from qcode.core.model import Filter
from tests.unit.analysis_fixture import FOCUS, INTERVIEW, build_small


@pytest.fixture
def small(tmp_path):
    built = build_small(tmp_path / "small.qcode")
    yield built
    built.project.close()


def table(result):
    """{path: (cells..., total)} plus the total row under 'total'."""
    rows = {r.path: (*r.cells, r.total) for r in result.rows}
    rows["total"] = (*result.column_totals, result.grand_total)
    return rows


# --- matrix ---------------------------------------------------------------------------------------------


def test_matrix_by_case_counts_each_coding_once_in_totals(small):
    result = small.project.matrix(columns=Grouping("case"))
    assert [c.label for c in result.columns] == ["Kim", "Lee", "Sam"]
    assert [r.path for r in result.rows] == ["Support", "Support/Peers", "Support/Family", "Barriers"]
    assert table(result) == {
        "Support": (2, 0, 4, 6),
        "Support/Peers": (1, 0, 3, 4),
        "Support/Family": (0, 0, 1, 1),
        "Barriers": (1, 2, 1, 3),  # the focus-group coding c8 falls in Lee and in Kim
        "total": (3, 2, 5, 9),
    }
    assert result.totals_below_sum()
    assert "less than the sum" in result.note


def test_matrix_own_counts_only_the_codes_own_codings(small):
    result = small.project.matrix(columns=Grouping("case"), own=True)
    assert table(result)["Support"] == (1, 0, 0, 1)
    assert table(result)["total"] == (3, 2, 5, 9)


def test_matrix_by_coder_and_cells_other_than_excerpts(small):
    project = small.project
    by_coder = project.matrix(columns=Grouping("coder"))
    assert [c.label for c in by_coder.columns] == ["Ana", "Tester"]
    assert table(by_coder) == {"Support": (3, 3, 6), "Support/Peers": (3, 1, 4), "Support/Family": (0, 1, 1),
                               "Barriers": (1, 2, 3), "total": (4, 5, 9)}
    sources = table(project.matrix(columns=Grouping("coder"), cell="sources"))
    assert sources["Support"] == (2, 2, 2)
    assert sources["Support/Family"] == (0, 1, 1)
    cases = table(project.matrix(columns=Grouping("coder"), cell="cases"))
    assert cases["Support"] == (2, 2, 2)  # Ana: Sam and Kim; Tester: Sam (c1, c3) and Kim (c7)
    assert cases["Barriers"] == (2, 2, 3)  # Ana's c8 is in Lee and Kim; Tester's c4 in Sam, c5 in Lee
    assert cases["total"] == (3, 3, 3)  # Ana: Sam, Kim and (through c8) Lee


def test_matrix_characters_are_the_union_of_coded_ranges(small):
    r = small.ranges
    result = table(small.project.matrix(columns=Grouping("source"), cell="characters"))
    width = {name: end - start for name, (start, end) in r.items()}
    # Peers in Interview A: c1 and c2 share their range (counted once), c9 apart
    assert result["Support/Peers"] == (width["c6"], width["c1"] + width["c9"], 0, width["c1"] + width["c9"] + width["c6"])
    # Barriers in the focus group: c8 covers all of it
    assert result["Barriers"][0] == len(FOCUS)
    interview_coded = r["c4"][1] - r["c1"][0] + width["c3"] + width["c9"]  # c1 to c4's end, then c3 and c9
    assert result["total"] == (len(FOCUS), interview_coded, 0, len(FOCUS) + interview_coded)


def test_matrix_columns_follow_the_attribute_order_and_filters_narrow_rows(small):
    project = small.project
    setting = project.find_attribute("Setting").id
    result = project.matrix(columns=Grouping("attribute", setting))
    assert [c.label for c in result.columns] == ["Sports club", "Online forum"]  # choice order, not alphabetical
    assert table(result)["Barriers"] == (1, 2, 3)
    assert table(result)["total"] == (5, 4, 9)
    dated = project.matrix(columns=Grouping("attribute", project.find_attribute("Interview date").id))
    assert [c.label for c in dated.columns] == ["2024-01-15", "2024-03-02"]
    narrowed = project.matrix(Filter(codes=(small.peers,)), columns=Grouping("case"))
    assert [r.path for r in narrowed.rows] == ["Support/Peers"]
    assert table(narrowed)["total"] == (1, 0, 3, 4)


def test_matrix_percentages(small):
    from qcode.core.analysis.matrix import percentages

    result = small.project.matrix(columns=Grouping("coder"))
    rows, last = percentages(result, "row")
    assert rows[3] == [33.3, 66.7, 100.0]  # Barriers: 1 and 2 of 3
    assert last == [44.4, 55.6, 100.0]
    rows, last = percentages(result, "column")
    assert rows[3] == [25.0, 40.0, 33.3]  # of 4, 5 and 9 codings


def test_matrix_cell_lists_its_excerpts(small):
    project = small.project
    lee = project.find_case("Lee").id
    excerpts = project.matrix_cell_excerpts(columns=Grouping("case"), code_id=small.barriers, column=lee)
    assert [e.coding.id for e in excerpts] == [small.codings["c8"], small.codings["c5"]]
    assert excerpts[1].text == "We never talk."
    assert excerpts[1].location == "¶ 1, Lee"
    whole_row = project.matrix_cell_excerpts(columns=Grouping("case"), code_id=small.barriers, column=None)
    assert {e.coding.id for e in whole_row} == {small.codings[c] for c in ("c4", "c5", "c8")}


def test_matrix_refuses_unknown_cells_and_attributes(small):
    with pytest.raises(InvalidRequestError):
        small.project.matrix(columns=Grouping("case"), cell="words")
    with pytest.raises(NotFoundError):
        small.project.matrix(columns=Grouping("attribute", 999))


# --- co-occurrence --------------------------------------------------------------------------------------


def test_cooccurrence_overlap_counts_pairs_and_jaccard(small):
    r = small.ranges
    rows = small.project.cooccurrence()
    assert [(x.path_a, x.path_b, x.count) for x in rows] == [("Barriers", "Support/Peers", 3)]
    shared = (r["c1"][1] - r["c4"][0]) + (r["c6"][1] - r["c6"][0])
    barriers = (r["c4"][1] - r["c4"][0]) + len(FOCUS)
    peers = (r["c1"][1] - r["c1"][0]) + (r["c9"][1] - r["c9"][0]) + (r["c6"][1] - r["c6"][0])
    assert rows[0].jaccard == round(shared / (barriers + peers - shared), 4)


def test_cooccurrence_modes(small):
    project = small.project
    paragraph = {(x.path_a, x.path_b): x.count for x in project.cooccurrence(mode="paragraph")}
    assert paragraph == {("Barriers", "Support/Peers"): 3, ("Support/Family", "Support/Peers"): 1}
    assert {(x.path_a, x.path_b): x.count for x in project.cooccurrence(mode="near:1")}[
        ("Support/Family", "Support/Peers")] == 1
    assert ("Support/Family", "Support/Peers") not in {(x.path_a, x.path_b) for x in project.cooccurrence(mode="near:0")}
    turn = {(x.path_a, x.path_b): x.count for x in project.cooccurrence(mode="turn")}
    assert turn == paragraph  # one turn per paragraph here
    with pytest.raises(InvalidRequestError, match="near:N"):
        project.cooccurrence(mode="near:x")


def test_cooccurrence_with_descendants_pairs_parents_but_never_a_code_with_its_own_branch(small):
    rows = {(x.path_a, x.path_b): x.count for x in small.project.cooccurrence(with_descendants=True)}
    assert rows == {("Barriers", "Support"): 4, ("Barriers", "Support/Peers"): 3}
    pairs = small.project.cooccurrence_excerpts(code_a=small.barriers, code_b=small.peers)
    assert [(a.coding.id, b.coding.id) for a, b in pairs] == [
        (small.codings["c4"], small.codings["c1"]), (small.codings["c4"], small.codings["c2"]),
        (small.codings["c8"], small.codings["c6"])]


# --- coding queries -------------------------------------------------------------------------------------


def spans(passages):
    return [(p.source_id, p.start, p.end) for p in passages]


def test_query_and_or_not(small):
    r, project = small.ranges, small.project
    both = project.coding_query('"Support/Peers" AND "Barriers"')
    assert spans(both) == [(small.s1, r["c4"][0], r["c1"][1]), (small.s2, *r["c6"])]
    assert both[0].text == "the club."
    assert both[0].location == "¶ 1, Sam"
    either = project.coding_query('"Support/Family" OR "Support/Peers"')
    assert spans(either) == [(small.s1, *r["c1"]), (small.s1, *r["c3"]), (small.s1, *r["c9"]), (small.s2, *r["c6"])]
    apart = project.coding_query('"Barriers" NOT "Support"')
    assert spans(apart) == [(small.s1, r["c1"][1], r["c4"][1]), (small.s2, 0, r["c7"][0])]


def test_query_near_samepara_coders_and_precedence(small):
    r, project = small.ranges, small.project
    assert spans(project.coding_query('"Support/Family" NEAR/1 "Support/Peers"')) == [(small.s1, *r["c3"])]
    assert project.coding_query('"Support/Family" NEAR/0 "Support/Peers"') == []
    assert spans(project.coding_query('"Support/Family" samepara "Support/Peers"')) == [(small.s1, *r["c3"])]
    assert spans(project.coding_query('"Support/Family" SAMETURN "Barriers"')) == []
    by_coders = project.coding_query('"Support/Peers"@Ana AND "Barriers"@Tester')
    assert spans(by_coders) == [(small.s1, r["c4"][0], r["c1"][1])]
    assert spans(project.coding_query('"Support/Peers"@"Ana" AND "Barriers"@Ana')) == [(small.s2, *r["c6"])]
    # OR binds loosest: Family OR (Peers AND Barriers)
    loose = project.coding_query('"Support/Family" OR "Support/Peers" AND "Barriers"')
    grouped = project.coding_query('("Support/Family" OR "Support/Peers") AND "Barriers"')
    assert spans(loose) == [(small.s1, r["c4"][0], r["c1"][1]), (small.s1, *r["c3"]), (small.s2, *r["c6"])]
    assert spans(grouped) == [(small.s1, r["c4"][0], r["c1"][1]), (small.s2, *r["c6"])]


def test_query_filters_narrow_the_codings(small):
    only_focus = small.project.coding_query('"Support/Peers" AND "Barriers"', Filter(sources=(small.s2,)))
    assert spans(only_focus) == [(small.s2, *small.ranges["c6"])]


@pytest.mark.parametrize(("expression", "position"), [
    ('"Barriers" AND', 15),
    ('"Barriers" FOO "Support"', 12),
    ('"Barriers', 1),
    ('("Barriers" OR "Support"', 25),
    ('"Barriers" NEAR/x "Support"', 12),
    ('"Barriers")', 11),
    ("", 1),
    ('"Barriers"@ AND "Support"', 11),
])
def test_query_syntax_errors_point_at_the_fault(small, expression, position):
    with pytest.raises(QuerySyntaxError) as caught:
        small.project.coding_query(expression)
    assert caught.value.position + 1 == position
    assert f"character {position}" in caught.value.message


def test_query_unknown_code_or_coder(small):
    with pytest.raises(NotFoundError, match="Nope"):
        small.project.coding_query('"Nope" AND "Barriers"')
    with pytest.raises(NotFoundError, match="Zed"):
        small.project.coding_query('"Barriers"@Zed')


def test_query_results_can_be_coded_in_one_step(small):
    project = small.project
    passages = project.coding_query('"Support/Peers" AND "Barriers"')
    target = project.create_code("Peer barriers").id
    added = project.code_passages(passages, target)
    assert [(c.source_id, c.start, c.end) for c in added] == spans(passages)
    assert project.code_passages(passages, target) == []  # already coded
    project.remove_codings([c.id for c in added])
    assert project.codings_for_code(target) == []


# --- words ----------------------------------------------------------------------------------------------


def test_words_split_on_hyphens_and_apostrophes():
    assert words_of("Help-seeking men's 2nd café_bar 😀 ÉTÉ") == ["help", "seeking", "men", "s", "2nd", "café",
                                                                  "bar", "été"]


def test_word_frequencies_over_coded_text_count_double_coded_text_once(small):
    project = small.project
    rows = project.word_frequencies(Filter(codes=(small.peers,)))
    assert [(w.word, w.count, w.sources) for w in rows] == [
        ("mates", 3, 2), ("club", 1, 1), ("help", 1, 1), ("matter", 1, 1), ("talk", 1, 1)]
    everything = {w.word: w.count for w in project.word_frequencies(limit=None)}
    assert everything["talk"] == 2
    assert everything["sam"] == 2
    assert "the" not in everything
    short = project.word_frequencies(Filter(codes=(small.peers,)), min_length=5, stop_words=["matter"])
    assert [w.word for w in short] == ["mates"]
    assert project.word_frequencies(limit=1)[0].word == "mates"


def test_project_stop_list_is_kept_in_the_project_and_left_out_of_word_counts(small):
    project = small.project
    assert project.stop_words() == []
    assert project.set_stop_words(["Mates", "club", "mates"]) == ["club", "mates"]
    rows = project.word_frequencies(Filter(codes=(small.peers,)))
    assert [w.word for w in rows] == ["help", "matter", "talk"]
    counted = project.word_frequencies(Filter(codes=(small.peers,)), use_project_stop_words=False)
    assert counted[0].word == "mates"
    with pytest.raises(InvalidRequestError):
        project.set_stop_words(["help-seeking"])  # two words: refused, the list unchanged
    path = project.path
    project.close()
    from qcode.core.project import Project

    with Project.open(path, mode="read") as again:
        assert again.stop_words() == ["club", "mates"]
    small.project = Project.open(path)


def test_kwic_lines(small):
    lines = small.project.kwic("MATES", Filter(codes=(small.peers,)), width=8)
    assert [(k.source_name, k.location, k.left, k.word, k.right) for k in lines] == [
        ("Interview A", "¶ 1, Sam", "k to my ", "mates", " 😀 at th"),  # the emoji is one character
        ("Interview A", "¶ 3, Sam", "helps. ", "Mates", " help to"),
        ("Focus group", "¶ 2, Kim", ". Kim: ", "Mates", " matter."),  # the new lines read as a space
    ]
    assert INTERVIEW[lines[0].start:lines[0].start + 5] == "mates"
    with pytest.raises(InvalidRequestError):
        small.project.kwic("two words")
    assert small.project.kwic("MATES", Filter(codes=(small.peers,)), width=8, limit=2) == lines[:2]
    with pytest.raises(InvalidRequestError):
        small.project.kwic("mates", limit=0)


# --- saturation -----------------------------------------------------------------------------------------


def test_saturation_orders(small):
    project = small.project
    rows = project.saturation()
    assert [(r.position, r.source_name, r.new_codes, r.cumulative_codes) for r in rows] == [
        (1, "Interview A", ("Support/Peers", "Support/Family", "Barriers"), 3),
        (2, "Focus group", (), 3),
        (3, "Notes", (), 3),
    ]
    ana = project.saturation(Filter(coders=(project.ensure_coder("Ana").id,)))
    assert [(r.new_codes, r.cumulative_codes) for r in ana] == [(("Support/Peers",), 1), (("Barriers",), 2), ((), 2)]
    by_name = project.saturation(order="name")
    assert [(r.source_name, len(r.new_codes)) for r in by_name] == [("Focus group", 2), ("Interview A", 1),
                                                                    ("Notes", 0)]
    dated = project.saturation(order="attribute", attribute_id=project.find_attribute("Interview date").id)
    assert [r.source_name for r in dated] == ["Focus group", "Interview A", "Notes"]
    assert [r.order_value for r in dated] == ["2024-01-15", "2024-03-02", None]  # what placed each; Notes has none
    by_case = project.saturation(order="attribute", attribute_id=project.find_attribute("Setting").id)
    assert [r.source_name for r in by_case] == ["Interview A", "Focus group", "Notes"]  # Sports club first
    assert [r.order_value for r in by_case] == ["Sports club", "Online forum", None]
    assert {r.order_value for r in by_name} == {None}


def test_grouped_frequencies_list_groups_in_the_same_order_as_the_matrix(small):
    project = small.project
    setting = Grouping("attribute", project.find_attribute("Setting").id)
    groups = list(dict.fromkeys(r.group for r in project.frequencies(group_by=setting)))
    assert groups == [c.label for c in project.matrix(columns=setting).columns] == ["Sports club", "Online forum"]
    dated = Grouping("attribute", project.find_attribute("Interview date").id)
    assert list(dict.fromkeys(r.group for r in project.frequencies(group_by=dated))) == ["2024-01-15", "2024-03-02"]


def test_query_passages_lead_back_to_their_excerpts(small):
    found = small.project.coding_query_excerpts('"Support/Peers" AND "Barriers"@Tester')
    assert [[e.coding.id for e in excerpts] for _, excerpts in found] == [
        [small.codings["c1"], small.codings["c2"], small.codings["c4"]]]  # c5 (Tester's, in the focus group) meets no Peers
    passage, excerpts = found[0]
    assert passage.text == "the club."
    assert excerpts[2].text.startswith("the club.")


def test_saturation_rows_lead_back_to_their_excerpts(small):
    project = small.project
    first = project.saturation_excerpts(small.s1)
    assert [e.coding.id for e in first] == [small.codings[c] for c in ("c1", "c2", "c4", "c3", "c9")]
    assert project.saturation_excerpts(small.s2) == []  # nothing new there in import order
    by_name = project.saturation_excerpts(small.s2, order="name")
    assert [e.coding.id for e in by_name] == [small.codings[c] for c in ("c8", "c5", "c6")]


def test_a_query_is_checked_without_being_run(small):
    project = small.project
    project.check_coding_query('"Support/Peers"@Ana SAMEPARA "Support/Family"')
    with pytest.raises(QuerySyntaxError):
        project.check_coding_query('"Support/Peers" AND')
    with pytest.raises(NotFoundError):
        project.check_coding_query('"Support/Nobody" OR "Barriers"')
    with pytest.raises(NotFoundError):
        project.check_coding_query('"Barriers"@Zed')
