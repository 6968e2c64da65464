"""OpenDocument Text (.odt), as saved by LibreOffice, Google Docs or Word: the text of content.xml in order.

The package is checked before anything is unpacked (zip bombs, truncation, another OpenDocument kind, a
password) and its XML is parsed with defusedxml, which refuses entity declarations and external references.

What becomes what:
- text:p and text:h are paragraphs; text:h also gets a "heading" span (text:outline-level, 1-6). List items
  are paragraphs (bullets and numbers are styling, not text, as are heading numbers in text:number). Tables are read row by row, cell by cell: each
  paragraph of a cell is a paragraph, and a "cell" span covers the cell's paragraphs.
- Spaces follow the ODF rules: runs of white space collapse to one space; text:s, text:tab and
  text:line-break give spaces, a tab and a line break.
- Footnotes and endnotes (text:note) leave their citation in brackets, such as "[1]", where they are cited;
  their text follows the main text under a paragraph "Notes", one paragraph per note starting with the same
  marker and covered by a "footnote" span whose value is the citation. The main text thus reads without
  interruptions, and every note can still be coded.
- Comments (office:annotation) become range memos: on the commented text when the comment marks a range
  (office:annotation-end), otherwise on the paragraph holding the comment. The author's name leads the memo.
- Tracked changes read as accepted: deleted text (kept in text:tracked-changes) is left out, inserted text is
  kept. Generated indexes (tables of contents, bibliographies ...) are left out, as they repeat the text.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import register
from qcode.core.importers.archives import ARCHIVE_DAMAGE, check_zip, describe_zip
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult, RangeMemo
from qcode.core.importers.structure import TextBuilder, speaker_turns
from qcode.core.model import Span
from qcode.core.progress import Progress

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


P, H, S, TAB, BREAK = _q("text:p"), _q("text:h"), _q("text:s"), _q("text:tab"), _q("text:line-break")
NOTE, CITATION, NOTE_BODY = _q("text:note"), _q("text:note-citation"), _q("text:note-body")
ANNOTATION, ANNOTATION_END = _q("office:annotation"), _q("office:annotation-end")
CELL, CREATOR = _q("table:table-cell"), _q("dc:creator")
_NESTED_BLOCKS = {P, H, _q("text:list"), _q("table:table"), _q("text:section")}
_SKIP_BLOCKS = {_q(n) for n in (
    "text:tracked-changes", "text:sequence-decls", "text:variable-decls", "text:user-field-decls",
    "text:dde-connection-decls", "office:forms", "table:covered-table-cell", "text:table-of-content",
    "text:alphabetical-index", "text:illustration-index", "text:table-index", "text:object-index",
    "text:user-index", "text:bibliography", "office:annotation", "office:annotation-end",
)}
_SKIP_INLINE = {_q(n) for n in (
    "text:ruby-text", "svg:title", "svg:desc", "draw:image", "office:binary-data", "text:tracked-changes",
    "text:note-citation", "dc:date", "dc:creator", "text:bookmark-start", "text:bookmark-end", "text:number",
)}
_TEXT_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")
_OTHER_KINDS = {"spreadsheet": "a spreadsheet (.ods)", "presentation": "a presentation (.odp)",
                "graphics": "a drawing (.odg)", "formula": "a formula (.odf)"}
_WHITESPACE = re.compile(r"[ \t\r\n]+")
MAX_SPACES = 1000  # a text:s may claim any count; more spaces than this are never meant
_STEP = 200


@dataclass
class _Paragraph:
    """One paragraph's text being built, with what sits inside it at known offsets."""

    plain: bool = False  # notes and comments: no markers, no nested comments
    pieces: list[str] = field(default_factory=list)
    length: int = 0
    trailing_space: bool = False
    comments: list[tuple[int, str | None, str]] = field(default_factory=list)  # (offset, name, memo text)
    comment_ends: list[tuple[int, str]] = field(default_factory=list)
    notes: list[tuple[str, Element]] = field(default_factory=list)  # (citation, text:note)
    deferred: list[Element] = field(default_factory=list)  # text boxes' paragraphs, read after this one

    def add_text(self, data: str | None) -> None:
        """Character data, with white space collapsed as ODF asks."""
        if not data:
            return
        data = _WHITESPACE.sub(" ", data)
        if data.startswith(" ") and (self.length == 0 or self.trailing_space):
            data = data[1:]
        if data:
            self.pieces.append(data)
            self.length += len(data)
            self.trailing_space = data.endswith(" ")

    def add_literal(self, data: str) -> None:
        self.pieces.append(data)
        self.length += len(data)
        self.trailing_space = False

    def text(self) -> str:
        text = "".join(self.pieces)
        return text[:-1] if self.trailing_space else text


