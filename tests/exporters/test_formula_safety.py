"""No cell of a CSV file, a workbook or a CLI listing can run as a formula, header rows included; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from qcode.cli import main
from qcode.core.exporters import export
from qcode.core.project import Project

TODAY = date(2026, 11, 25)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Names a spreadsheet would run: a case, a coder, a code, a source and attribute values."""
    path = tmp_path / "hostile.qcode"
    with Project.create(path) as p:
        p.use_coder('=HYPERLINK("http://example.invalid","click")')
        source = p.add_source("=cmd|' /C calc'!A0", "Al: we talk at the club. Al: and at home too.")
        code = p.create_code("+Support")
        p.add_coding(source.id, code.id, 4, 24)
        case = p.create_case("=1+1")
        p.add_case_member(case.id, source.id)
        group = p.create_attribute("Group", "text")
        p.set_attribute_value(group.id, case.id, "@SUM(A1)")
        kappa = p.create_attribute("Kappa", "number")
        p.set_attribute_value(kappa.id, case.id, -0.12)
    return path


def _no_formula_text(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(DANGEROUS) or cell.lstrip("-").replace(".", "", 1).isdigit(), cell


@pytest.mark.parametrize("by", ["case", "coder", "attribute:Group", "source"])
def test_matrix_csv_headers_are_neutralised(hostile: Path, tmp_path: Path, by: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.csv"
    assert main(["export", str(hostile), "--out", str(out), "--what", "matrix", "--by", by]) == 0
    capsys.readouterr()
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    assert any(cell.startswith("'") for cell in header), header  # the hostile group name, neutralised
    for row in rows:
        _no_formula_text(row)


def test_every_csv_of_an_export_is_neutralised(hostile: Path, tmp_path: Path) -> None:
    with Project.open(hostile, mode="read") as p:
        folder = export(p, tmp_path / "all", fmt="csv", what="all", today=TODAY)
    for table in folder.glob("*.csv"):
        with table.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                _no_formula_text(row)
    with (folder / "excerpts.csv").open(encoding="utf-8-sig", newline="") as fh:
        excerpts = list(csv.DictReader(fh))
    assert excerpts[0]["case:Kappa"] == "-0.12"  # a number, written as a number


def test_workbook_cells_are_text_or_numbers_never_formulas(hostile: Path, tmp_path: Path) -> None:
    with Project.open(hostile, mode="read") as p:
        out = export(p, tmp_path / "all.xlsx", today=TODAY)
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name), name
                assert b"<f " not in package.read(name), name
    book = openpyxl.load_workbook(out)
    values = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert any(str(c.value).startswith("=") for c in values)  # the hostile names are there, as text
    assert all(c.data_type in ("s", "n", "b", "d") for c in values)
    kappa = [c.value for c in values if c.data_type == "n" and c.value == -0.12]
    assert kappa, "a negative number stays a number"


@pytest.mark.parametrize("command", [
    ["stats"], ["stats", "--by", "case"], ["codes"], ["sources"], ["cases"], ["search", "club"],
    ["autocode", "--code", "+New", "--keywords", "club", "--dry-run"],
])
def test_cli_csv_listings_are_neutralised(hostile: Path, command: list[str],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    name, *rest = command
    assert main([name, str(hostile), *rest, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) > 1
    for row in rows:
        _no_formula_text(row)
    flat = [cell for row in rows for cell in row]
    assert any(cell.startswith("'") for cell in flat), flat
    if name == "cases":
        assert "-0.12" in flat  # numbers are not touched
