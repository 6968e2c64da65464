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

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import InvalidRequestError, QcodeError
from qcode.core.exporters import FILTERS, ExportRequest, grouping_label, register
from qcode.core.exporters.safety import xml_safe
from qcode.core.exporters.scope import MemoScope, coders_in, codes_in_scope
from qcode.core.exporters.tables import (
    ExcerptData,
    Table,
    codebook_table,
    excerpt_data,
    frequency_table,
    matrix_table,
    source_coverage,
)
from qcode.core.exporters.word import CITATION, EXCERPT_MEMO, MARKER, SOURCE_SUMMARY, WordDocument, mark_right_to_left
from qcode.core.model import Code, Filter, Memo
from qcode.core.progress import Progress
from qcode.core.project import Project


def _title_page(word: WordDocument, title: str, project: Project, today: date, filters: str, extra: str = "", *,
                coders: list[str]) -> None:
    """The report's first page: what it is, of which project, when, whose codings, which filters."""
    word.paragraph(title, "Title")
    word.paragraph(project.name, "Subtitle")
    word.paragraph(f"Exported from qcode on {today.isoformat()}")
    word.paragraph(f"Coders: {', '.join(sorted(coders, key=str.casefold)) or 'none'}")
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


HEADERS = {"code": "Code", "excerpts": "Excerpts", "sources": "Sources", "cases": "Cases",
           "characters": "Characters", "coverage": "Coverage %", "group": "Group", "total": "Total"}


def table_headers(columns: tuple[str, ...], group: str = "Group") -> tuple[str, ...]:
    """Column titles as a reader expects them ('Excerpts', not 'excerpts'); group names stay as they are."""
    return tuple(group if c == "group" else HEADERS.get(c, c) for c in columns)


FREQUENCY_CAPTION = ("Each code's numbers include its sub-codes. Characters count the coded text once where "
                     "codings overlap; coverage is their share of the characters of the sources in scope.")
MATRIX_CAPTION = "Each cell counts the excerpts of a code, with its sub-codes, in one group."


def frequency_table_section(word: WordDocument, table: Table, title: str, caption: str = FREQUENCY_CAPTION,
                            level: int = 1) -> None:
    """A frequency or matrix table under its heading, with a caption saying what its numbers count."""
    word.heading(title, level)
    if not table.rows:
        word.paragraph(table.note)
        return
    word.paragraph(caption, "Caption")
    _code_table(word, table)


def _code_table(word: WordDocument, table: Table, *, font_size: float | None = None, group: str = "Group") -> None:
    """A table of codes (indented by depth) and numbers, filling the width between the margins."""
    count = len(table.columns)
    if count <= 7:  # 0.92" for each number column, so that 'Characters' fits on one line
        first = max(1.4, min(3.0, word.text_width - 0.92 * (count - 1)))
        if table.columns[0] == "group":
            first = (word.text_width - 0.9 * (count - 2)) / 2
    else:  # room for the code names, down to 0.4" for each group's column
        first = max(1.9, min(2.8, word.text_width - 0.4 * (count - 1)))
    rest = (word.text_width - first) / max(1, count - 1)
    widths = (first, *([rest] * (count - 1)))
    if table.columns[0] == "group":
        widths = (first, first, *([0.9] * (count - 2)))
    size = font_size or (10 if count <= 5 else 9 if count <= 11 else 8)
    word.table(table_headers(table.columns, group), table.rows, depths=table.depths, widths=widths,
               font_size=size, tight=True, rotate_headers=count > 7)


MAX_GROUPS_PER_TABLE = 20  # group columns one landscape table holds legibly (Word allows 63 columns at most)


def table_document(project: Project, table: Table, target: Path, *, title: str, caption: str, today: date,
                   filters: str = "", group: str = "Group", coders: list[str] | None = None) -> Path:
    """A frequency or matrix table as a document of its own.

    A matrix of up to `MAX_GROUPS_PER_TABLE` groups is one landscape table; a wider one is split into
    parts of even size, each with the code column and a caption saying which groups it holds.
    """
    coders = coders or []
    wide = len(table.columns) > 6
    word = WordDocument(title=title, subject=project.name, landscape=wide, margins=0.6 if wide else None,
                        header=project.name)
    word.paragraph(title, "Title")
    word.paragraph(f"{project.name} · exported from qcode on {today.isoformat()}", "Subtitle")
    word.paragraph(f"Filters: {filters or 'none (everything in the project)'}")
    word.paragraph(f"Coders: {', '.join(coders) or 'none'}")
    if not table.rows:
        word.paragraph(table.note)
        return word.save(target)
    word.paragraph(caption, "Caption")
    parts = split_columns(table, MAX_GROUPS_PER_TABLE)
    widest = max(len(part.columns) for part in parts)
    size = 9 if widest <= 15 else 8 if widest <= 19 else 7
    groups = len(table.columns) - 1 - (table.columns[-1] == "total")  # the total column is no group
    first = 1
    for number, part in enumerate(parts, start=1):
        if len(parts) > 1:
            last = min(groups, first + len(part.columns) - 2)  # the last part also holds the total column
            text = f"Table {number} of {len(parts)}: groups {first}–{last} of {groups}"
            label = word.paragraph(text + (" (continued)" if number > 1 else ""), "Caption")
            label.paragraph_format.keep_with_next = True
            if number > 1:
                label.paragraph_format.page_break_before = True
            first = last + 1
        _code_table(word, part, font_size=size, group=group)
    if table.note:
        word.paragraph(table.note, "Caption")
    return word.save(target)


