"""Exports to Word, Excel and CSV: what to export, in which format, to which file.

Every export is an `Exporter` in `REGISTRY`, one per format and report kind (("docx", "excerpts"),
("csv", "matrix") ...), added by `register`. The built-in writers register themselves the way a plug-in
would (the REFI-QDA writer, pseudonymised output): `export` validates the request, looks its entry up and
calls it, so a new kind of export is a new entry, never a new branch here.

Every writer writes to a temporary file beside the target and moves it into place at the end, so a
failed or cancelled export never leaves a half file nor harms an existing one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import ExportError, InvalidRequestError, OptionNotApplicableError
from qcode.core.exporters.safety import refuse_project_target
from qcode.core.model import Filter
from qcode.core.progress import Progress
from qcode.core.project import Project

FORMATS = ("docx", "xlsx", "csv")
DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
WHATS = ("excerpts", "frequencies", "codebook", "matrix", "memos", "transcript", "all")
DEFAULT_WHAT = {"docx": "excerpts", "xlsx": "all", "csv": "excerpts"}


@dataclass(frozen=True)
class ExportRequest:
    """Everything one export needs, checked by `export` before any writer sees it."""

    project: Project
    target: Path
    fmt: str
    what: str
    grouping: Grouping | None  # None: not asked for (a matrix then groups by case)
    flt: Filter
    filter_text: str = ""
    source_id: int | None = None
    delimiter: str = ","
    frequency_table_at_end: bool = True
    today: date = field(default_factory=date.today)
    progress: Progress | None = None
    now: datetime | None = None  # when the export was made (the About sheet); `today` at the current time


Writer = Callable[[ExportRequest], Path]


#: the options an export may take, by the command line's name for them; each exporter says which apply
FILTERS = frozenset({"code", "source", "folder", "case", "coder", "where"})
OPTIONS = FILTERS | {"by", "delimiter", "transcript-source", "no-frequency-table"}


@dataclass(frozen=True)
class Exporter:
    """One kind of export in one format: the function that writes it, and the options it honours."""

    fmt: str
    what: str
    write: Writer
    accepts: frozenset[str] = FILTERS


REGISTRY: dict[tuple[str, str], Exporter] = {}


def register(fmt: str, what: str, *, accepts: frozenset[str] | set[str] = FILTERS) -> Callable[[Writer], Writer]:
    """Make `write(request) -> Path` the exporter of `what` in `fmt` (built-ins register like plug-ins).

    `accepts` names the options (`OPTIONS`) the writer applies; `export` refuses any other one that is set,
    so that no option is silently ignored.
    """
    unknown = set(accepts) - OPTIONS
    if unknown:
        raise ValueError(f"unknown export options {sorted(unknown)}")

    def add(write: Writer) -> Writer:
        REGISTRY[(fmt, what)] = Exporter(fmt, what, write, frozenset(accepts))
        return write

    return add


def exporter_for(fmt: str, what: str) -> Exporter | None:
    """The registered exporter of `what` in `fmt`, if there is one."""
    _load_builtins()
    return REGISTRY.get((fmt, what))


def options_set(flt: Filter, *, grouping: Grouping | None = None, delimiter: str = ",",
                source_id: int | None = None, frequency_table_at_end: bool = True) -> set[str]:
    """The options (`OPTIONS`) a request sets, to compare with what its exporter accepts."""
    chosen = {name for name, values in (("code", flt.codes), ("source", flt.sources), ("folder", flt.folders),
                                        ("case", flt.cases), ("coder", flt.coders), ("where", flt.attributes))
              if values}
    if grouping is not None:
        chosen.add("by")
    if delimiter != ",":
        chosen.add("delimiter")
    if source_id is not None:
        chosen.add("transcript-source")
    if not frequency_table_at_end:
        chosen.add("no-frequency-table")
    return chosen


def supported(fmt: str) -> set[str]:
    """The kinds of export (`WHATS`) written in `fmt`."""
    _load_builtins()
    return {what for (format_, what) in REGISTRY if format_ == fmt}


#: REFI-QDA exchange files for other QDA programs (written by qcode.core.refi): the whole project (.qdpx) or its
#: codebook (.qdc); `what`, groupings and filters do not apply to them
EXCHANGE_FORMATS = ("qdpx", "qdc")


def check_exchange_options(fmt: str, **not_applicable: object) -> None:
    """Refuse the options of the other exports for a REFI-QDA export."""
    given = sorted(name for name, value in not_applicable.items() if value)
    if given:
        raise InvalidRequestError(f"A {fmt} export holds the whole {'project' if fmt == 'qdpx' else 'codebook'}; "
                                  f"{', '.join(given)} do not apply to it.")


def export_exchange(project: Project, target: Path, fmt: str, *, progress: Progress | None = None,
                    **not_applicable: object) -> Path:
    """A REFI-QDA export, refusing the options of the other exports."""
    check_exchange_options(fmt, **not_applicable)
    from qcode.core.refi.writer import write_codebook, write_project

    # the writers take `project` as given: a pseudonymised view stays one (and gets fresh identifiers)
    if fmt == "qdc":
        return write_codebook(project, target)
    return write_project(project, target, progress=progress)


def format_for(target: Path, fmt: str | None) -> str:
    """The format to write: `fmt` when given, else the one the file's ending names."""
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


