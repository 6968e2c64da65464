"""Word reports (python-docx): coded excerpts, memos, a coded transcript, the codebook.

Only Word's built-in styles are used (Title, Heading 1..9, Quote, Caption, Table Grid), so a user restyles
a whole report in one place. Paragraphs are appended straight before the section properties: python-docx's
`add_paragraph` searches the body on every call, which is quadratic over thousands of excerpts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from qcode.core.errors import QcodeError
from qcode.core.exporters.safety import atomic_output, xml_safe
from qcode.core.exporters.tables import ExcerptData, Table
from qcode.core.model import Code
from qcode.core.progress import Progress
from qcode.core.project import Project

MARKER = "■"


class WordDocument:
    """A python-docx document with fast appending and the few building blocks the reports need."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self._body = self.doc.element.body
        self._end = self._body.sectPr
        self._style_ids: dict[str, str] = {}

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
            para.add_run(xml_safe(text))
        return para

    def heading(self, text: str, level: int, color: str | None = None) -> Paragraph:
        para = self.paragraph(style=f"Heading {max(1, min(9, level))}")
        if color:
            marker = para.add_run(MARKER + " ")
            marker.font.color.rgb = RGBColor.from_string(color.lstrip("#").upper())
        para.add_run(xml_safe(text))
        return para

    def page_break(self) -> None:
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table_of_contents(self, levels: int = 3) -> None:
        """A TOC field that Word fills when the document opens (updateFields is set in the settings)."""
        self.paragraph("Contents", "Subtitle")
        para = self.paragraph()
        for kind, text in (("begin", None), ("instr", f'TOC \\o "1-{levels}" \\h \\z \\u'), ("separate", None),
                           ("text", "Right-click here and choose Update Field to show the table of contents."),
                           ("end", None)):
            run = para.add_run()
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = text
                run._r.append(instr)
            elif kind == "text":
                run.text = text or ""
            else:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._r.append(fld)
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)

    def table(
        self, columns: tuple[str, ...], rows: list[tuple], *, depths: tuple[int, ...] = (),
        widths: tuple[float, ...] = (),
    ) -> DocxTable:
        """A Table Grid table; with `depths`, the first column shows each code's name indented by its depth."""
        table = self.doc.add_table(rows=1, cols=len(columns))
        self._end.addprevious(table._tbl)  # keep document order with the fast-appended paragraphs
        table.style = self.doc.styles["Table Grid"]
        table.autofit = not widths
        for cell, title in zip(table.rows[0].cells, columns, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(xml_safe(str(title))).bold = True
        for number, row in enumerate(rows):
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
                text = "" if value is None else str(value)
                if index == 0 and depths:
                    text = "    " * depths[number] + text.rsplit(" > ", 1)[-1]
                cell.text = xml_safe(text)
        if widths:
            for column, width in zip(table.columns, widths, strict=False):
                column.width = Inches(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=False):
                    cell.width = Inches(width)
        return table

    def save(self, target: Path) -> Path:
        with atomic_output(target, suffix=".docx") as temp:
            self.doc.save(str(temp))
        return target


def _title_page(word: WordDocument, title: str, project: Project, today: date, filters: str, extra: str = "") -> None:
    word.paragraph(title, "Title")
    word.paragraph(project.name, "Subtitle")
    word.paragraph(f"Exported from qcode on {today.isoformat()}")
    coders = ", ".join(c.name for c in project.coders()) or "none"
    word.paragraph(f"Coders: {coders}")
    word.paragraph(f"Filters: {filters or 'none (everything in the project)'}")
    if extra:
        word.paragraph(extra)
    word.page_break()


def _check(progress: Progress | None, done: int, total: int, text: str) -> None:
    if progress is None:
        return
    if progress.cancelled():
        raise QcodeError("The export was cancelled; no file was written.")
    progress.step(done, total, text)


def excerpts_report(
    project: Project,
    data: ExcerptData,
    target: Path,
    *,
    today: date,
    filters: str = "",
    frequencies: Table | None = None,
    progress: Progress | None = None,
) -> Path:
    """One section per code (heading level = depth), its definition, then its excerpts with citations."""
    word = WordDocument()
    _title_page(word, "Coded excerpts", project, today, filters)
    word.table_of_contents()
    word.page_break()
    by_code: dict[int, list] = defaultdict(list)
    for excerpt in data.excerpts:
        by_code[excerpt.coding.code_id].append(excerpt)
    codes = project.codes()
    depth = {r.code_id: r.depth for r in project.frequencies()}
    has_excerpts_below = _codes_with_excerpts_below(codes, by_code)
    done = 0
    for code in codes:
        if code.id not in has_excerpts_below:
            continue
        word.heading(code.name, depth[code.id] + 1, code.color)
        if code.definition:
            word.paragraph(code.definition).runs[0].italic = True
        for excerpt in by_code.get(code.id, []):
            coding = excerpt.coding
            word.paragraph(excerpt.text, "Quote")
            citation = [excerpt.source_name, excerpt.location]
            cases = data.case_names.get(coding.id)
            if cases:
                citation.append("Case: " + "; ".join(cases))
            citation.append("Coder: " + data.coder_names.get(coding.coder_id, ""))
            word.paragraph(" · ".join(p for p in citation if p), "Caption")
            memo = data.memos.get(coding.id)
            if memo:
                para = word.paragraph()
                para.add_run("Memo: ").bold = True
                para.add_run(xml_safe(memo))
            done += 1
            if done % 500 == 0:
                _check(progress, done, len(data.excerpts), "Writing excerpts")
    if not data.excerpts:
        word.paragraph("No excerpts match the filters of this export.")
    if frequencies is not None:
        word.heading("Code frequencies", 1)
        word.paragraph("Each code's numbers include its sub-codes. Characters count the coded text once where "
                       "codings overlap.", "Caption")
        word.table(frequencies.columns, frequencies.rows, depths=frequencies.depths,
                   widths=(2.5, 0.9, 0.9, 0.8, 1.1))
    return word.save(target)


def _codes_with_excerpts_below(codes: list[Code], by_code: dict[int, list]) -> set[int]:
    """Codes that have excerpts themselves or in a descendant (so the hierarchy of headings stays whole)."""
    parent = {c.id: c.parent_id for c in codes}
    keep: set[int] = set()
    for code_id in by_code:
        current: int | None = code_id
        while current is not None and current not in keep:
            keep.add(current)
            current = parent.get(current)
    return keep


def codebook_document(project: Project, table: Table, target: Path, *, today: date) -> Path:
    """The codebook as one table, the way method appendices publish it."""
    word = WordDocument()
    section = word.doc.sections[0]
    from docx.enum.section import WD_ORIENT

    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    word.paragraph("Codebook", "Title")
    word.paragraph(f"{project.name} · exported from qcode on {today.isoformat()}", "Subtitle")
    columns = ("Code", "Definition", "Inclusion criteria", "Exclusion criteria", "Example", "Excerpts", "Sources")
    word.table(columns, table.rows, widths=(1.6, 1.9, 1.4, 1.4, 1.3, 0.7, 0.7))
    return word.save(target)


def memos_document(project: Project, target: Path, *, today: date) -> Path:
    """The project journal, then every memo grouped by what it annotates."""
    word = WordDocument()
    _title_page(word, "Memos", project, today, "")
    journal = project.journal()
    word.heading("Project journal", 1)
    for block in (journal or "(empty)").split("\n\n"):
        word.paragraph(block)
    memos = project.memos()
    groups = (("source", "Memos on sources"), ("code", "Memos on codes"), ("coding", "Memos on codings"),
              ("case", "Memos on cases"), ("range", "Memos on passages"))
    for kind, title in groups:
        chosen = [m for m in memos if m.target_kind == kind]
        if not chosen:
            continue
        word.heading(title, 1)
        for memo in chosen:
            word.heading(_memo_subject(project, memo), 2)
            if kind in ("coding", "range"):
                source_id, start, end = _memo_range(project, memo)
                word.paragraph(project.source_slice(source_id, start, end), "Quote")
                word.paragraph(f"{project.source(source_id).name}, {project.describe_location(source_id, start)}",
                               "Caption")
            for block in memo.text.split("\n\n"):
                word.paragraph(block)
    return word.save(target)


def _memo_range(project: Project, memo) -> tuple[int, int, int]:
    if memo.target_kind == "coding":
        coding = project.coding(memo.target_id)
        return coding.source_id, coding.start, coding.end
    return memo.source_id, memo.start, memo.end


def _memo_subject(project: Project, memo) -> str:
    if memo.target_kind == "source":
        return project.source_path(memo.target_id)
    if memo.target_kind == "code":
        return project.code_path(memo.target_id, separator=" > ")
    if memo.target_kind == "case":
        return project.case(memo.target_id).name
    if memo.target_kind == "coding":
        coding = project.coding(memo.target_id)
        return f"{project.code_path(coding.code_id, separator=' > ')} in {project.source(coding.source_id).name}"
    return f"Passage in {project.source(memo.source_id).name}"


def transcript_document(project: Project, source_id: int, target: Path, *, today: date) -> Path:
    """A source's text paragraph by paragraph, with the codes applied to each paragraph beside it."""
    source = project.source(source_id)
    text = project.source_text(source_id)
    codes = {c.id: c for c in project.codes()}
    coders = {c.id: c.name for c in project.coders()}
    codings = project.codings_for_source(source_id)
    word = WordDocument()
    word.paragraph(source.name, "Title")
    word.paragraph(f"{project.name} · coded transcript exported from qcode on {today.isoformat()}", "Subtitle")
    paragraphs = [s for s in project.spans(source_id, "paragraph")] or []
    if not paragraphs:
        from qcode.core.model import Span

        paragraphs = [Span("paragraph", 0, len(text))]
    table = word.doc.add_table(rows=0, cols=3)
    word._end.addprevious(table._tbl)
    table.style = word.doc.styles["Table Grid"]
    for number, span in enumerate(paragraphs, start=1):
        row = table.add_row().cells
        row[0].text = str(number)
        row[1].text = xml_safe(text[span.start:span.end])
        para = row[2].paragraphs[0]
        here = [c for c in codings if c.start < max(span.end, span.start + 1) and c.end > span.start]
        seen: set[tuple[int, int]] = set()
        for coding in here:
            key = (coding.code_id, coding.coder_id)
            if key in seen:
                continue
            seen.add(key)
            code = codes[coding.code_id]
            if para.runs:
                para.add_run("\n")
            marker = para.add_run(MARKER + " ")
            marker.font.color.rgb = RGBColor.from_string(code.color.lstrip("#").upper())
            label = para.add_run(f"{code.name} ({coders.get(coding.coder_id, '')})")
            label.font.size = Pt(8)
    return word.save(target)
