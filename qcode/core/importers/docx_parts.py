"""The XML of a Word package, read safely: paragraphs with their text boxes, notes, comments and bold openings.

Every part qcode reads itself (the main document, footnotes, endnotes, comments, and the relationships that
name them) is first checked with defusedxml, which refuses document type declarations: Word never writes one,
and they are how entity expansion ("billion laughs") and external entities are smuggled in. Walking the XML
never recurses, however deeply a hostile file nests its elements. The walkers accept python-docx's lxml
elements and the standard library's elements alike.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from qcode.core.errors import UnreadableFileError
from qcode.core.importers.archives import ARCHIVE_DAMAGE, NoRootElement, probe_prolog

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAIN_PART = "word/document.xml"
_RELS_PART = "word/_rels/document.xml.rels"

P, R, T, ID, VAL = f"{W}p", f"{W}r", f"{W}t", f"{W}id", f"{W}val"
TEXT_BOX = f"{W}txbxContent"
ALTERNATE, BRANCHES = f"{MC}AlternateContent", (f"{MC}Choice", f"{MC}Fallback")
NOTE_REFERENCES = {f"{W}footnoteReference": "footnote", f"{W}endnoteReference": "endnote"}
COMMENT_MARKS = {f"{W}commentRangeStart": "start", f"{W}commentRangeEnd": "end", f"{W}commentReference": "ref"}
_LITERALS = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}br": "\n", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
# properties hold no text; deleted and moved-away text is left out (tracked changes read as accepted)
_SKIP = {f"{W}{n}" for n in (
    "pPr", "rPr", "sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "sdtEndPr", "del", "moveFrom", "rt",
    "delText", "instrText", "delInstrText",
)}
_FALSE = {"0", "false", "off"}
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
MAX_LABEL_WORDS = 4

Element = Any  # an lxml or xml.etree element: only .tag, .get, .find, .iter and iteration are used
Mark = tuple[int, str, str]  # (offset in the text, "start" | "end" | "ref", comment id)


@dataclass
class Paragraph:
    """One paragraph as read: its text, style id, comment marks, and a bold speaker label opening it."""

    text: str
    style: str | None = None
    marks: list[Mark] = field(default_factory=list)
    label: str | None = None


@dataclass
class Context:
    """What reading a paragraph needs from the rest of the document."""

    cite: Callable[[str, str], str | None] | None = None  # (note kind, note id) -> label, or None: no marker
    bold_styles: frozenset[str] = frozenset()  # style ids whose text is bold
    default_style: str | None = None
    speakers: bool = False  # look for bold speaker labels


# --- safe parts -------------------------------------------------------------------------------------------------


def _unsafe(filename: str, part: str, err: Exception) -> UnreadableFileError:
    if isinstance(err, DefusedXmlException):
        return UnreadableFileError(
            f"{filename} holds a document type declaration in {part} ({type(err).__name__}), which Word never "
            "writes and which can hide entity tricks; it is refused as unsafe. Save it again from Word and import "
            "the new file.")
    return UnreadableFileError(f"{filename} has damaged content in {part} ({err}); save it again from Word and "
                               "import the new file.")


def check_prolog(archive: zipfile.ZipFile, part: str, filename: str) -> None:
    """Refuse a part with a DOCTYPE, reading only up to its root element (the whole part is parsed later)."""
    problem = probe_prolog(archive, part)
    if problem is None:
        return
    if isinstance(problem, NoRootElement):
        raise UnreadableFileError(f"{filename} has an empty or damaged {part}; save it again from Word and import "
                                  "the new file.")
    raise _unsafe(filename, part, problem) from problem


def parse_part(data: bytes, part: str, filename: str) -> Element:
    """A part's XML parsed with defusedxml, document type declarations refused; raises UnreadableFileError (saying why)
    for an unsafe or damaged part."""
    try:
        return fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ParseError) as err:
        raise _unsafe(filename, part, err) from err


def _related_parts(archive: zipfile.ZipFile, names: set[str], filename: str) -> dict[str, str]:
    """Part names of the footnotes, endnotes and comments, as the main document's relationships give them."""
    found = {kind: f"word/{kind}.xml" for kind in ("footnotes", "endnotes", "comments")}
    if _RELS_PART not in names:
        return found
    rels = parse_part(archive.read(_RELS_PART), _RELS_PART, filename)
    for rel in rels.iter(_RELATIONSHIP):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target") or ""
        if kind in found and target and rel.get("TargetMode") != "External":
            found[kind] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"word/{target}")
    return found


