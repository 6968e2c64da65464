"""One analysis result handed to Word or Excel: its table, the question it answers and the filters it used.

The app's analysis views (frequencies, matrix, co-occurrence, queries, words, saturation) build an
`AnalysisTable` from a core result and write it here: Word gets a document with the table under a caption
that states the question and the filters; Excel gets an About sheet and the table on a sheet with a frozen
header, and for frequencies and matrices a native Excel chart on a sheet of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from qcode.core.exporters.docx_export import table_document
from qcode.core.exporters.safety import atomic_output, refuse_project_target
from qcode.core.exporters.tables import Table
from qcode.core.exporters.xlsx_export import about_sheet, add_frequency_chart, add_sheet, sheet_title, with_chart_data
from qcode.core.exporters.xlsx_layout import LANDSCAPE_FROM, set_up_pages, title_of
from qcode.core.project import Project

CHARTS = ("", "bars", "grouped")  # none; one bar per code (first number column); one series per group column


@dataclass(frozen=True)
class AnalysisTable:
    """A result as a table with what it means.

    `table.columns` are the titles shown to the reader (a matrix keeps `code` first and `total` last, as the
    exports' matrix table does); `question` says what was asked ('Codes by Peer-support setting'),
    `filters` which filters applied (in words, '' for none), `caption` what a cell counts. `chart` asks the
    Excel sheet for a native chart: 'bars' (the first number column per code, one level of the tree) or
    'grouped' (one series per column between the first and a last `total` column, one category per row
    but a last `total` row).
    """

    question: str
    table: Table
    filters: str = ""
    caption: str = ""
    chart: str = ""

    def __post_init__(self) -> None:
        if self.chart not in CHARTS:
            raise ValueError(f"unknown chart {self.chart!r}")

    def caption_text(self) -> str:
        """The sentence under which the table stands: question, filters, what a cell counts."""
        filters = f"filters: {self.filters}" if self.filters else "no filters (everything in the project)"
        text = f"{self.question} ({filters})."
        return f"{text} {self.caption}" if self.caption else text


def to_tsv(table: Table) -> str:
    """The table as tab-separated lines (header first), as Excel and Word paste it into a table."""

    def cell(value: Any) -> str:
        return " ".join(str("" if value is None else value).split())  # no tab or line break inside a cell

    lines = ["\t".join(cell(title_of(str(c))) for c in table.columns)]
    lines.extend("\t".join(cell(v) for v in row) for row in table.rows)
    return "\n".join(lines) + "\n"


def write_docx(project: Project, result: AnalysisTable, target: str | Path, *, today: date | None = None) -> Path:
    """A Word document holding the table under its caption (question and filters)."""
    target = Path(target)
    refuse_project_target(target, project.path)
    return table_document(project, result.table, target, title=result.question, caption=result.caption_text(),
                          today=today or date.today(), filters=result.filters)


def write_xlsx(project: Project, result: AnalysisTable, target: str | Path, *, now: datetime | None = None) -> Path:
    """An Excel workbook: an About sheet, the table (frozen header) and, when asked, a native chart."""
    from qcode import __version__

    target = Path(target)
    refuse_project_target(target, project.path)
    wb = Workbook(write_only=True)
    wb.properties.creator = "qcode"
    wb.properties.title = result.question
    wb.properties.subject = project.name
    taken: set[str] = set()
    about_sheet(wb, [("Project", project.name),
                     ("Exported", (now or datetime.now()).strftime("%Y-%m-%d %H:%M")),
                     ("qcode version", __version__),
                     ("Question", result.question),
                     ("Filters", result.filters or "none (everything in the project)"),
                     ("Counting", result.caption or "")], taken)
    table, bars = result.table, 0
    if result.chart == "bars" and table.rows:
        table, bars = with_chart_data(table)
    ws = add_sheet(wb, "Result", table, taken, indent_codes=True)
    if bars:
        add_frequency_chart(wb, ws, table, bars, result.question, taken)
    elif result.chart == "grouped" and len(table.rows) > 1 and len(table.columns) > 2:
        add_grouped_chart(wb, ws, table, result.question, taken)
    with atomic_output(target, suffix=".xlsx") as temp:
        wb.save(temp)
    return target


def add_grouped_chart(wb: Workbook, ws: Any, table: Table, title: str, taken: set[str]) -> None:
    """A native clustered bar chart: one category per code (the rows but a last `total` row), one series per
    group column (the columns between the code column and a last `total` column), on a sheet of its own."""
    last_row = len(table.rows) + 1 - (1 if str(table.rows[-1][0]).casefold() == "total" else 0)
    last_column = len(table.columns) - (1 if str(table.columns[-1]).casefold() == "total" else 0)
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = title
    chart.y_axis.scaling.min = 0
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first code at the top, as in the table
    data = Reference(ws, min_col=2, max_col=last_column, min_row=1, max_row=last_row)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last_row))
    chart.width, chart.height = 24.0, 15.5
    sheet = wb.create_sheet(sheet_title("Chart", taken))
    set_up_pages(sheet, [LANDSCAPE_FROM], sheet.title)
    sheet.print_options.gridLines = False
    sheet.add_chart(chart, "A1")