def _children(element: Element) -> Iterator[Element]:
    return iter(list(element))


def read_paragraph(element: Element, para: _Paragraph, note_count: int = 0) -> _Paragraph:
    """The text of a text:p or text:h, walked without recursion."""
    para.add_text(element.text)
    stack: list[tuple[Iterator[Element], Element | None]] = [(_children(element), None)]
    while stack:
        iterator, owner = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
            if owner is not None:
                para.add_text(owner.tail)
            continue
        tag = node.tag
        if tag == S:
            try:
                count = int(node.get(_q("text:c"), "1"))
            except ValueError:
                count = 1
            para.add_literal(" " * max(1, min(count, MAX_SPACES)))
        elif tag == TAB:
            para.add_literal("\t")
        elif tag == BREAK:
            para.add_literal("\n")
        elif tag == NOTE:
            if not para.plain:
                citation = node.find(CITATION)
                label = _WHITESPACE.sub(" ", "".join(citation.itertext())).strip() if citation is not None else ""
                label = label or str(note_count + len(para.notes) + 1)
                para.add_literal(f"[{label}]")
                para.notes.append((label, node))
        elif tag == ANNOTATION:
            if not para.plain:
                para.comments.append((para.length, node.get(_q("office:name")), _comment_text(node)))
        elif tag == ANNOTATION_END:
            name = node.get(_q("office:name"))
            if name and not para.plain:
                para.comment_ends.append((para.length, name))
        elif tag in _NESTED_BLOCKS:
            if not para.plain:
                para.deferred.append(node)
        elif tag not in _SKIP_INLINE:
            para.add_text(node.text)
            stack.append((_children(node), node))
            continue
        para.add_text(node.tail)
    return para


