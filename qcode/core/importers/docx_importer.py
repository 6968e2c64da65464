"""Word .docx: paragraphs and tables in document order, headings, tracked changes read as accepted.

The package is checked before parsing: a zip whose parts would unpack to far more than a Word document
can hold (a zip bomb) is refused. XML is parsed by python-docx's parser, which does not resolve entities.
"""

from __future__ import annotations

import re
from pathlib import Path

from qcode.core.errors import EmptySourceError, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.archives import check_zip
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import speaker_turns
from qcode.core.model import Span
from qcode.core.progress import Progress

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título)\s*(\d)$", re.IGNORECASE)


def paragraph_text(element) -> str:
    """A paragraph's text with insertions kept, deletions dropped, tabs and line breaks kept."""
    pieces: list[str] = []
    for node in element.iter():
        tag = node.tag
        if tag == f"{W}t":
            pieces.append(node.text or "")
        elif tag == f"{W}tab" and node.getparent() is not None and node.getparent().tag == f"{W}r":
            pieces.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            pieces.append("\n")
        elif tag == f"{W}noBreakHyphen":
            pieces.append("-")
    return "".join(pieces)


def heading_level(paragraph) -> int | None:
    style = paragraph.style
    while style is not None:
        name = style.name or ""
        if name.lower() == "title":
            return 1
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        style = style.base_style
    return None


class DocxImporter:
    name = "a Word (.docx)"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04")

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        check_zip(path, "word/document.xml", "a Word document")
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        try:
            document = docx.Document(str(path))
        except Exception as err:  # python-docx raises many kinds on damaged packages
            raise UnreadableFileError(f"{path.name} could not be read as a Word document ({err}).") from err

        blocks: list[tuple[str, int | None]] = []  # (text, heading level)

        def walk(container) -> None:
            for child in container.iter_inner_content():
                if isinstance(child, Paragraph):
                    blocks.append((paragraph_text(child._p), heading_level(child)))
                elif isinstance(child, Table):
                    for row in child.rows:
                        seen = set()
                        for cell in row.cells:
                            if id(cell._tc) in seen:  # merged cells repeat
                                continue
                            seen.add(id(cell._tc))
                            walk(cell)

        walk(document)
        text_parts: list[str] = []
        spans: list[Span] = []
        position = 0
        for text, level in blocks:
            if not text.strip():
                continue
            if text_parts:
                text_parts.append("\n\n")
                position += 2
            text_parts.append(text)
            spans.append(Span("paragraph", position, position + len(text)))
            if level is not None:
                spans.append(Span("heading", position, position + len(text), str(level)))
            position += len(text)
        full = "".join(text_parts)
        if not full.strip():
            raise EmptySourceError(f"{path.name} holds no text.")
        if options.detect_speakers:
            spans += speaker_turns(full, [s for s in spans if s.kind == "paragraph"])
        spans.sort(key=lambda s: (s.start, s.kind))
        return ParseResult([ParsedSource(name=path.stem, text=full, kind="docx", spans=spans)])


register(DocxImporter())
