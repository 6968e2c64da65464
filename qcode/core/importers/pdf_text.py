"""Text of a PDF beyond pdfminer's plain lines: right-to-left lines, form fields, fonts without a character map.

- Right-to-left text (Arabic, Hebrew, Persian ...). Most PDF producers place the glyphs of a line left to
  right as they appear on the page (visual order), so pdfminer reads "مرحبا" as "ابحرم". A line whose
  right-to-left letters follow each other from left to right on the page is put back into logical order
  with the Unicode bidirectional algorithm (python-bidi), taking the line's direction from the majority of
  its letters. Lines a producer wrote in logical order (right-to-left letters placed right to left) are
  left as they are. Arabic presentation forms (the shaped glyphs some producers map to) become the plain
  letters a researcher types when searching.
- Form fields. The values typed into a PDF form (AcroForm fields, such as a consent or intake form) are not
  part of the page's text; they are read from the page's widget annotations as "Field name: value".
- Fonts without a Unicode map. When glyphs are drawn but none of them maps to a character (fonts without a
  ToUnicode table and with private encodings), pdfminer yields "(cid:12)" or nothing; such a PDF is told
  apart from a scan, which draws no glyphs at all. Where only a few glyphs have no map, each shows as one
  replacement character (the importer says how many).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

_RTL_CLASSES = ("R", "AL")
# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms (the right-to-left scripts
# of the Basic Multilingual Plane); a line without any of them is returned at once
_RTL_SCRIPTS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
_PRESENTATION = re.compile(r"[\ufb1d-\ufdff\ufe70-\ufefe]+")
CID = re.compile(r"\(cid:\d+\)")
MAX_FIELD_DEPTH = 20


def is_rtl(char: str) -> bool:
    """Whether a character is written right to left (Unicode bidirectional class R or AL)."""
    return unicodedata.bidirectional(char) in _RTL_CLASSES


def _visual(chars: list[Any]) -> bool:
    """Whether the right-to-left glyphs of a line follow each other left to right on the page."""
    xs = [c.x0 for c in chars if is_rtl(c.get_text()[:1] or " ")]
    rising = sum(1 for a, b in itertools.pairwise(xs) if b > a)
    falling = sum(1 for a, b in itertools.pairwise(xs) if b < a)
    return rising > falling


def logical_line(text: str, chars: list[Any]) -> str:
    """A line of text as pdfminer read it, in logical order when its right-to-left part was in visual order."""
    if not _RTL_SCRIPTS.search(text):  # most lines: nothing to reorder
        return text
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    rtl = sum(1 for c in text if is_rtl(c))
    if not rtl or not _visual(chars):
        return text
    from bidi import get_display

    ltr = sum(1 for c in text if unicodedata.bidirectional(c) == "L")
    stripped = text.rstrip("\n")
    ordered: str = get_display(stripped, base_dir="R" if rtl >= ltr else "L")
    return ordered + text[len(stripped):]


def line_chars(line: Any) -> list[Any]:
    """The glyphs (LTChar) of a pdfminer text line."""
    from pdfminer.layout import LTChar

    return [item for item in line if isinstance(item, LTChar)]


# --- glyphs without characters ------------------------------------------------------------------------------


def count_glyphs(layout: Any) -> tuple[int, int]:
    """(glyphs drawn, glyphs that map to no character) on a page, looking inside figures and boxes."""
    from pdfminer.layout import LTChar, LTContainer

    drawn = unmapped = 0
    stack = [layout]
    while stack:
        node = stack.pop()
        for item in node:
            if isinstance(item, LTChar):
                drawn += 1
                text = item.get_text()
                if not text.strip() or CID.fullmatch(text) or text == "\ufffd" or unicodedata.category(text[0]) == "Cc":
                    unmapped += 1
            elif isinstance(item, LTContainer):
                stack.append(item)
    return drawn, unmapped


# --- form fields ----------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _field(annotation: dict[str, Any]) -> tuple[str, str, int] | None:
    """(full field name, value, id of the field) for a widget annotation, walking up its parents."""
    from pdfminer.pdftypes import resolve1

    names: list[str] = []
    value = None
    node = annotation
    ident = id(annotation)
    for _ in range(MAX_FIELD_DEPTH):
        if not isinstance(node, dict):
            break
        if "T" in node:
            names.append(_text(resolve1(node["T"])))
            if value is None or ident == id(annotation):
                ident = id(node)
        if value is None and "V" in node:
            value = resolve1(node["V"])
        node = resolve1(node.get("Parent"))
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    text = ", ".join(t for t in (_text(resolve1(v)).strip() for v in values) if t)
    if not text or text == "Off":  # an unticked box
        return None
    name = ".".join(reversed([n for n in names if n])) or "Field"
    return name, text, ident


def form_fields(annotations: Iterable[Any] | None) -> list[str]:
    """The filled-in fields of a page's widget annotations, as "Field name: value" lines, in page order."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import LIT

    found: list[tuple[float, float, str]] = []
    seen: set[int] = set()
    for reference in resolve1(annotations) or []:
        annotation = resolve1(reference)
        if not isinstance(annotation, dict) or resolve1(annotation.get("Subtype")) is not LIT("Widget"):
            continue
        field = _field(annotation)
        if field is None or field[2] in seen:
            continue
        seen.add(field[2])
        rect = resolve1(annotation.get("Rect")) or [0, 0, 0, 0]
        try:
            x, y = float(resolve1(rect[0])), float(resolve1(rect[3]))
        except (TypeError, ValueError, IndexError):
            x = y = 0.0
        found.append((-y, x, " ".join(f"{field[0]}: {field[1]}".split())))
    return [line for _, _, line in sorted(found)]