def read_package(path: Path) -> dict[str, Element]:
    """The footnotes, endnotes and comments parts that exist (parsed), after checking the main document's prolog.

    Call after `check_zip` and before python-docx opens the file.
    """
    parts: dict[str, Element] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_prolog(archive, MAIN_PART, path.name)
            for kind, name in _related_parts(archive, names, path.name).items():
                if name in names:
                    parts[kind] = parse_part(archive.read(name), name, path.name)
    except ARCHIVE_DAMAGE as err:
        raise UnreadableFileError(f"{path.name} is damaged and cannot be unpacked ({err}).") from err
    return parts


# --- paragraphs ---------------------------------------------------------------------------------------------------


def _children(element: Element) -> Iterator[Element]:
    return (child for child in element if isinstance(child.tag, str))  # lxml comments have a function as tag


def _branch(alternate: Element) -> Element | None:
    """The one branch of an mc:AlternateContent to read: the first holding text (Choice and Fallback repeat it)."""
    for branch in _children(alternate):
        if branch.tag in BRANCHES and (next(branch.iter(T), None) is not None
                                       or next(branch.iter(TEXT_BOX), None) is not None):
            return branch
    return None


def _on(element: Element | None) -> bool | None:
    """A toggle property (w:b ...): True, False, or None when absent."""
    return None if element is None else (element.get(VAL) or "true").lower() not in _FALSE


def _run_bold(run: Element, paragraph_bold: bool, context: Context) -> bool:
    properties = run.find(f"{W}rPr")
    if properties is None:
        return paragraph_bold
    direct = _on(properties.find(f"{W}b"))
    if direct is not None:
        return direct
    style = properties.find(f"{W}rStyle")
    if style is not None and style.get(VAL) in context.bold_styles:
        return True
    return paragraph_bold


def bold_label(text: str, pieces: list[tuple[int, int, bool]]) -> str | None:
    """The speaker name a paragraph opens with in bold (1-4 words, maybe ending in ':'), before normal text."""
    label_end = 0
    for start, end, bold in pieces:
        if not text[start:end].strip():
            continue
        if not bold:
            break
        label_end = end
    else:
        return None  # no normal text follows
    label = text[:label_end].strip()
    if label.endswith(":"):
        label = label[:-1].rstrip()
    rest = text[label_end:].lstrip().removeprefix(":").strip()
    words = label.split()
    if (not rest or not 1 <= len(words) <= MAX_LABEL_WORDS or "\n" in label or len(label) > 80
            or not any(c.isalpha() for c in label)):
        return None
    return label


def read_paragraph(element: Element, context: Context) -> tuple[Paragraph, list[Element]]:
    """A w:p's text (insertions kept, deletions left out), and the text boxes it anchors, to read after it."""
    properties = element.find(f"{W}pPr")
    style_element = properties.find(f"{W}pStyle") if properties is not None else None
    style = style_element.get(VAL) if style_element is not None else None
    paragraph_bold = (style or context.default_style) in context.bold_styles
    pieces: list[str] = []
    bold_pieces: list[tuple[int, int, bool]] = []
    marks: list[Mark] = []
    boxes: list[Element] = []
    length = 0
    stack: list[tuple[Iterator[Element], bool]] = [(_children(element), paragraph_bold)]
    while stack:
        iterator, bold = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
            continue
        tag = node.tag
        piece = None
        if tag in _SKIP:
            continue
        if tag == T:
            piece = node.text or ""
        elif tag in _LITERALS:
            piece = _LITERALS[tag]
        elif tag in NOTE_REFERENCES:
            label = context.cite(NOTE_REFERENCES[tag], node.get(ID) or "") if context.cite else None
            if label:
                piece, bold = f"[{label}]", False
        elif tag in COMMENT_MARKS:
            marks.append((length, COMMENT_MARKS[tag], node.get(ID) or ""))
        elif tag == TEXT_BOX:
            boxes.append(node)
        elif tag == ALTERNATE:
            branch = _branch(node)
            if branch is not None:
                stack.append((_children(branch), bold))
        elif tag == R:
            stack.append((_children(node), _run_bold(node, paragraph_bold, context)))
        else:
            stack.append((_children(node), bold))
        if piece:
            pieces.append(piece)
            bold_pieces.append((length, length + len(piece), bold))
            length += len(piece)
    text = "".join(pieces)
    label = bold_label(text, bold_pieces) if context.speakers else None
    return Paragraph(text, style, marks, label), boxes


