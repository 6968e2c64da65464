"""The demo project exported to every format and read back equals what the core reports; Word pages render."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from qcode.core.demo import build_demo
from qcode.core.exporters import export
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
        assert f"case:{attribute.name}" in header
    frequencies = {r[0]: r[1:5] for r in workbook["Frequencies"].iter_rows(min_row=2, values_only=True)}
    for row in demo.frequencies():
        path = demo.code_path(row.code_id, separator=" > ")
        assert frequencies[path] == (row.total.excerpts, row.total.sources, row.total.cases, row.total.characters)
    out = export(demo, tmp_path / "demo.csv", today=TODAY)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == demo.coding_count()


def test_demo_to_word(demo: Project, tmp_path: Path) -> None:
    out = export(demo, tmp_path / "demo.docx", today=TODAY)
    document = docx.Document(str(out))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == demo.coding_count()
    headings = [p.text.lstrip("■ ") for p in document.paragraphs if p.style.name.startswith("Heading")]
    for code in demo.codes():
        assert code.name in headings


@pytest.mark.slow
@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")), reason="LibreOffice/poppler absent")
def test_word_report_renders_to_pages(demo: Project, tmp_path: Path) -> None:
    out = export(demo, tmp_path / "report.docx", today=TODAY, what="codebook")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(tmp_path / "report.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    assert all(p.stat().st_size > 2000 for p in pages)
