"""Excel workbooks (openpyxl, write-only so memory stays bounded): one sheet per table, styled and safe.

Every sheet: a bold, filled, frozen header row, an autofilter, fitted column widths, long text wrapped.
Text that Excel would read as a formula is stored as text; text over a cell's limit is cut with a marker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qcode.core.exporters.safety import atomic_output, fit_cell, xml_safe
from qcode.core.exporters.tables import Table
from qcode.core.exporters.xlsx_rows import append_rows
from qcode.core.progress import Progress

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="3F5F7F")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
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
    widths: list[float] = []
    for index, column in enumerate(table.columns):
        if column in WIDE_COLUMNS:
            widths.append(60 if column == "excerpt" else 40)
            continue
        longest = len(column)
        for row_number, row in enumerate(table.rows[:2000]):
            value = row[index]
            size = len(str(value)) if value is not None else 0
            if indent and index == 0 and table.depths:
                size += 2 * table.depths[row_number]
            longest = max(longest, size)
        widths.append(min(MAX_WIDTH, longest + 2))
    return widths


CHART_LABEL = "chart label"


def with_chart_labels(table: Table) -> Table:
    """The table with a last column of short labels for the chart: each code's name, indented by its depth."""
    labels = ["\u2002\u2002" * depth + str(row[0]).rsplit(" > ", 1)[-1]
              for row, depth in zip(table.rows, table.depths or (0,) * len(table.rows), strict=True)]
    return Table((*table.columns, CHART_LABEL), [(*row, label) for row, label in zip(table.rows, labels, strict=True)],
                 table.depths)


def add_sheet(wb: Workbook, title: str, table: Table, taken: set[str], *, indent_codes: bool = False,
              progress: Progress | None = None) -> object:
    """Add a styled sheet; without `indent_codes` only its first row is written (see `write_workbook`)."""
    ws = wb.create_sheet(sheet_title(title, taken))
    widths = _widths(table, indent_codes)
    for index, (width, column) in enumerate(zip(widths, table.columns, strict=True), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
        if column == CHART_LABEL:  # kept for the chart, sorted with the rows by the filter, out of sight
            ws.column_dimensions[get_column_letter(index)].hidden = True
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, len(table.columns)))
    ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    header = []
    for column in table.columns:
        cell = _text_cell(ws, column)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    ws.append(header)
    wrap_columns = {i for i, c in enumerate(table.columns) if c in WIDE_COLUMNS}
    # rows that all look alike: openpyxl writes the first (fixing each column's style), xlsx_rows the rest
    rows = table.rows if indent_codes else table.rows[:1]
    for row_number, row in enumerate(rows):
        cells = []
        for index, value in enumerate(row):
            cell = _text_cell(ws, value)
            cell.alignment = WRAP if index in wrap_columns else TOP
            if indent_codes and index == 0 and table.depths:
                cell.alignment = INDENTS[min(table.depths[row_number], 15)]
            cells.append(cell)
        ws.append(cells)
        if progress is not None and row_number % 2000 == 0:
            if progress.cancelled():
                raise _Cancelled()
            progress.step(row_number, len(table.rows), title)
    if table.note and indent_codes:  # under the table, outside its filter range
        ws.append([])
        ws.append([_text_cell(ws, table.note)])
    return ws


class _Cancelled(Exception):
    pass


def add_frequency_chart(ws: Worksheet, table: Table, title: str) -> None:
    """A native bar chart of excerpts per code, beside the frequency table."""
    if not table.rows:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.y_axis.title = "Excerpts"
    chart.legend = None
    chart.visible_cells_only = False  # the labels live in a hidden column
    # the left two fifths for the code names, so that no spreadsheet program cuts them
    chart.plot_area.layout = Layout(ManualLayout(x=0.4, y=0.08, w=0.56, h=0.84, xMode="edge", yMode="edge"))
    chart.x_axis.scaling.orientation = "maxMin"  # first code at the top, as in the table
    count = len(table.rows)
    data = Reference(ws, min_col=2, min_row=1, max_row=count + 1)
    label_column = table.columns.index(CHART_LABEL) + 1 if CHART_LABEL in table.columns else 1
    labels = Reference(ws, min_col=label_column, min_row=2, max_row=count + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(labels)
    chart.height = max(7.5, min(100.0, 2.5 + 0.6 * count))  # centimetres: room for every code's label
    chart.width = 24
    shown = len(table.columns) - (CHART_LABEL in table.columns)
    ws.add_chart(chart, f"{get_column_letter(shown + 2)}2")


def write_workbook(sheets: list[tuple[str, Table, bool]], target: Path, *, chart_on: str | None = None,
                   progress: Progress | None = None, title: str = "") -> Path:
    """Write (title, table, indent codes) sheets; a bar chart goes on the sheet titled `chart_on`."""
    from qcode.core.errors import QcodeError

    wb = Workbook(write_only=True)
    wb.properties.creator = "qcode"  # not 'openpyxl' in File > Info
    wb.properties.title = title
    taken: set[str] = set()
    streamed: list[tuple[int, list[tuple[Any, ...]]]] = []  # (sheet number, rows after the first)

    def check(done: int, total: int) -> None:
        if progress is not None:
            if progress.cancelled():
                raise _Cancelled()
            progress.step(done, total, "Writing rows")

    saved = False
    with atomic_output(target, suffix=".xlsx") as temp:
        try:
            for number, (title, table, indent) in enumerate(sheets, start=1):
                if title == chart_on:
                    table = with_chart_labels(table)
                ws = add_sheet(wb, title, table, taken, indent_codes=indent, progress=progress)
                if title == chart_on:
                    add_frequency_chart(ws, table, "Excerpts per code")
                if not indent and len(table.rows) > 1:
                    streamed.append((number, table.rows[1:]))
            wb.save(temp)
            saved = True
            for number, rows in streamed:
                append_rows(temp, number, rows, check=check)
        except _Cancelled:
            raise QcodeError("The export was cancelled; no file was written.") from None
        finally:
            if not saved:
                for ws in wb.worksheets:  # release openpyxl's temporary sheet files
                    ws.close()
    return target
