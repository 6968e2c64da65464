"""Word .docx: paragraphs and tables in document order, headings, text boxes, notes, comments, bold speakers.

The package is checked before parsing: a zip whose parts would unpack to far more than a Word document can
hold (a zip bomb) is refused, and the parts qcode reads (document, footnotes, endnotes, comments) are refused
when they carry a document type declaration, the vehicle of entity expansion and external entities
(see docx_parts.py). python-docx then opens the package; its parser does not resolve entities either.

What becomes what (the same conventions as the OpenDocument importer):
- Paragraphs, in tables cell by cell and in content controls too, are paragraphs; a paragraph whose style is
  (or is based on) "Title" or "Heading n" also gets a "heading" span. Tabs, line breaks and non-breaking
  hyphens are kept. Tracked changes read as accepted: deleted and moved-away text is left out.
- Text boxes are read as paragraphs right after the paragraph that anchors them. Word stores a text box
  twice (a modern mc:Choice and an old-style mc:Fallback); only the first branch holding text is read.
- Footnotes and endnotes leave their number in brackets, such as "[1]", where they are cited; their text
  follows the main text under a paragraph "Notes", one paragraph per note in the order they are cited,
  starting with the same marker and covered by a "footnote" span whose value is the number. Numbers are
  counted as Word shows them: footnotes 1, 2, 3 and endnotes i, ii, iii unless the document sets another
  format, so the two kinds do not share markers. Separator notes are left out.
- Comments become range memos on the text they comment (w:commentRangeStart to w:commentRangeEnd, across
  paragraphs if need be), or on the paragraph holding the comment when it marks no range. The author's
  name leads the memo ("Author: text"). Comments anchored outside the text read (headers) are left out.
- Speaker turns: besides "Name: ..." labels in the text, a paragraph that opens with a bold run of one to
  four words (maybe ending in ":") followed by normal text names its speaker.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.archives import check_zip
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult, RangeMemo
from qcode.core.importers.docx_parts import (
    MAIN_PART,
    Context,
    Element,
    Mark,
    P,
    W,
    comments_by_id,
    iter_paragraphs,
    note_format,
    notes_by_id,
    number_label,
    plain_text,
    read_package,
)
from qcode.core.importers.ooxml_strict import readable_package
from qcode.core.importers.structure import TextBuilder, speaker_turns
from qcode.core.progress import Progress

__all__ = ["DocxImporter", "check_zip"]  # check_zip: other zip-based importers once took it from here

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título)\s*(\d)$", re.IGNORECASE)
_MAX_STYLE_DEPTH = 50  # basedOn chains are short; a longer one is a loop
_STEP = 200


def heading_level(style: Any) -> int | None:
    """1-6 for a paragraph style that is (or is based on) a title or heading style, else None."""
    for _ in range(_MAX_STYLE_DEPTH):
        if style is None:
            return None
        name = style.name or ""
        if name.lower() == "title":
            return 1
        match = _HEADING_STYLE.match(name)
        if match:
            return min(6, max(1, int(match.group(1))))
        style = style.base_style
    return None


def _is_bold(style: Any) -> bool:
    for _ in range(_MAX_STYLE_DEPTH):
        if style is None:
            return False
        bold = getattr(getattr(style, "font", None), "bold", None)
        if bold is not None:
            return bool(bold)
        style = style.base_style
    return False


def _styles(document: Any) -> tuple[dict[str, int], frozenset[str], str | None]:
    """Heading levels by paragraph style id, ids of bold paragraph and character styles, the default style id."""
    from docx.enum.style import WD_STYLE_TYPE

    levels: dict[str, int] = {}
    bold: set[str] = set()
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            level = heading_level(style)
            if level is not None:
                levels[style.style_id] = level
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER) and _is_bold(style):
            bold.add(style.style_id)
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return levels, frozenset(bold), default.style_id if default is not None else None


class _Notes:
    """Footnotes and endnotes numbered in the order they are cited."""

    def __init__(self, parts: dict[str, Element], section: Element | None, settings: Element | None) -> None:
        self.bodies = {kind: notes_by_id(parts.get(f"{kind}s"), kind) for kind in ("footnote", "endnote")}
        self.formats = {kind: note_format(kind, section, settings) for kind in ("footnote", "endnote")}
        self.counts = {"footnote": 0, "endnote": 0}
        self.cited: list[tuple[str, Element]] = []

    def cite(self, kind: str, ident: str) -> str | None:
        note = self.bodies[kind].get(ident)
        if note is None:  # a reference to a note the file does not hold: no marker
            return None
        self.counts[kind] += 1
        label = number_label(self.counts[kind], self.formats[kind])
        self.cited.append((label, note))
        return label


Anchor = tuple[int, tuple[int, int] | None]  # (position in the text, the paragraph it sits in, if any)


class _Layout(TextBuilder):
    """The source being laid out (see TextBuilder), and where comments are anchored in it."""

    def __init__(self) -> None:
        super().__init__()
        self.starts: dict[str, Anchor] = {}
        self.ends: dict[str, int] = {}
        self.refs: dict[str, Anchor] = {}

    def anchor(self, marks: list[Mark], where: tuple[int, int] | None) -> None:
        """Record comment marks of the paragraph just added (or skipped as empty, when `where` is None)."""
        base, limit = (where[0], where[1] - where[0]) if where else (self.position, 0)
        for offset, kind, ident in marks:
            at = base + min(offset, limit)
            if kind == "start":
                self.starts.setdefault(ident, (at, where))
            elif kind == "end":
                self.ends[ident] = at
            else:
                self.refs.setdefault(ident, (at, where))

    def memos(self, comments: dict[str, str], text: str) -> list[RangeMemo]:
        """A memo per anchored comment: on its range, else on the paragraph holding it."""
        out: list[RangeMemo] = []
        for ident, memo in comments.items():
            start, end = self.starts.get(ident), self.ends.get(ident)
            if start is not None and end is not None:
                first, last = start[0], end
                while first < last and text[first].isspace():
                    first += 1
                while last > first and text[last - 1].isspace():
                    last -= 1
                if last > first:
                    out.append(RangeMemo(first, last, memo))
                    continue
            anchor = start or self.refs.get(ident) or ((end, None) if end is not None else None)
            if anchor is None:
                continue  # anchored in a part not read, such as a header
            where = anchor[1] or self._paragraph_at(anchor[0])
            out.append(RangeMemo(where[0], where[1], memo))
        out.sort(key=lambda m: (m.start, m.end))
        return out

    def _paragraph_at(self, at: int) -> tuple[int, int]:
        before = [p for p in self.paragraphs if p.start <= at] or self.paragraphs[:1]
        return before[-1].start, before[-1].end


class DocxImporter:
    """Word documents (.docx): the text in document order with headings, notes, comments as passage memos, and speakers.
    """

    name = "a Word (.docx)"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        """A Word document is a zip archive (its parts are checked when it is read)."""
        return head.startswith(b"PK\x03\x04")

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """Read the document after checking its package (zip bombs, document type declarations); a Strict Open XML
        document is read as a transitional one. Raises UnreadableFileError for a damaged one."""
        check_zip(path, MAIN_PART, "a Word document")
        with readable_package(path) as readable:  # a Strict Open XML document is read as a transitional one
            return self._parse(path, readable, options, progress)

    def _parse(self, path: Path, readable: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        parts = read_package(readable)  # before python-docx parses anything
        import docx

        try:
            document = docx.Document(str(readable))
            levels, bold_styles, default_style = _styles(document)
            settings = document.settings.element
        except Exception as err:  # python-docx raises many kinds on damaged packages
            raise UnreadableFileError(f"{path.name} could not be read as a Word document ({err}).") from err
        body = document.element.body
        notes = _Notes(parts, body.find(f"{W}sectPr"), settings)
        context = Context(cite=notes.cite, bold_styles=bold_styles, default_style=default_style,
                          speakers=options.detect_speakers)
        layout = _Layout()
        hints: list[str | None] = []
        total = max(1, sum(1 for _ in body.iter(P)))
        for count, paragraph in enumerate(iter_paragraphs(body, context), 1):
            if progress is not None and count % _STEP == 0:
                if progress.cancelled():
                    raise ImportError_("Import cancelled.")
                progress.step(min(count, total), total, "paragraphs")
            level = levels.get(paragraph.style or default_style or "")
            where = layout.add(paragraph.text, heading=str(level) if level is not None else None)
            layout.anchor(paragraph.marks, where)
            if where:
                hints.append(paragraph.label)
        main_paragraphs = list(layout.paragraphs)
        if notes.cited:
            layout.add("Notes")
            for label, note in notes.cited:
                text, marks = plain_text(note)
                prefix = f"[{label}] "
                where = layout.add(f"{prefix}{text}".rstrip(), spans=[("footnote", label)])
                if where:
                    layout.anchor([(len(prefix) + at, kind, ident) for at, kind, ident in marks], where)
        full = layout.text()
        if not full.strip():
            raise EmptySourceError(f"{path.name} holds no text.")
        turns = speaker_turns(full, main_paragraphs, hints) if options.detect_speakers else []
        spans = layout.all_spans(turns)
        memos = layout.memos(comments_by_id(parts.get("comments")), full)
        return ParseResult([ParsedSource(name=path.stem, text=full, kind="docx", spans=spans, range_memos=memos)])


register(DocxImporter())
