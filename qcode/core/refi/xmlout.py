"""A small streaming XML writer: exports of 200,000 codings are written element by element, never held whole."""

from __future__ import annotations

import re
from typing import TextIO

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and U+FFFE/U+FFFF
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;",
                       "\t": "&#9;"})


def xml_safe(text: str) -> str:
    """Text without the characters XML cannot hold."""
    return _FORBIDDEN.sub("", text)


def escape_text(text: str) -> str:
    """Text ready to write as an element's content: characters XML cannot hold dropped, markup characters escaped (a
    carriage return as a reference, so it survives parsing)."""
    return xml_safe(text).translate(_TEXT)


def escape_attr(text: str) -> str:
    """Text ready to write as an attribute value: as `escape_text`, with quotes and tab, newline and carriage return as
    references (a parser would turn them into spaces)."""
    return xml_safe(text).translate(_ATTR)


_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x1f\ud800-\udfff\ufffe\uffff]')


def attr_value(value: object) -> str:
    """An attribute value ready to write: numbers and identifiers (most values) pass through untouched."""
    text = str(value)
    return escape_attr(text) if _NEEDS_ESCAPE.search(text) else text


class XmlWriter:
    """Writes indented elements to a text stream; attributes whose value is None are left out."""

    def __init__(self, stream: TextIO) -> None:
        self._out = stream
        self._depth = 0
        stream.write('<?xml version="1.0" encoding="utf-8"?>\n')

    def _open_tag(self, tag: str, attrs: dict[str, object | None]) -> str:
        parts = [tag]
        parts += [f'{key}="{attr_value(value)}"' for key, value in attrs.items() if value is not None]
        return "<" + " ".join(parts)

    def start(self, tag: str, **attrs: object | None) -> None:
        """Open an element (indented to its depth) with the attributes that are not None."""
        self._out.write("  " * self._depth + self._open_tag(tag, attrs) + ">\n")
        self._depth += 1

    def end(self, tag: str) -> None:
        """Close the element opened last."""
        self._depth -= 1
        self._out.write("  " * self._depth + f"</{tag}>\n")

    def empty(self, tag: str, **attrs: object | None) -> None:
        """Write an element without content, with the attributes that are not None."""
        self._out.write("  " * self._depth + self._open_tag(tag, attrs) + "/>\n")

    @property
    def depth(self) -> int:
        """How many elements are open (the indentation of the next line, in steps of two spaces)."""
        return self._depth

    def raw(self, text: str) -> None:
        """Already escaped and indented lines (the writer's fast path for thousands of selections)."""
        self._out.write(text)

    def text(self, tag: str, text: str, **attrs: object | None) -> None:
        """An element holding only text (its text is written as is: no indentation inside)."""
        self._out.write("  " * self._depth + self._open_tag(tag, attrs) + ">" + escape_text(text) + f"</{tag}>\n")
