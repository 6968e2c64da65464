"""One order for groups everywhere: an attribute's values in the attribute's own order (its choices as declared,
numbers numerically, dates chronologically, text alphabetically), and cases, sources and coders by name."""

from __future__ import annotations

from collections.abc import Callable

from qcode.core.model import Attribute


def name_key(text: str) -> tuple[str, str]:
    """Sort names alphabetically, ignoring case, ties broken by the exact text."""
    return (text.casefold(), text)


def value_key(attribute: Attribute) -> Callable[[object], tuple[int, int, float, str]]:
    """A sort key putting an attribute's values in the attribute's own order."""
    choices = {choice: index for index, choice in enumerate(attribute.choices)}

    def key(value: object) -> tuple[int, int, float, str]:
        if attribute.type == "choice" and value in choices:
            return (0, choices[str(value)], 0.0, "")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (1, 0, float(value), "")
        return (2, 0, 0.0, str(value).casefold())  # dates are ISO strings: text order is chronological

    return key
