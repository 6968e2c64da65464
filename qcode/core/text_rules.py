"""What a stored text and a stored name may hold, decided once for every way in (import, API, faces).

A source's text is counted in code points, by the store, by `qcode check` and by every offset. SQLite cuts
text at a NUL character and cannot store a lone surrogate (a file name that is not valid UTF-8 arrives in
Python as one), so both become U+FFFD, one for one, which keeps every offset into the text valid.

Names (of sources, folders, codes, cases, attributes) are labels that the listings print on a terminal:
they never hold control characters, which a terminal would obey (ESC starts a colour or cursor command,
BEL rings), nor the bidirectional controls that make a name display as something else.
"""

from __future__ import annotations

import re
from typing import TypeVar, cast

T = TypeVar("T")
REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# C0 and C1 controls, DEL, and the bidi marks, embeddings, overrides and isolates
_NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(text: str) -> str:
    """The text with what SQLite cannot hold (NUL, lone surrogates) replaced one for one by U+FFFD."""
    return _UNSTORABLE.sub(REPLACEMENT, text) if _UNSTORABLE.search(text) else text


def without_surrogates(text: str) -> str:
    """A string from the file system (where bytes that are not UTF-8 become lone surrogates), made storable."""
    if not _SURROGATE.search(text):
        return text
    try:  # bytes smuggled in by the file-system decoding: decode them again, marking what is not UTF-8
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return _SURROGATE.sub(REPLACEMENT, text)


def printable_name(name: str) -> str:
    """A name without control characters (tabs and line breaks become spaces) and storable as text."""
    name = without_surrogates(name)
    return _NAME_CONTROLS.sub(lambda m: " " if m.group(0) in "\t\n\r\x0b\x0c" else "", name)


def storable(value: T) -> T:
    """Strings anywhere in a JSON-like value (a source's metadata) made storable; the same shape back."""
    if isinstance(value, str):
        return cast(T, storable_text(value))
    if isinstance(value, dict):
        return cast(T, {storable(k): storable(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return cast(T, [storable(v) for v in value])
    return value
