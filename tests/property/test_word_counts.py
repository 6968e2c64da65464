"""Word counts equal a recount occurrence by occurrence, whatever the case, script or punctuation of the text
(the count folds case once per distinct word, so a word written in several cases must still count as one)."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.core.analysis.words import WORD
from qcode.core.model import Filter
from qcode.core.project import Project

# fictional fragments, with case pairs whose folding is not one-to-one (ß/SS, İ, Σ/ς/σ, ﬁ)
PIECES = ["Mates", "mates", "MATES", "straße", "STRASSE", "Strasse", "İstanbul", "istanbul", "ΣΟΦΙΑ", "σοφια",
          "ﬁne", "fine", "help-seeking", "men's", "2nd", "café", "CAFÉ", "😀", "_", " ", "\n\n", ", ", "don't"]
texts = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=25).map("".join), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sources=texts, min_length=st.integers(1, 5))
def test_word_counts_equal_a_recount_of_every_occurrence(tmp_path_factory, sources, min_length):
    path = tmp_path_factory.mktemp("words") / "words.qcode"
    with Project.create(path) as project:
        for number, text in enumerate(sources):
            project.add_source(f"Source {number}", text)
        found = project.word_frequencies(Filter(), min_length=min_length, use_builtin_stop_words=False, limit=None)
    counts: Counter[str] = Counter()
    holding: dict[str, set[int]] = {}
    for number, text in enumerate(sources):
        for word in WORD.findall(text):
            folded = word.casefold()
            if len(folded) >= min_length:
                counts[folded] += 1
                holding.setdefault(folded, set()).add(number)
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert [(w.word, w.count, w.sources) for w in found] == [(w, n, len(holding[w])) for w, n in expected]
