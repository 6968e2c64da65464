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
_BREAK = re.compile(r"[\W_]")  # a character between words
_PIECE = 1 << 20  # characters read at a time, so that a 50 MB text never becomes a list of millions of words


def words_of(text: str) -> list[str]:
    """The case-folded words of a text, in order."""
    return [w.casefold() for w in WORD.findall(text)]


def word_counts(text: str) -> Counter[str]:
    r"""Each case-folded word of a text with its number of occurrences: `Counter(words_of(text))`, counted faster.

    The text is read a megabyte at a time (each piece ending between two words) and cut at white space (in C);
    a piece of it made of letters and digits only is one word, any other is cut into words by `WORD`, once per
    distinct piece; each distinct spelling is folded once. (White space is never a letter or digit, and
    `[^\W_]` matches exactly the characters for which `str.isalnum()` holds, so the words are `WORD`'s.)
    """
    found: dict[str, int] = {}
    start = 0
    while start < len(text):
        end = start + _PIECE
        if end < len(text):
            between = _BREAK.search(text, end)
            end = between.start() if between else len(text)
        pieces = Counter(text[start:end].split())
        for piece in [p for p in pieces if not p.isalnum()]:  # "club." or "men's": cut into words
            count = pieces.pop(piece)
            for word in WORD.findall(piece):
                pieces[word] += count
        if found:
            for word, count in pieces.items():
                found[word] = found.get(word, 0) + count
        else:
            found = dict(pieces)
        start = end
    folded = [word.casefold() for word in found]
    moved = [(key, found.pop(word)) for word, key in zip(list(found), folded, strict=True) if key != word]
    for key, count in moved:
        found[key] = found.get(key, 0) + count
    return Counter(found)
