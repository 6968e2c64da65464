"""Autocoding: find keywords or a pattern in sources and turn each hit into a range of the chosen unit."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import accumulate, pairwise

from qcode.core.errors import InvalidQueryError
from qcode.core.model import Span

UNITS = ("hit", "sentence", "paragraph", "turn")
_TIME_AFTER_NAME = re.compile(r"\s*[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


def compile_pattern(*, pattern: str | None = None, keywords: Iterable[str] = ()) -> re.Pattern[str]:
    """A regular expression, or keywords matched as whole words (case-insensitive) — exactly one of the two."""
    words = [w.strip() for w in keywords if w.strip()]
    if (pattern is None) == (not words):
        raise InvalidQueryError("Give either a pattern or keywords to autocode with.")
    if pattern is not None:
        try:
            return re.compile(pattern, re.IGNORECASE | re.MULTILINE)
        except re.error as err:
            raise InvalidQueryError(f"The pattern '{pattern}' is not a valid regular expression: {err}.") from None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class _Units:
    """Spans of one kind in stored order, searchable by position in logarithmic time.

    Sources with thousands of paragraphs (a survey question with 10,000 answers) would otherwise make
    autocoding quadratic.
    """

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.starts = [s.start for s in spans]
        self.sorted = all(a <= b for a, b in pairwise(self.starts))
        self.reach = list(accumulate((max(s.end, s.start + 1) for s in spans), max))
        self.by_start: dict[int, list[Span]] = {}
        for span in spans:
            self.by_start.setdefault(span.start, []).append(span)

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        """The first span (in stored order) holding `start`, widened to reach `end`."""
        if not self.sorted:
            return _containing(self.spans, start, end)
        found = None
        index = bisect_right(self.starts, start) - 1
        while index >= 0 and self.reach[index] > start:  # every earlier span ends before `start`
            span = self.spans[index]
            if span.start <= start < max(span.end, span.start + 1):
                found = span
            index -= 1
        return None if found is None else (found.start, max(found.end, end))


def _containing(spans: list[Span], start: int, end: int) -> tuple[int, int] | None:
    for span in spans:
        if span.start <= start < max(span.end, span.start + 1):
            return span.start, max(span.end, end)
    return None


def _without_label(text: str, turns: _Units, bounds: tuple[int, int]) -> tuple[int, int]:
    """Bounds that start after the speaker label ("Marcus: ") when a turn begins there."""
    lo, hi = bounds
    for turn in turns.by_start.get(lo, ()):
        if turn.value and text.startswith(turn.value, lo):
            after = lo + len(turn.value)
            timed = _TIME_AFTER_NAME.match(text, after, hi)  # "Sam (00:01:23): ..."
            if timed:
                after = timed.end()
            if text.startswith((":", "："), after):
                after += 1
                while after < hi and text[after] in " \t":
                    after += 1
                return (after, hi) if after < hi else bounds
    return bounds


def sentence_around(text: str, start: int, end: int, bounds: tuple[int, int]) -> tuple[int, int]:
    """The sentence(s) holding [start, end), kept inside the paragraph `bounds`."""
    lo, hi = bounds
    sentence_start = lo
    for match in _SENTENCE_END.finditer(text, lo, start):
        sentence_start = match.end()
    while sentence_start < start and text[sentence_start].isspace():
        sentence_start += 1
    follow = _SENTENCE_END.search(text, end, hi)
    sentence_end = follow.end() if follow else hi
    return sentence_start, max(sentence_end, end)


def find_ranges(text: str, spans: list[Span], regex: re.Pattern[str], unit: str) -> list[tuple[int, int]]:
    """The ranges to code in one text: each hit widened to its unit, duplicates merged."""
    if unit not in UNITS:
        raise InvalidQueryError(f"The unit of autocoding is one of {', '.join(UNITS)}, not '{unit}'.")
    paragraphs = _Units([s for s in spans if s.kind == "paragraph"])
    turns = _Units([s for s in spans if s.kind == "turn"])
    found: set[tuple[int, int]] = set()
    for match in regex.finditer(text):
        start, end = match.start(), match.end()
        if end <= start:
            continue
        if unit == "hit":
            found.add((start, end))
            continue
        if unit == "turn":
            bounds = turns.containing(start, end)
            if bounds is None:  # not in a turn: fall back to the paragraph
                bounds = paragraphs.containing(start, end)
        else:
            bounds = paragraphs.containing(start, end)
        bounds = _without_label(text, turns, bounds or (0, len(text)))
        if unit == "sentence":
            found.add(sentence_around(text, start, end, bounds))
        else:
            found.add(bounds)
    return sorted(found)
