"""How qcode's sheets read and print: column titles in words, row heights for wrapped text, page set-up,
the About sheet, and which rows the frequency chart draws.

Spreadsheet programs do not fit the height of rows written by a library (LibreOffice keeps 15 pt rows, so
wrapped excerpts would overlap), so each row's height is estimated here from its text and column widths.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from qcode.core.exporters.tables import Table

#: column titles a reader understands; group names (matrix columns) and attribute names stay as they are
TITLES = {
    "code": "Code", "source": "Source", "case": "Case", "coder": "Coder", "start": "Start", "end": "End",
    "location": "Location", "excerpt": "Excerpt", "memo": "Memo", "excerpts": "Excerpts", "sources": "Sources",
    "cases": "Cases", "characters": "Characters", "coverage": "Coverage %", "definition": "Definition",
    "inclusion": "Inclusion criteria", "exclusion": "Exclusion criteria", "example": "Example",
    "excerpts in source": "Excerpts of the code in the source",
    "coverage of source": "Coverage of the source %", "total": "Total",
}
WRAPPED = {"excerpt", "memo", "definition", "inclusion", "exclusion", "example"}
LINE_HEIGHT = 15.0  # points per line of 11 pt Calibri, Excel's default row height
MAX_ROW_HEIGHT = 409.0  # the tallest row Excel allows
LANDSCAPE_FROM = 100  # total column width (in characters) from which a sheet prints across the page


def title_of(column: str, group: str = "Group") -> str:
    """A column's title for a reader: 'Excerpts', 'Case: Age group'; a matrix column keeps its group's name."""
    if column == "group":
        return group
    if column.startswith(("case:", "source:")):
        scope, name = column.split(":", 1)
        return f"{scope.capitalize()}: {name}"
    return TITLES.get(column, column)


def row_height(row: Sequence[object], wrapped: Sequence[int], widths: Sequence[float]) -> float | None:
    """The height (points) that shows every line of the row's wrapped cells, or None for one line.

    A column `width` holds about `width` characters of 11 pt text per line; each line break starts a line.
    """
    lines = 1
    for index in wrapped:
        value = row[index] if index < len(row) else None
        if not isinstance(value, str) or not value:
            continue
        per_line = max(1, int(widths[index] * 1.1) - 1)
        needed = sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))
        lines = max(lines, needed)
    if lines <= 1:
        return None
    return min(MAX_ROW_HEIGHT, round(lines * LINE_HEIGHT + 3, 1))


def set_up_pages(ws: Any, widths: Sequence[float], title: str) -> None:
    """Print set-up: across the page when wide, one page wide, the header row on every page, and a footer
    with the sheet's name and the page number."""
    ws.page_setup.orientation = "landscape" if sum(widths) >= LANDSCAPE_FROM else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = f"{title.replace('&', '&&')}, page &P of &N"


def chart_rows(table: Table) -> list[int]:
    """The rows the frequency chart draws: one level of the code tree, never a parent beside its sub-codes.

    That is the top level of the listed codes; when the table lists one code with its sub-codes (a --code
    filter on a category), its children.
    """
    if not table.rows or not table.depths:
        return list(range(len(table.rows)))
    top = min(table.depths)
    level = [i for i, depth in enumerate(table.depths) if depth == top]
    if len(level) == 1:
        children = [i for i, depth in enumerate(table.depths) if depth == top + 1]
        if children:
            return children
    return level


COUNTING_RULES = (
    "Each code's numbers include its sub-codes.",
    "Excerpts count coding rows: a passage coded by two coders counts twice.",
    "Characters are the union of the coded ranges, so overlapping codings count once.",
    "Coverage is the coded characters as a share of the characters of the sources in scope.",
)
