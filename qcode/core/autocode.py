"""Autocoding: find keywords, a pattern or a speaker's turns in sources and turn each into a range of a unit.

Also the other ways a passage is widened before it is coded: to its sentence, paragraph or turn, and
(for a hand-made selection) to whole words. Pure functions over a text and its spans; no store access.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, pairwise

from qcode.core.errors import InvalidQueryError
from qcode.core.importers.structure import label_line_end
from qcode.core.model import Passage, Span

UNITS = ("hit", "sentence", "paragraph", "turn")
_TIME_AFTER_NAME = re.compile(r"\s*[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]")
WORD_JOINERS = "'’-"
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")


MODES = ("keywords", "text", "pattern", "speakers", "search")


@dataclass(frozen=True, slots=True)
class AutocodeRequest:
    """What to find and where, as every face asks for it (the autocode dialog, `qcode autocode`).

    `mode` says how `text` is read: "keywords" (words or phrases separated by commas or lines, matched as whole
    words), "text" (one exact piece of text), "pattern" (a regular expression), "search" (a project search
    query); "speakers" finds what the chosen `speakers` say. Each hit is widened to `unit`. `code_id` and
    `coder_id` say what a preview plans for (None: a new code, or the current coder).
    """

    mode: str
    text: str = ""
    speakers: tuple[str, ...] = ()
    case_sensitive: bool = False
    unit: str = "hit"
    source_ids: tuple[int, ...] | None = None
    code_id: int | None = None
    coder_id: int | None = None

    def keywords(self) -> list[str]:
        """The keywords of a "keywords" request, one per comma- or line-separated item."""
        return [w.strip() for w in self.text.replace("\n", ",").split(",") if w.strip()]

    def pattern(self) -> str:
        """The regular expression of a "text" (escaped) or "pattern" request."""
        return re.escape(self.text) if self.mode == "text" else self.text


@dataclass(frozen=True, slots=True)
class AutocodePreview:
    """What applying a request would code: the passages found, in source then text order, and how many of the
    passages found already have the code from that coder (left out)."""

    request: AutocodeRequest
    passages: list[Passage]
    already: int


def compile_pattern(
    *, pattern: str | None = None, keywords: Iterable[str] = (), case_sensitive: bool = False
) -> re.Pattern[str]:
    """A regular expression, or keywords matched as whole words — exactly one of the two; case is ignored
    unless `case_sensitive`."""
    flags = 0 if case_sensitive else re.IGNORECASE
    words = [w.strip() for w in keywords if w.strip()]
    if (pattern is None) == (not words):
        raise InvalidQueryError("Give either a pattern or keywords to autocode with.")
    if pattern is not None:
        try:
            return re.compile(pattern, flags | re.MULTILINE)
        except re.error as err:
            raise InvalidQueryError(f"The pattern '{pattern}' is not a valid regular expression: {err}.") from None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


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

    def overlapping(self, lo: int, hi: int) -> list[Span]:
        """The spans overlapping [lo, hi), in stored order."""
        if not self.sorted:
            return [s for s in self.spans if s.start < hi and s.end > lo]
        first = bisect_right(self.starts, lo) - 1
        while first > 0 and self.reach[first - 1] > lo:  # an earlier span still reaching into the range
            first -= 1
        return [s for s in self.spans[max(first, 0):bisect_left(self.starts, hi)] if s.start < hi and s.end > lo]

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
        words = label_line_end(text, lo, hi) if turn.value else None  # "[Sam] 11:02:09" on a line of its own
        if words is not None:
            return (words, hi) if words < hi else bounds
        if turn.value and text[lo:lo + len(turn.value)].casefold() == turn.value.casefold():  # "interviewer:" too
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


def widen(text: str, spans: list[Span], hits: Iterable[tuple[int, int]], unit: str) -> list[tuple[int, int]]:
    """Each hit [start, end) widened to its unit (hit, sentence, paragraph, turn), duplicates merged, sorted."""
    if unit not in UNITS:
        raise InvalidQueryError(f"The unit of autocoding is one of {', '.join(UNITS)}, not '{unit}'.")
    paragraphs = _Units([s for s in spans if s.kind == "paragraph"])
    turns = _Units([s for s in spans if s.kind == "turn"])
    found: set[tuple[int, int]] = set()
    for start, end in hits:
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


def find_ranges(text: str, spans: list[Span], regex: re.Pattern[str], unit: str) -> list[tuple[int, int]]:
    """The ranges to code in one text: each hit widened to its unit, duplicates merged."""
    return widen(text, spans, ((m.start(), m.end()) for m in regex.finditer(text)), unit)


def speaker_ranges(text: str, spans: list[Span], speakers: Iterable[str], unit: str) -> list[tuple[int, int]]:
    """What a speaker said: their turns (without the "Name:" label), or the paragraphs or sentences in them.

    Speakers are matched by name, ignoring case. The units "hit" and "turn" both give whole turns.
    """
    if unit not in UNITS:
        raise InvalidQueryError(f"The unit of autocoding is one of {', '.join(UNITS)}, not '{unit}'.")
    wanted = {name.strip().casefold() for name in speakers if name.strip()}
    if not wanted:
        raise InvalidQueryError("Choose at least one speaker to autocode.")
    turns = [s for s in spans if s.kind == "turn"]
    turn_units = _Units(turns)
    paragraphs = _Units([s for s in spans if s.kind == "paragraph"])
    found: set[tuple[int, int]] = set()
    for turn in turns:
        if not turn.value or turn.value.strip().casefold() not in wanted or turn.end <= turn.start:
            continue
        lo, hi = _without_label(text, turn_units, (turn.start, turn.end))
        if unit in ("hit", "turn"):
            found.add(_trimmed(text, lo, hi))
            continue
        pieces = [(max(lo, p.start), min(hi, p.end)) for p in paragraphs.overlapping(lo, hi)] or [(lo, hi)]
        for p_lo, p_hi in pieces:
            if unit == "paragraph":
                found.add(_trimmed(text, p_lo, p_hi))
                continue
            position = p_lo
            while position < p_hi:
                while position < p_hi and text[position].isspace():
                    position += 1
                if position >= p_hi:
                    break
                follow = _SENTENCE_END.search(text, position, p_hi)
                sentence_end = follow.end() if follow else p_hi
                found.add((position, sentence_end))
                position = sentence_end
    return sorted(r for r in found if r[1] > r[0])


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without white space at either end (unchanged when it is all white space)."""
    lo, hi = start, end
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return (lo, hi) if hi > lo else (start, end)


def _in_word(text: str, index: int) -> bool:
    """True when text[index] belongs to a word: a letter or digit, or an apostrophe or hyphen inside one."""
    if not 0 <= index < len(text):
        return False
    ch = text[index]
    if ch.isalnum() or ch == "_":
        return True
    return (ch in WORD_JOINERS and 0 < index < len(text) - 1
            and text[index - 1].isalnum() and text[index + 1].isalnum())


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A selection widened to whole words: white space at its ends dropped, cut words completed.

    A selection of white space alone is returned unchanged.
    """
    start, end = max(0, start), min(len(text), end)
    lo, hi = _trimmed(text, start, end)
    if not text[lo:hi].strip():
        return start, end
    while lo > 0 and _in_word(text, lo - 1) and _in_word(text, lo):
        lo -= 1
    while hi < len(text) and _in_word(text, hi - 1) and _in_word(text, hi):
        hi += 1
    return lo, hi
