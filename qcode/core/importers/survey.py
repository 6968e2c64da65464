"""Survey spreadsheets (.csv, .xlsx): each chosen question column becomes a source, each respondent a case.

The user says which column holds the respondent id, which hold open answers and which hold attributes
(`ImportOptions.survey`). A column is named by its header (case-insensitive, trimmed), its letter ("C",
"AB") or its 1-based number ("3"). A header name wins when a reference could be both: a column headed
"ID" is meant by "ID", not column 238.

Each answer is one paragraph of its question's source, exactly the answer text (outer whitespace trimmed,
newlines kept as "\n", blank lines inside an answer closed up so that "\n\n" always separates answers),
with a "turn" span naming the respondent. Empty answers are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import register
from qcode.core.importers.archives import check_zip
from qcode.core.importers.base import ImportOptions, ParsedCase, ParsedSource, ParseResult, SurveyOptions
from qcode.core.importers.ooxml_strict import readable_package
from qcode.core.importers.structure import TextBuilder
from qcode.core.importers.survey_headers import MAX_HEADER_ROWS, SAMPLE, column_labels, header_row_count
from qcode.core.importers.text import TextImporter, normalise_newlines, read_text_file
from qcode.core.progress import Progress

Cell = object  # str, int, float, bool, datetime, date, time or None
MAX_CHOICES = 12
PROGRESS_EVERY = 1000
_DELIMITERS = (",", ";", "\t")
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
_NUMBER = re.compile(r"^[+-]?(?:(?:0|[1-9]\d*)(?:[.,]\d+)?|[.,]\d+)$")  # "007", "01234": codes, not numbers
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_BLANK_LINES = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
# 12/03/2024, 3.12.2024 or 12-03-2024, maybe with a time ("10:22", "10:22:01 AM") as survey tools export them
_LOCAL_DATE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:,?[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)?$")


def _no_survey_options(path: Path) -> UnsupportedFormatError:
    return UnsupportedFormatError(
        f"{path.name} is a spreadsheet; to import it as a survey, choose its columns (on the command line: "
        "--survey FILE --id-column C --text-column A [--text-column B ...] [--attribute-column D ...])."
    )


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def resolve_column(ref: str, headers: list[str], file_name: str, labels: list[str] | None = None) -> int:
    """The 0-based column a reference means: header name first, then the question text of a later header row
    (`labels`), then column letter, then 1-based number."""
    wanted = ref.strip().casefold()
    for names in (headers, labels or []):
        for index, header in enumerate(names):
            if header.strip().casefold() == wanted and wanted:
                return index
    index = -1
    if _LETTERS.match(wanted):
        index = 0
        for char in wanted.upper():
            index = index * 26 + ord(char) - 64
        index -= 1
    elif wanted.isdigit():
        index = int(wanted) - 1
    if 0 <= index < len(headers):
        return index
    listed = ", ".join(f"{column_letter(i)} '{h}'" if h else column_letter(i) for i, h in enumerate(headers))
    raise UnsupportedFormatError(
        f"{file_name} has no column '{ref.strip()}'. Its columns are: {listed}. Name one by its header, "
        "letter or number."
    )


def cell_text(value: Cell) -> str:
    """A cell as text: whole numbers without '.0', dates as YYYY-MM-DD, newlines normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return normalise_newlines(str(value)).strip()


def clean_name(text: str) -> str:
    """A name the project accepts for a case or attribute: single spaces, no '/'."""
    return " ".join(text.replace("/", "-").split())


# --- attribute types -------------------------------------------------------------------------------------


def _as_number(value: Cell) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number: float = value
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        number = float(value.strip().replace(",", "."))
    else:
        return None
    return int(number) if float(number).is_integer() else float(number)


def day_first(values: list[Cell]) -> bool | None:
    """For a column of dates written 12/03/2024 or 12.03.2024: whether the day comes first.

    The column decides: a first number above 12 means day first, a second one above 12 month first; dates
    with dots are day first (as in most of Europe). None when the column holds other values or cannot tell.
    """
    matches = [_LOCAL_DATE.match(cell_text(v)) for v in values if isinstance(v, str) and cell_text(v)]
    if not matches or any(m is None for m in matches):
        return None
    if any(int(m.group(1)) > 12 for m in matches):  # type: ignore[union-attr]
        return True
    if any(int(m.group(3)) > 12 for m in matches):  # type: ignore[union-attr]
        return False
    if all(m.group(2) == "." for m in matches):  # type: ignore[union-attr]
        return True
    return None


