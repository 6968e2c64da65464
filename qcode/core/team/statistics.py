"""Agreement coefficients over ratings: percent agreement, Cohen's kappa (and Light's mean of the pairwise
kappas), Brennan-Prediger's free-marginal kappa and Krippendorff's alpha for nominal data.

Ratings come as a `Counter` of *patterns*: a pattern is one unit's values, one per coder (None when that coder
gave no value, which only Krippendorff's alpha and the pairwise figures can use), and its count is how many units
share it. A project with 100,000 paragraphs thus has at most 2**coders distinct patterns per code, and every
figure is computed from those few counts.

A coefficient that is undefined (no variation to judge, or no unit two coders both rated) is None, never 0 or 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

Pattern = tuple[Hashable | None, ...]


@dataclass(frozen=True, slots=True)
class PairTable:
    """Two coders' ratings over the units both rated: `cells[(a, b)]` units where the first said a, the second b."""

    cells: dict[tuple[Hashable, Hashable], int]

    @property
    def units(self) -> int:
        """The number of units both coders rated."""
        return sum(self.cells.values())

    def observed(self) -> float | None:
        """The share of units on which the two agree (None without units)."""
        n = self.units
        return None if n == 0 else sum(c for (a, b), c in self.cells.items() if a == b) / n


def pair_table(patterns: Counter[Pattern], first: int, second: int) -> PairTable:
    """The contingency table of coders `first` and `second` (by position in the patterns)."""
    cells: Counter[tuple[Hashable, Hashable]] = Counter()
    for pattern, count in patterns.items():
        a, b = pattern[first], pattern[second]
        if a is not None and b is not None and count:
            cells[(a, b)] += count
    return PairTable(dict(cells))


def cohen_kappa(table: PairTable) -> float | None:
    """Cohen's kappa: (po - pe) / (1 - pe), pe from each coder's own marginal shares."""
    n = table.units
    if n == 0:
        return None
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    for (a, b), count in table.cells.items():
        first[a] += count
        second[b] += count
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    observed = table.observed()
    assert observed is not None
    if expected >= 1.0 - 1e-12:  # both coders used one and the same category throughout: no variation
        return None
    return (observed - expected) / (1.0 - expected)


def brennan_prediger(observed: float | None, categories: int = 2) -> float | None:
    """Brennan and Prediger's kappa: chance agreement is 1/q for q categories, whatever the coders' marginals."""
    if observed is None or categories < 2:
        return None
    chance = 1.0 / categories
    return (observed - chance) / (1.0 - chance)


def krippendorff_alpha_nominal(patterns: Counter[Pattern]) -> float | None:
    """Krippendorff's alpha for nominal data, any number of coders, values may be missing.

    alpha = 1 - (n - 1) * sum_u (m_u^2 - sum_c n_uc^2) / (m_u - 1) / (n^2 - sum_c n_c^2), over the units with
    at least two values (m_u values in unit u, n_uc of them category c; n and n_c the totals over those units).
    """
    disagreement = 0.0
    totals: Counter[Hashable] = Counter()
    for pattern, count in patterns.items():
        values = [v for v in pattern if v is not None]
        m = len(values)
        if m < 2 or not count:
            continue
        per_value = Counter(values)
        disagreement += count * (m * m - sum(k * k for k in per_value.values())) / (m - 1)
        for value, k in per_value.items():
            totals[value] += k * count
    n = sum(totals.values())
    expected = n * n - sum(k * k for k in totals.values())
    if n < 2 or expected == 0:
        return None
    return 1.0 - (n - 1) * disagreement / expected


@dataclass(frozen=True, slots=True)
class Figures:
    """The agreement figures of one table row."""

    units: int
    coded_units: int
    percent_agreement: float | None  # 0-100
    cohen_kappa: float | None  # with more than two coders, Light's kappa (the mean of the pairwise kappas)
    brennan_prediger: float | None
    krippendorff_alpha: float | None
    pair_kappas: tuple[float | None, ...] = ()


def figures(patterns: Counter[Pattern], *, coded_units_only: bool = False, absent: Hashable = 0,
            categories: int = 2) -> Figures:
    """Every figure of a row from its patterns.

    Only units at least two coders rated count. A unit is *coded* when some coder's value differs from `absent`;
    `coded_units_only` leaves the others out.
    Percent agreement (and so Brennan-Prediger) is the mean over coder pairs of the share of units both rated
    on which they agree; with no missing values this equals the share of agreeing coder pairs within units.
    """
    kept: Counter[Pattern] = Counter()
    coded = 0
    for pattern, count in patterns.items():
        if not count or sum(v is not None for v in pattern) < 2:
            continue  # a unit fewer than two coders rated tells nothing about agreement
        is_coded = any(v is not None and v != absent for v in pattern)
        if is_coded:
            coded += count
        if is_coded or not coded_units_only:
            kept[pattern] += count
    units = sum(kept.values())
    width = len(next(iter(patterns))) if patterns else 0
    tables = [pair_table(kept, i, j) for i, j in combinations(range(width), 2)]
    observed = [t.observed() for t in tables]
    defined = [o for o in observed if o is not None]
    mean_observed = sum(defined) / len(defined) if defined else None
    kappas = tuple(cohen_kappa(t) for t in tables)
    light = None if not kappas or any(k is None for k in kappas) else sum(kappas) / len(kappas)  # type: ignore[arg-type]
    return Figures(
        units=units,
        coded_units=coded,
        percent_agreement=None if mean_observed is None else 100.0 * mean_observed,
        cohen_kappa=light,
        brennan_prediger=brennan_prediger(mean_observed, categories),
        krippendorff_alpha=krippendorff_alpha_nominal(kept),
        pair_kappas=kappas,
    )


def patterns_of(ratings: Iterable[Sequence[Hashable | None]]) -> Counter[Pattern]:
    """Patterns counted from one row of values per unit (a convenience for tests and small tables)."""
    return Counter(tuple(row) for row in ratings)


def project(patterns: Counter[Pattern], coders: Sequence[int]) -> Counter[Pattern]:
    """The patterns of some of the coders only (for the tables of coder pairs)."""
    out: Counter[Pattern] = Counter()
    for pattern, count in patterns.items():
        out[tuple(pattern[i] for i in coders)] += count
    return out
