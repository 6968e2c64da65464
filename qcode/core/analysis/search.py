"""Full-text search: FTS5 finds the sources, then the hits of one page are located in their text.

Query language, kept deliberately small: words are ANDed; "a phrase" matches words in sequence; a
trailing * makes a prefix (`help*`); every other character is taken literally, so `help-seeking` finds
the words help and seeking in sequence, and AND/OR/NOT/NEAR are ordinary words. Matching ignores case
and diacritics, as the index does (`unicode61 remove_diacritics 2`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from qcode.core.errors import InvalidQueryError
from qcode.core.model import Filter, SearchHit
from qcode.core.store import queries
from qcode.core.store import sources as source_store

_TOKEN = re.compile(r"[^\W_]+")
CONTEXT_CHARS = 60


@dataclass(frozen=True, slots=True)
class Term:
    """One search term: its words (a phrase has several) and whether the last is a prefix ('help*')."""

    tokens: tuple[str, ...]
    prefix: bool


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Lower case without diacritics, the way the index folds text."""
    decomposed = unicodedata.normalize("NFD", ch)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (stripped or ch).casefold()


def fold(text: str) -> tuple[str, list[int] | None]:
    """The folded text, and for each of its characters the offset in `text` (None: offsets are equal)."""
    if text.isascii():
        return text.lower(), None
    table = {}
    same_length = True
    for ch in set(text):
        folded = fold_char(ch)
        table[ord(ch)] = folded
        if len(folded) != 1:
            same_length = False
    if same_length:
        return text.translate(table), None
    pieces: list[str] = []
    offsets: list[int] = []
    for index, ch in enumerate(text):
        folded = table[ord(ch)]
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(pieces), offsets


def parse_query(query: str) -> list[Term]:
    """Split a query into terms: quoted phrases and bare words (each possibly a prefix)."""
    terms: list[Term] = []
    for match in re.finditer(r'"([^"]*)"?|(\S+)', query):
        phrase, word = match.group(1), match.group(2)
        raw = phrase if phrase is not None else word
        prefix = raw.rstrip().endswith("*")
        tokens = tuple(fold(t)[0] for t in _TOKEN.findall(raw))
        if tokens:
            terms.append(Term(tokens, prefix))
    if not terms:
        raise InvalidQueryError("The search has no words to look for. Type one or more words.")
    return terms


def fts_query(terms: list[Term]) -> str:
    """The FTS5 MATCH expression: every term quoted, so no character has a special meaning."""
    parts = []
    for term in terms:
        quoted = '"' + " ".join(term.tokens).replace('"', '""') + '"'
        parts.append(quoted + (" *" if term.prefix else ""))
    return " AND ".join(parts)


def term_pattern(terms: list[Term]) -> re.Pattern[str]:
    """A regular expression that finds any of the terms in plain text as the full-text index matches them (whole words,
    punctuation between a phrase's words, prefixes)."""
    alternatives = []
    for term in terms:
        body = r"[\W_]+".join(re.escape(t) for t in term.tokens)
        tail = r"[^\W_]*" if term.prefix else r"(?![^\W_])"
        alternatives.append(r"(?<![^\W_])" + body + tail)
    return re.compile("|".join(alternatives))


def context_around(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> str:
    """The text around a hit on one line, up to `width` characters either side, with an ellipsis where it is cut."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


def merged(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, non-overlapping ranges as parallel lists of starts and ends (for bisecting)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(ranges):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def overlaps(allowed: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """True when [start, end) shares a character with one of the merged ranges."""
    starts, ends = allowed
    index = bisect_left(starts, end) - 1  # the last range starting before `end`
    return index >= 0 and ends[index] > start


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 100,
    offset: int = 0,
    source_ids: tuple[int, ...] = (),
    flt: Filter | None = None,
) -> list[SearchHit]:
    """Hits in rank order of their sources, then text order; offsets are computed for this page only.

    A filter confines the hits: see `queries.search_scope`.
    """
    terms = parse_query(query)
    pattern = term_pattern(terms)
    scope = None if flt is None or flt.is_empty() else queries.search_scope(conn, flt)
    if scope is not None:
        source_ids = tuple(i for i in scope if not source_ids or i in source_ids)
        if not source_ids:
            return []
    matched = queries.fts_sources(conn, fts_query(terms), source_ids)
    names = queries.source_names(conn) if matched else {}
    hits: list[SearchHit] = []
    skipped = 0
    for source_id in matched:
        ranges = None if scope is None else scope[source_id]
        allowed = None if ranges is None else merged(ranges)
        text = source_store.source_text(conn, source_id) or ""
        folded, offsets = fold(text)
        for match in pattern.finditer(folded):
            start, end = match.start(), match.end()
            if offsets is not None:
                start = offsets[start]
                end = offsets[end - 1] + 1
            if allowed is not None and not overlaps(allowed, start, end):
                continue
            if skipped < offset:
                skipped += 1
                continue
            hits.append(SearchHit(source_id, names[source_id], start, end, context_around(text, start, end)))
            if len(hits) >= limit:
                return hits
    return hits