def iter_paragraphs(container: Element, context: Context) -> Iterator[Paragraph]:
    """Paragraphs of a body, cell, note or comment in reading order; a text box's right after its anchor.

    Comment marks standing between paragraphs come as empty paragraphs holding just the mark.
    """
    stack: list[Iterator[Element]] = [_children(container)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif node.tag == P:
            paragraph, boxes = read_paragraph(node, context)
            yield paragraph
            if boxes:
                stack.append(iter(boxes))
        elif node.tag in COMMENT_MARKS:
            yield Paragraph("", marks=[(0, COMMENT_MARKS[node.tag], node.get(ID) or "")])
        elif node.tag == ALTERNATE:
            branch = _branch(node)
            if branch is not None:
                stack.append(_children(branch))
        elif node.tag not in _SKIP:
            stack.append(_children(node))  # tables, rows, cells, content controls, text box contents


def plain_text(container: Element, context: Context | None = None) -> tuple[str, list[Mark]]:
    """The non-empty paragraphs inside a note or comment, stripped and joined by line breaks, with their marks."""
    lines: list[str] = []
    marks: list[Mark] = []
    position = 0
    for paragraph in iter_paragraphs(container, context or Context()):
        text = paragraph.text.strip()
        if not text:
            marks += [(position, kind, ident) for _, kind, ident in paragraph.marks]
            continue
        if lines:
            position += 1
        lead = len(paragraph.text) - len(paragraph.text.lstrip())
        marks += [(position + min(max(0, at - lead), len(text)), kind, ident) for at, kind, ident in paragraph.marks]
        lines.append(text)
        position += len(text)
    return "\n".join(lines), marks


# --- notes and comments -------------------------------------------------------------------------------------------


def number_label(number: int, fmt: str) -> str:
    """A note number as Word shows it in the given w:numFmt (decimal for formats not listed here)."""
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", number
        for value, letters in _ROMAN:
            while rest >= value:
                out, rest = out + letters, rest - value
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("lowerLetter", "upperLetter"):  # a ... z, aa ... zz, aaa ...
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "chicago":
        return "*†‡§"[(number - 1) % 4] * ((number - 1) // 4 + 1)
    return str(number)


def note_format(kind: str, section: Element | None, settings: Element | None) -> str:
    """The w:numFmt of footnotes or endnotes: the section's, else the settings', else Word's default."""
    for holder in (section, settings):
        if holder is None:
            continue
        fmt = holder.find(f"{W}{kind}Pr/{W}numFmt")
        value = fmt.get(VAL) if fmt is not None else None
        if value:
            return str(value)
    return "lowerRoman" if kind == "endnote" else "decimal"


def notes_by_id(root: Element | None, kind: str) -> dict[str, Element]:
    """The real notes of a footnotes/endnotes part by id, leaving out separators and continuation notices."""
    if root is None:
        return {}
    return {note.get(ID) or "": note for note in root.findall(f"{W}{kind}")
            if note.get(f"{W}type") in (None, "normal")}


def comments_by_id(root: Element | None) -> dict[str, str]:
    """Memo text of each comment by id: "Author: text" (the text alone when there is no author)."""
    if root is None:
        return {}
    comments: dict[str, str] = {}
    for comment in root.findall(f"{W}comment"):
        text, _ = plain_text(comment)
        author = (comment.get(f"{W}author") or "").strip()
        if text:
            comments[comment.get(ID) or ""] = f"{author}: {text}" if author else text
    return comments
