"""Coding queries: combine codes into passages with a small readable language.

    "Barriers"                      the passages coded Barriers (with its sub-codes)
    "Barriers"@Sam                  ... coded by the coder Sam ("Barriers"@"Coder A" for a name with spaces)
    "A" AND "B"                     the text coded both A and B (the intersection of their ranges)
    "A" OR "B"                      the text coded A or B (the union)
    "A" NOT "B"                     the parts of A not coded B
    "A" NEAR/50 "B"                 the codings of A within 50 characters of a coding of B
    "A" SAMEPARA "B"                the codings of A in a paragraph that also has B
    "A" SAMETURN "B"                the codings of A in a speaker turn that also has B
    ( ... )                         grouping

OR binds loosest; AND, NOT, NEAR/N, SAMEPARA and SAMETURN bind tighter and read left to right, so
`"A" OR "B" AND "C"` is `"A" OR ("B" AND "C")`. Operator words are case-insensitive. The parser turns the text
into a tree of `Code` and `Op` nodes, or raises `QuerySyntaxError` pointing at the position of the fault;
code and coder names are resolved by the caller (`resolve`), evaluation is per source on range lists.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from qcode.core.analysis import ranges as rng
from qcode.core.errors import QuerySyntaxError

BINARY = ("AND", "NOT", "NEAR", "SAMEPARA", "SAMETURN")
_TOKEN = re.compile(r'\s*(?:(?P<quoted>"(?:[^"\\]|\\.)*")|(?P<open>\()|(?P<close>\))|(?P<at>@)'
                    r"|(?P<word>[^\s()\"@]+))")


@dataclass(frozen=True)
class Code:
    """A code path in quotes, optionally with `@coder`; `position` is where it starts in the text (0-based)."""

    path: str
    coder: str | None
    position: int


@dataclass(frozen=True)
class Op:
    """A binary operator (AND, OR, NOT, NEAR, SAMEPARA, SAMETURN) with its operands; `distance` for NEAR."""

    name: str
    left: Code | Op
    right: Code | Op
    distance: int = 0


Node = Code | Op


@dataclass(frozen=True)
class _Token:
    kind: str  # quoted, open, close, at, word, end
    text: str
    position: int


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            if text[position:].strip() == "":
                break
            unclosed = text.find('"', position)
            raise QuerySyntaxError(text, unclosed if unclosed >= 0 else position, "a quote that is never closed")
        kind = match.lastgroup or "word"
        value = match.group(kind)
        found.append(_Token(kind, value, match.start(kind)))
        position = match.end()
    found.append(_Token("end", "", len(text)))
    return found


def parse(text: str) -> Node:
    """The tree of a query, or QuerySyntaxError naming the position (counted from 1) and what was expected."""
    if not text.strip():
        raise QuerySyntaxError(text, 0, 'an empty query; write code paths in double quotes, e.g. "A" AND "B"')
    tokens = _tokens(text)
    index = 0

    def peek() -> _Token:
        return tokens[index]

    def take() -> _Token:
        nonlocal index
        token = tokens[index]
        index += 1
        return token

    def operand() -> Node:
        token = take()
        if token.kind == "open":
            node = either()
            closing = take()
            if closing.kind != "close":
                raise QuerySyntaxError(text, closing.position, "expected ')' to close the '(' at "
                                       f"character {token.position + 1}")
            return node
        if token.kind == "quoted":
            path = token.text[1:-1].replace('\\"', '"').replace("\\\\", "\\").strip()
            if not path:
                raise QuerySyntaxError(text, token.position, "an empty code path")
            coder = None
            if peek().kind == "at":
                at = take()
                name = take()
                if name.kind == "quoted":
                    coder = name.text[1:-1].strip()
                elif name.kind == "word" and name.text.upper() not in (*BINARY, "OR") and not name.text.upper(
                ).startswith("NEAR/"):
                    coder = name.text
                else:
                    raise QuerySyntaxError(text, at.position, "expected a coder's name after '@'")
            return Code(path, coder, token.position)
        what = "the end of the query" if token.kind == "end" else f"'{token.text}'"
        raise QuerySyntaxError(text, token.position, f'expected a code path in double quotes or "(", found {what}')

    def operator(token: _Token) -> tuple[str, int] | None:
        if token.kind != "word":
            return None
        word = token.text.upper()
        if word in ("AND", "NOT", "SAMEPARA", "SAMETURN"):
            return word, 0
        if word.startswith("NEAR"):
            number = word[len("NEAR"):]
            if not number.startswith("/") or not number[1:].isdigit():
                raise QuerySyntaxError(text, token.position, "NEAR takes a number of characters, e.g. NEAR/50")
            return "NEAR", int(number[1:])
        return None

    def tighter() -> Node:
        node = operand()
        while True:
            found = operator(peek())
            if found is None:
                return node
            take()
            node = Op(found[0], node, operand(), found[1])

    def either() -> Node:
        node = tighter()
        while peek().kind == "word" and peek().text.upper() == "OR":
            take()
            node = Op("OR", node, tighter())
        return node

    tree = either()
    rest = peek()
    if rest.kind != "end":
        expected = "an operator (AND, OR, NOT, NEAR/N, SAMEPARA, SAMETURN)"
        if rest.kind == "close":
            expected = "no ')' here: it closes nothing"
        raise QuerySyntaxError(text, rest.position, f"expected {expected}, found '{rest.text}'")
    return tree


def codes_of(node: Node) -> list[Code]:
    """Every code reference of a tree, in the order written."""
    if isinstance(node, Code):
        return [node]
    return [*codes_of(node.left), *codes_of(node.right)]


#: source id -> ranges; for a code, its codings' ranges as they are; after AND, OR, NOT a merged list
Passages = dict[int, rng.Ranges]


def evaluate(node: Node, ranges_of: Callable[[Code], Passages],
             units_of: Callable[[str, list[int]], dict[int, list[tuple[int, int]]]]) -> Passages:
    """The passages a tree selects. `ranges_of` gives a code reference's codings per source; `units_of(kind,
    source ids)` the paragraphs or speaker turns of those sources."""
    if isinstance(node, Code):
        return ranges_of(node)
    left = evaluate(node.left, ranges_of, units_of)
    right = evaluate(node.right, ranges_of, units_of)
    result: Passages = {}
    if node.name == "OR":
        for source in set(left) | set(right):
            result[source] = rng.merge([*left.get(source, ()), *right.get(source, ())])
    elif node.name == "AND":
        for source in set(left) & set(right):
            result[source] = rng.intersect(rng.merge(left[source]), rng.merge(right[source]))
    elif node.name == "NOT":
        for source in left:
            result[source] = rng.subtract(rng.merge(left[source]), rng.merge(right.get(source, [])))
    elif node.name == "NEAR":
        for source in set(left) & set(right):
            others = rng.merge(right[source])
            result[source] = [r for r in left[source] if any(rng.gap(r, o) <= node.distance for o in others)]
    else:  # SAMEPARA, SAMETURN
        kind = "paragraph" if node.name == "SAMEPARA" else "turn"
        sources = sorted(set(left) & set(right))
        units = units_of(kind, sources)
        for source in sources:
            index = rng.UnitIndex(units.get(source, ()))
            with_right: set[int] = set()
            for start, end in right[source]:
                with_right |= index.touching(start, end)
            result[source] = [r for r in left[source] if index.touching(*r) & with_right]
    return {source: ranges for source, ranges in result.items() if ranges}


def merged(passages: Passages) -> list[tuple[int, int, int]]:
    """(source id, start, end) of every passage, merged per source, in source then text order."""
    return [(source, start, end) for source in sorted(passages) for start, end in rng.merge(passages[source])]


def group_codings(rows: list[tuple[int, int, int, int, int, int]]) -> Passages:
    """Ranges per source from (coding id, code id, source id, coder id, start, end) rows."""
    found: Passages = defaultdict(list)
    for _, _, source_id, _, start, end in rows:
        found[source_id].append((start, end))
    return {source: sorted(set(r)) for source, r in found.items()}
