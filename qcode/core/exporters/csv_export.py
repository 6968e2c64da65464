"""CSV exports: UTF-8 with a BOM (so Excel reads accents correctly), comma-delimited unless asked otherwise."""

from __future__ import annotations

import csv
from pathlib import Path

from qcode.core.exporters.safety import atomic_output, csv_cell
from qcode.core.exporters.tables import Table


def write_csv(table: Table, target: Path, *, delimiter: str = ",") -> Path:
    with atomic_output(target, suffix=".csv") as temp, temp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([csv_cell(value) for value in row])
    return target