def _as_date(value: Cell, first_is_day: bool | None = None) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    local = _LOCAL_DATE.match(value.strip()) if isinstance(value, str) and first_is_day is not None else None
    if local:
        first, second, year = int(local.group(1)), int(local.group(3)), int(local.group(4))
        day, month = (first, second) if first_is_day else (second, first)
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return None
    return None


def infer_attribute(values: list[Cell]) -> tuple[str, Sequence[object]]:
    """The type of a column of attribute values and the values in that type (None where empty).

    All numbers (also "3,5") -> number; all ISO, spreadsheet or local dates whose day and month order the
    column makes clear (see `day_first`) -> date; at most 12 distinct values
    with at least one repeat -> choice; otherwise text.
    """
    present = [v for v in values if cell_text(v)]
    if present:
        numbers = [_as_number(v) for v in values]
        if all(n is not None for n, v in zip(numbers, values, strict=True) if cell_text(v)):
            return "number", numbers
        order = day_first(values)
        dates = [_as_date(v, order) for v in values]
        if all(d is not None for d, v in zip(dates, values, strict=True) if cell_text(v)):
            return "date", dates
    texts = [cell_text(v) or None for v in values]
    distinct = {t for t in texts if t}
    if present and len(distinct) <= MAX_CHOICES and len(distinct) < len(present):
        return "choice", texts
    return "text", texts


# --- building the result ---------------------------------------------------------------------------------


def _answer(value: Cell) -> str:
    return _BLANK_LINES.sub("\n", cell_text(value))


@dataclass(slots=True)
class SurveyTable:
    """A sheet split into its header rows and its respondents' rows."""

    headers: list[str]  # the first header row: the names columns are referred to by
    labels: list[str]  # the question text of each column (see survey_headers.column_labels)
    data: list[tuple[int, list[Cell]]]  # (row number in the file, cells) of each respondent
    header_rows: int
    blank_rows: list[int]  # wholly blank rows between the respondents, skipped

    def title(self, index: int) -> str:
        """How a column is named to the user: its question text, else its header, else 'Column C'."""
        return self.labels[index] or self.headers[index] or f"Column {column_letter(index)}"

    def notes(self) -> list[str]:
        """What the import report says about reading the sheet: several header rows, blank rows skipped."""
        notes = []
        if self.header_rows > 1:
            notes.append(f"the first {self.header_rows} rows are headers; columns are named by their question text")
        if self.blank_rows:
            shown = ", ".join(map(str, self.blank_rows[:10])) + (" ..." if len(self.blank_rows) > 10 else "")
            notes.append(f"{len(self.blank_rows)} blank row{'s' if len(self.blank_rows) > 1 else ''} skipped "
                         f"(row{'s' if len(self.blank_rows) > 1 else ''} {shown})")
        return notes


def read_table(rows: list[list[Cell]], file_name: str) -> SurveyTable:
    """The header rows (one to three, see survey_headers) and the respondents' rows of a sheet."""
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell_text(v) for v in row)]
    if not numbered:
        raise EmptySourceError(f"{file_name} is empty; a survey needs a header row and one row per respondent.")
    texts = [[cell_text(v) for v in row] for _, row in numbered[:MAX_HEADER_ROWS + SAMPLE + 1]]
    count = header_row_count(texts)
    width = max(len(row) for _, row in numbered)
    headers = texts[0] + [""] * (width - len(texts[0]))
    data = numbered[count:]
    kept = {number for number, _ in data}
    blank = [n for n in range(data[0][0], data[-1][0]) if n not in kept] if data else []
    labels = column_labels(texts[:count], width)
    seen = Counter(label.casefold() for label in labels)
    labels = [f"{label} ({column_letter(i)})" if label and seen[label.casefold()] > 1 else label
              for i, label in enumerate(labels)]  # two columns under one question text stay apart
    return SurveyTable(headers, labels, data, count, blank)


