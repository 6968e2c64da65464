"""The demo project exported to every format and read back equals what the core reports; Word pages render."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from qcode.core.analysis.frequencies import Grouping
from qcode.core.demo import build_demo
from qcode.core.exporters import export
from qcode.core.exporters.tables import (
    codebook_table,
    excerpt_data,
    excerpt_table,
    matrix_table,
    with_source_coverage,
)
from qcode.core.exporters.xlsx_layout import title_of
from qcode.core.project import Project

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("demo") / "demo.qcode"
    build_demo(path)
    project = Project.open(path, mode="read")
    yield project
    project.close()


def test_demo_to_xlsx_and_csv(demo: Project, tmp_path: Path) -> None:
    excerpts = demo.excerpts_matching()
    workbook = openpyxl.load_workbook(export(demo, tmp_path / "demo.xlsx", today=TODAY))
    rows = list(workbook["Excerpts"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(excerpts) == demo.coding_count()
    assert sorted(r[7] for r in rows) == sorted(e.text for e in excerpts)
    header = [c.value for c in workbook["Excerpts"][1]]
    for attribute in demo.attributes("case"):
        assert f"Case: {attribute.name}" in header
    frequencies = {r[0]: r[1:5] for r in workbook["Frequencies"].iter_rows(min_row=2, values_only=True)}
    for row in demo.frequencies():
        path = demo.code_path(row.code_id, separator=" > ")
        assert frequencies[path] == (row.total.excerpts, row.total.sources, row.total.cases, row.total.characters)
    out = export(demo, tmp_path / "demo.csv", today=TODAY)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == demo.coding_count()


def _private_profile(tmp_path: Path) -> list[str]:
    """A LibreOffice profile of the test's own, so that another LibreOffice running meanwhile cannot refuse it."""
    return [f"-env:UserInstallation={(tmp_path / 'libreoffice-profile').as_uri()}"]


def _cells(row: tuple) -> tuple:
    """A table row as a spreadsheet reads it back: empty text is an empty cell."""
    return tuple(None if value == "" else value for value in row)


def test_demo_sheets_and_csv_equal_the_core_cell_by_cell(demo: Project, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(export(demo, tmp_path / "demo.xlsx", today=TODAY))
    data = excerpt_data(demo)
    tables = {"Excerpts": excerpt_table(data), "Codebook": codebook_table(demo),
              "Matrix": matrix_table(demo, Grouping("case"))}
    sheets = {**tables, "Excerpts": with_source_coverage(tables["Excerpts"], demo, data)}
    for name, table in sheets.items():
        sheet = list(workbook[name].iter_rows(values_only=True))
        assert sheet[0] == tuple(title_of(c) for c in table.columns)
        assert sheet[1:len(table.rows) + 1] == [_cells(row) for row in table.rows], name
        below = [tuple(v for v in row if v is not None) for row in sheet[len(table.rows) + 1:]]
        assert below == ([(), (table.note,)] if table.note else []), name
    assert any(isinstance(v, int | float) for row in tables["Excerpts"].rows for v in row[9:])  # typed attributes
    folder = export(demo, tmp_path / "all", fmt="csv", what="all", today=TODAY)
    for name, table in (("excerpts", tables["Excerpts"]), ("codebook", tables["Codebook"]),
                        ("matrix", tables["Matrix"])):
        with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == table.columns
        expected = [["'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" and v else str(v) for v in row]
                    for row in table.rows]
        assert rows[1:] == expected, name


def test_demo_to_word(demo: Project, tmp_path: Path) -> None:
    out = export(demo, tmp_path / "demo.docx", today=TODAY)
    document = docx.Document(str(out))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == demo.coding_count()
    headings = [p.text.lstrip("■ ") for p in document.paragraphs if p.style.name.startswith("Heading")]
    for code in demo.codes():
        assert code.name in headings


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdftotext")),
                    reason="LibreOffice/poppler absent")
def test_word_reports_render_to_pages(demo: Project, tmp_path: Path) -> None:
    """LibreOffice lays the reports out: title page, a filled contents page, quotations with citations."""
    report = export(demo, tmp_path / "report.docx", today=TODAY)
    codebook = export(demo, tmp_path / "codebook.docx", today=TODAY, what="codebook")
    subprocess.run(["soffice", *_private_profile(tmp_path), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(report),
                    str(codebook)], check=True, capture_output=True, timeout=300)

    def page(pdf: str, number: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(tmp_path / pdf),
                               "-"], check=True, capture_output=True, text=True, timeout=60).stdout

    title, contents, first = page("report.pdf", 1), page("report.pdf", 2), page("report.pdf", 3)
    assert "Coded excerpts" in title
    assert demo.name in title
    assert "Coders: " in title
    top = [c for c in demo.codes() if c.parent_id is None]
    assert all(c.name in contents for c in top)
    assert "Definition:" in first
    assert "Coder: " in first
    assert "Code" in page("codebook.pdf", 1)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 3
    assert all(p.stat().st_size > 2000 for p in pages)


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice/poppler absent")
def test_libreoffice_prints_page_numbers_contents_and_tall_rows(demo: Project, tmp_path: Path) -> None:
    """As a reader's office program lays them out: numbered pages, a contents page with page numbers, and
    excerpt rows tall enough for their text (not LibreOffice's default 15 pt)."""
    report = export(demo, tmp_path / "report.docx", today=TODAY)
    workbook = export(demo, tmp_path / "book.xlsx", today=TODAY)
    subprocess.run(["soffice", *_private_profile(tmp_path), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(report),
                    str(workbook)], check=True, capture_output=True, timeout=300)
    again = tmp_path / "again"
    again.mkdir()
    subprocess.run(["soffice", *_private_profile(tmp_path), "--headless", "--convert-to", "xlsx", "--outdir", str(again), str(workbook)],
                   check=True, capture_output=True, timeout=300)

    def text(pdf: str, first: int, last: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-layout", str(tmp_path / pdf), "-"],
                              check=True, capture_output=True, text=True, timeout=60).stdout

    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")],
                                                            capture_output=True, text=True).stdout).group(1))
    assert f"Page 1 of {pages}" in text("report.pdf", 1, 1)
    assert demo.name in text("report.pdf", 3, 3)  # the header
    contents = text("report.pdf", 2, 2)
    for code in (c for c in demo.codes() if c.parent_id is None):
        assert re.search(re.escape(code.name) + r"\s*\.{3,}\s*\d+", contents), code.name
    printed = text("book.pdf", 1, 3)
    assert "About this export" in printed
    assert "Frequencies, page" in printed
    sheet = openpyxl.load_workbook(again / "book.xlsx")["Excerpts"]
    wrapped = [r for r in range(2, sheet.max_row + 1) if len(str(sheet.cell(r, 8).value or "")) > 150]
    assert wrapped
    assert all((sheet.row_dimensions[r].height or 15) > 15 for r in wrapped)  # LibreOffice keeps the heights
