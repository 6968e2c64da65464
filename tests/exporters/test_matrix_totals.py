"""Every export's matrix is the core's matrix: a total column, a last total row, one column order, a note."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import docx
import openpyxl

from qcode.core.analysis.frequencies import Grouping
from qcode.core.exporters import export
from tests.unit.analysis_fixture import build_small

TODAY = date(2026, 1, 2)


def test_matrix_exports_have_totals_in_the_attributes_order(tmp_path: Path) -> None:
    small = build_small(tmp_path / "small.qcode")
    project = small.project
    setting = Grouping("attribute", project.find_attribute("Setting").id)
    out = export(project, tmp_path / "m.csv", what="matrix", grouping=setting, today=TODAY)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["code", "Sports club", "Online forum", "total"]  # choice order, then total
    assert rows[-1] == ["total", "5", "4", "9"]
    assert ["Barriers", "1", "2", "3"] in rows
    assert ["Support > Peers", "3", "1", "4"] in rows

    note = project.matrix(columns=Grouping("case")).note
    assert note
    book = openpyxl.load_workbook(export(project, tmp_path / "m.xlsx", what="matrix", today=TODAY))
    sheet = [row for row in book["Matrix"].iter_rows(values_only=True)]
    assert sheet[0] == ("Code", "Kim", "Lee", "Sam", "Total")  # column titles in words
    assert sheet[5] == ("total", 3, 2, 5, 9)  # 9 codings, though the cells of Barriers add up to 4 for 3
    assert sheet[7][0] == note

    document = docx.Document(str(export(project, tmp_path / "m.docx", what="matrix", today=TODAY)))
    cells = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert cells[-1] == ["total", "3", "2", "5", "9"] or cells[-1][1:] == ["3", "2", "5", "9"]
    assert note in [p.text for p in document.paragraphs]
    project.close()
