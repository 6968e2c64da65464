"""CSV exports: UTF-8 with a BOM (so Excel reads accents correctly), comma-delimited unless asked otherwise."""

from __future__ import annotations

import csv
from pathlib import Path

from qcode.core.errors import QcodeError
from qcode.core.exporters.safety import atomic_output, csv_cell
from qcode.core.exporters.tables import Table
from qcode.core.progress import Progress


def write_csv(table: Table, target: Path, *, delimiter: str = ",", progress: Progress | None = None) -> Path:
    """Write one table; Cancel (through `progress`) stops it and leaves no file."""
    with atomic_output(target, suffix=".csv") as temp, temp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(table.columns)
        for number, row in enumerate(table.rows):
            writer.writerow([csv_cell(value) for value in row])
            if progress is not None and number % 2000 == 1999:
                if progress.cancelled():
                    raise QcodeError("The export was cancelled; no file was written.")
                progress.step(number + 1, len(table.rows), "Writing rows")
    return target
