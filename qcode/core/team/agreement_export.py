"""The agreement table as an Excel workbook or a Word document, with the method stated for a methods section."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from qcode.core.errors import ExportError
from qcode.core.exporters.safety import atomic_output, fit_cell, xml_safe
from qcode.core.exporters.word import WordDocument
from qcode.core.team.agreement import AgreementReport, AgreementRow

COLUMNS = ("code", "unit", "units", "coded_units", "percent_agreement", "cohen_kappa", "brennan_prediger",
           "krippendorff_alpha")
HEADERS = ("Code", "Unit", "Units", "Coded units", "Agreement %", "Cohen's kappa", "Brennan-Prediger",
           "Krippendorff's alpha")
PLACES = (0, 0, 0, 0, 1, 3, 3, 3)  # decimals shown per column: the percentage one, the coefficients three


def row_cells(row: AgreementRow, unit: str, digits: int = 3) -> tuple[object, ...]:
    """A row's cells: percent with one decimal less than the coefficients; undefined figures empty (None)."""
    f = row.figures

    def rounded(value: float | None, places: int) -> float | None:
        return None if value is None else round(value, places) + 0.0  # + 0.0: never a negative zero

    return (row.code, unit, f.units, f.coded_units, rounded(f.percent_agreement, max(digits - 2, 1)),
            rounded(f.cohen_kappa, digits), rounded(f.brennan_prediger, digits),
            rounded(f.krippendorff_alpha, digits))


def tables(report: AgreementReport) -> list[tuple[str, list[tuple[object, ...]]]]:
    """(title, rows) of every table: all coders, then each pair of coders (with more than two)."""
    names = {c.id: c.name for c in report.coders}
    unit = report.request.unit
    out = [(", ".join(c.name for c in report.coders), [row_cells(r, unit) for r in report.rows])]
    if len(report.coders) > 2:
        for (a, b), rows in report.pairs.items():
            out.append((f"{names[a]} and {names[b]}", [row_cells(r, unit) for r in rows]))
    return out


def export_agreement(report: AgreementReport, target: str | Path, *, project_name: str = "",
                     today: date | None = None) -> Path:
    """Write the report to `target`: .xlsx or .docx, chosen by its ending."""
    target = Path(target)
    today = today or date.today()
    suffix = target.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx(report, target, project_name, today)
    if suffix == ".docx":
        return _docx(report, target, project_name, today)
    raise ExportError(f"The agreement table is saved as .xlsx or .docx, not '{target.suffix or target.name}'.")


def _xlsx(report: AgreementReport, target: Path, project_name: str, today: date) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Agreement"
    ws.append(["Inter-coder agreement"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([xml_safe(f"{project_name} · exported from qcode on {today.isoformat()}")])
    ws.append([fit_cell(xml_safe(report.method()))])
    ws["A3"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=len(HEADERS))
    ws.row_dimensions[3].height = 120
    for title, rows in tables(report):
        ws.append([])
        ws.append([xml_safe(f"Coders: {title}")])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(list(HEADERS))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([xml_safe(v) if isinstance(v, str) else v for v in row])
            ws.cell(ws.max_row, 1).data_type = "s"  # a code named '=...' stays text
    ws.column_dimensions["A"].width = max(24, min(70, max((len(str(r[0])) for _, rows in tables(report) for r in rows),
                                                           default=24) + 2))
    for letter in "BCDEFGH":
        ws.column_dimensions[letter].width = 16
    for row in ws.iter_rows(min_row=5):
        for cell in row[4:]:
            if isinstance(cell.value, float):
                cell.number_format = "0.000" if cell.column > 5 else "0.0"
    with atomic_output(target, suffix=".xlsx") as temp:
        wb.save(temp)
    return target


def _docx(report: AgreementReport, target: Path, project_name: str, today: date) -> Path:
    word = WordDocument(title="Inter-coder agreement", subject=project_name, landscape=True, margins=0.75)
    word.paragraph("Inter-coder agreement", "Title")
    word.paragraph(f"{project_name} · exported from qcode on {today.isoformat()}", "Subtitle")
    word.heading("Method", 1)
    word.paragraph(report.method())
    for title, rows in tables(report):
        word.heading(f"Coders: {title}", 1)
        caption = word.paragraph(f"Agreement per code ({len(rows) - 1} codes, then all codes pooled). An empty "
                                 "cell is an undefined statistic.", "Caption")
        caption.paragraph_format.keep_with_next = True
        first = 3.0
        rest = (word.text_width - first) / (len(HEADERS) - 1)
        word.table(HEADERS, rows, places=PLACES, widths=(first, *([rest] * (len(HEADERS) - 1))), font_size=9, tight=True)
    return word.save(target)
