"""Agreement over a project's codings: units, shares, scope, sub-codes, and the pooled row."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcode.core.errors import InvalidRequestError
from qcode.core.model import Filter, NewCoding
from qcode.core.project import Project
from qcode.core.team.agreement import ALL_CODES, AgreementRequest, compute

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

# ten paragraphs of 9 characters each ("Para NN." is 8 + a final character), blank lines between
PARAGRAPHS = [f"Para {i:02d}.x" for i in range(10)]
TEXT = "\n\n".join(PARAGRAPHS)


def para(i: int) -> tuple[int, int]:
    start = i * (len(PARAGRAPHS[0]) + 2)
    return start, start + len(PARAGRAPHS[0])


@pytest.fixture
def team(project: Project):
    source = project.add_source("Interview", TEXT)
    code = project.create_code("Trust")
    a = project.ensure_coder("Ana")
    b = project.ensure_coder("Ben")
    return project, source, code, a, b


def row(report, code: str):
    return next(r for r in report.rows if r.code == code)


def test_paragraph_units_hand_computed(team) -> None:
    project, source, code, a, b = team
    # Ana codes paragraphs 1, 2, 3; Ben codes 2, 3, 4 (Ben's coding of 4 is a part of it only)
    for i in (1, 2, 3):
        project.add_coding(source.id, code.id, *para(i), coder_id=a.id)
    for i in (2, 3):
        project.add_coding(source.id, code.id, *para(i), coder_id=b.id)
    start, _ = para(4)
    project.add_coding(source.id, code.id, start, start + 2, coder_id=b.id)
    report = compute(project, AgreementRequest((a.id, b.id), unit="paragraph"))
    f = row(report, "Trust").figures
    # table: both 2, Ana only 1, Ben only 1, neither 6 -> po 0.8; pe = .3*.3 + .7*.7 = .58; kappa = .22/.42
    assert (f.units, f.coded_units) == (10, 4)
    assert f.percent_agreement == pytest.approx(80.0)
    assert f.cohen_kappa == pytest.approx(0.22 / 0.42)
    assert f.brennan_prediger == pytest.approx(0.6)
    data = np.array([[0, 1, 1, 1, 0, 0, 0, 0, 0, 0], [0, 0, 1, 1, 1, 0, 0, 0, 0, 0]], dtype=float)
    assert f.krippendorff_alpha == pytest.approx(krippendorff.alpha(reliability_data=data,
                                                                    level_of_measurement="nominal"))
    # at least 50 % of a paragraph: Ben's two characters of paragraph 4 no longer count
    half = row(compute(project, AgreementRequest((a.id, b.id), unit="paragraph", min_share=50)), "Trust").figures
    assert (half.units, half.coded_units) == (10, 3)
    assert half.percent_agreement == pytest.approx(90.0)
    # coded units only: the four paragraphs someone coded; both agree on 2 of them
    only = row(compute(project, AgreementRequest((a.id, b.id), coded_units_only=True)), "Trust").figures
    assert (only.units, only.coded_units) == (4, 4)
    assert only.percent_agreement == pytest.approx(50.0)


def test_character_units_match_a_character_by_character_count(team) -> None:
    project, source, code, a, b = team
    project.add_coding(source.id, code.id, 0, 30, coder_id=a.id)
    project.add_coding(source.id, code.id, 20, 25, coder_id=a.id)  # overlaps Ana's own coding: counted once
    project.add_coding(source.id, code.id, 25, 50, coder_id=b.id)
    f = row(compute(project, AgreementRequest((a.id, b.id), unit="character")), "Trust").figures
    n = len(TEXT)
    assert (f.units, f.coded_units) == (n, 50)
    # both 25-30 (5), Ana only 0-25 (25), Ben only 30-50 (20), neither the rest
    assert f.percent_agreement == pytest.approx(100 * (n - 45) / n)


def test_sub_codes_count_for_their_parent_unless_own(team) -> None:
    project, source, code, a, b = team
    child = project.create_code("Doubt", parent_id=code.id)
    project.add_coding(source.id, child.id, *para(0), coder_id=a.id)
    project.add_coding(source.id, code.id, *para(0), coder_id=b.id)
    report = compute(project, AgreementRequest((a.id, b.id)))
    assert row(report, "Trust").figures.percent_agreement == 100.0
    assert row(report, "Trust/Doubt").figures.coded_units == 1
    own = compute(project, AgreementRequest((a.id, b.id), own=True))
    assert row(own, "Trust").figures.percent_agreement == pytest.approx(90.0)
    # the pooled row: (unit, code) pairs with each code's own codings: 20 pairs, 2 of them disagreeing
    pooled = row(report, ALL_CODES).figures
    assert (pooled.units, pooled.coded_units) == (20, 2)
    assert pooled.percent_agreement == pytest.approx(90.0)
    assert report.rows[-1].code == ALL_CODES


def test_scope_and_code_filters(team) -> None:
    project, source, code, a, b = team
    other = project.add_source("Notes", "Alpha.\n\nBeta.")
    other_code = project.create_code("Risk")
    project.add_coding(other.id, other_code.id, 0, 6, coder_id=a.id)
    report = compute(project, AgreementRequest((a.id, b.id), code_ids=(code.id,), scope=Filter(sources=(source.id,))))
    assert [r.code for r in report.rows] == ["Trust", ALL_CODES]
    assert report.sources == 1
    assert row(report, "Trust").figures.units == 10
    whole = compute(project, AgreementRequest((a.id, b.id), unit="source"))
    assert row(whole, "Risk").figures.units == 2
    assert row(whole, "Risk").figures.coded_units == 1


def test_turns_and_sentences_are_units(project: Project) -> None:
    text = "Ana: One. Two! Three?\n\nBo: Four.\n\nAna: Five six."
    source = project.add_source("Chat", text)
    code = project.create_code("C")
    a, b = project.ensure_coder("A"), project.ensure_coder("B")
    project.add_coding(source.id, code.id, text.index("Two"), text.index("Two") + 3, coder_id=a.id)
    project.add_coding(source.id, code.id, text.index("Four"), text.index("Four") + 4, coder_id=b.id)
    turns = row(compute(project, AgreementRequest((a.id, b.id), unit="turn")), "C").figures
    assert (turns.units, turns.coded_units) == (3, 2)
    sentences = row(compute(project, AgreementRequest((a.id, b.id), unit="sentence")), "C").figures
    assert (sentences.units, sentences.coded_units) == (5, 2)


def test_three_coders_and_pairs(team) -> None:
    project, source, code, a, b = team
    c = project.ensure_coder("Cy")
    for coder, paragraphs in ((a, (0, 1, 2)), (b, (1, 2)), (c, (2, 3))):
        for i in paragraphs:
            project.add_coding(source.id, code.id, *para(i), coder_id=coder.id)
    report = compute(project, AgreementRequest((a.id, b.id, c.id)))
    assert set(report.pairs) == {(a.id, b.id), (a.id, c.id), (b.id, c.id)}
    pair_kappas = [row_of.figures.cohen_kappa for rows in report.pairs.values() for row_of in rows
                   if row_of.code == "Trust"]
    assert row(report, "Trust").figures.cohen_kappa == pytest.approx(sum(pair_kappas) / 3)
    data = np.array([[1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 0, 0, 0, 0, 0],
                     [0, 0, 1, 1, 0, 0, 0, 0, 0, 0]], dtype=float)
    assert row(report, "Trust").figures.krippendorff_alpha == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def test_refusals(team) -> None:
    project, _, _, a, b = team
    with pytest.raises(InvalidRequestError):
        compute(project, AgreementRequest((a.id,)))
    with pytest.raises(InvalidRequestError):
        compute(project, AgreementRequest((a.id, b.id), unit="character", min_share=50))
    with pytest.raises(InvalidRequestError):
        compute(project, AgreementRequest((a.id, b.id), min_share=0))
    with pytest.raises(InvalidRequestError):
        compute(project, AgreementRequest((a.id, b.id), unit="page"))


ranges = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 60), st.integers(1, 25)),
                  max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=30)
@given(ranges)
def test_character_level_equals_the_reference_on_every_character(team, spec) -> None:
    project, source, code, a, b = team
    project.remove_codings([c.id for c in project.codings()])
    coders = (a.id, b.id)
    n = len(TEXT)
    ratings = np.zeros((2, n))
    for who, _, start, length in spec:
        end = min(start + length, n)
        project.add_codings([NewCoding(source.id, code.id, start, end, coders[who])])
        ratings[who, start:end] = 1
    f = row(compute(project, AgreementRequest(coders, unit="character")), "Trust").figures
    agree = sum(ratings[0, i] == ratings[1, i] for i in range(n))
    assert f.percent_agreement == pytest.approx(100 * agree / n)
    if len(set(itertools.chain(ratings[0], ratings[1]))) < 2:
        assert f.krippendorff_alpha is None
    else:
        assert f.krippendorff_alpha == pytest.approx(
            krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal"))


def test_uncoded_sources_as_missing_data(project: Project) -> None:
    # three coders; Cy coded only the first source, so his values for the second are missing
    sources = [project.add_source(f"S{n}", TEXT) for n in (1, 2)]
    code = project.create_code("Trust")
    a, b, c = (project.ensure_coder(n) for n in ("Ana", "Ben", "Cy"))
    plan = {a.id: {0: (0, 1, 2), 1: (5, 6)}, b.id: {0: (1, 2), 1: (5, 7)}, c.id: {0: (0, 2, 3)}}
    for coder_id, per_source in plan.items():
        for index, paragraphs in per_source.items():
            for i in paragraphs:
                project.add_coding(sources[index].id, code.id, *para(i), coder_id=coder_id)
    request = AgreementRequest((a.id, b.id, c.id), uncoded_as_missing=True)
    f = row(compute(project, request), "Trust").figures
    rows = []
    for coder_id in (a.id, b.id, c.id):
        values = []
        for index in (0, 1):
            coded = plan[coder_id].get(index)
            values += [np.nan if coded is None else float(i in coded) for i in range(10)]
        rows.append(values)
    expected = krippendorff.alpha(reliability_data=np.array(rows), level_of_measurement="nominal")
    assert f.krippendorff_alpha == pytest.approx(expected)
    assert f.units == 20
    # Ana and Cy: only the first source's ten paragraphs are pairable; they agree on 8
    pairs = compute(project, request).pairs
    ana_cy = next(r for r in pairs[(a.id, c.id)] if r.code == "Trust").figures
    assert ana_cy.units == 10
    assert ana_cy.percent_agreement == pytest.approx(80.0)
    # without the option, Cy's second source counts as "nothing found" and the figure differs
    plain = row(compute(project, AgreementRequest((a.id, b.id, c.id))), "Trust").figures
    assert plain.krippendorff_alpha != pytest.approx(expected)


def test_cancelling(team) -> None:
    from qcode.core.errors import AgreementCancelled

    project, _, _, a, b = team

    class Stop:
        def step(self, done: int, total: int, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return True

    with pytest.raises(AgreementCancelled, match="cancelled"):
        compute(project, AgreementRequest((a.id, b.id)), progress=Stop())


# fictional paragraphs of different lengths, so that shares of a paragraph differ
UNEVEN = "\n\n".join(["Short one.", "A somewhat longer second paragraph here.", "Mid length third.",
                      "Four.", "The fifth paragraph is the longest of them all, by a margin."])
codings_3 = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1), st.integers(0, len(UNEVEN) - 1),
                               st.integers(1, 40)), max_size=14)


def _reference_rows(spans: list[tuple[int, int]], ranges: dict[tuple[int, int], list[tuple[int, int]]],
                    min_share: float | None) -> list[list[int]]:
    """Brute force: for each coder and unit, 1 when the union of the coder's ranges covers any part of it (or at
    least `min_share` percent of its characters)."""
    rows = []
    for coder in range(3):
        covered_chars = set()
        for start, end in ranges.get((coder, 0), []):
            covered_chars.update(range(start, end))
        values = []
        for start, end in spans:
            covered = sum(1 for i in range(start, end) if i in covered_chars)
            values.append(int(covered > 0 if min_share is None else covered * 100 >= min_share * (end - start)))
        rows.append(values)
    return rows


def _reference_figures(rows: list[list[int]]) -> tuple[float, float | None, float | None]:
    """Percent agreement (mean over pairs), Light's kappa and Krippendorff's alpha from the `krippendorff` package."""
    n = len(rows[0])
    shares, kappas = [], []
    for x, y in itertools.combinations(rows, 2):
        po = sum(a == b for a, b in zip(x, y, strict=True)) / n
        px, py = sum(x) / n, sum(y) / n
        pe = px * py + (1 - px) * (1 - py)
        shares.append(po)
        kappas.append(None if abs(1 - pe) < 1e-12 else (po - pe) / (1 - pe))
    light = None if None in kappas else sum(kappas) / len(kappas)  # type: ignore[arg-type]
    values = {v for r in rows for v in r}
    alpha = None if len(values) < 2 else krippendorff.alpha(reliability_data=np.array(rows, dtype=float),
                                                            level_of_measurement="nominal")
    return 100 * sum(shares) / len(shares), light, alpha


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40, deadline=None)
@given(codings_3, st.sampled_from([None, 1, 50, 100]))
@example([(0, 0, 0, 5), (1, 1, 2, 3)], 50)  # Ana codes exactly half of "Short one.": that is at least 50 %
def test_unit_level_equals_a_brute_force_reference(project: Project, spec, min_share) -> None:
    """Three coders, a code and its sub-code, overlapping codings of one coder, shares of paragraphs: every
    figure of the parent (with its sub-code), the sub-code and the pooled row equals a count done by hand."""
    project.remove_codings([c.id for c in project.codings()])
    if not project.sources():
        project.add_source("Uneven", UNEVEN)
        parent = project.create_code("Support")
        project.create_code("Peers", parent_id=parent.id)
        for name in ("Ana", "Ben", "Cy"):
            project.ensure_coder(name)
    source = project.sources()[0]
    parent, child = project.find_code("Support"), project.find_code("Support/Peers")
    coders = tuple(c.id for c in project.coders() if c.name in ("Ana", "Ben", "Cy"))
    spans = [(s.start, s.end) for s in project.spans(source.id, "paragraph")]
    assert len(spans) == 5
    own: dict[int, dict[tuple[int, int], list[tuple[int, int]]]] = {parent.id: {}, child.id: {}}
    for who, which, start, length in spec:
        end = min(start + length, len(UNEVEN))
        code_id = (parent.id, child.id)[which]
        project.add_codings([NewCoding(source.id, code_id, start, end, coders[who])])
        own[code_id].setdefault((who, 0), []).append((start, end))
    tree = {key: own[parent.id].get(key, []) + own[child.id].get(key, []) for key in
            set(own[parent.id]) | set(own[child.id])}
    report = compute(project, AgreementRequest(coders, unit="paragraph", min_share=min_share))
    expected_rows = {"Support": _reference_rows(spans, tree, min_share),
                     "Support/Peers": _reference_rows(spans, own[child.id], min_share)}
    pooled = [p + c for p, c in zip(_reference_rows(spans, own[parent.id], min_share),
                                    expected_rows["Support/Peers"], strict=True)]
    expected_rows[ALL_CODES] = pooled
    for name, rows in expected_rows.items():
        f = row(report, name).figures
        percent, light, alpha = _reference_figures(rows)
        assert f.units == len(rows[0])
        assert f.coded_units == sum(any(r[i] for r in rows) for i in range(len(rows[0])))
        assert f.percent_agreement == pytest.approx(percent)
        assert f.cohen_kappa == (None if light is None else pytest.approx(light))
        assert f.krippendorff_alpha == (None if alpha is None else pytest.approx(alpha))
