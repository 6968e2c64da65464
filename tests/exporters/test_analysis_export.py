"""One analysis result handed to Word and Excel, and copied as tab-separated text (read back)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from qcode.core.errors import QcodeError
from qcode.core.exporters.analysis_export import AnalysisTable, to_tsv, write_docx, write_xlsx
from qcode.core.exporters.tables import Table
from qcode.core.project import Project

MATRIX = Table(("code", "Sports club", "Online forum", "total"),
               [("Help", 3, 1, 4), ("Help > Peers", 2, 0, 2), ("Trust", 0, 5, 5), ("total", 3, 6, 8)],
               (0, 1, 0, 0), "Totals count each coding once.")


def test_tsv_has_titles_and_no_tab_or_line_break_inside_a_cell() -> None:
    table = Table(("code A", "pairs"), [("A\tB", 1), ("line\nbreak", 2.5)])
    assert to_tsv(table) == "code A\tpairs\nA B\t1\nline break\t2.5\n"
    assert to_tsv(MATRIX).splitlines()[0] == "Code\tSports club\tOnline forum\tTotal"


def test_word_holds_the_table_under_its_question_and_filters(project: Project, tmp_path: Path) -> None:
    result = AnalysisTable("Codes by Setting: excerpts", MATRIX, filters="codes Help", caption="Each cell counts …")
    path = write_docx(project, result, tmp_path / "m.docx", today=date(2026, 1, 2))
    document = Document(str(path))
    text = [p.text for p in document.paragraphs]
    assert "Codes by Setting: excerpts (filters: codes Help). Each cell counts …" in text
    assert "Filters: codes Help" in text
    rows = [[c.text.strip() for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Code", "Sports club", "Online forum", "Total"]
    assert rows[1:] == [["Help", "3", "1", "4"], ["Peers", "2", "0", "2"], ["Trust", "0", "5", "5"],
                        ["total", "3", "6", "8"]]


def test_excel_has_a_frozen_header_and_a_native_chart(project: Project, tmp_path: Path) -> None:
    result = AnalysisTable("Codes by Setting", MATRIX, chart="grouped")
    book = openpyxl.load_workbook(write_xlsx(project, result, tmp_path / "m.xlsx", now=datetime(2026, 1, 2, 3, 4)))
    assert book.sheetnames == ["About", "Result", "Chart"]
    sheet = book["Result"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Code", "Sports club", "Online forum", "Total"]
    assert [list(r) for r in sheet.iter_rows(min_row=2, max_row=5, values_only=True)] == [list(r) for r in MATRIX.rows]
    chart = book["Chart"]._charts[0]
    assert len(chart.series) == 2  # one per group, not the total
    about = {r[0]: r[1] for r in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Question"] == "Codes by Setting"
    assert about["Filters"].startswith("none")

    frequencies = Table(("code", "excerpts", "sources"), [("Help", 4, 2), ("Help > Peers", 2, 1), ("Trust", 5, 2)],
                        (0, 1, 0))
    book = openpyxl.load_workbook(write_xlsx(project, AnalysisTable("Code frequencies", frequencies, chart="bars"),
                                             tmp_path / "f.xlsx"))
    charts = [c for ws in book.worksheets for c in ws._charts]
    assert len(charts) == 1
    assert len(charts[0].series) == 1


def test_the_project_file_is_never_a_target(project: Project) -> None:
    with pytest.raises(QcodeError):
        write_xlsx(project, AnalysisTable("Q", MATRIX), project.path)
    with pytest.raises(ValueError, match="unknown chart"):
        AnalysisTable("Q", MATRIX, chart="pie")
