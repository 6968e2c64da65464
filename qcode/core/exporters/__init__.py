"""Exports to Word, Excel and CSV: what to export, in which format, to which file.

Every writer writes to a temporary file beside the target and moves it into place at the end, so a
failed or cancelled export never leaves a half file nor harms an existing one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import ExportError, InvalidRequestError
from qcode.core.exporters import csv_export, docx_export, xlsx_export
from qcode.core.exporters.safety import atomic_folder, refuse_project_target
from qcode.core.exporters.tables import (
    Table,
    codebook_table,
    excerpt_data,
    excerpt_table,
    frequency_table,
    matrix_table,
)
from qcode.core.model import Filter
from qcode.core.progress import Progress
from qcode.core.project import Project

FORMATS = ("docx", "xlsx", "csv")
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
WHATS = ("excerpts", "frequencies", "codebook", "matrix", "memos", "transcript", "all")
DEFAULT_WHAT = {"docx": "excerpts", "xlsx": "all", "csv": "excerpts"}
SUPPORTED = {
    "docx": {"excerpts", "frequencies", "codebook", "matrix", "memos", "transcript", "all"},
    "xlsx": {"excerpts", "frequencies", "codebook", "matrix", "all"},
    "csv": {"excerpts", "frequencies", "codebook", "matrix", "all"},
}


#: REFI-QDA exchange files for other QDA programs (written by qcode.core.refi): the whole project (.qdpx) or its
#: codebook (.qdc); `what`, groupings and filters do not apply to them
EXCHANGE_FORMATS = ("qdpx", "qdc")


def export_exchange(project: Project, target: Path, fmt: str, *, progress: Progress | None = None,
                    **not_applicable: object) -> Path:
    """A REFI-QDA export, refusing the options of the other exports."""
    given = sorted(name for name, value in not_applicable.items() if value)
    if given:
        raise InvalidRequestError(f"A {fmt} export holds the whole {'project' if fmt == 'qdpx' else 'codebook'}; "
                                  f"{', '.join(given)} do not apply to it.")
    from qcode.core.refi.writer import write_codebook, write_project

    # the writers take `project` as given: a pseudonymised view stays one (and gets fresh identifiers)
    if fmt == "qdc":
        return write_codebook(project, target)
    return write_project(project, target, progress=progress)


def format_for(target: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise InvalidRequestError(f"Exports are written as {', '.join(FORMATS)}, not '{fmt}'.")
        return fmt
    suffix = target.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise InvalidRequestError(
        f"Say which format to write ({', '.join(FORMATS)}) with --format, or give the file one of those endings."
    )


def export(
    project: Project,
    target: str | Path,
    *,
    fmt: str | None = None,
    what: str | None = None,
    grouping: Grouping | None = None,
    flt: Filter | None = None,
    filter_text: str = "",
    source_id: int | None = None,
    delimiter: str = ",",
    frequency_table_at_end: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write one export and return its path (a folder for CSV with what='all')."""
    target = Path(target)
    refuse_project_target(target, project.path)
    exchange = fmt or target.suffix.lower().lstrip(".")
    if exchange in EXCHANGE_FORMATS:
        return export_exchange(project, target, exchange, progress=progress, what=what, grouping=grouping,
                               filters=flt and not flt.is_empty(), source=source_id)
    fmt = format_for(target, fmt)
    what = what or DEFAULT_WHAT[fmt]
    if what not in WHATS:
        raise InvalidRequestError(f"An export is one of {', '.join(WHATS)}, not '{what}'.")
    if what not in SUPPORTED[fmt]:
        raise InvalidRequestError(f"A {what} export is written as Word (.docx), not as {fmt}.")
    delimiter = DELIMITER_NAMES.get(delimiter.lower(), delimiter)
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        raise InvalidRequestError("The CSV delimiter is one character, such as , or ; (or 'tab').")
    today = today or date.today()
    flt = flt or Filter()
    grouping = grouping or Grouping("case")
    if fmt == "csv":
        return _csv(project, target, what, grouping, flt, delimiter, progress)
    if fmt == "xlsx":
        return _xlsx(project, target, what, grouping, flt, progress)
    return _docx(project, target, what, grouping, flt, filter_text, source_id, today, progress,
                 frequency_table_at_end)


def _csv(project: Project, target: Path, what: str, grouping: Grouping, flt: Filter, delimiter: str,
         progress: Progress | None) -> Path:
    tables: dict[str, Callable[[], Table]] = {
        "excerpts": lambda: excerpt_table(excerpt_data(project, flt)),
        "frequencies": lambda: frequency_table(project, flt),
        "codebook": lambda: codebook_table(project),
        "matrix": lambda: matrix_table(project, grouping, flt),
    }
    if what != "all":
        return csv_export.write_csv(tables[what](), target, delimiter=delimiter, progress=progress)
    with atomic_folder(target) as folder:
        for name, build in tables.items():
            csv_export.write_csv(build(), folder / f"{name}.csv", delimiter=delimiter, progress=progress)
    return target


def _xlsx(project: Project, target: Path, what: str, grouping: Grouping, flt: Filter,
          progress: Progress | None) -> Path:
    sheets = []
    if what in ("frequencies", "all"):
        sheets.append(("Frequencies", frequency_table(project, flt), True))
    if what in ("matrix", "all"):
        sheets.append(("Matrix", matrix_table(project, grouping, flt), True))
    if what in ("excerpts", "all"):
        sheets.append(("Excerpts", excerpt_table(excerpt_data(project, flt)), False))
    if what in ("codebook", "all"):
        sheets.append(("Codebook", codebook_table(project), True))
    return xlsx_export.write_workbook(sheets, target, chart_on="Frequencies", progress=progress,
                                      title=f"{project.name}: qcode export")


def _docx(project: Project, target: Path, what: str, grouping: Grouping, flt: Filter, filter_text: str,
          source_id: int | None, today: date, progress: Progress | None, with_frequencies: bool) -> Path:
    if what in ("excerpts", "all"):
        frequencies = frequency_table(project, flt) if with_frequencies else None
        return docx_export.excerpts_report(project, excerpt_data(project, flt), target, today=today,
                                           filters=filter_text, frequencies=frequencies, progress=progress)
    if what == "codebook":
        return docx_export.codebook_document(project, codebook_table(project), target, today=today)
    if what == "memos":
        return docx_export.memos_document(project, target, today=today)
    if what == "transcript":
        if source_id is None:
            raise InvalidRequestError("A coded transcript is of one source: say which with --source.")
        return docx_export.transcript_document(project, source_id, target, today=today)
    if what == "frequencies":
        return docx_export.table_document(project, frequency_table(project, flt), target, title="Code frequencies",
                                          caption=docx_export.FREQUENCY_CAPTION, today=today, filters=filter_text)
    return docx_export.table_document(project, matrix_table(project, grouping, flt), target,
                                      title=f"Codes by {grouping_label(project, grouping)}",
                                      caption=docx_export.MATRIX_CAPTION, today=today, filters=filter_text)


def grouping_label(project: Project, grouping: Grouping) -> str:
    """What a matrix's columns are, in words: 'case', 'source', 'coder' or an attribute's name."""
    if grouping.kind == "attribute":
        names = {a.id: a.name for a in project.attributes()}
        return names.get(grouping.attribute_id or 0, "attribute")
    return grouping.kind


__all__ = ["FORMATS", "WHATS", "ExportError", "export", "refuse_project_target"]
