"""Excel workbooks (openpyxl, write-only so memory stays bounded): one sheet per table, styled and safe.

Every sheet: a bold, filled, frozen header row, an autofilter, fitted column widths, long text wrapped.
Text that Excel would read as a formula is stored as text; text over a cell's limit is cut with a marker.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qcode.core.analysis.frequencies import Grouping
from qcode.core.exporters import FILTERS, ExportRequest, grouping_label, register
from qcode.core.exporters.safety import atomic_output, fit_cell, xml_safe
from qcode.core.exporters.scope import coders_in
from qcode.core.exporters.tables import (
    Table,
    codebook_table,
    excerpt_data,
    excerpt_table,
    frequency_table,
    matrix_table,
    with_source_coverage,
)
from qcode.core.exporters.xlsx_layout import (
    COUNTING_RULES,
    LANDSCAPE_FROM,
    LINE_HEIGHT,
    chart_rows,
    row_height,
    set_up_pages,
    title_of,
)
from qcode.core.exporters.xlsx_rows import append_rows
from qcode.core.progress import Progress

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="3F5F7F")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_WRAP = Alignment(wrap_text=True, vertical="top")
NOTE_FONT = Font(italic=True)
INDENTS = [Alignment(horizontal="left", indent=depth, vertical="top") for depth in range(16)]  # Excel needs "left"
MAX_WIDTH = 80
WIDE_COLUMNS = {"excerpt", "memo", "definition", "inclusion", "exclusion", "example"}


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\ characters, at most 31 characters, unique."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "Sheet"
    title = cleaned[:31]
    number = 2
    while title.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        title = cleaned[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(title)
    return title


def _text_cell(ws: Worksheet, value: object) -> WriteOnlyCell:
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=fit_cell(xml_safe(value)))
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell
    return WriteOnlyCell(ws, value=value)


def _widths(table: Table, indent: bool) -> list[float]:
    """Each column's width in characters: its content's, within limits; titles wrap in the header row."""
    widths: list[float] = []
    for index, column in enumerate(table.columns):
        if column in WIDE_COLUMNS:
            widths.append(60 if column == "excerpt" else 40)
            continue
        longest = min(len(title_of(column)), TITLE_ROOM)  # a longer title wraps, the column stays narrow
        for row_number, row in enumerate(table.rows[:2000]):
            value = row[index]
            size = len(str(value)) if value is not None else 0
            if indent and index == 0 and table.depths:
                size += 2 * table.depths[row_number]
            longest = max(longest, size)
        widths.append(min(MAX_WIDTH if indent else MAX_LISTING_WIDTH, longest + 2))
    return widths


TITLE_ROOM = 14  # characters of a column title kept on one line
MAX_LISTING_WIDTH = 36  # in a listing (the Excerpts sheet), longer values (code paths, authors) wrap


def _wrapped(table: Table, widths: list[float], indent: bool) -> list[int]:
    """The columns whose text wraps: the long-text ones, and in a listing any that reached its width limit."""
    return [i for i, (c, w) in enumerate(zip(table.columns, widths, strict=True))
            if c in WIDE_COLUMNS or (not indent and w >= MAX_LISTING_WIDTH and c not in CHART_COLUMNS)]


CHART_COLUMNS = ("chart label", "chart excerpts")


def with_chart_data(table: Table) -> tuple[Table, int]:
    """The table with two hidden columns holding the chart's bars (one level of the code tree, see
    `chart_rows`) in its first rows, and the number of bars."""
    chosen = chart_rows(table)
    labels = [str(table.rows[i][0]).rsplit(" > ", 1)[-1] for i in chosen]
    values = [table.rows[i][1] for i in chosen]
    rows = [(*row, labels[n] if n < len(chosen) else None, values[n] if n < len(chosen) else None)
            for n, row in enumerate(table.rows)]
    return Table((*table.columns, *CHART_COLUMNS), rows, table.depths, table.note), len(chosen)


def add_sheet(wb: Workbook, title: str, table: Table, taken: set[str], *, indent_codes: bool = False,
              progress: Progress | None = None, group: str = "Group") -> object:
    """Add a styled sheet; without `indent_codes` only its first row is written (see `write_workbook`)."""
    ws = wb.create_sheet(sheet_title(title, taken))
    widths = _widths(table, indent_codes)
    shown = [c for c in table.columns if c not in CHART_COLUMNS]
    for index, (width, column) in enumerate(zip(widths, table.columns, strict=True), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        if column in CHART_COLUMNS:  # what the chart draws, out of sight and outside the filter
            ws.column_dimensions[get_column_letter(index)].hidden = True
    set_up_pages(ws, widths[:len(shown)], ws.title)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(shown)))}{max(2, len(table.rows) + 1)}"
    header = []
    for column in table.columns:
        cell = _text_cell(ws, title_of(column, group))
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_WRAP
        header.append(cell)
    ws.row_dimensions[1].height = header_height(table.columns, widths, group)
    ws.append(header)
    if not table.rows:  # say why, instead of an empty or all-zero table
        note = _text_cell(ws, table.note)
        note.font = NOTE_FONT
        ws.append([note])
        return ws
    wrap_columns = _wrapped(table, widths, indent_codes)
    # rows that all look alike: openpyxl writes the first (fixing each column's style), xlsx_rows the rest
    rows = table.rows if indent_codes else table.rows[:1]
    for row_number, row in enumerate(rows):
        cells = []
        for index, value in enumerate(row):
            cell = _text_cell(ws, value)
            cell.alignment = WRAP if index in wrap_columns else TOP
            if indent_codes and index == 0 and table.depths:
                cell.alignment = INDENTS[min(table.depths[row_number], 15)]
            if table.columns[index] in PERCENT_COLUMNS:
                cell.number_format = "0.00"
            cells.append(cell)
        height = row_height(row, wrap_columns, widths)
        if height:
            ws.row_dimensions[row_number + 2].height = height
        ws.append(cells)
        if progress is not None and row_number % 2000 == 0:
            if progress.cancelled():
                raise _Cancelled()
            progress.step(row_number, len(table.rows), title)
    if table.note and indent_codes:  # under the table, outside its filter range
        ws.append([])
        ws.append([_text_cell(ws, table.note)])
    return ws


PERCENT_COLUMNS = {"coverage", "coverage of source"}


def header_height(columns: tuple[str, ...], widths: list[float], group: str) -> float:
    """The header row tall enough for titles that wrap in narrow columns."""
    lines = max((-(-len(title_of(c, group)) // max(1, int(w) - 1)) for c, w in zip(columns, widths, strict=True)
                 if c not in CHART_COLUMNS), default=1)
    return min(60.0, LINE_HEIGHT * max(1, lines) + 3)


class _Cancelled(Exception):
    pass


def add_frequency_chart(wb: Workbook, ws: Worksheet, table: Table, bars: int, title: str, taken: set[str]) -> None:
    """A native bar chart of excerpts per code (one level of the tree), on a chart sheet of its own so that
    it prints whole on one page."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.y_axis.title = "Excerpts"
    chart.y_axis.scaling.min = 0  # bars measured from zero, never from the smallest count
    chart.x_axis.delete = chart.y_axis.delete = False  # show both axes (Excel hides them otherwise)
    chart.legend = None
    chart.visible_cells_only = False  # the bars live in hidden columns
    chart.x_axis.scaling.orientation = "maxMin"  # first code at the top, as in the table
    label_column = table.columns.index(CHART_COLUMNS[0]) + 1
    data = Reference(ws, min_col=label_column + 1, min_row=2, max_row=bars + 1)
    labels = Reference(ws, min_col=label_column, min_row=2, max_row=bars + 1)
    chart.add_data(data, titles_from_data=False)
    chart.set_categories(labels)
    chart.width, chart.height = 24.0, 15.5  # centimetres: a landscape page within its margins
    sheet = wb.create_sheet(sheet_title(CHART_SHEET, taken))
    set_up_pages(sheet, [LANDSCAPE_FROM], sheet.title)
    sheet.print_options.gridLines = False  # the chart alone, without the empty cells behind it
    sheet.add_chart(chart, "A1")


