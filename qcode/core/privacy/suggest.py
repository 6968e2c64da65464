"""Candidates for the name register: speakers, and capitalised words or word pairs that recur in the middle of
sentences across the project's sources, less common words that are capitalised anyway (days, months, "I")."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

#: speaker labels that name a role, not a person
ROLE_LABELS = frozenset({
    "interviewer", "interviewee", "i", "int", "iv", "r", "researcher", "moderator", "facilitator", "respondent",
    "participant", "speaker", "unknown", "q", "a", "all", "group", "several", "note", "notes",
})
#: words written with a capital in running English text that do not name anyone
COMMON_CAPITALISED = frozenset({
    "i", "i'm", "i've", "i'd", "i'll", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "christmas", "easter", "english", "ok", "okay", "tv", "god", "mr", "mrs", "ms", "dr",
    "yeah", "yes", "no", "well", "so", "and", "but", "the", "a", "an", "it", "that", "this", "we", "you", "he",
    "she", "they", "my", "our", "oh", "um", "uh", "er", "like", "because", "then", "when", "if", "what", "just",
    "interviewer", "participant", "speaker", "covid", "internet", "uk", "us", "nhs", "abstract", "notes",
    "keywords", "introduction", "methods", "results", "discussion", "conclusion", "references", "title",
})
_ROLE_NUMBER = re.compile(r"^(p|participant|respondent|speaker|r|i)\s*\d+$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_END = re.compile(r"[.!?…:;\"“”()\[\]]\s*$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate term: why it is suggested, how often it occurs and in how many sources."""

    term: str
    reason: str  # "speaker" or "capitalised"
    occurrences: int
    sources: int
    #: a few words around its first occurrence mid-sentence (empty for a speaker never named in the text)
    example: str = ""


def _is_role(label: str) -> bool:
    return label.casefold() in ROLE_LABELS or bool(_ROLE_NUMBER.match(label.strip()))


def example_around(text: str, start: int, end: int, *, width: int = 40) -> str:
    """The words around `text[start:end]` on one line, cut at word edges, with an ellipsis where cut."""
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    if start - width > 0 and " " in left:
        left = "…" + left[left.index(" ") + 1:]
    if end + width < len(text) and " " in right:
        right = right[:right.rindex(" ")] + "…"
    return " ".join((left + text[start:end] + right).split())


#: a word that may start with a capital (any letter but a-z: checked with `isupper` after), and the next such
#: word after a single space (looked at, not taken, so that it is found as a word of its own too); a regular
#: expression of every capital letter of Unicode would be many times slower to search
_MAYBE_CAPITALISED = re.compile(r"(?<![\w'’-])[^\W\d_a-z][\w'’-]*(?=( [^\W\d_a-z][\w'’-]*)?)")


def _capitalised_runs(text: str) -> Iterable[tuple[str, bool, int, int]]:
    """Capitalised words and pairs of them, each with whether it stands in the middle of a sentence (where a
    capital marks a name; at the start of a sentence or paragraph it says nothing) and where it lies."""
    for match in _MAYBE_CAPITALISED.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or (word.isupper() and len(word) > 1):
            continue
        start = match.start()
        before = text[max(0, start - 3):start]
        starts = start == 0 or bool(_SENTENCE_END.search(before)) or (
            not before.strip() and "\n" in text[max(0, start - 2):start])
        yield word.rstrip("'’").removesuffix("'s").removesuffix("’s"), not starts, start, match.end()
        following = match.group(1)
        if following and following[1].isupper() and not following[1:].isupper():
            second = following[1:].removesuffix("'s").removesuffix("’s")
            yield f"{word} {second}", not starts, start, match.end(1)


def suggest(texts: Iterable[tuple[int, str]], speakers: Iterable[str], registered: Iterable[str], *,
            min_occurrences: int = 2, limit: int = 100) -> list[Suggestion]:
    """Candidates from (source id, text) pairs and speaker labels, not yet in `registered`: speakers first,
    then capitalised words and pairs seen capitalised mid-sentence at least once, by how often they occur (at
    least `min_occurrences` times, or in two sources)."""
    known = {t.casefold() for t in registered}
    counts: Counter[str] = Counter()
    in_sources: defaultdict[str, set[int]] = defaultdict(set)
    all_words: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    mid_sentence: set[str] = set()
    examples: dict[str, str] = {}
    for source_id, text in texts:
        for run, in_middle, start, end in _capitalised_runs(text):
            key = run.casefold()
            counts[key] += 1
            in_sources[key].add(source_id)
            spelled.setdefault(key, run)
            if in_middle:
                mid_sentence.add(key)
                if key not in examples:
                    examples[key] = example_around(text, start, end)
        all_words.update(_WORD.findall(text))
    lower_counts = {word: n for word, n in all_words.items() if word.islower()}
    found: list[Suggestion] = []
    seen_speakers: set[str] = set()
    for label in speakers:
        key = label.strip().casefold()
        if key and key not in known and key not in seen_speakers and not _is_role(label):
            seen_speakers.add(key)
            found.append(Suggestion(label.strip(), "speaker", counts.get(key, 0), len(in_sources.get(key, ())),
                                    examples.get(key, "")))
    words = []
    for key, count in counts.items():
        if key in known or key in seen_speakers or key in COMMON_CAPITALISED or key not in mid_sentence:
            continue
        if len(key) < 2:  # a single letter (an initial, a list label) names nobody on its own
            continue
        if any(part in COMMON_CAPITALISED for part in key.split()):
            continue
        if lower_counts.get(key, 0) >= count:  # mostly an ordinary word, capitalised now and then
            continue
        if count >= min_occurrences or len(in_sources[key]) >= 2:
            words.append(Suggestion(spelled[key], "capitalised", count, len(in_sources[key]), examples[key]))
    words.sort(key=lambda s: (-s.sources, -s.occurrences, s.term.casefold()))
    return (found + words)[:limit]
