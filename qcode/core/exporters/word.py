"""The building blocks of qcode's Word files: fast paragraphs, headings, a filled table of contents, tables.

Word's built-in styles are used (Title, Subtitle, Heading 1..9, TOC Heading, TOC 1..9, Quote, Caption, Header,
Footer, Table Grid), plus three of qcode's own (`OWN_STYLES`: an excerpt's citation, its memo, and the line
that opens a source's excerpts), so a user restyles a whole report in one place. Paragraphs are appended straight before the
section properties: python-docx's `add_paragraph` searches the body on every call, which is quadratic over
thousands of excerpts.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from qcode.core.exporters.safety import atomic_output, xml_safe

MARKER = "■"
CITATION = "Excerpt citation"
EXCERPT_MEMO = "Excerpt memo"
SOURCE_SUMMARY = "Excerpt source"
OWN_STYLES = (CITATION, EXCERPT_MEMO, SOURCE_SUMMARY)
TOC_PLACEHOLDER = "Right-click here and choose Update Field to refresh the table of contents and its page numbers."


class WordDocument:
    """A python-docx document with fast appending and the few building blocks the reports need."""

    def __init__(self, *, title: str = "", subject: str = "", landscape: bool = False,
                 margins: float | None = None, header: str = "") -> None:
        self.doc = docx.Document()
        self._describe(title, subject)
        self._body = self.doc.element.body
        self._end = self._body.sectPr
        self._style_ids: dict[str, str] = {}
        self._headings: list[tuple[int, str, str]] = []  # (level, text, bookmark) for the contents
        self._toc: tuple[Paragraph, int] | None = None  # (placeholder paragraph, levels)
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        if margins is not None:
            section.left_margin = section.right_margin = Inches(margins)
        self._page_furniture(section, header or subject)

    def _page_furniture(self, section: Section, header: str) -> None:
        """The project's name in the header and 'Page n of m' in the footer of every page."""
        if header:
            para = section.header.paragraphs[0]
            para.style = self.doc.styles["Header"]
            para._p.append(_text_run(xml_safe(header)))
        para = section.footer.paragraphs[0]
        para.style = self.doc.styles["Footer"]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para._p.append(_text_run("Page "))
        for run in field_runs("PAGE", "1"):
            para._p.append(run)
        para._p.append(_text_run(" of "))
        for run in field_runs("NUMPAGES", "1"):
            para._p.append(run)

    def _describe(self, title: str, subject: str) -> None:
        """The file's properties (File > Info): what it is, not the template's 'python-docx' and 2013 dates."""
        properties = self.doc.core_properties
        now = datetime.now(timezone.utc).replace(microsecond=0)
        properties.title = xml_safe(title)
        properties.subject = xml_safe(subject)
        properties.author = ""
        properties.last_modified_by = ""
        properties.comments = "Exported from qcode"
        properties.keywords = ""
        properties.created = properties.modified = now
        properties.revision = 1

    @property
    def text_width(self) -> float:
        """The width between the margins, in inches."""
        section = self.doc.sections[0]
        width, left, right = section.page_width, section.left_margin, section.right_margin
        if width is None or left is None or right is None:  # the template sets all three
            return 6.0
        return float(width - left - right) / 914400

    def style_id(self, name: str) -> str:
        """The id of a paragraph style by its name (qcode's own styles are added on first use)."""
        if name not in self._style_ids:
            if name in OWN_STYLES and name not in [s.name for s in self.doc.styles]:
                self._add_style(name)
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def _add_style(self, name: str) -> None:
        """One of qcode's own paragraph styles (see `OWN_STYLES`), restyled in one place like the built-ins."""
        style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.doc.styles["Normal"]
        style.next_paragraph_style = self.doc.styles["Normal"]
        style.quick_style = True
        fmt, font = style.paragraph_format, style.font
        if name == CITATION:  # small grey type under the quotation, not a Caption (a table of figures takes those)
            font.size, font.italic, font.color.rgb = Pt(9), True, RGBColor(0x59, 0x59, 0x59)
            fmt.left_indent, fmt.space_before, fmt.space_after = Inches(0.5), Pt(2), Pt(10)
        elif name == EXCERPT_MEMO:  # indented under its excerpt, with a rule on the left
            font.size = Pt(10)
            fmt.left_indent, fmt.space_before, fmt.space_after = Inches(0.75), Pt(0), Pt(10)
            _left_rule(style.element.get_or_add_pPr())
        elif name == SOURCE_SUMMARY:  # the line that opens a source's excerpts under a code
            font.size, font.bold = Pt(10), True
            fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(10), Pt(2), True

    def paragraph(self, text: str = "", style: str | None = None, *, keep_with_next: bool = False) -> Paragraph:
        """A paragraph appended at the end; text in a right-to-left script is marked so (Hebrew, Arabic).

        `keep_with_next` keeps it on the page of the paragraph after it (a quotation with its citation).
        """
        p = _new("w:p")
        self._end.addprevious(p)
        para = Paragraph(p, self.doc._body)
        if style is not None or keep_with_next:
            ppr = _new("w:pPr")
            p.append(ppr)
            if style is not None:
                pstyle = _new("w:pStyle")
                pstyle.set(qn("w:val"), self.style_id(style))
                ppr.append(pstyle)
            if keep_with_next:  # built directly: python-docx's property searches the schema order each time
                ppr.append(_new("w:keepNext"))
        if text:
            text = xml_safe(text)
            rtl = is_right_to_left(text)
            if rtl:
                p.get_or_add_pPr().append(_new("w:bidi"))
            p.append(_text_run(text, rtl=rtl))
        return para

    def labelled(self, label: str, text: str, style: str | None = None) -> Paragraph:
        """A paragraph that starts with a bold label, such as 'Definition:' or 'Memo:'."""
        para = self.paragraph(style=style)
        para.add_run(label + " ").bold = True
        text = xml_safe(text)
        rtl = is_right_to_left(text)
        if rtl:
            para._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
        para._p.append(_text_run(text, rtl=rtl))
        return para

    def heading(self, text: str, level: int, color: str | None = None) -> Paragraph:
        """A Heading n paragraph (bookmarked for the contents), with a small coloured marker when given."""
        level = max(1, min(9, level))
        para = self.paragraph(style=f"Heading {level}")
        bookmark = f"_Toc_qcode_{len(self._headings) + 1}"
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(len(self._headings) + 1))
        start.set(qn("w:name"), bookmark)
        para._p.append(start)
        if color:
            marker = para.add_run(MARKER + " ")
            marker.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        para.add_run(xml_safe(text))
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(len(self._headings) + 1))
        para._p.append(end)
        self._headings.append((level, xml_safe(text), bookmark))
        return para

    def page_break(self) -> None:
        """Start a new page."""
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table_of_contents(self, levels: int = 3) -> None:
        """A contents page: entries (styles TOC 1-9) that link to the headings, each with a PAGEREF field.

        The page numbers are fields that LibreOffice computes as it lays the document out; Word shows them
        once fields are updated (select all, F9) and when it prints. The entries are not wrapped in a TOC
        field (LibreOffice would show such a field's saved text and leave the numbers out), and no "update
        fields on opening" flag is set, so Word opens the file without asking about other files.
        """
        self.paragraph("Contents", "TOC Heading")
        self._toc = (self.paragraph(), levels)

    def _fill_contents(self) -> None:
        if self._toc is None:
            return
        placeholder, levels = self._toc
        entries = [(level, text, mark) for level, text, mark in self._headings if level <= levels]
        paragraphs = []
        for level, text, mark in entries:
            para = self._toc_paragraph(level)
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), mark)
            link.set(qn("w:history"), "1")
            para._p.append(link)
            link.append(_text_run(text))
            link.append(_text_run("\t"))
            for run in field_runs(f"PAGEREF {mark} \\h", ""):
                link.append(run)
            paragraphs.append(para._p)
        if not paragraphs:
            para = self._toc_paragraph(1)
            para._p.append(_text_run(TOC_PLACEHOLDER))
            paragraphs.append(para._p)
        for p in paragraphs:
            placeholder._p.addprevious(p)
        placeholder._p.getparent().remove(placeholder._p)
        self._toc = None

    def _toc_paragraph(self, level: int) -> Paragraph:
        name = f"toc {level}"
        if name not in self._style_ids:
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"]
            style.next_paragraph_style = self.doc.styles["Normal"]
            style.paragraph_format.left_indent = Inches(0.25 * (level - 1))
            style.paragraph_format.space_after = Pt(3)
            style.paragraph_format.tab_stops.add_tab_stop(Inches(self.text_width), WD_TAB_ALIGNMENT.RIGHT,
                                                          WD_TAB_LEADER.DOTS)
        return self.paragraph(style=name)

    def table(
        self, columns: tuple[str, ...], rows: list[tuple[Any, ...]], *, depths: tuple[int, ...] = (),
        widths: tuple[float, ...] = (), numbers_right: bool = True, font_size: float | None = None,
        tight: bool = False, rotate_headers: bool = False, places: tuple[int, ...] = (),
    ) -> DocxTable:
        """A Table Grid table whose header row repeats on every page and whose rows never break across pages.

        With `depths`, the first column shows each code's name indented by its depth; numbers are aligned
        right. `font_size` (points) and `tight` (less padding beside the text) make wide tables fit;
        `rotate_headers` turns the titles of the columns after the first to read upwards, for narrow columns.
        `places` gives each column's decimals for its fractional numbers (default: two).
        """
        table = self.doc.add_table(rows=1, cols=len(columns))
        self._end.addprevious(table._tbl)  # keep document order with the fast-appended paragraphs
        table.style = self.doc.styles["Table Grid"]
        table.autofit = not widths
        if tight:
            margins = OxmlElement("w:tblCellMar")
            for side in ("left", "right"):
                width = OxmlElement(f"w:{side}")
                width.set(qn("w:w"), "57")
                width.set(qn("w:type"), "dxa")
                margins.append(width)
            table._tbl.tblPr.append(margins)
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for index, (cell, title) in enumerate(zip(header.cells, columns, strict=True)):
            run = cell.paragraphs[0].add_run(xml_safe(str(title)))
            run.bold = True
            if font_size:
                run.font.size = Pt(font_size)
            if rotate_headers and index > 0:
                direction = OxmlElement("w:textDirection")
                direction.set(qn("w:val"), "btLr")
                cell._tc.get_or_add_tcPr().append(direction)
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT  # read from the bottom of the cell up
        if rotate_headers:  # tall enough for the longest title, read upwards
            longest = max((len(str(c)) for c in columns[1:]), default=0)
            height = OxmlElement("w:trHeight")
            height.set(qn("w:val"), str(int(min(170, 14 + longest * 0.62 * (font_size or 10)) * 20)))
            height.set(qn("w:hRule"), "atLeast")
            header._tr.get_or_add_trPr().append(height)
        for number, row in enumerate(rows):
            added = table.add_row()
            keep = OxmlElement("w:cantSplit")
            keep.set(qn("w:val"), "true")
            added._tr.get_or_add_trPr().append(keep)
            cells = added.cells
            for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
                if isinstance(value, float):
                    decimals = places[index] if index < len(places) else 2
                    text = f"{value:.{decimals}f}"
                    text = text.removeprefix("-") if float(text) == 0 else text  # never "-0.00"
                else:
                    text = "" if value is None else str(value)
                para = cell.paragraphs[0]
                if index == 0 and depths:
                    text = text.rsplit(" > ", 1)[-1]
                    para.paragraph_format.left_indent = Inches(0.2 * depths[number])
                run = para.add_run(xml_safe(text))
                if font_size:
                    run.font.size = Pt(font_size)
                if numbers_right and isinstance(value, int | float) and not isinstance(value, bool):
                    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if numbers_right and not rotate_headers:  # upward titles start at the bottom of their cells
            for index in range(len(columns)):
                if rows and all(isinstance(r[index], int | float) for r in rows):
                    header.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if widths:
            for column, width in zip(table.columns, widths, strict=False):
                column.width = Inches(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=False):
                    cell.width = Inches(width)
        return cast(DocxTable, table)

    def save(self, target: Path) -> Path:
        """Fill the contents page and write the file in one piece."""
        self._fill_contents()
        with atomic_output(target, suffix=".docx") as temp:
            self.doc.save(str(temp))
        return target


