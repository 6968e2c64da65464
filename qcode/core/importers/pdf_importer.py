"""PDF (.pdf) through pdfminer.six: text per page, paragraphs, two-column pages read column by column.

pdfminer's text boxes become paragraphs, after mending what its layout analysis cuts apart (lines split at
wide justified spaces, indented first lines boxed alone, paragraphs running on into the next column). A page
span covers each page's text (value = the PDF's page label, else the page number); pages without text get
none. Words hyphenated at line ends are joined, other line breaks become spaces. Running headers and footers
(the same short text at the top or bottom of many pages, page numbers aside) are dropped unless
`ImportOptions.keep_headers` is set. Right-to-left lines stored in visual order are put back in logical
order, text inside figures and other containers is read, and a page's filled-in form fields follow its text
(pdf_text.py). A PDF without a text layer, one whose fonts map to no characters, a password-protected one and
a damaged one are refused with a message saying what to do.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import struct
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from qcode.core.diagnostics import library_warnings_logged
from qcode.core.errors import (
    EmptySourceError,
    FileTooLargeError,
    ImportError_,
    UnreadableFileError,
    UnsupportedFormatError,
)
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.pdf_text import CID, count_glyphs, form_fields, line_chars, logical_line
from qcode.core.importers.structure import TextBuilder, speaker_turns
from qcode.core.model import Span
from qcode.core.progress import Progress

#: what pdfminer raises on damaged files, besides its own PSException family
_DAMAGE = (ValueError, TypeError, KeyError, IndexError, AssertionError, EOFError, RecursionError, OverflowError,
           AttributeError, struct.error, zlib.error)  # AttributeError: a keyword where an object belongs

MIN_PAGES_FOR_HEADERS = 3
HEADER_SHARE = 0.4  # a running header is on at least this share of pages (odd/even pages may alternate)
HEADER_SIMILARITY = 0.8
HEADER_Y_TOLERANCE = 0.04  # of the page height
HEADER_MAX_CHARS = 200
HEADER_MAX_LINES = 3
HEADER_ROWS = 2  # rows of boxes looked at from the top and from the bottom of each page
MAX_FUZZY_CLUSTERS = 32  # running-header candidates a nearly-same text is compared with (a few pages)
SPLIT_LINE_GAP = 3.0  # line heights: on one-column pages, a wider space on one baseline is no word space
NO_MAP_SHARE = 0.5  # of the glyphs drawn: above it, the text is unreadable without a character map
UNREADABLE = "\ufffd"  # stands for a glyph that maps to no character, below that share

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")
_COMPOUND = re.compile(r"(?<![\w-])[^\W\d_]+-[^\W\d_]+(?![\w-])")
_HYPHENS = "-\u2010"
_DASHES = "\u2011\u2012\u2013\u2014\u2015"
_SENTENCE_END = tuple('.?!:"”’)')
_PLACEHOLDERS = {"", "untitled", "anonymous", "(anonymous)", "unknown", "(unspecified)", "unspecified"}


@dataclass(slots=True)
class _Line:
    x0: float
    x1: float
    y0: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return max(self.y1 - self.y0, 1.0)


class _Block:
    """A text box (pdfminer's, mended): its lines, its place on the page, and the paragraphs read from it."""

    __slots__ = ("lines", "size", "text", "x0", "x1", "y0", "y1")

    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.x0, self.x1 = min(line.x0 for line in lines), max(line.x1 for line in lines)
        self.y0, self.y1 = min(line.y0 for line in lines), max(line.y1 for line in lines)
        self.text = " ".join(line.text for line in lines)
        self.size = len(self.text)

    def paragraphs(self, compounds: set[str]) -> list[str]:
        return [join_lines(group, compounds) for group in split_paragraphs(self.lines)]

    @property
    def ymid(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class _Page:
    label: str
    x0: float
    y0: float
    width: float
    height: float
    blocks: list[_Block] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # filled-in form fields, "Name: value"


# --- lines and paragraphs ----------------------------------------------------------------------------------


def join_lines(lines: list[str], compounds: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """One paragraph from its lines: hyphenated word fragments joined, other line breaks become spaces.

    A hyphen is dropped only when the part before it is a lowercase word fragment and the next line starts in
    lowercase ("hyphen-" + "ated"); otherwise a hyphen stays and the lines are joined without a space
    ("COVID-" + "19", "mother-in-" + "law"), as it does when the document writes the compound with a hyphen
    elsewhere (`compounds`, lowercase: "self-" + "employment" when "self-employment" occurs inside a line).
    """
    out = ""
    for line in lines:
        if not out:
            out = line
        elif out.endswith("\u00ad"):  # soft hyphen: always a word broken by the typesetter
            out = out[:-1] + line
        elif out[-1] in _HYPHENS and len(out) >= 2 and not out[-2].isspace():
            fragment = re.search(r"(?:^|[^\w\-\u2010])([^\W\d_]+)[-\u2010]$", out)
            word = _WORD.match(line)
            if (fragment and fragment.group(1).islower() and line[0].islower()
                    and f"{fragment.group(1)}-{word.group(0) if word else ''}".lower() not in compounds):
                out = out[:-1] + line
            else:
                out += line
        elif out[-1] in _DASHES and len(out) >= 2 and not out[-2].isspace():
            out += line
        else:
            out += " " + line
    return out


def split_paragraphs(lines: list[_Line]) -> list[list[str]]:
    """A text box's lines in paragraphs: a first-line indent after a line ending a sentence starts a new one."""
    groups: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if 0 < i < len(lines) - 1:
            before, after = lines[i - 1], lines[i + 1]
            step = 0.8 * line.height
            indented = line.x0 - before.x0 > step and line.x0 - after.x0 > step and abs(before.x0 - after.x0) < step
            if indented and before.text.endswith(_SENTENCE_END):
                groups.append([])
        groups[-1].append(line.text)
    return [g for g in groups if g]


def clean_line(text: str) -> str:
    """A line of PDF text with ligatures spelled out and white space collapsed to single spaces."""
    return _SPACES.sub(" ", text.translate(_LIGATURES)).strip()


def _line(row: Any) -> _Line | None:
    # a glyph whose font maps it to no character reads "(cid:12)": shown as one replacement character instead
    text = clean_line(CID.sub(UNREADABLE, logical_line(row.get_text(), line_chars(row))))
    return _Line(row.x0, row.x1, row.y0, row.y1, text) if text else None


def read_blocks(layout: Any, page: _Page) -> None:
    """Collect the page's text boxes, looking inside figures and every other container pdfminer returns (a
    figure's caption, text some PDFs wrap in one figure), without recursion however deep they nest."""
    from pdfminer.layout import LTContainer, LTTextBox, LTTextLine

    stack = [iter(layout)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, LTTextBox):
            lines = [line for row in item if isinstance(row, LTTextLine) and (line := _line(row))]
            if lines:
                page.blocks.append(_Block(lines))
        elif isinstance(item, LTTextLine):
            line = _line(item)
            if line:
                page.blocks.append(_Block([line]))
        elif isinstance(item, LTContainer):
            stack.append(iter(item))


def mend_split_lines(page: _Page) -> None:
    """Rejoin the pieces of lines that pdfminer cut at wide justified spaces, wherever it boxed them.

    Pieces on one baseline are joined left to right unless the column gap lies between them (on a page with
    one column: unless they are more than SPLIT_LINE_GAP line heights apart); a joined line goes to the box
    with the most lines among its pieces' boxes.
    """
    gutter = find_gutter(page.blocks, page.x0, page.width)
    pieces = sorted(((line, owner) for owner, block in enumerate(page.blocks) for line in block.lines),
                    key=lambda item: (-item[0].y0, item[0].x0))
    rows: list[list[tuple[_Line, int]]] = []
    for item in pieces:
        if rows and abs(rows[-1][0][0].y0 - item[0].y0) <= 0.2 * min(rows[-1][0][0].height, item[0].height):
            rows[-1].append(item)
        else:
            rows.append([item])
    lines: list[list[_Line]] = [[] for _ in page.blocks]

    def flush(run: list[tuple[_Line, int]]) -> None:
        owner = max(run, key=lambda item: (len(page.blocks[item[1]].lines), len(item[0].text)))[1]
        lines[owner].append(_Line(run[0][0].x0, max(line.x1 for line, _ in run), min(line.y0 for line, _ in run),
                                  max(line.y1 for line, _ in run), " ".join(line.text for line, _ in run)))

    for row in rows:
        row.sort(key=lambda item: item[0].x0)
        run = [row[0]]
        for item in row[1:]:
            before, line = run[-1][0], item[0]
            across = gutter is not None and (before.x0 + before.x1) / 2 < gutter < (line.x0 + line.x1) / 2
            if not across and (gutter is not None or line.x0 - before.x1 <= SPLIT_LINE_GAP * before.height):
                run.append(item)
            else:
                flush(run)
                run = [item]
        flush(run)
    page.blocks = [_Block(own) for own in lines if own]


# --- running headers and footers ---------------------------------------------------------------------------


def _edge_rows(blocks: list[_Block], top: bool) -> list[_Block]:
    """The blocks in the first HEADER_ROWS rows seen from the top (or the bottom) of a page."""
    ordered = sorted(blocks, key=(lambda b: -b.y1) if top else (lambda b: b.y0))
    found: list[_Block] = []
    rows = 0
    row_low = row_high = 0.0
    for block in ordered:
        if rows and block.y0 < row_high and block.y1 > row_low:  # overlaps the current row
            found.append(block)
            continue
        rows += 1
        if rows > HEADER_ROWS:
            break
        row_low, row_high = block.y0, block.y1
        found.append(block)
    return found


def _key(text: str) -> str:
    return _DIGITS.sub("#", _SPACES.sub(" ", text.lower())).strip()


def similar(a: str, b: str) -> bool:
    """Whether two header or footer texts are nearly the same (at least HEADER_SIMILARITY alike), cheapest checks first.
    """
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (matcher.real_quick_ratio() >= HEADER_SIMILARITY and matcher.quick_ratio() >= HEADER_SIMILARITY
            and matcher.ratio() >= HEADER_SIMILARITY)


def drop_running_headers(pages: list[_Page]) -> None:
    """Remove boxes whose (nearly) same text sits at the same height at the top or bottom of many pages."""
    if len(pages) < MIN_PAGES_FOR_HEADERS:
        return
    needed = max(2, math.ceil(HEADER_SHARE * len(pages)))
    # clusters: (edge, relative height, key) -> ids of (page index, block) members
    clusters: list[tuple[bool, float, str, set[int], list[tuple[int, _Block]]]] = []
    # the same text finds its cluster by a lookup; nearly the same text is compared with the clusters that
    # grew most recently only (a running header grows every page or two), so the work stays linear in pages
    exact: dict[tuple[bool, str], list[int]] = {}
    recent: OrderedDict[int, None] = OrderedDict()
    for index, page in enumerate(pages):
        height = page.height or 1.0
        for top in (True, False):
            for block in _edge_rows(page.blocks, top):
                if len(block.lines) > HEADER_MAX_LINES or block.size > HEADER_MAX_CHARS:
                    continue
                key, where = _key(block.text), (block.ymid - page.y0) / height
                found = next((c for c in exact.get((top, key), ())
                              if abs(where - clusters[c][1]) <= HEADER_Y_TOLERANCE), None)
                if found is None:
                    found = next((c for c in reversed(recent) if clusters[c][0] == top
                                  and abs(where - clusters[c][1]) <= HEADER_Y_TOLERANCE
                                  and similar(key, clusters[c][2])), None)
                    if found is not None:
                        exact.setdefault((top, key), []).append(found)
                if found is None:
                    found = len(clusters)
                    clusters.append((top, where, key, set(), []))
                    exact.setdefault((top, key), []).append(found)
                clusters[found][3].add(index)
                clusters[found][4].append((index, block))
                recent[found] = None
                recent.move_to_end(found)
                if len(recent) > MAX_FUZZY_CLUSTERS:
                    recent.popitem(last=False)
    doomed: dict[int, set[int]] = {}
    for _, _, _, members, blocks in clusters:
        if len(members) >= needed:
            for index, block in blocks:
                doomed.setdefault(index, set()).add(id(block))
    if not doomed:
        return
    remaining = sum(1 for i, p in enumerate(pages) for b in p.blocks if id(b) not in doomed.get(i, set()))
    if remaining == 0:  # everything repeats: better keep it than import nothing
        return
    for index, ids in doomed.items():
        pages[index].blocks = [b for b in pages[index].blocks if id(b) not in ids]


# --- reading order -----------------------------------------------------------------------------------------


def find_gutter(blocks: list[_Block], left_edge: float, width: float) -> float | None:
    """The x of the gap between two columns, or None for a page read in one column.

    The candidate is the middle of the widest stretch, in the middle 40% of the page, crossed by the least
    text; it counts when there are boxes on both sides of it side by side.
    """
    if len(blocks) < 2 or width <= 0:
        return None
    lo, hi = left_edge + 0.3 * width, left_edge + 0.7 * width
    starts = sorted((b.x0, b.size) for b in blocks)
    ends = sorted((b.x1, b.size) for b in blocks)
    start_x, end_x = [x for x, _ in starts], [x for x, _ in ends]
    start_sum, end_sum = [0, *itertools.accumulate(n for _, n in starts)], [0, *itertools.accumulate(n for _, n in ends)]
    cuts = sorted({lo, hi, *(x for b in blocks for x in (b.x0, b.x1) if lo < x < hi)})
    best, runs = math.inf, []  # stretches [from, to] of the least cost
    for a, b in itertools.pairwise(cuts):
        middle = (a + b) / 2  # text crossing it: boxes starting before it, less those ending before it
        cost = start_sum[bisect.bisect_left(start_x, middle)] - end_sum[bisect.bisect_right(end_x, middle)]
        if cost < best:
            best, runs = cost, [[a, b]]
        elif cost == best:
            if runs[-1][1] == a:
                runs[-1][1] = b
            else:
                runs.append([a, b])
    low, high = max(runs, key=lambda r: r[1] - r[0])
    gutter = (low + high) / 2
    left = [b for b in blocks if b.x1 <= gutter]
    right = [b for b in blocks if b.x0 >= gutter]
    return gutter if any(a.y0 < b.y1 and b.y0 < a.y1 for a in left for b in right) else None


def reading_order(blocks: list[_Block], left_edge: float, width: float) -> list[_Block]:
    """Top to bottom; on two-column pages the left column before the right one.

    Boxes that cross the gap between the columns (a title, an abstract, a wide figure caption) divide the page
    into bands; each band is read left column first, then right column.
    """
    top_down = sorted(blocks, key=lambda b: (-b.y1, b.x0))
    gutter = find_gutter(blocks, left_edge, width)
    if gutter is None:
        return top_down
    spanning = [b for b in top_down if b.x0 < gutter < b.x1]
    bands: list[tuple[list[_Block], list[_Block]]] = [([], []) for _ in range(len(spanning) + 1)]
    for block in top_down:
        if block.x0 < gutter < block.x1:
            continue
        band = sum(1 for s in spanning if s.ymid > block.ymid)
        bands[band][0 if block.x1 <= gutter else 1].append(block)
    ordered: list[_Block] = []
    for index, (left, right) in enumerate(bands):
        ordered += left + right
        if index < len(spanning):
            ordered.append(spanning[index])
    return ordered


def join_broken_paragraphs(blocks: list[_Block]) -> list[_Block]:
    """Rejoin paragraphs that pdfminer cut in two, taking blocks in reading order.

    A block is joined to the one before it when that one ends in an indented first line that is no sentence,
    directly above it (ragged-right text, where pdfminer boxes the indented line alone); or when the block lies
    right of it and starts above its bottom (a new column), in lowercase, and the one before ends no sentence.
    """
    joined: list[_Block] = []
    for block in blocks:
        if joined:
            above = joined[-1]
            last, first = above.lines[-1], block.lines[0]
            open_end = not last.text.endswith(_SENTENCE_END)
            first_line_alone = (last.x0 - first.x0 > 0.8 * last.height and last.x0 < block.x1 and block.x0 < last.x1
                                and 0 <= last.y0 - first.y1 < 0.6 * last.height)
            next_column = block.x0 >= above.x1 and block.y1 > above.y0 and first.text[:1].islower()
            if open_end and (first_line_alone or next_column):
                joined[-1] = _Block(above.lines + block.lines)
                continue
        joined.append(block)
    return joined


# --- the importer ------------------------------------------------------------------------------------------


def read_meta(document: Any) -> dict[Any, Any]:
    """Title and author from the document information, unless missing or a generator's placeholder."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    meta: dict[Any, Any] = {}
    for info in document.info:
        for key in ("Title", "Author"):
            value = resolve1(info.get(key)) if isinstance(info, dict) else None
            value = decode_text(value) if isinstance(value, bytes) else value
            if isinstance(value, str) and value.replace("\x00", "").strip().lower() not in _PLACEHOLDERS:
                meta.setdefault(key.lower(), value.replace("\x00", "").strip())
    return meta


class PdfImporter:
    """PDF (.pdf) through pdfminer.six: text per page in paragraphs, two-column pages read column by column."""

    name = "a PDF"
    suffixes = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        """A PDF starts with '%PDF'."""
        return head.startswith(b"%PDF")

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """The text of every page with page and paragraph spans (pdfminer's warnings go to the log). Raises an
        ImportError_ subclass for a PDF without text, with a password, or damaged, saying what to do."""
        with library_warnings_logged(path.name):  # pdfminer's per-page warnings go to the log
            return self._parse(path, options, progress)

    def _parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        try:
            from pdfminer.converter import PDFPageAggregator
            from pdfminer.layout import LAParams
            from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
            from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
            from pdfminer.pdfpage import PDFPage
            from pdfminer.psparser import PSException

            from qcode.core.importers.pdf_limits import BoundedPDFParser, InflateBudget
        except ImportError as err:  # a broken installation, not the file's fault
            raise UnsupportedFormatError(f"qcode cannot read {path.name}: its PDF reader (the pdfminer.six package) "
                                         "is missing. Reinstall qcode.") from err

        damaged = (f"{path.name} is damaged or incomplete and cannot be read as a PDF. Open it in a PDF reader and "
                   "save a new copy, or download it again.")
        pages: list[_Page] = []
        try:
            with path.open("rb") as fh:
                try:
                    budget = InflateBudget(path.name, path.stat().st_size)  # bounds streams and inflating
                    document = PDFDocument(BoundedPDFParser(fh, budget))
                    pdf_pages = list(PDFPage.create_pages(document))
                except PDFEncryptionError as err:
                    raise UnreadableFileError(
                        f"{path.name} is password-protected, so qcode cannot read it. Open it with the password "
                        "in a PDF reader, save (or print to PDF) an unprotected copy, and import that."
                    ) from err
                except (PSException, *_DAMAGE) as err:
                    raise UnreadableFileError(damaged) from err
                if not pdf_pages:
                    raise EmptySourceError(f"{path.name} holds no pages.")
                try:
                    meta = read_meta(document)
                except (PSException, *_DAMAGE):  # damaged details do not stop the import
                    meta = {}
                manager = PDFResourceManager(caching=True)
                device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None, all_texts=True))
                interpreter = PDFPageInterpreter(manager, device)
                chars = glyphs = unmapped_glyphs = 0
                for number, pdf_page in enumerate(pdf_pages, start=1):
                    if progress is not None and progress.cancelled():
                        raise ImportError_("Import cancelled.")
                    try:
                        interpreter.process_page(pdf_page)
                        layout = device.get_result()
                    except (PSException, *_DAMAGE) as err:
                        raise UnreadableFileError(damaged) from err
                    label = pdf_page.label.strip() if isinstance(pdf_page.label, str) else ""
                    page = _Page(label or str(number), layout.x0, layout.y0, layout.width, layout.height)
                    read_blocks(layout, page)
                    mend_split_lines(page)
                    drawn, unmapped = count_glyphs(layout)
                    glyphs, unmapped_glyphs = glyphs + drawn, unmapped_glyphs + unmapped
                    try:
                        page.fields = form_fields(pdf_page.annots)
                    except (PSException, *_DAMAGE):  # a damaged form does not stop the import
                        page.fields = []
                    pages.append(page)
                    chars += sum(b.size + 2 for b in page.blocks) + sum(len(f) + 2 for f in page.fields)
                    if chars > options.max_text_chars:
                        raise FileTooLargeError(f"{path.name} holds more than {options.max_text_chars:,} characters "
                                                "of text, more than qcode imports as one source.")
                    if progress is not None:
                        progress.step(number, len(pdf_pages), f"{path.name}: page {number} of {len(pdf_pages)}")
        except OSError as err:
            raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err

        if glyphs and unmapped_glyphs > NO_MAP_SHARE * glyphs:
            raise UnreadableFileError(
                f"{path.name} cannot be imported: the PDF has text but no character map (fonts without "
                "ToUnicode); export it again or run OCR. Saving it again from the program that made it (or "
                "printing it to PDF) usually adds the map; otherwise text recognition (OCRmyPDF) reads it.")
        if not any(page.blocks or page.fields for page in pages):
            raise EmptySourceError(
                f"{path.name} cannot be imported: this PDF has no text (scanned?). Run text recognition (OCR) on "
                "it first, for example with your PDF reader or OCRmyPDF, and import the result."
            )
        if not options.keep_headers:
            drop_running_headers(pages)
        meta["pages"] = len(pages)
        text, spans = assemble(pages)
        if options.detect_speakers:
            spans = sorted(spans + speaker_turns(text, [s for s in spans if s.kind == "paragraph"]),
                           key=lambda s: (s.start, s.kind))
        notes = []
        if unmapped_glyphs and UNREADABLE in text:
            notes.append(f"{text.count(UNREADABLE):,} characters could not be read (their font has no character "
                         f"map) and show as {UNREADABLE}")
        return ParseResult([ParsedSource(name=path.stem, text=text, kind="pdf", spans=spans, meta=meta)],
                           notes=notes)


def assemble(pages: list[_Page]) -> tuple[str, list[Span]]:
    """The text (paragraphs and pages separated by a blank line) with paragraph and page spans; a page's filled-in
    form fields follow its text."""
    compounds = {match.group(0).lower() for page in pages for block in page.blocks for line in block.lines
                 for match in _COMPOUND.finditer(line.text.rstrip("-\u2010"))}
    builder = TextBuilder()
    page_spans: list[Span] = []
    for page in pages:
        page_start: int | None = None
        blocks = join_broken_paragraphs(reading_order(page.blocks, page.x0, page.width))
        for paragraph in [p for block in blocks for p in block.paragraphs(compounds)] + page.fields:
            where = builder.add(paragraph)
            if where and page_start is None:
                page_start = where[0]
        if page_start is not None:  # a page without text gets no span
            page_spans.append(Span("page", page_start, builder.position, page.label))
    return builder.text(), builder.all_spans(page_spans)


register(PdfImporter())
