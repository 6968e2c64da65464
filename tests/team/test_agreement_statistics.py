"""The agreement coefficients against published worked examples and the `krippendorff` package."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode.core.team.statistics import (
    brennan_prediger,
    cohen_kappa,
    figures,
    krippendorff_alpha_nominal,
    pair_table,
    patterns_of,
)

krippendorff = pytest.importorskip("krippendorff")
np = pytest.importorskip("numpy")

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve units,
# nominal values, missing data; the published alpha is 0.743.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
# ... section A: two observers, binary data, ten units; alpha = 0.095.
K2011_BINARY = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]


def by_unit(coders: list[list[object]]) -> Counter:
    return patterns_of(zip(*coders, strict=True))


def reference_alpha(coders: list[list[object]]) -> float:
    data = np.array([[np.nan if v is None else v for v in row] for row in coders], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")


def test_published_alpha_with_missing_data() -> None:
    alpha = krippendorff_alpha_nominal(by_unit(K2011))
    assert round(alpha, 3) == 0.743
    assert alpha == pytest.approx(reference_alpha(K2011), abs=1e-12)


def test_published_binary_alpha() -> None:
    alpha = krippendorff_alpha_nominal(by_unit(K2011_BINARY))
    assert round(alpha, 3) == 0.095
    assert alpha == pytest.approx(reference_alpha(K2011_BINARY), abs=1e-12)


def test_cohen_kappa_worked_example() -> None:
    # 50 units: both yes 20, first yes second no 5, first no second yes 10, both no 15.
    # po = 35/50 = 0.7; first says yes 25/50, second 30/50: pe = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    rows = [(1, 1)] * 20 + [(1, 0)] * 5 + [(0, 1)] * 10 + [(0, 0)] * 15
    table = pair_table(patterns_of(rows), 0, 1)
    assert table.observed() == pytest.approx(0.7)
    assert cohen_kappa(table) == pytest.approx(0.4)


def test_kappa_differs_from_brennan_prediger_with_skewed_marginals() -> None:
    # 100 units: both yes 5, first only 5, second only 5, both no 85. po = 0.9;
    # yes shares 0.1 and 0.1: pe = 0.01 + 0.81 = 0.82; kappa = 0.08/0.18 = 0.4444; BP = (0.9-0.5)/0.5 = 0.8
    rows = [(1, 1)] * 5 + [(1, 0)] * 5 + [(0, 1)] * 5 + [(0, 0)] * 85
    f = figures(patterns_of(rows))
    assert f.percent_agreement == pytest.approx(90.0)
    assert f.cohen_kappa == pytest.approx(0.08 / 0.18)
    assert f.brennan_prediger == pytest.approx(0.8)
    assert f.units == 100
    assert f.coded_units == 15
    # over the coded units only: po = 5/15, pe = (10/15)^2 + (5/15)^2 = 5/9; kappa = (1/3 - 5/9)/(4/9) = -0.5
    only = figures(patterns_of(rows), coded_units_only=True)
    assert only.units == 15
    assert only.cohen_kappa == pytest.approx(-0.5)
    assert only.brennan_prediger == pytest.approx(2 * (5 / 15) - 1)


def test_lights_kappa_is_the_mean_of_the_pairwise_kappas() -> None:
    a = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    b = [1, 0, 0, 0, 1, 0, 1, 0, 1, 0]
    c = [1, 1, 0, 1, 1, 0, 0, 0, 0, 0]
    f = figures(by_unit([a, b, c]))
    pairwise = [cohen_kappa(pair_table(by_unit([x, y]), 0, 1)) for x, y in ((a, b), (a, c), (b, c))]
    # a/b: 1,1 x3; 1,0 x1; 0,1 x1; 0,0 x5 -> po .8, pe .4*.4+.6*.6=.52 -> kappa .28/.48
    assert pairwise[0] == pytest.approx(0.28 / 0.48)
    assert f.cohen_kappa == pytest.approx(sum(pairwise) / 3)
    assert f.pair_kappas == pytest.approx(tuple(pairwise))
    assert f.krippendorff_alpha == pytest.approx(reference_alpha([a, b, c]), abs=1e-12)
    # percent agreement over three coders: the mean of the pairwise shares (0.8, 0.8, 0.6)
    assert f.percent_agreement == pytest.approx(100 * (0.8 + 0.8 + 0.6) / 3)


def test_undefined_figures_are_none() -> None:
    nothing = figures(patterns_of([(0, 0)] * 20))
    assert nothing.percent_agreement == 100.0
    assert nothing.cohen_kappa is None
    assert nothing.krippendorff_alpha is None
    assert nothing.brennan_prediger == 1.0
    empty = figures(patterns_of([(0, 0)] * 20), coded_units_only=True)
    assert empty.units == 0
    assert empty.percent_agreement is None
    assert empty.cohen_kappa is None
    assert empty.brennan_prediger is None
    # one coder coded nothing, the other some units: kappa is 0 (not undefined), alpha negative
    one_sided = figures(patterns_of([(0, 1)] * 3 + [(0, 0)] * 7))
    assert one_sided.cohen_kappa == pytest.approx(0.0)
    assert brennan_prediger(None) is None


def test_lights_kappa_is_undefined_when_a_pair_is() -> None:
    # a and b never code, c does: the a/b pair has no variation, so the mean is undefined
    f = figures(patterns_of([(0, 0, 1)] * 3 + [(0, 0, 0)] * 7))
    assert f.pair_kappas[0] is None
    assert f.cohen_kappa is None


ratings = st.integers(min_value=2, max_value=4).flatmap(
    lambda coders: st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=coders, max_size=coders), min_size=2, max_size=30
    )
)


@given(ratings)
def test_alpha_equals_the_reference_package(units: list[list[int | None]]) -> None:
    coders = [list(column) for column in zip(*units, strict=True)]
    ours = krippendorff_alpha_nominal(patterns_of(units))
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    values = {v for u in pairable for v in u if v is not None}
    if len(values) < 2:
        assert ours is None  # no variation: alpha is undefined
        return
    assert ours == pytest.approx(reference_alpha(coders), abs=1e-9)


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=60))
def test_two_coder_kappa_matches_its_definition(units: list[tuple[int, int]]) -> None:
    n = len(units)
    po = sum(a == b for a, b in units) / n
    pa, pb = sum(a for a, _ in units) / n, sum(b for _, b in units) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    f = figures(patterns_of(units))
    if math.isclose(pe, 1.0):
        assert f.cohen_kappa is None
    else:
        assert f.cohen_kappa == pytest.approx((po - pe) / (1 - pe))
    assert f.brennan_prediger == pytest.approx(2 * po - 1)
    assert f.percent_agreement == pytest.approx(100 * po)
