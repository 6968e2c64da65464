"""Word frequencies and keyword-in-context lines over the text of chosen codes, or of the sources in scope.

A word is a maximal run of letters and digits, case-folded: hyphens, apostrophes and every other character
separate words, so "help-seeking" is two words and "men's" gives "men" and "s" (which the stop list drops).
The text looked at is the union of the chosen codings' ranges per source, so text coded twice counts once;
with no code (and no coder or date condition) it is the sources in scope, or the parts of them that belong to
the cases a filter names.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import Counter
from collections.abc import Iterable
from itertools import groupby

from qcode.core.analysis import ranges as rng
from qcode.core.analysis.frequencies import source_paths
from qcode.core.analysis.locations import location_index
from qcode.core.model import Filter, KwicLine, WordCount, WordTally
from qcode.core.store import analysis_reads, queries, word_counts
from qcode.core.tokens import WORD, words_of

__all__ = ["STOP_WORDS", "WORD", "kwic", "most_frequent", "read_stop_words", "text_scope", "word_tally", "words_of"]

#: common English words that say little about a theme; a user list adds to them
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren as at be because been before being below
between both but by can cannot could couldn d did didn do does doesn doing don down during each even ever few
for from further get got had hadn has hasn have haven having he her here hers herself him himself his how i if
in into is isn it its itself just ll m me might more most much must mustn my myself no nor not now o of off
on once one only or other ought our ours ourselves out over own re s same shan she should shouldn so some
such t than that the their theirs them themselves then there these they this those through to too under
until up us ve very was wasn we were weren what when where which while who whom why will with won would
wouldn y yes you your yours yourself yourselves
""".split())  # noqa: SIM905 (a word list reads better as text)


def read_stop_words(text: str) -> set[str]:
    """Words from a stop-word file: separated by spaces, commas or new lines; '#' starts a comment."""
    words: set[str] = set()
    for line in text.splitlines():
        words.update(words_of(line.split("#", 1)[0]))
    return words


def text_scope(conn: sqlite3.Connection, flt: Filter) -> dict[int, rng.Ranges | None]:
    """source id -> the merged ranges whose text is looked at (None: the whole source)."""
    scope = queries.search_scope(conn, flt)
    return {source: None if ranges is None else rng.merge(ranges) for source, ranges in scope.items()}


def _texts(conn: sqlite3.Connection, scope: dict[int, rng.Ranges | None]) -> Iterable[tuple[int, int, str]]:
    """(source id, offset of the piece, text of the piece) for everything in scope."""
    for source_id in sorted(scope):
        ranges = scope[source_id]
        if ranges is None:
            yield source_id, 0, analysis_reads.source_text(conn, source_id)
            continue
        pieces = analysis_reads.slices(conn, [(source_id, s, e) for s, e in ranges])
        for (start, _), piece in zip(ranges, pieces, strict=True):
            yield source_id, start, piece


def word_tally(conn: sqlite3.Connection, flt: Filter, *, stored: bool = True) -> WordTally:
    """Count the words of the text a filter selects (see the module's docstring).

    Whole sources add up their stored word counts (`stored=False` counts their text instead, with the same
    result); passages, and a source whose counts are missing, are counted from their text.
    """
    scope = text_scope(conn, flt)
    counts: Counter[str] = Counter()
    in_sources: Counter[str] = Counter()
    if stored:
        whole = [source for source, ranges in scope.items() if ranges is None]
        summed, holding, missing = word_counts.sums(conn, whole)
        counts.update(summed)
        in_sources.update(holding)
        scope = {source: ranges for source, ranges in scope.items() if ranges is not None or source in missing}
    for _source_id, pieces in groupby(_texts(conn, scope), key=lambda piece: piece[0]):
        found: Counter[str] = Counter()
        for _, _, text in pieces:
            found.update(WORD.findall(text))  # counted as written (in C), folded once per distinct word below
        folded: Counter[str] = Counter()
        for word, count in found.items():
            folded[word.casefold()] += count
        counts.update(folded)
        in_sources.update(folded.keys())
    return WordTally(dict(counts), dict(in_sources))


def most_frequent(tally: WordTally, *, min_length: int = 1, stop_words: Iterable[str] = (),
                  use_builtin_stop_words: bool = True, limit: int | None = 100) -> list[WordCount]:
    """The most frequent words of a tally (most first, then alphabetically), stop words and words shorter than
    `min_length` left out, with the number of sources holding each."""
    stop = {w.casefold() for w in stop_words} | (STOP_WORDS if use_builtin_stop_words else set())
    kept = [(word, count) for word, count in tally.counts.items() if len(word) >= min_length and word not in stop]
    ordered = (sorted(kept, key=_most_first) if limit is None
               else heapq.nsmallest(limit, kept, key=_most_first))  # the first 100 of 100,000 words: no full sort
    return [WordCount(word, count, tally.sources[word]) for word, count in ordered]


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def kwic(conn: sqlite3.Connection, flt: Filter, word: str, *, width: int = 40,
         limit: int | None = None) -> list[KwicLine]:
    """Every occurrence of a word in scope (the first `limit` of them) with `width` characters of context on each
    side, in source and text order. The context comes from the whole source, runs of whitespace shown as one
    space."""
    target = word.casefold()
    names = source_paths(conn)
    lines: list[KwicLine] = []
    for source_id, offset, piece in _texts(conn, text_scope(conn, flt)):
        if target not in piece.casefold():  # folding keeps every occurrence a substring: most pieces end here
            continue
        hits = [m for m in WORD.finditer(piece) if m.group().casefold() == target]
        if not hits:
            continue
        text = analysis_reads.source_text(conn, source_id)
        index = location_index(conn, source_id)
        for hit in hits:
            if limit is not None and len(lines) >= limit:
                return lines
            start, end = offset + hit.start(), offset + hit.end()
            lines.append(KwicLine(source_id, names[source_id], start, index.describe(start),
                                  _squeeze(text[max(0, start - width):start], left=True), text[start:end],
                                  _squeeze(text[end:end + width], left=False)))
    return lines


def _squeeze(text: str, *, left: bool) -> str:
    """Whitespace runs as one space, keeping a space next to the word when there was one."""
    squeezed = " ".join(text.split())
    if left and text[-1:].isspace():
        squeezed += " "
    if not left and text[:1].isspace():
        squeezed = " " + squeezed
    return squeezed
