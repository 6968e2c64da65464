"""CSV exports: UTF-8 with a BOM (so Excel reads accents correctly), comma-delimited unless asked otherwise."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import QcodeError
from qcode.core.exporters import FILTERS, ExportRequest, register
from qcode.core.exporters.safety import atomic_folder, atomic_output, csv_cell
from qcode.core.exporters.tables import (
    Table,
    codebook_table,
    excerpt_data,
    excerpt_table,
    frequency_table,
    matrix_table,
)
from qcode.core.progress import Progress


def write_csv(table: Table, target: Path, *, delimiter: str = ",", progress: Progress | None = None) -> Path:
    """Write one table; Cancel (through `progress`) stops it and leaves no file."""
    with atomic_output(target, suffix=".csv") as temp, temp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow([csv_cell(title) for title in table.columns])  # group names are text from users
        for number, row in enumerate(table.rows):
            writer.writerow([csv_cell(value) for value in row])
            if progress is not None and number % 2000 == 1999:
                if progress.cancelled():
                    raise QcodeError("The export was cancelled; no file was written.")
                progress.step(number + 1, len(table.rows), "Writing rows")
    return target


# --- the CSV exports -------------------------------------------------------------------------------------

def _tables(request: ExportRequest) -> dict[str, Callable[[], Table]]:
    project, flt = request.project, request.flt
    grouping = request.grouping
    return {
        "excerpts": lambda: excerpt_table(excerpt_data(project, flt)),
        # a lone frequency table is grouped when asked; in 'all' the grouping is the matrix's
        "frequencies": lambda: frequency_table(project, flt, grouping=grouping if request.what != "all" else None),
        "codebook": lambda: codebook_table(project, flt),
        "matrix": lambda: matrix_table(project, grouping or Grouping("case"), flt),
    }


def _one_table(what: str) -> Callable[[ExportRequest], Path]:
    def write(request: ExportRequest) -> Path:
        return write_csv(_tables(request)[what](), request.target, delimiter=request.delimiter,
                         progress=request.progress)

    return write


for _what, _grouped in (("excerpts", False), ("frequencies", True), ("codebook", False), ("matrix", True)):
    register("csv", _what, accepts=FILTERS | {"delimiter"} | ({"by"} if _grouped else set()))(_one_table(_what))


@register("csv", "all", accepts=FILTERS | {"delimiter", "by"})
def write_all(request: ExportRequest) -> Path:
    """Every table, as one CSV file each in the folder `request.target`."""
    with atomic_folder(request.target) as folder:
        for name, build in _tables(request).items():
            write_csv(build(), folder / f"{name}.csv", delimiter=request.delimiter, progress=request.progress)
    return request.target