def build_result(path: Path, rows: list[list[Cell]], survey: SurveyOptions,
                 progress: Progress | None) -> ParseResult:
    """Sources, cases and attribute types from rows: the first non-blank ones are the header rows."""
    table = read_table(rows, path.name)
    headers, data, title = table.headers, table.data, table.title
    if not data:
        raise EmptySourceError(f"{path.name} has a header row but no answers below it.")

    def resolve(ref: str) -> int:
        return resolve_column(ref, headers, path.name, table.labels)

    id_col = resolve(survey.id_column)
    text_cols = list(dict.fromkeys(resolve(ref) for ref in survey.text_columns))
    attr_cols = list(dict.fromkeys(resolve(ref) for ref in survey.attribute_columns))
    if not text_cols:
        raise UnsupportedFormatError(f"Choose at least one column of answers to import from {path.name}.")

    def cell(row: list[Cell], index: int) -> Cell:
        return row[index] if index < len(row) else None

    ids = [clean_name(cell_text(cell(row, id_col))) for _, row in data]
    empty = [number for (number, _), ident in zip(data, ids, strict=True) if not ident]
    if empty:
        rows_named = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        raise UnreadableFileError(f"{path.name} has rows without a respondent id in column '{title(id_col)}' "
                                  f"(rows {rows_named}). Fill them in or remove those rows.")
    first_row: dict[str, int] = {}
    clashes: list[str] = []
    for (number, _), ident in zip(data, ids, strict=True):
        if ident in first_row:
            clashes.append(f"'{ident}' in rows {first_row[ident]} and {number}")
        else:
            first_row[ident] = number
    if clashes:
        raise UnreadableFileError(f"{path.name} uses the same respondent id more than once ("
                                  + "; ".join(clashes[:5]) + (" ..." if len(clashes) > 5 else "")
                                  + "). Each row needs its own id.")

    cases = [ParsedCase(name=ident) for ident in ids]
    attribute_types: dict[tuple[str, str], str] = {}
    for col in attr_cols:
        name = clean_name(title(col))
        kind, values = infer_attribute([cell(row, col) for _, row in data])
        attribute_types[("case", name)] = kind
        for case, value in zip(cases, values, strict=True):
            if value is not None:
                case.attributes[name] = value

    sources: list[ParsedSource] = []
    total = len(text_cols) * len(data)
    for done_cols, col in enumerate(text_cols):
        builder = TextBuilder()
        members: list[tuple[ParsedCase, int, int]] = []
        for done_rows, (case, (_, row)) in enumerate(zip(cases, data, strict=True)):
            if progress is not None and done_rows % PROGRESS_EVERY == 0:
                if progress.cancelled():
                    raise ImportError_("Import cancelled.")
                progress.step(done_cols * len(data) + done_rows, total, title(col))
            where = builder.add(_answer(cell(row, col)), spans=[("turn", case.name)])
            if where:
                members.append((case, *where))
        if not members:
            continue
        index = len(sources)
        for case, start, end in members:
            case.members.append((index, start, end))
        sources.append(ParsedSource(name=title(col), text=builder.text(), kind="survey", spans=builder.all_spans(),
                                    meta={"survey_column": title(col), "answers": len(members)}))
    if not sources:
        raise EmptySourceError(f"{path.name} has no answers in the chosen columns.")
    return ParseResult(sources, cases, [], attribute_types, notes=table.notes())


# --- reading the files -----------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first records into the most, most regular columns."""
    best, best_score = ",", (0.0, 1)
    for delimiter in _DELIMITERS:
        try:
            sample = list(islice(csv.reader(io.StringIO(text), delimiter=delimiter), 50))
        except csv.Error:
            continue
        sample = [row for row in sample if any(cell.strip() for cell in row)]
        if not sample or len(sample[0]) < 2:
            continue
        width = len(sample[0])
        regular = sum(1 for row in sample if len(row) == width) / len(sample)
        if (regular, width) > best_score:
            best, best_score = delimiter, (regular, width)
    return best


