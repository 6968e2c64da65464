"""How qcode's fields without a place in REFI-QDA travel in `<Description>` texts, and come back.

A code's definition, inclusion and exclusion criteria and example are folded into its description::

    <definition>

    Inclusion criteria:
    <inclusion>

    Exclusion criteria:
    <exclusion>

    Example:
    <example>

Empty fields are left out with their heading. A line of a field that reads exactly like a heading (or like a
heading after backslashes) gets one more backslash in front, which reading takes away, so any text comes back
as it was. A description from another program is the definition, unless it holds such headings.

An attribute's scope (cases or sources) and a choice attribute's choices go into its variable's description as
`Applies to: cases` and `Choices: ["a", "b"]` lines.
"""

from __future__ import annotations

import json
import re

HEADINGS = (("inclusion", "Inclusion criteria:"), ("exclusion", "Exclusion criteria:"), ("example", "Example:"))
_BY_HEADING = {heading: name for name, heading in HEADINGS}
_ESCAPED = re.compile(r"^(\\+)(Inclusion criteria:|Exclusion criteria:|Example:)$")
CODE_FIELDS = ("definition", "inclusion", "exclusion", "example")


def _escape(text: str) -> str:
    lines = text.split("\n")
    return "\n".join("\\" + line if line in _BY_HEADING or _ESCAPED.match(line) else line for line in lines)


def fold_code_fields(definition: str, inclusion: str, exclusion: str, example: str) -> str:
    """One description text holding the four fields (see the module's docstring)."""
    values = {"inclusion": inclusion, "exclusion": exclusion, "example": example}
    parts = [_escape(definition)] if definition else []
    parts += [f"{heading}\n{_escape(values[name])}" for name, heading in HEADINGS if values[name]]
    return "\n\n".join(parts)


def unfold_code_fields(description: str) -> dict[str, str]:
    """The four fields back from a description (all of it is the definition when it has no headings)."""
    fields: dict[str, list[str]] = {name: [] for name in CODE_FIELDS}
    current = "definition"
    seen: set[str] = set()
    for line in description.split("\n"):
        name = _BY_HEADING.get(line)
        if name is not None and name not in seen:
            if fields[current] and fields[current][-1] == "":
                fields[current].pop()  # the blank line that separates the sections
            current = name
            seen.add(name)
            continue
        escaped = _ESCAPED.match(line)
        fields[current].append(line[1:] if escaped else line)
    return {name: "\n".join(lines) for name, lines in fields.items()}


_SCOPE_LINE = re.compile(r"^Applies to: (cases|sources)$", re.MULTILINE)
_CHOICES_LINE = re.compile(r"^Choices: (\[.*\])$", re.MULTILINE)


def attribute_description(scope: str, choices: tuple[str, ...]) -> str:
    """The description qcode writes for a variable: the scope it applies to and, for a choice attribute, its choices
    (read back by `read_attribute_description`)."""
    lines = [f"Applies to: {'cases' if scope == 'case' else 'sources'}"]
    if choices:
        lines.append(f"Choices: {json.dumps(list(choices), ensure_ascii=False)}")
    return "\n".join(lines)


def read_attribute_description(description: str) -> tuple[str | None, tuple[str, ...] | None]:
    """(scope, choices) from a variable's description; None for what it does not say."""
    scope_match = _SCOPE_LINE.search(description)
    scope = None if scope_match is None else ("case" if scope_match.group(1) == "cases" else "source")
    choices = None
    found = _CHOICES_LINE.search(description)
    if found is not None:
        try:
            parsed = json.loads(found.group(1))
        except ValueError:
            parsed = None
        if isinstance(parsed, list) and all(isinstance(c, str) for c in parsed):
            choices = tuple(parsed)
    return scope, choices