def prepare_export(
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
) -> Callable[[], Path]:
    """Check an export request whole (raising what `export` would) and return what writes it: so that a face
    can ask the researcher something (the check of a pseudonymised export) only about a request that will go."""
    target = Path(target)
    refuse_project_target(target, project.path)
    exchange = fmt or target.suffix.lower().lstrip(".")
    if exchange in EXCHANGE_FORMATS:
        given = {"what": what, "grouping": grouping, "filters": flt and not flt.is_empty(), "source": source_id}
        check_exchange_options(exchange, **given)
        return lambda: export_exchange(project, target, exchange, progress=progress, **given)
    fmt = format_for(target, fmt)
    what = what or DEFAULT_WHAT[fmt]
    if what not in WHATS:
        raise InvalidRequestError(f"An export is one of {', '.join(WHATS)}, not '{what}'.")
    exporter = exporter_for(fmt, what)
    if exporter is None:
        raise InvalidRequestError(f"A {what} export is written as Word (.docx), not as {fmt}.")
    flt = flt or Filter()
    refused = options_set(flt, grouping=grouping, delimiter=delimiter, source_id=source_id,
                          frequency_table_at_end=frequency_table_at_end) - exporter.accepts
    if refused:
        raise OptionNotApplicableError(what, fmt, sorted(refused))
    delimiter = DELIMITER_NAMES.get(delimiter.lower(), delimiter)
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        raise InvalidRequestError("The CSV delimiter is one character, such as , or ; (or 'tab').")
    if project.blind_coding:  # each coder exports only their own codings; the report says so
        flt = project.visible_filter(flt)
        blind = f"blind coding: the codings of {project.viewer().name} only"
        filter_text = f"{filter_text}; {blind}" if filter_text else blind
    request = ExportRequest(
        project=project, target=target, fmt=fmt, what=what, grouping=grouping,
        flt=flt, filter_text=filter_text, source_id=source_id, delimiter=delimiter,
        frequency_table_at_end=frequency_table_at_end, today=today or date.today(), progress=progress,
        now=datetime.combine(today or date.today(), datetime.now().time().replace(microsecond=0)),
    )
    return lambda: exporter.write(request)


def export(project: Project, target: str | Path, **options: Any) -> Path:
    """Write one export and return its path (a folder for CSV with what='all'); the options are those of
    `prepare_export`."""
    return prepare_export(project, target, **options)()


def grouping_label(project: Project, grouping: Grouping) -> str:
    """What a matrix's columns are, in words: 'case', 'source', 'coder' or an attribute's name."""
    if grouping.kind == "attribute":
        names = {a.id: a.name for a in project.attributes()}
        return names.get(grouping.attribute_id or 0, "attribute")
    return grouping.kind


_loaded = False


def _load_builtins() -> None:
    """Import the built-in writers (they register themselves); late, so that `qcode stats` need not load them."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from qcode.core.exporters import csv_export, docx_export, xlsx_export  # noqa: F401


__all__ = [
    "FILTERS",
    "FORMATS",
    "OPTIONS",
    "REGISTRY",
    "WHATS",
    "ExportError",
    "ExportRequest",
    "Exporter",
    "OptionNotApplicableError",
    "export",
    "exporter_for",
    "prepare_export",
    "refuse_project_target",
    "register",
    "supported",
]