CHART_SHEET = "Frequency chart"


def about_sheet(wb: Workbook, about: list[tuple[str, str]], taken: set[str]) -> None:
    """The first sheet: what the workbook holds, as a Word report's title page says it."""
    ws = wb.create_sheet(sheet_title("About", taken))
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 90
    set_up_pages(ws, [22, 90], ws.title)
    title = _text_cell(ws, "About this export")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for number, (label, value) in enumerate(about, start=2):
        name = _text_cell(ws, label)
        name.font = Font(bold=True)
        name.alignment = TOP
        text = _text_cell(ws, value)
        text.alignment = WRAP
        height = row_height(("", value), [1], [22, 90])
        if height:
            ws.row_dimensions[number].height = height
        ws.append([name, text])


def write_workbook(sheets: list[tuple[str, Table, bool]], target: Path, *, chart_on: str | None = None,
                   progress: Progress | None = None, title: str = "", about: list[tuple[str, str]] | None = None,
                   subject: str = "", description: str = "", group: str = "Group") -> Path:
    """Write (title, table, indent codes) sheets after an About sheet; a bar chart of the sheet titled
    `chart_on` follows it on a chart sheet; `group` titles the column of a grouped table's groups."""
    from qcode.core.errors import QcodeError

    wb = Workbook(write_only=True)
    wb.properties.creator = "qcode"  # not 'openpyxl' in File > Info
    wb.properties.title = title
    wb.properties.subject = subject
    wb.properties.description = description
    taken: set[str] = set()
    # (sheet number, rows after the first, their heights)
    streamed: list[tuple[int, list[tuple[Any, ...]], list[float | None]]] = []

    def check(done: int, total: int) -> None:
        if progress is not None:
            if progress.cancelled():
                raise _Cancelled()
            progress.step(done, total, "Writing rows")

    saved = False
    with atomic_output(target, suffix=".xlsx") as temp:
        try:
            if about is not None:
                about_sheet(wb, about, taken)
            for name, table, indent in sheets:
                bars = 0
                if name == chart_on and table.rows and table.columns[0] != "group":  # not of mixed groups
                    table, bars = with_chart_data(table)
                ws = add_sheet(wb, name, table, taken, indent_codes=indent, progress=progress, group=group)
                number = len(wb.worksheets)  # the sheet's part is xl/worksheets/sheet<number>.xml
                if bars:
                    add_frequency_chart(wb, ws, table, bars, "Excerpts per code", taken)
                if not indent and len(table.rows) > 1:
                    widths = _widths(table, False)
                    wrapped = _wrapped(table, widths, False)
                    streamed.append((number, table.rows[1:],
                                     [row_height(row, wrapped, widths) for row in table.rows[1:]]))
            wb.save(temp)
            saved = True
            for number, rows, heights in streamed:
                append_rows(temp, number, rows, check=check, heights=heights)
        except _Cancelled:
            raise QcodeError("The export was cancelled; no file was written.") from None
        finally:
            if not saved:
                for ws in wb.worksheets:  # release openpyxl's temporary sheet files
                    ws.close()
    return target


