"""A first look at a survey spreadsheet, so that a researcher can say which column is what before importing.

`survey_columns` reads the sheet names, the header row and the first answers (never the whole file), and
suggests a role for each column: the respondent id, open answers (long text), attributes (few distinct
values, numbers or dates), or nothing. The suggestions are only a starting point for the choice the
researcher makes (in the app's survey dialog); the import itself takes `SurveyOptions`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from qcode.core.errors import UnreadableFileError
from qcode.core.importers.archives import check_zip
from qcode.core.importers.base import SurveyOptions
from qcode.core.importers.ooxml_strict import readable_package
from qcode.core.importers.survey import MAX_CHOICES, cell_text, column_letter, read_csv_rows, read_table, read_xlsx_rows

SAMPLE_ROWS = 500  # answers looked at to suggest roles
ROLES = ("ignore", "id", "text", "attribute")
LONG_ANSWER = 40  # characters: a column whose answers are this long on average holds open answers
ID_WORDS = ("id", "respondent", "participant", "case", "response")


@dataclass(frozen=True)
class SurveyColumn:
    """A column of a survey sheet as the import dialog shows it: its header, a few answers and the role suggested for
    it."""

    index: int
    header: str  # its question text or header as in the file, or "Column C" when the header cell is empty
    examples: tuple[str, ...]
    role: str  # the suggested role, one of ROLES
    name: str = ""  # the first header row's cell, when a later header row gives the question text shown as header

    @property
    def reference(self) -> str:
        """How `SurveyOptions` names this column: its letter, which is never ambiguous."""
        return column_letter(self.index)


@dataclass(frozen=True)
class SurveyColumns:
    """What the import dialog shows of a survey file: its sheets (for a workbook), the chosen sheet's columns with
    suggested roles, and notes on reading it."""

    sheets: tuple[str, ...]  # empty for CSV
    sheet: str | None
    columns: tuple[SurveyColumn, ...]
    rows_seen: int
    notes: tuple[str, ...] = field(default=())

    def options(self, roles: dict[int, str]) -> SurveyOptions:
        """The import options for roles chosen per column index (columns not named keep their suggestion)."""
        chosen = {c.index: roles.get(c.index, c.role) for c in self.columns}
        ids = [c.reference for c in self.columns if chosen[c.index] == "id"]
        return SurveyOptions(
            id_column=ids[0] if ids else "",
            text_columns=tuple(c.reference for c in self.columns if chosen[c.index] == "text"),
            attribute_columns=tuple(c.reference for c in self.columns if chosen[c.index] == "attribute"),
            sheet=self.sheet,
        )


def xlsx_sheet_names(path: Path) -> tuple[str, ...]:
    """The names of a workbook's sheets, in order; raises UnreadableFileError when it cannot be read as an Excel
    workbook."""
    check_zip(path, "xl/workbook.xml", "an Excel workbook")
    import openpyxl

    with readable_package(path) as readable:
        try:
            workbook = openpyxl.load_workbook(readable, read_only=True, data_only=True)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as err:
            raise UnreadableFileError(f"{path.name} could not be read as an Excel workbook ({err}).") from err
        try:
            return tuple(workbook.sheetnames)
        finally:
            workbook.close()


def survey_columns(path: Path, sheet: str | None = None) -> SurveyColumns:
    """The columns of a survey file (.csv or .xlsx) with examples and a suggested role each."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        sheets = xlsx_sheet_names(path)
        sheet = sheet if sheet in sheets else (sheets[0] if sheets else None)
        rows = read_xlsx_rows(path, sheet, max_rows=SAMPLE_ROWS + 20)
    else:
        sheets, sheet = (), None
        rows = read_csv_rows(path)
    table = read_table(rows, path.name)
    data = [row for _, row in table.data[:SAMPLE_ROWS]]
    width = len(table.headers)
    columns = []
    for index in range(width):
        values = [cell_text(row[index]) if index < len(row) else "" for row in data]
        examples = tuple(v for v in values if v)[:3]
        columns.append((index, table.title(index), values, examples))
    roles = suggest_roles([(table.headers[index] or title, values) for index, title, values, _examples in columns])
    return SurveyColumns(
        sheets=sheets, sheet=sheet, rows_seen=len(data),
        columns=tuple(SurveyColumn(index, title, examples, role,
                                   table.headers[index] if table.headers[index] != title else "")
                      for (index, title, _values, examples), role in zip(columns, roles, strict=True)),
        notes=tuple(table.notes()),
    )


def suggest_roles(columns: list[tuple[str, list[str]]]) -> list[str]:
    """A role per (header, values): one id (unique, short, preferably named like an id), open answers
    (long text), attributes (few distinct values, or numbers and dates), the rest ignored."""
    roles = ["ignore"] * len(columns)

    def unique(values: list[str]) -> bool:
        present = [v for v in values if v]
        return bool(present) and len(present) == len(values) and len(set(present)) == len(present)

    candidates = [i for i, (_title, values) in enumerate(columns)
                  if unique(values) and max((len(v) for v in values), default=0) <= LONG_ANSWER]
    named = [i for i in candidates if set(_words(columns[i][0])) & set(ID_WORDS)]
    id_index = (named or candidates)[0] if named or candidates else None
    if id_index is not None:
        roles[id_index] = "id"
    for i, (_title, values) in enumerate(columns):
        if i == id_index:
            continue
        present = [v for v in values if v]
        if not present:
            continue
        average = sum(len(v) for v in present) / len(present)
        if average >= LONG_ANSWER or max(len(v) for v in present) >= 2 * LONG_ANSWER:
            roles[i] = "text"
        elif len(set(present)) <= MAX_CHOICES or all(_numeric(v) for v in present):
            roles[i] = "attribute"
    return roles


def _words(name: str) -> list[str]:
    """"ResponseId", "respondent_id", "Case ID" -> their words in lower case."""
    return re.split(r"[\W_]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).casefold())


def _numeric(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True

