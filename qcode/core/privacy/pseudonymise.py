"""Replacing the terms of a name register in text, and mapping offsets from the original text to the result.

A term matches as a whole word (not inside a longer word), in any letter case, with any run of white space
between its words; a possessive keeps its ending ("Marcus's" -> "P07's"). Longer terms win over shorter ones
that they contain ("Riverside Shed" before "Riverside"). Offsets are code points, as everywhere in qcode:
`Replacement.map_start`/`map_end` carry a coding's boundaries into the replaced text, moving a boundary that
falls inside a replaced term to that term's edge, so the coding still covers the same words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """A register entry as the pseudonymiser uses it: what to find and what to write instead."""

    term: str
    pseudonym: str


@dataclass(frozen=True, slots=True)
class Replacement:
    """A text with its terms replaced, and where each replacement lies in the original and the new text."""

    text: str
    #: (start, end) in the original text of each replaced term, in order
    original: tuple[tuple[int, int], ...]
    #: (start, end) in the new text of each pseudonym, in the same order
    replaced: tuple[tuple[int, int], ...]

    def _term_at_or_before(self, position: int) -> int:
        """The index of the last replaced term that starts at or before `position` (-1: none)."""
        return bisect_right(self.original, position, key=lambda span: span[0]) - 1

    def _shifted(self, position: int, index: int) -> int:
        """`position` (at or after the end of term `index`) in the new text."""
        return position if index < 0 else position + self.replaced[index][1] - self.original[index][1]

    def map_start(self, position: int) -> int:
        """Where a range starting at `position` of the original starts in the new text; a start inside a
        replaced term moves to the start of its pseudonym."""
        index = self._term_at_or_before(position)
        if index >= 0 and position < self.original[index][1]:
            return self.replaced[index][0]
        return self._shifted(position, index)

    def map_end(self, position: int) -> int:
        """Where a range ending at `position` of the original ends in the new text; an end inside a replaced
        term moves to the end of its pseudonym."""
        index = self._term_at_or_before(position)
        if index >= 0 and position == self.original[index][0]:
            return self.replaced[index][0]
        if index >= 0 and position < self.original[index][1]:
            return self.replaced[index][1]
        return self._shifted(position, index)


class Pseudonymiser:
    """Applies a name register to texts: `apply(text)` for the text alone, `replace(text)` with offsets."""

    def __init__(self, terms: Iterable[Term]) -> None:
        chosen = {t.term.strip().casefold(): t for t in terms if t.term.strip()}
        self.pseudonyms = {key: t.pseudonym for key, t in chosen.items()}
        if not chosen:
            self.pattern: re.Pattern[str] | None = None
            return
        alternatives = [r"\s+".join(re.escape(word) for word in key.split())
                        for key in sorted(chosen, key=len, reverse=True)]
        self.pattern = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)

    def _pseudonym(self, found: str) -> str:
        return self.pseudonyms[" ".join(found.casefold().split())]

    def apply(self, text: str) -> str:
        """The text with every term replaced by its pseudonym."""
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(lambda m: self._pseudonym(m.group(0)), text)

    def replace(self, text: str) -> Replacement:
        """The text with every term replaced, and where each replacement lies (for mapping offsets)."""
        if self.pattern is None:
            return Replacement(text, (), ())
        parts: list[str] = []
        original: list[tuple[int, int]] = []
        replaced: list[tuple[int, int]] = []
        last = length = 0
        for match in self.pattern.finditer(text):
            parts.append(text[last:match.start()])
            length += match.start() - last
            pseudonym = self._pseudonym(match.group(0))
            original.append((match.start(), match.end()))
            replaced.append((length, length + len(pseudonym)))
            parts.append(pseudonym)
            length += len(pseudonym)
            last = match.end()
        parts.append(text[last:])
        return Replacement("".join(parts), tuple(original), tuple(replaced))

    def found_terms(self, text: str) -> list[str]:
        """The register terms (as registered, lower case) that occur in `text`, each once, in order of first
        occurrence: what a pseudonymised export must not contain."""
        if self.pattern is None:
            return []
        seen: dict[str, None] = {}
        for match in self.pattern.finditer(text):
            seen.setdefault(" ".join(match.group(0).casefold().split()), None)
        return list(seen)