# --- the Excel exports ------------------------------------------------------------------------------------

def _sheets(request: ExportRequest) -> Path:
    """The sheet of `request.what`, or all four sheets for 'all' (where --by groups the matrix)."""
    project, flt, what = request.project, request.flt, request.what
    sheets = []
    coders: list[str] | None = None
    if what in ("frequencies", "all"):
        grouping = request.grouping if what == "frequencies" else None
        sheets.append(("Frequencies", frequency_table(project, flt, grouping=grouping), True))
    if what in ("matrix", "all"):
        sheets.append(("Matrix", matrix_table(project, request.grouping or Grouping("case"), flt), True))
    if what in ("excerpts", "all"):
        data = excerpt_data(project, flt)
        sheets.append(("Excerpts", with_source_coverage(excerpt_table(data), project, data), False))
        coders = sorted({data.coder_names.get(e.coding.coder_id, "") for e in data.excerpts} - {""},
                        key=str.casefold)
    if what in ("codebook", "all"):
        sheets.append(("Codebook", codebook_table(project, flt), True))
    about = describe(request, coders if coders is not None else coders_in(project, flt),
                     [name for name, _, _ in sheets])
    return write_workbook(sheets, request.target, chart_on="Frequencies", progress=request.progress,
                          title=f"{project.name}: qcode export", about=about, subject=project.name,
                          description="; ".join(f"{label}: {value}" for label, value in about[:6]),
                          group=grouping_label(project, request.grouping).capitalize() if request.grouping
                          else "Group")


def describe(request: ExportRequest, coders: list[str], sheets: list[str]) -> list[tuple[str, str]]:
    """The About sheet's lines: project, time, version, coders, filters, grouping, counting rules."""
    from qcode import __version__

    project = request.project
    grouping = grouping_label(project, request.grouping) if request.grouping else "none"
    if request.grouping is None and request.what in ("matrix", "all"):
        grouping = "none (the matrix groups by case)"
    return [
        ("Project", project.name),
        ("Exported", (request.now or datetime.now()).strftime("%Y-%m-%d %H:%M")),
        ("qcode version", __version__),
        ("Coders included", ", ".join(coders) or "none (no coded excerpts)"),
        ("Filters", request.filter_text or "none (everything in the project)"),
        ("Grouping", grouping),
        ("Sheets", ", ".join(sheets)),
        ("Counting rules", "\n".join(COUNTING_RULES)),
    ]


for _what in ("excerpts", "frequencies", "codebook", "matrix", "all"):
    register("xlsx", _what, accepts=FILTERS | ({"by"} if _what in ("frequencies", "matrix", "all") else set()))(_sheets)