def split_columns(table: Table, most: int) -> list[Table]:
    """The table as several of even width, each with the code column and at most `most` groups; a matrix's
    `total` column is no group and goes with the last part."""
    total = 1 if table.columns[-1] == "total" else 0
    groups = len(table.columns) - 1 - total
    if groups <= most:
        return [table]
    parts = -(-groups // most)
    base, extra = divmod(groups, parts)  # the first `extra` parts take one group more
    result, start = [], 0
    for number in range(parts):
        size = base + (1 if number < extra else 0) + (total if number == parts - 1 else 0)
        result.append(Table((table.columns[0], *table.columns[start + 1:start + 1 + size]),
                            [(row[0], *row[start + 1:start + 1 + size]) for row in table.rows], table.depths))
        start += size
    return result


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
    coders = {data.coder_names.get(e.coding.coder_id, "") for e in data.excerpts} - {""}
    _title_page(word, "Coded excerpts", project, today, filters, "Codes without excerpts are left out. Under "
                "each code, each source's excerpts are introduced by their number and the share of the source's "
                "text they cover.", coders=sorted(coders))
    word.table_of_contents()
    word.page_break()
    by_code: dict[int, list[Any]] = defaultdict(list)
    for excerpt in data.excerpts:
        by_code[excerpt.coding.code_id].append(excerpt)
    codes = project.codes()
    depth = {r.code_id: r.depth for r in project.frequencies()}
    has_excerpts_below = _codes_with_excerpts_below(codes, by_code)
    summary = source_coverage(project, data)
    done = 0
    for code in codes:
        if code.id not in has_excerpts_below:
            continue
        word.heading(code.name, depth[code.id] + 1, code.color)
        if code.definition:
            word.labelled("Definition:", code.definition)
        source_id = None
        for excerpt in by_code.get(code.id, []):
            coding = excerpt.coding
            if coding.source_id != source_id:  # "Interview 01: 3 excerpts, 4.2 % coverage"
                source_id = coding.source_id
                count, share = summary[(code.id, source_id)]
                word.paragraph(f"{excerpt.source_name}: {count} {'excerpt' if count == 1 else 'excerpts'}, "
                               f"{share:.1f} % coverage", SOURCE_SUMMARY)
            word.paragraph(excerpt.text, "Quote", keep_with_next=True)  # never a quotation without its citation
            citation = [excerpt.source_name, excerpt.location]
            cases = data.case_names.get(coding.id)
            if cases:
                citation.append("Case: " + "; ".join(cases))
            citation.append("Coder: " + data.coder_names.get(coding.coder_id, ""))
            memo = data.memos.get(coding.id)
            word.paragraph(" · ".join(p for p in citation if p), CITATION, keep_with_next=bool(memo))
            if memo:
                word.labelled("Memo:", memo, EXCERPT_MEMO)
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


def codebook_document(project: Project, table: Table, target: Path, *, today: date, filters: str = "") -> Path:
    """The codebook as one table, the way method appendices publish it (the branch a --code filter chose)."""
    word = WordDocument(title="Codebook", subject=project.name, landscape=True, margins=0.75)
    word.paragraph("Codebook", "Title")
    word.paragraph(f"{project.name} · exported from qcode on {today.isoformat()}", "Subtitle")
    if filters:
        word.paragraph(f"Filters: {filters}. The counts are of the excerpts the filters select.")
    word.table(CODEBOOK_HEADERS, table.rows, widths=CODEBOOK_WIDTHS, depths=table.depths)  # names, indented
    return word.save(target)


MEMO_GROUPS = (("source", "Memos on sources"), ("code", "Memos on codes"), ("case", "Memos on cases"),
               ("coding", "Memos on codings"), ("range", "Memos on passages"))


def memos_document(project: Project, target: Path, *, today: date, flt: Filter | None = None,
                   filters: str = "") -> Path:
    """The project journal, then every memo grouped by what it annotates, each group in reading order.

    With filters, only the memos of the chosen codes, sources, cases and coders (see `MemoScope`); the
    journal, which belongs to none of them, is then left out.
    """
    flt = flt or Filter()
    memos = MemoScope(project, flt).select(project.memos())
    names = {c.id: c.name for c in project.coders()}
    word = WordDocument(title="Memos", subject=project.name)
    _title_page(word, "Memos", project, today, filters,
                coders=sorted({names[m.coder_id] for m in memos if m.coder_id in names}))
    word.table_of_contents(levels=1)
    word.page_break()
    if flt.is_empty():
        journal = project.journal()
        word.heading("Project journal", 1)
        for block in (journal or "(empty)").split("\n\n"):
            word.paragraph(block)
    if not memos and not flt.is_empty():
        word.paragraph("No memos match the filters of this export.")
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
                               CITATION)
            for block in memo.text.split("\n\n"):
                word.paragraph(block)
            written = [f"by {coders[memo.coder_id]}" if memo.coder_id in coders else "",
                       f"last changed {memo.updated_at[:10]}" if memo.updated_at else ""]
            if any(written):
                word.paragraph("Memo " + ", ".join(w for w in written if w), CITATION)
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


