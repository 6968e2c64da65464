"""The pseudonymiser replaces whole words in any case, and its offset map keeps codings on the same words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.core.privacy.pseudonymise import Pseudonymiser, Term

NAMES = ["Marcus", "Riverside Shed", "Riverside", "Ann", "Zoë"]
PSEUDONYMS = ["P01", "[community shed]", "[town]", "P02-long", "Z"]
WORDS = ["Marcus", "marcus's", "MARCUS", "Marcuses", "Riverside", "riverside  shed", "Riverside\nShed", "Annabel",
         "ann", "Zoë", "the", "club", "helps,", "x", "  ", "\n\n", "it's", "😀"]


def test_whole_words_in_any_case_with_possessives() -> None:
    p = Pseudonymiser([Term("Marcus", "P01"), Term("Riverside Shed", "[community shed]"), Term("Riverside", "[town]")])
    text = "Marcus's mate met MARCUS at the riverside\nshed in Riverside; Marcusson stayed home."
    assert p.apply(text) == "P01's mate met P01 at the [community shed] in [town]; Marcusson stayed home."
    assert p.found_terms(text) == ["marcus", "riverside shed", "riverside"]
    assert p.found_terms(p.apply(text)) == []


def test_map_moves_a_boundary_inside_a_term_to_its_edge() -> None:
    p = Pseudonymiser([Term("Riverside Shed", "[shed]")])
    text = "We meet at Riverside Shed on Fridays."
    r = p.replace(text)
    assert r.text == "We meet at [shed] on Fridays."
    start, end = text.index("side Shed"), text.index(" on")  # a coding that starts inside the name
    assert r.text[r.map_start(start):r.map_end(end)] == "[shed]"
    start, end = text.index("meet"), text.index("Shed") + 2  # ends inside the name
    assert r.text[r.map_start(start):r.map_end(end)] == "meet at [shed]"
    start = text.index("Fridays")
    assert r.text[r.map_start(start):r.map_end(len(text))] == "Fridays."
    assert r.map_end(text.index("Riverside")) == r.text.index("[shed]")  # ends right before the name


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), max_size=30), chosen=st.sets(st.integers(0, len(NAMES) - 1)),
       data=st.data())
def test_a_mapped_range_covers_the_pseudonymised_words(words: list[str], chosen: set[int], data) -> None:
    text = " ".join(words)
    p = Pseudonymiser([Term(NAMES[i], PSEUDONYMS[i]) for i in sorted(chosen)])
    r = p.replace(text)
    assert r.text == p.apply(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_start, new_end = r.map_start(start), r.map_end(end)
    assert 0 <= new_start <= len(r.text)
    assert new_start <= new_end or start == end
    # widen the original range to the edges of any term it cuts: that text, pseudonymised, is what the new range
    # holds (replacing it on its own could match differently only at its edges, so compare via the full text)
    lo, hi = start, end
    for s, e in r.original:
        if s < lo < e:
            lo = s
        if s < hi < e:
            hi = e
    if start < end:
        assert r.text[new_start:new_end] == r.text[r.map_start(lo):r.map_end(hi)]
        inside = [i for i, (s, e) in enumerate(r.original) if lo <= s and e <= hi]
        expected_len = (hi - lo) + sum((r.replaced[i][1] - r.replaced[i][0]) - (r.original[i][1] - r.original[i][0])
                                       for i in inside)
        assert new_end - new_start == expected_len
    assert p.found_terms(r.text) == []  # no pseudonym holds a term, so nothing registered is left
