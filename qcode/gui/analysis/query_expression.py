"""The text of a coding query as the builder writes it: code terms, operators and grouping.

The core reads the text (`qcode.core.analysis.coding_query.parse`); these functions only write it, so that what
the builder shows is exactly what the core evaluates, and what the user types goes through the same parser.
"""

from __future__ import annotations

import re

#: the operators the builder offers: (operator word, its name in the picker, what it selects)
OPERATORS: tuple[tuple[str, str, str], ...] = (
    ("AND", "AND", "The text coded with both"),
    ("OR", "OR", "The text coded with either"),
    ("NOT", "NOT", "The text of the first without the text coded with the second"),
    ("NEAR", "NEAR", "The codings of the first within N characters of a coding of the second"),
    ("SAMEPARA", "same paragraph", "The codings of the first in a paragraph that also has the second"),
    ("SAMETURN", "same turn", "The codings of the first in a speaker turn that also has the second"),
)

WORDS = tuple(word for word, _, _ in OPERATORS)
_PLAIN_CODER = re.compile(r"[^\s()\"@]+")


def quoted(path: str) -> str:
    """A code path in double quotes, a quote or backslash in it escaped as the parser reads it."""
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def code_term(path: str, coder: str | None = None) -> str:
    """One code of the query, optionally limited to one coder's codings: `"Barriers"` or `"Barriers"@Sam`."""
    term = quoted(path)
    if coder is None:
        return term
    plain = _PLAIN_CODER.fullmatch(coder) and coder.upper() not in WORDS and not coder.upper().startswith("NEAR")
    return f'{term}@{coder}' if plain else f'{term}@"{coder}"'


def operator_word(operator: str, distance: int = 0) -> str:
    """The operator as written in a query: `AND`, `NEAR/50` ..."""
    if operator not in WORDS:
        raise ValueError(f"not a query operator: {operator}")
    return f"NEAR/{distance}" if operator == "NEAR" else operator


def combine(expression: str, operator: str, term: str, *, distance: int = 0) -> str:
    """The expression with one more term joined by an operator (the term alone when the expression is empty)."""
    expression = expression.strip()
    if not expression:
        return term
    return f"{expression} {operator_word(operator, distance)} {term}"


def grouped(expression: str) -> str:
    """The expression in parentheses, so that what follows applies to all of it."""
    expression = expression.strip()
    if not expression or (expression.startswith("(") and _closes_at_end(expression)):
        return expression
    return f"({expression})"


def _closes_at_end(expression: str) -> bool:
    """Whether the '(' at the start is closed by the ')' at the very end (quoted text ignored)."""
    depth = 0
    in_quote = escaped = False
    for index, char in enumerate(expression):
        if in_quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_quote = False
            continue
        if char == '"':
            in_quote = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index == len(expression) - 1
    return False
