"""The building blocks of qcode's Word files: fast paragraphs, headings, a filled table of contents, tables.

Only Word's built-in styles are used (Title, Subtitle, Heading 1..9, TOC Heading, TOC 1..9, Quote, Caption,
Table Grid), so a user restyles a whole report in one place. Paragraphs are appended straight before the
section properties: python-docx's `add_paragraph` searches the body on every call, which is quadratic over
thousands of excerpts.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from qcode.core.exporters.safety import atomic_output, xml_safe

MARKER = "■"
TOC_PLACEHOLDER = "Right-click here and choose Update Field to refresh the table of contents and its page numbers."


class WordDocument:
    """A python-docx document with fast appending and the few building blocks the reports need."""

    def __init__(self, *, title: str = "", subject: str = "", landscape: bool = False,
                 margins: float | None = None) -> None:
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
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        p = OxmlElement("w:p")
        self._end.addprevious(p)
        para = Paragraph(p, self.doc._body)
        if style is not None:
            ppr = p.get_or_add_pPr()
            pstyle = OxmlElement("w:pStyle")
            pstyle.set(qn("w:val"), self.style_id(style))
            ppr.insert(0, pstyle)
        if text:
            p.append(_text_run(xml_safe(text)))
        return para

    def labelled(self, label: str, text: str) -> Paragraph:
        """A Normal paragraph that starts with a bold label, such as 'Definition:' or 'Memo:'."""
        para = self.paragraph()
        para.add_run(label + " ").bold = True
        para._p.append(_text_run(xml_safe(text)))
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
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table_of_contents(self, levels: int = 3) -> None:
        """A TOC field, filled with the headings when saved and refreshed by Word on opening (updateFields)."""
        self.paragraph("Contents", "TOC Heading")
        self._toc = (self.paragraph(), levels)
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

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
            link.append(_text_run(text))  # page numbers come when Word refreshes the field on opening
            paragraphs.append(para._p)
        if not paragraphs:
            para = self._toc_paragraph(1)
            para._p.append(_text_run(TOC_PLACEHOLDER))
            paragraphs.append(para._p)
        for p in paragraphs:
            placeholder._p.addprevious(p)
        begin, instr, separate, end = _field_runs(f'TOC \\o "1-{levels}" \\h \\z \\u')
        first = paragraphs[0]
        first_ppr = first.find(qn("w:pPr"))
        anchor = first_ppr if first_ppr is not None else None
        for run in (separate, instr, begin):
            if anchor is not None:
                anchor.addnext(run)
            else:
                first.insert(0, run)
        paragraphs[-1].append(end)
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
        tight: bool = False,
    ) -> DocxTable:
        """A Table Grid table whose header row repeats on every page.

        With `depths`, the first column shows each code's name indented by its depth; numbers are aligned
        right. `font_size` (points) and `tight` (less padding beside the text) make wide tables fit.
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
        for cell, title in zip(header.cells, columns, strict=True):
            run = cell.paragraphs[0].add_run(xml_safe(str(title)))
            run.bold = True
            if font_size:
                run.font.size = Pt(font_size)
        for number, row in enumerate(rows):
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
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
        if numbers_right:
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
        self._fill_contents()
        with atomic_output(target, suffix=".docx") as temp:
            self.doc.save(str(temp))
        return target


_BREAKS = re.compile(r"(\r\n|\n|\r|\t)")


def _text_run(text: str) -> object:
    """A w:r holding `text` with its line breaks and tabs, built directly (python-docx goes char by char)."""
    run = OxmlElement("w:r")
    for part in _BREAKS.split(text):
        if not part:
            continue
        if part == "\t":
            run.append(OxmlElement("w:tab"))
        elif part in ("\n", "\r", "\r\n"):
            run.append(OxmlElement("w:br"))
        else:
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = part
            run.append(t)
    return run


def _field_runs(instruction: str) -> list[Any]:
    """The runs of a complex field that Word recomputes: begin (marked dirty), instruction, separate, end."""
    runs = []
    for kind in ("begin", "instr", "separate", "end"):
        run = OxmlElement("w:r")
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run.append(instr)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                fld.set(qn("w:dirty"), "true")
            run.append(fld)
        runs.append(run)
    return runs
