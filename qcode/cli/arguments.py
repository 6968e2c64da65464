"""Checks of the command line's text before any command runs, and text made safe to print on a terminal.

A file name may be any bytes (Python hands the ones that are not UTF-8 over as lone surrogates, and qcode
opens such files as they are), but a name, a query or a memo given on the command line is text that the
project stores: when it is not valid UTF-8, the command is refused with one line instead of failing later.
"""

from __future__ import annotations

import argparse
import os
import re

from qcode.core.errors import InvalidRequestError

#: options and positionals that name files: their bytes are used as they are (so is any value naming a file
#: that exists, whatever its option)
PATH_ARGUMENTS = frozenset({"project", "paths", "survey", "out", "file", "backup", "target", "path", "handler"})
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls (tab and line feed aside), DEL, and the bidi marks, embeddings, overrides and isolates
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class NotUtf8Error(InvalidRequestError):
    """A text argument holds bytes that are not UTF-8 (exit status 2, like other usage errors)."""


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def check_text_arguments(args: argparse.Namespace) -> None:
    """Refuse a text argument that is not valid UTF-8, naming the option it was given to."""
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS:
            continue
        for text in _strings(value):
            if _SURROGATE.search(text) and not os.path.lexists(text):  # an existing file is named as it is
                shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
                    if all(0xDC80 <= ord(c) <= 0xDCFF for c in _SURROGATE.findall(text)) else "?"
                option = "--" + name.replace("_", "-") if name not in ("query", "name", "action") else name.upper()
                raise NotUtf8Error(
                    f"The text given for {option} ('{shown}') is not valid UTF-8. Set your terminal to UTF-8, "
                    "or type the text again."
                )


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """Text for a terminal: control characters shown as escapes (never obeyed), other bytes marked; with
    `one_line`, tabs and line feeds are escaped too (a field of a tab-separated line)."""
    if one_line:
        text = text.replace("\t", "\\x09").replace("\n", "\\x0a")
    if _SURROGATE.search(text):
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            text = _SURROGATE.sub("\ufffd", text)
    return _TERMINAL_CONTROLS.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100
                                  else f"\\u{ord(m.group(0)):04x}", text)
