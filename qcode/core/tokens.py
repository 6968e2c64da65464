"""The words of a text, as every word count of qcode sees them.

A word is a maximal run of letters and digits, case-folded: hyphens, apostrophes, underscores and every other
character separate words. Each word is folded on its own (folding a whole text first would split words such
as "İstanbul", whose folded "i̇" carries a combining mark), so the stored counts of a source and a count made
while reading agree exactly.
"""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    """The case-folded words of a text, in order."""
    return [w.casefold() for w in WORD.findall(text)]


def word_counts(text: str) -> Counter[str]:
    """Each case-folded word of a text with its number of occurrences: `Counter(words_of(text))`, counted as
    written (in C) and folded once per distinct spelling."""
    folded: Counter[str] = Counter()
    for word, count in Counter(WORD.findall(text)).items():
        folded[word.casefold()] += count
    return folded