def read_csv_rows(path: Path) -> list[list[Cell]]:
    """The rows of a CSV file (in any encoding the text reader accepts, the delimiter guessed), each a list of cell
    texts. Raises EmptySourceError for an empty file and UnreadableFileError for one that is not CSV or ends inside
    an unclosed quote."""
    try:
        text = read_text_file(path, trim=False).lstrip("\ufeff")
    except EmptySourceError:
        text = ""
    if not text.strip():
        raise EmptySourceError(f"{path.name} is empty; a survey needs a header row and one row per respondent.")
    delimiter = sniff_delimiter(text)
    rows: list[list[Cell]] = []
    starts: list[int] = []  # the line each row starts on
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        line = 0
        for row in reader:
            starts.append(line + 1)
            rows.append(list[Cell](row))
            line = reader.line_num
    except csv.Error as err:
        raise UnreadableFileError(f"{path.name} is not a readable CSV file ({err}).") from err
    if rows and _ends_inside_quotes(text, delimiter):
        raise UnreadableFileError(
            f"{path.name} has a quote that opens an answer on line {starts[-1]} and is never closed, so "
            "everything after it would read as one answer. Add the missing quote (\") and import it again."
        )
    return rows


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Whether the file ends inside a quoted field (a closing quote is missing), which the lenient reader hides."""
    try:
        for _ in csv.reader(io.StringIO(text), delimiter=delimiter, strict=True):
            pass
    except csv.Error as err:
        return "unexpected end of data" in str(err)
    return False


def read_xlsx_rows(path: Path, sheet: str | None, *, max_rows: int | None = None) -> list[list[Cell]]:
    """The rows of a sheet of an Excel workbook (the first when `sheet` is None; at most `max_rows`), each a list of
    cell values. Raises UnsupportedFormatError for a missing sheet or a chart sheet, UnreadableFileError for a
    damaged workbook."""
    check_zip(path, "xl/workbook.xml", "an Excel workbook")
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    failures = (OSError, KeyError, ValueError, TypeError, IndexError, AttributeError, zipfile.BadZipFile,
                SyntaxError, InvalidFileException)  # SyntaxError covers XML parse errors
    with readable_package(path) as readable:  # a Strict Open XML workbook is read as a transitional one
        try:
            workbook = openpyxl.load_workbook(readable, read_only=True, data_only=True)
            return _sheet_rows(workbook, path, sheet, max_rows)
        except failures as err:
            raise UnreadableFileError(f"{path.name} could not be read as an Excel workbook ({err}).") from err


def _sheet_rows(workbook: Any, path: Path, sheet: str | None, max_rows: int | None) -> list[list[Cell]]:
    try:
        names = workbook.sheetnames
        if sheet is None:
            chosen = names[0] if names else None
        else:
            chosen = next((n for n in names if n == sheet), None) or next(
                (n for n in names if n.strip().casefold() == sheet.strip().casefold()), None)
            if chosen is None:
                listed = ", ".join(f"'{n}'" for n in names)
                raise UnsupportedFormatError(f"{path.name} has no sheet called '{sheet}'. Its sheets are: {listed}.")
        if chosen is None:
            raise EmptySourceError(f"{path.name} has no sheets.")
        worksheet = workbook[chosen]
        if not hasattr(worksheet, "iter_rows"):
            raise UnsupportedFormatError(f"The sheet '{chosen}' of {path.name} is a chart, not a table of answers.")
        return [list(row) for row in worksheet.iter_rows(values_only=True, max_row=max_rows)]
    finally:
        workbook.close()


class CsvSurveyImporter:
    """Survey answers from a CSV file: a source per chosen column of answers, a case per respondent row."""

    name = "a CSV survey"
    suffixes = (".csv",)

    def sniff(self, head: bytes) -> bool:
        """A CSV file looks like text; the `.csv` ending and the survey options decide the rest."""
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """Read the file as a survey with the chosen columns; without survey options, refuse with how to give them."""
        if options.survey is None:
            raise _no_survey_options(path)
        return build_result(path, read_csv_rows(path), options.survey, progress)


class XlsxSurveyImporter:
    """Survey answers from a sheet of an Excel workbook: a source per chosen column, a case per respondent row."""

    name = "an Excel (.xlsx)"
    suffixes = (".xlsx",)

    def sniff(self, head: bytes) -> bool:
        """An Excel workbook is a zip archive (its parts are checked when it is read)."""
        return head.startswith(b"PK\x03\x04")

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """Read the chosen sheet as a survey with the chosen columns; without survey options, refuse with how to give
        them."""
        if options.survey is None:
            raise _no_survey_options(path)
        return build_result(path, read_xlsx_rows(path, options.survey.sheet), options.survey, progress)


register(CsvSurveyImporter())
register(XlsxSurveyImporter())