def plain_paragraphs(element: Element) -> list[str]:
    """The non-empty paragraphs found inside a note body or a comment, as plain text."""
    out: list[str] = []
    stack: list[Iterator[Element]] = [_children(element)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif node.tag in (P, H):
            text = read_paragraph(node, _Paragraph(plain=True)).text().strip()
            if text:
                out.append(text)
        elif node.tag not in _SKIP_INLINE:
            stack.append(_children(node))
    return out


def _comment_text(annotation: Element) -> str:
    text = "\n".join(plain_paragraphs(annotation))
    creator = annotation.find(CREATOR)
    author = (creator.text or "").strip() if creator is not None else ""
    return f"{author}: {text}" if author and text else text


def _on(paragraph: tuple[int, int] | None, at: int, memo: str) -> tuple[int, int, str]:
    """A memo on a paragraph's range, or at a point (moved onto a paragraph at the end) when there is none."""
    return (paragraph[0], paragraph[1], memo) if paragraph else (at, at, memo)


class _Document(TextBuilder):
    """The source being laid out (see TextBuilder), with its memos and notes in reading order."""

    def __init__(self) -> None:
        super().__init__()
        self.memos: list[tuple[int, int, str]] = []
        self.open_comments: dict[str, tuple[int, str, tuple[int, int] | None]] = {}
        self.notes: list[tuple[str, Element]] = []

    def paragraph(self, element: Element) -> list[Element]:
        """Lay out one text:p or text:h; returns the blocks found inside it, to read next."""
        para = read_paragraph(element, _Paragraph(), len(self.notes))
        text = para.text()
        level = None
        if element.tag == H:
            try:
                level = str(min(6, max(1, int(element.get(_q("text:outline-level"), "1")))))
            except ValueError:
                level = "1"
        where = self.add(text, heading=level)
        base = where[0] if where else self.position
        limit = len(text) if where else 0
        for offset, name, memo in para.comments:
            if not memo:
                continue
            if name:
                self.open_comments[name] = (base + min(offset, limit), memo, where)
            else:
                self.memos.append(_on(where, base, memo))
        for offset, name in para.comment_ends:
            if name in self.open_comments:
                start, memo, fallback = self.open_comments.pop(name)
                end = base + min(offset, limit)
                self.memos.append((start, end, memo) if end > start else _on(fallback, start, memo))
        self.notes.extend(para.notes)
        return para.deferred


def _walk(body: Element, doc: _Document, progress: Progress | None) -> None:
    """Read the body's blocks in order, without recursion however deep lists and tables nest."""
    total = len(body)
    stack: list[tuple[Iterator[Element], int | None]] = [(_children(body), None)]
    seen = 0
    while stack:
        iterator, cell_from = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
            if cell_from is not None and len(doc.paragraphs) > cell_from:
                doc.spans.append(Span("cell", doc.paragraphs[cell_from].start, doc.paragraphs[-1].end))
            continue
        if len(stack) == 1:
            seen += 1
            if progress is not None and seen % _STEP == 0:
                if progress.cancelled():
                    raise ImportError_("Import cancelled.")
                progress.step(seen, total, "paragraphs")
        if node.tag in (P, H):
            deferred = doc.paragraph(node)
            if deferred:
                stack.append((iter(deferred), None))
        elif node.tag == CELL:
            stack.append((_children(node), len(doc.paragraphs)))
        elif node.tag not in _SKIP_BLOCKS:
            stack.append((_children(node), None))


def _open_package(path: Path) -> bytes:
    """content.xml of a checked package, or an error saying what the file really is."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError) as err:
        raise UnreadableFileError(f"{path.name} is damaged or not a complete file ({err}).") from err
    if "content.xml" not in names:
        raise UnreadableFileError(f"{path.name} is really {describe_zip(path)}, not an OpenDocument text file "
                                  "(it has no content.xml). Check the file, or rename it.")
    check_zip(path, "content.xml")
    try:
        with zipfile.ZipFile(path) as archive:
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype not in _TEXT_MIMETYPES:
                    kind = mimetype.rsplit(".", 1)[-1].split("-")[0]
                    what = _OTHER_KINDS.get(kind, f"a '{mimetype}' file")
                    raise UnsupportedFormatError(f"{path.name} is not an OpenDocument text document but {what}; "
                                                 "qcode imports .odt text documents.")
            manifest = "META-INF/manifest.xml"
            small = manifest in names and archive.getinfo(manifest).file_size <= 1024 * 1024
            if small and b"encryption-data" in archive.read(manifest):
                raise UnreadableFileError(f"{path.name} is protected by a password; save a copy without "
                                          "the password and import that.")
            return archive.read("content.xml")
    except ARCHIVE_DAMAGE as err:
        raise UnreadableFileError(f"{path.name} is damaged and cannot be unpacked ({err}).") from err


def _parse_xml(data: bytes, name: str) -> Element:
    try:
        root: Element = fromstring(data)
        return root
    except DefusedXmlException as err:
        raise UnreadableFileError(f"{name} holds XML constructs refused as unsafe ({type(err).__name__}); "
                                  "save it again from your word processor and import the new file.") from err
    except ParseError as err:
        raise UnreadableFileError(f"{name} has damaged content ({err}); save it again from your word "
                                  "processor and import the new file.") from err


def _fix_memo(start: int, end: int, paragraphs: list[Span]) -> tuple[int, int] | None:
    """An empty memo range moves onto the paragraph around it, or the nearest one before."""
    if end > start:
        return start, end
    before = [p for p in paragraphs if p.start <= start] or paragraphs[:1]
    return (before[-1].start, before[-1].end) if before else None


class OdtImporter:
    """OpenDocument text (.odt): paragraphs, headings, tables, notes and comments, read with defusedxml."""

    name = "an OpenDocument text (.odt)"
    suffixes = (".odt",)

    def sniff(self, head: bytes) -> bool:
        """An OpenDocument file is a zip archive (its parts and kind are checked when it is read)."""
        return head.startswith(b"PK\x03\x04")

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """The document's text with its spans, comments as passage memos. Raises UnreadableFileError when it holds no
        text body, EmptySourceError when it holds no text."""
        root = _parse_xml(_open_package(path), path.name)
        body = root.find(f"{_q('office:body')}/{_q('office:text')}")
        if body is None:
            raise UnreadableFileError(f"{path.name} holds no text document body; it may be another kind of "
                                      "OpenDocument file.")
        doc = _Document()
        _walk(body, doc, progress)
        main_paragraphs = list(doc.paragraphs)
        for start, memo, where in doc.open_comments.values():  # never closed: the paragraph it sits in
            doc.memos.append(_on(where, start, memo))
        if doc.notes:
            doc.add("Notes")
            for label, note in doc.notes:
                body_element = note.find(NOTE_BODY)
                text = "\n".join(plain_paragraphs(body_element)) if body_element is not None else ""
                doc.add(f"[{label}] {text}".rstrip(), spans=[("footnote", label)])
        full = doc.text()
        if not full.strip():
            raise EmptySourceError(f"{path.name} holds no text.")
        spans = doc.all_spans(speaker_turns(full, main_paragraphs) if options.detect_speakers else [])
        memos = []
        for start, end, memo in doc.memos:
            fixed = _fix_memo(max(0, min(start, len(full))), max(0, min(end, len(full))), doc.paragraphs)
            if fixed:
                memos.append(RangeMemo(fixed[0], fixed[1], memo))
        memos.sort(key=lambda m: (m.start, m.end))
        return ParseResult([ParsedSource(name=path.stem, text=full, kind="odt", spans=spans, range_memos=memos)])


register(OdtImporter())
