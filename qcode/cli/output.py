"""Printing listings as aligned tables, CSV or JSON (JSON keys named like the CSV columns)."""

from __future__ import annotations

import csv
import json
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from qcode.cli.arguments import terminal_safe
from qcode.core.project import csv_cell

FORMATS = ("table", "csv", "json")


def _width(text: str) -> int:
    if text.isascii():  # most cells: one column per character, without a lookup per character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def print_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    *,
    out: TextIO | None = None,
    table_cells: Sequence[Sequence[Any]] | None = None,
) -> None:
    """Print rows; `table_cells` may give friendlier cells for the table format (e.g. indented names)."""
    out = out or sys.stdout
    if fmt == "json":
        json.dump([dict(zip(columns, row, strict=True)) for row in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    if fmt == "csv":  # text that a spreadsheet would run as a formula is neutralised, as in exports
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_cell(c) for c in columns])
        writer.writerows([[csv_cell(v) if isinstance(v, str) else _cell(v) for v in row] for row in rows])
        return
    shown = table_cells if table_cells is not None else rows

    def cells() -> Iterator[list[str]]:  # made twice rather than kept: a table by source has 100,000s of rows
        return ([str(v) if type(v) is int else terminal_safe(_cell(v)) for v in row] for row in shown)

    widths = [_width(c) for c in columns]
    for row in cells():
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]
    numeric = [all(_is_number(row[i]) for row in rows) and bool(rows) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            pad = " " * (widths[i] - _width(value))
            parts.append(pad + value if numeric[i] else value + pad)
        return "  ".join(parts).rstrip()

    out.write(line(list(columns)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells():
        out.write(line(row) + "\n")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