def transcript_document(project: Project, source_id: int, target: Path, *, today: date,
                        flt: Filter | None = None, filters: str = "") -> Path:
    """A source's text paragraph by paragraph, with the codes applied to each paragraph beside it.

    Code and coder filters choose which codings are shown (a code with its sub-codes).
    """
    from qcode.core.model import Span

    flt = flt or Filter()
    source = project.source(source_id)
    text = project.source_text(source_id)
    codes = {c.id: c for c in project.codes()}
    code_rank = {c.id: n for n, c in enumerate(project.codes())}
    coders = {c.id: c.name for c in project.coders()}
    shown = codes_in_scope(project, flt)
    codings = [c for c in project.codings_for_source(source_id)
               if (shown is None or c.code_id in shown) and (not flt.coders or c.coder_id in flt.coders)]
    word = WordDocument(title=f"{source.name}: coded transcript", subject=project.name)
    word.paragraph(source.name, "Title")
    word.paragraph(f"{project.name} · coded transcript exported from qcode on {today.isoformat()}", "Subtitle")
    word.paragraph(f"Source: {project.source_path(source_id)}. Each row is one paragraph; the codes applied "
                   "to any part of it are listed beside it, with their coders.", "Caption")
    if filters:
        word.paragraph(f"Filters: {filters}.")
    paragraphs = list(project.spans(source_id, "paragraph")) or [Span("paragraph", 0, len(text))]
    table = word.table(("¶", "Text", "Codes"), [], widths=TRANSCRIPT_WIDTHS, numbers_right=False)
    for number, span in enumerate(paragraphs, start=1):
        row = table.add_row().cells  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
        for cell, width in zip(row, TRANSCRIPT_WIDTHS, strict=True):
            cell.width = Inches(width)
        row[0].text = str(number)
        row[1].text = xml_safe(text[span.start:span.end])
        mark_right_to_left(row[1].paragraphs[0])
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


# --- the Word exports -------------------------------------------------------------------------------------

@register("docx", "excerpts", accepts=FILTERS | {"no-frequency-table"})
@register("docx", "all", accepts=FILTERS | {"no-frequency-table"})
def _excerpts(request: ExportRequest) -> Path:
    project, flt = request.project, request.flt
    frequencies = frequency_table(project, flt) if request.frequency_table_at_end else None
    return excerpts_report(project, excerpt_data(project, flt), request.target, today=request.today,
                           filters=request.filter_text, frequencies=frequencies, progress=request.progress)


@register("docx", "codebook")
def _codebook(request: ExportRequest) -> Path:
    return codebook_document(request.project, codebook_table(request.project, request.flt), request.target,
                             today=request.today, filters=request.filter_text)


@register("docx", "memos", accepts={"code", "source", "folder", "case", "coder"})
def _memos(request: ExportRequest) -> Path:
    return memos_document(request.project, request.target, today=request.today, flt=request.flt,
                          filters=request.filter_text)


@register("docx", "transcript", accepts={"transcript-source", "code", "coder"})
def _transcript(request: ExportRequest) -> Path:
    if request.source_id is None:
        raise InvalidRequestError("A coded transcript is of one source: say which with --transcript-source.")
    return transcript_document(request.project, request.source_id, request.target, today=request.today,
                               flt=request.flt, filters=request.filter_text)


@register("docx", "frequencies", accepts=FILTERS | {"by"})
def _frequencies(request: ExportRequest) -> Path:
    project, grouping = request.project, request.grouping
    label = grouping_label(project, grouping) if grouping else "group"
    title = "Code frequencies" + (f" by {label}" if grouping else "")
    return table_document(project, frequency_table(project, request.flt, grouping=grouping), request.target,
                          title=title, caption=FREQUENCY_CAPTION, today=request.today, filters=request.filter_text,
                          group=label.capitalize(), coders=coders_in(project, request.flt))


@register("docx", "matrix", accepts=FILTERS | {"by"})
def _matrix(request: ExportRequest) -> Path:
    project = request.project
    grouping = request.grouping or Grouping("case")
    return table_document(project, matrix_table(project, grouping, request.flt), request.target,
                          title=f"Codes by {grouping_label(project, grouping)}", caption=MATRIX_CAPTION,
                          today=request.today, filters=request.filter_text, coders=coders_in(project, request.flt))