_TEMPLATE = OxmlElement("w:p")


def _new(tag: str) -> Any:
    """An element such as 'w:r', made without the XML parsing `OxmlElement` does (ten times faster)."""
    return _TEMPLATE.makeelement(qn(tag))


_RTL_LETTERS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_BREAKS = re.compile(r"(\r\n|\n|\r|\t)")


def is_right_to_left(text: str) -> bool:
    """True when most of the text's letters belong to right-to-left scripts (Hebrew, Arabic, Syriac ...).

    Counting all letters, not the first, keeps "Al: <Hebrew words>" (a Latin speaker label) right-to-left.
    """
    if not _RTL_LETTERS.search(text):  # the common case, at C speed
        return False
    rtl = ltr = 0
    for ch in text[:2000]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > ltr


def mark_right_to_left(para: Paragraph) -> None:
    """Mark a paragraph (and its runs) right-to-left when its text is in a right-to-left script."""
    if not is_right_to_left(para.text):
        return
    para._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *_AFTER_BORDERS[10:])
    for run in para.runs:
        run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _left_rule(ppr: Any) -> None:
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "A0A0A0")):
        left.set(qn(key), value)
    borders.append(left)
    ppr.insert_element_before(borders, *_AFTER_BORDERS)  # in the order the schema sets


_AFTER_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                  "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _text_run(text: str, *, rtl: bool = False) -> Any:
    """A w:r holding `text` with its line breaks and tabs, built directly (python-docx goes char by char)."""
    run = _new("w:r")
    if rtl:
        props = _new("w:rPr")
        props.append(_new("w:rtl"))
        run.append(props)
    for part in _BREAKS.split(text):
        if not part:
            continue
        if part == "\t":
            run.append(_new("w:tab"))
        elif part in ("\n", "\r", "\r\n"):
            run.append(_new("w:br"))
        else:
            t = _new("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = part
            run.append(t)
    return run


def _field_runs(instruction: str) -> list[Any]:
    """The runs of a complex field around content added between them: begin, instruction, separate, end."""
    runs = []
    for kind in ("begin", "instr", "separate", "end"):
        run = OxmlElement("w:r")
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run.append(instr)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.append(fld)
        runs.append(run)
    return runs


def field_runs(instruction: str, shown: str) -> list[Any]:
    """A whole field (PAGE, NUMPAGES, PAGEREF ...) showing `shown` until the program computes it."""
    begin, instr, separate, end = _field_runs(instruction)
    return [begin, instr, separate, *([_text_run(shown)] if shown else []), end]
