"""The numpy helpers behind the fast tables equal a plain count."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.analysis import bulk

groups = st.lists(st.sets(st.integers(1, 12), max_size=8), max_size=6)
members = st.lists(st.tuples(st.integers(1, 14), st.integers(1, 5)), max_size=20)


@settings(max_examples=200, deadline=None)
@given(groups, members, st.lists(st.tuples(st.integers(0, 5), st.integers(1, 7)), max_size=8))
def test_distinct_cases_counts_the_cases_holding_a_groups_sources(source_sets, whole, more):
    texts = [",".join(str(s) for s in sorted(sources)) for sources in source_sets]
    more = [(group, case) for group, case in more if group < len(source_sets)]
    expected = [len({case for source, case in whole if source in sources} | {c for g, c in more if g == index})
                for index, sources in enumerate(source_sets)]
    assert bulk.distinct_cases(texts, whole, more) == expected


@given(st.lists(st.lists(st.integers(0, 10**12), max_size=5), max_size=5))
def test_parse_lists_reads_every_number_in_order(lists):
    texts = [",".join(map(str, numbers)) for numbers in lists]
    assert bulk.parse_lists(texts).tolist() == [n for numbers in lists for n in numbers]
