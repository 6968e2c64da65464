"""Word reports (python-docx): coded excerpts, memos, a coded transcript, the codebook.

Only Word's built-in styles are used (see `word`), so a user restyles a whole report in one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from docx.shared import Inches, Pt, RGBColor

from qcode.core.errors import QcodeError
from qcode.core.exporters.safety import xml_safe
from qcode.core.exporters.tables import ExcerptData, Table
from qcode.core.exporters.word import MARKER, WordDocument
from qcode.core.model import Code, Memo
from qcode.core.progress import Progress
from qcode.core.project import Project


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


FREQUENCY_HEADERS = {"code": "Code", "excerpts": "Excerpts", "sources": "Sources", "cases": "Cases",
                     "characters": "Characters"}


def table_headers(columns: tuple[str, ...]) -> tuple[str, ...]:
    """Column titles as a reader expects them ('Excerpts', not 'excerpts'); group names stay as they are."""
    return tuple(FREQUENCY_HEADERS.get(c, c) for c in columns)


FREQUENCY_CAPTION = ("Each code's numbers include its sub-codes. Characters count the coded text once where "
                     "codings overlap.")
MATRIX_CAPTION = "Each cell counts the excerpts of a code, with its sub-codes, in one group."


def frequency_table_section(word: WordDocument, table: Table, title: str, caption: str = FREQUENCY_CAPTION,
                            level: int = 1) -> None:
    """A frequency or matrix table under its heading, with a caption saying what its numbers count."""
    word.heading(title, level)
    word.paragraph(caption, "Caption")
    _code_table(word, table)


def _code_table(word: WordDocument, table: Table) -> None:
    """A table of codes (indented by depth) and numbers, filling the width between the margins."""
    count = len(table.columns)
    if count <= 6:  # an inch for each number column, so that 'Characters' fits on one line
        first = max(2.0, min(3.0, word.text_width - 1.0 * (count - 1)))
    else:
        first = 2.2 if count <= 11 else 1.9
    rest = (word.text_width - first) / max(1, count - 1)
    word.table(table_headers(table.columns), table.rows, depths=table.depths,
               widths=(first, *([rest] * (count - 1))), font_size=10 if count <= 6 else 9 if count <= 11 else 8,
               tight=True)


def table_document(project: Project, table: Table, target: Path, *, title: str, caption: str, today: date,
                   filters: str = "") -> Path:
    """A frequency or matrix table as a document of its own."""
    wide = len(table.columns) > 6
    word = WordDocument(title=title, subject=project.name, landscape=wide, margins=0.75 if wide else None)
    word.paragraph(title, "Title")
    word.paragraph(f"{project.name} · exported from qcode on {today.isoformat()}", "Subtitle")
    word.paragraph(f"Filters: {filters or 'none (everything in the project)'}")
    word.paragraph(caption, "Caption")
    longest = max((len(str(c)) for c in table.columns[1:]), default=0)
    size = GROUPS_PER_TABLE if longest <= 16 else 8  # long group names (source paths) need wider columns
    parts = split_columns(table, size)
    for number, part in enumerate(parts, start=1):
        if len(parts) > 1:
            first, last = (number - 1) * size + 1, (number - 1) * size + len(part.columns) - 1
            label = word.paragraph(f"Table {number} of {len(parts)}: groups {first}–{last} of "
                                   f"{len(table.columns) - 1}", "Caption")
            label.paragraph_format.keep_with_next = True
        _code_table(word, part)
    if table.note:
        word.paragraph(table.note, "Caption")
    return word.save(target)


GROUPS_PER_TABLE = 12  # columns beside the codes that a landscape page holds (Word allows 63 at most)


def split_columns(table: Table, size: int) -> list[Table]:
    """The table as several, each with the code column and at most `size` of the others."""
    others = len(table.columns) - 1
    if others <= size:
        return [table]
    return [Table((table.columns[0], *table.columns[start + 1:start + 1 + size]),
                  [(row[0], *row[start + 1:start + 1 + size]) for row in table.rows], table.depths)
            for start in range(0, others, size)]


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
    word = WordDocument(title="Coded excerpts", subject=project.name)
    _title_page(word, "Coded excerpts", project, today, filters, "Codes without excerpts are left out.")
    word.table_of_contents()
    word.page_break()
    by_code: dict[int, list[Any]] = defaultdict(list)
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
            word.labelled("Definition:", code.definition)
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
                word.labelled("Memo:", memo)
            done += 1
            if done % 500 == 0:
                _check(progress, done, len(data.excerpts), "Writing excerpts")
    _check(progress, done, len(data.excerpts), "Saving")
    if not data.excerpts:
        word.paragraph("No excerpts match the filters of this export.")
    if frequencies is not None:
        frequency_table_section(word, frequencies, "Code frequencies")
    return word.save(target)


def _codes_with_excerpts_below(codes: list[Code], by_code: dict[int, list[Any]]) -> set[int]:
    """Codes that have excerpts themselves or in a descendant (so the hierarchy of headings stays whole)."""
    parent = {c.id: c.parent_id for c in codes}
    keep: set[int] = set()
    for code_id in by_code:
        current: int | None = code_id
        while current is not None and current not in keep:
            keep.add(current)
            current = parent.get(current)
    return keep


CODEBOOK_HEADERS = ("Code", "Definition", "Inclusion criteria", "Exclusion criteria", "Example", "Excerpts",
                    "Sources")
CODEBOOK_WIDTHS = (1.35, 1.9, 1.45, 1.45, 1.45, 0.95, 0.95)  # inches: 9.5, a landscape page within 0.75" margins


def codebook_document(project: Project, table: Table, target: Path, *, today: date) -> Path:
    """The codebook as one table, the way method appendices publish it."""
    word = WordDocument(title="Codebook", subject=project.name, landscape=True, margins=0.75)
    word.paragraph("Codebook", "Title")
    word.paragraph(f"{project.name} · exported from qcode on {today.isoformat()}", "Subtitle")
    word.table(CODEBOOK_HEADERS, table.rows, widths=CODEBOOK_WIDTHS)
    return word.save(target)


MEMO_GROUPS = (("source", "Memos on sources"), ("code", "Memos on codes"), ("case", "Memos on cases"),
               ("coding", "Memos on codings"), ("range", "Memos on passages"))


def memos_document(project: Project, target: Path, *, today: date) -> Path:
    """The project journal, then every memo grouped by what it annotates, each group in reading order."""
    word = WordDocument(title="Memos", subject=project.name)
    _title_page(word, "Memos", project, today, "")
    word.table_of_contents(levels=1)
    word.page_break()
    journal = project.journal()
    word.heading("Project journal", 1)
    for block in (journal or "(empty)").split("\n\n"):
        word.paragraph(block)
    memos = project.memos()
    order = _memo_order(project)
    coders = {c.id: c.name for c in project.coders()}
    for kind, title in MEMO_GROUPS:
        chosen = sorted((m for m in memos if m.target_kind == kind), key=lambda m: order(m))
        if not chosen:
            continue
        word.heading(title, 1)
        for memo in chosen:
            word.heading(_memo_subject(project, memo), 2)
            if kind in ("coding", "range"):
                source_id, start, end = _memo_range(project, memo)
                word.paragraph(project.source_slice(source_id, start, end), "Quote")
                word.paragraph(f"{project.source(source_id).name} · {project.describe_location(source_id, start)}",
                               "Caption")
            for block in memo.text.split("\n\n"):
                word.paragraph(block)
            written = [f"by {coders[memo.coder_id]}" if memo.coder_id in coders else "",
                       f"last changed {memo.updated_at[:10]}" if memo.updated_at else ""]
            if any(written):
                word.paragraph("Memo " + ", ".join(w for w in written if w), "Caption")
    return word.save(target)


def _memo_order(project: Project) -> Callable[[Memo], tuple[Any, ...]]:
    """Sort keys that put memos in the order a reader meets their targets (tree, source and text order)."""
    source_rank = {s.id: n for n, s in enumerate(project.sources())}
    code_rank = {c.id: n for n, c in enumerate(project.codes())}
    case_name = {c.id: c.name.casefold() for c in project.cases()}

    def key(memo: Memo) -> tuple[Any, ...]:
        target = memo.target_id or 0
        if memo.target_kind == "source":
            return (source_rank.get(target, 0),)
        if memo.target_kind == "code":
            return (code_rank.get(target, 0),)
        if memo.target_kind == "case":
            return (case_name.get(target, ""),)
        source_id, start, end = _memo_range(project, memo)
        tie = code_rank.get(project.coding(target).code_id, 0) if memo.target_kind == "coding" else 0
        return (source_rank.get(source_id, 0), start, end, tie)

    return key


def _memo_range(project: Project, memo: Memo) -> tuple[int, int, int]:
    if memo.target_kind == "coding":
        coding = project.coding(memo.target_id or 0)
        return coding.source_id, coding.start, coding.end
    return memo.source_id or 0, memo.start or 0, memo.end or 0


def _memo_subject(project: Project, memo: Memo) -> str:
    if memo.target_kind == "source":
        return project.source_path(memo.target_id or 0)
    if memo.target_kind == "code":
        return project.code_path(memo.target_id or 0, separator=" > ")
    if memo.target_kind == "case":
        return project.case(memo.target_id or 0).name
    if memo.target_kind == "coding":
        coding = project.coding(memo.target_id or 0)
        return f"{project.code_path(coding.code_id, separator=' > ')} in {project.source(coding.source_id).name}"
    return f"Passage in {project.source(memo.source_id or 0).name}"


TRANSCRIPT_WIDTHS = (0.45, 3.75, 1.8)  # inches: paragraph number, text, codes (6" between the margins)


def transcript_document(project: Project, source_id: int, target: Path, *, today: date) -> Path:
    """A source's text paragraph by paragraph, with the codes applied to each paragraph beside it."""
    from qcode.core.model import Span

    source = project.source(source_id)
    text = project.source_text(source_id)
    codes = {c.id: c for c in project.codes()}
    code_rank = {c.id: n for n, c in enumerate(project.codes())}
    coders = {c.id: c.name for c in project.coders()}
    codings = project.codings_for_source(source_id)
    word = WordDocument(title=f"{source.name}: coded transcript", subject=project.name)
    word.paragraph(source.name, "Title")
    word.paragraph(f"{project.name} · coded transcript exported from qcode on {today.isoformat()}", "Subtitle")
    word.paragraph(f"Source: {project.source_path(source_id)}. Each row is one paragraph; the codes applied "
                   "to any part of it are listed beside it, with their coders.", "Caption")
    paragraphs = list(project.spans(source_id, "paragraph")) or [Span("paragraph", 0, len(text))]
    table = word.table(("¶", "Text", "Codes"), [], widths=TRANSCRIPT_WIDTHS, numbers_right=False)
    for number, span in enumerate(paragraphs, start=1):
        row = table.add_row().cells  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
        for cell, width in zip(row, TRANSCRIPT_WIDTHS, strict=True):
            cell.width = Inches(width)
        row[0].text = str(number)
        row[1].text = xml_safe(text[span.start:span.end])
        para = row[2].paragraphs[0]
        here = [c for c in codings if c.start < max(span.end, span.start + 1) and c.end > span.start]
        by_code: dict[int, list[str]] = defaultdict(list)
        for coding in here:
            name = coders.get(coding.coder_id, "")
            if name not in by_code[coding.code_id]:
                by_code[coding.code_id].append(name)
        for code_id in sorted(by_code, key=lambda c: code_rank.get(c, 0)):
            code = codes[code_id]
            if para.runs:
                para.add_run().add_break()
            marker = para.add_run(MARKER + " ")
            marker.font.color.rgb = RGBColor.from_string(code.color.lstrip("#").upper())
            marker.font.size = Pt(9)
            names = ", ".join(sorted((n for n in by_code[code_id] if n), key=str.casefold))
            label = para.add_run(xml_safe(code.name) + (f" ({names})" if names else ""))
            label.font.size = Pt(9)
    return word.save(target)
