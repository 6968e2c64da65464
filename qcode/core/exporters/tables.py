"""The tables every export format writes: excerpts, frequencies, codebook, matrix, each as (columns, rows).

Shared by CSV, Excel and Word, so that the same export holds the same numbers in every format. Locations
come from the core's location index; code paths are joined with " > "; several cases with "; "; start and
end are 0-based half-open code-point offsets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qcode.core.analysis.frequencies import Grouping, union_length
from qcode.core.exporters.scope import characters_by_group, codes_in_scope, coverage, sources_in_scope
from qcode.core.model import Excerpt, Filter, FrequencyRow
from qcode.core.project import Project

PATH_SEPARATOR = " > "
EXCERPT_COLUMNS = ("code", "source", "case", "coder", "start", "end", "location", "excerpt", "memo")
FREQUENCY_COLUMNS = ("code", "excerpts", "sources", "cases", "characters", "coverage")
CODEBOOK_COLUMNS = ("code", "definition", "inclusion", "exclusion", "example", "excerpts", "sources")


@dataclass(frozen=True)
class Table:
    """A table as every format writes it: machine column names, rows of values, code depths, a note."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    #: for each row, the depth of its code in the tree (frequency and codebook tables), for indenting
    depths: tuple[int, ...] = ()
    #: a sentence to show with the table (Word, Excel): why it has no rows (no codings match the filters), or
    #: why a total is less than the sum of its cells
    note: str = ""


def code_paths(project: Project) -> dict[int, str]:
    """Each code's full path, joined with " > "."""
    return {code.id: project.code_path(code.id, separator=PATH_SEPARATOR) for code in project.codes()}


@dataclass(frozen=True)
class ExcerptData:
    """The excerpts of an export with everything their rows and citations need."""

    excerpts: list[Excerpt]
    paths: dict[int, str]
    case_names: dict[int, list[str]]  # coding id -> names of the cases it overlaps
    coder_names: dict[int, str]
    memos: dict[int, str]  # coding id -> memo text
    case_values: dict[int, dict[str, object]]  # coding id -> case attribute values (joined per attribute)
    source_values: dict[int, Mapping[str, object]]  # source id -> source attribute values
    case_attributes: list[str]
    source_attributes: list[str]


def excerpt_data(project: Project, flt: Filter | None = None) -> ExcerptData:
    """The excerpts a filter selects, with their cases, coders, memos and attribute values."""
    excerpts = project.excerpts_matching(flt, with_location=True)
    cases = {c.id: c.name for c in project.cases()}
    cases_of = project.cases_of_codings(flt)
    case_attributes = [a.name for a in project.attributes("case")]
    source_attributes = [a.name for a in project.attributes("source")]
    values_of_case = {case_id: project.attribute_values("case", case_id) for case_id in cases}
    case_values: dict[int, dict[str, object]] = {}
    for excerpt in excerpts:
        ids = cases_of.get(excerpt.coding.id, [])
        if len(ids) == 1:  # one case: its values as they are (numbers stay numbers)
            case_values[excerpt.coding.id] = dict(values_of_case[ids[0]])
            continue
        merged: dict[str, list[str]] = defaultdict(list)
        for case_id in ids:
            for name, value in values_of_case[case_id].items():
                if str(value) not in merged[name]:
                    merged[name].append(str(value))
        case_values[excerpt.coding.id] = {name: "; ".join(values) for name, values in merged.items()}
    memos = {m.target_id: m.text for m in project.memos() if m.target_kind == "coding" and m.target_id is not None}
    source_ids = {e.coding.source_id for e in excerpts}
    return ExcerptData(
        excerpts=excerpts,
        paths=code_paths(project),
        case_names={cid: sorted((cases[k] for k in ks), key=str.casefold) for cid, ks in cases_of.items()},
        coder_names={c.id: c.name for c in project.coders()},
        memos=memos,
        case_values=case_values,
        source_values={sid: project.attribute_values("source", sid) for sid in source_ids},
        case_attributes=case_attributes,
        source_attributes=source_attributes,
    )


def excerpt_table(data: ExcerptData) -> Table:
    """One row per coding: the fixed columns, then `case:<name>` and `source:<name>` attribute columns."""
    columns = (*EXCERPT_COLUMNS, *(f"case:{a}" for a in data.case_attributes),
               *(f"source:{a}" for a in data.source_attributes))
    rows = []
    for excerpt in data.excerpts:
        coding = excerpt.coding
        case_values = data.case_values.get(coding.id, {})
        source_values = data.source_values.get(coding.source_id, {})
        rows.append((
            data.paths[coding.code_id], excerpt.source_name, "; ".join(data.case_names.get(coding.id, [])),
            data.coder_names.get(coding.coder_id, ""), coding.start, coding.end, excerpt.location, excerpt.text,
            data.memos.get(coding.id, ""),
            *(case_values.get(a, "") for a in data.case_attributes),
            *(source_values.get(a, "") for a in data.source_attributes),
        ))
    return Table(columns, rows)


NOTHING_MATCHES = "No coded excerpts match the filters of this export."
NOTHING_CODED = "The project has no coded excerpts yet."


def empty_note(flt: Filter | None) -> str:
    """Why a table has no rows, in words (said instead of an all-zero table)."""
    return NOTHING_MATCHES if flt is not None and not flt.is_empty() else NOTHING_CODED


def frequency_table(project: Project, flt: Filter | None = None, *, own: bool = False,
                    grouping: Grouping | None = None, separator: str = PATH_SEPARATOR) -> Table:
    """The frequency report: each code with its sub-codes (or alone with `own`), and its coverage.

    A --code filter lists the chosen codes and their sub-codes only. Coverage is the coded characters as a
    percentage of the characters of the sources in scope (of the group's sources, when grouped). With a
    `grouping`, a leading `group` column holds each group's label and only codes with codings in a group are
    listed for it. A table without any excerpt has no rows and a `note` that says so.
    """
    flt = flt or Filter()
    rows = project.frequencies(flt, group_by=grouping)
    shown = codes_in_scope(project, flt)
    rows = [r for r in rows if shown is None or r.code_id in shown]
    if grouping is None:
        scope = sum(sources_in_scope(project, flt).values())
        denominators: dict[str, int] = {}
    else:
        scope = 0
        denominators = characters_by_group(project, flt, grouping)
    paths = {code_id: project.code_path(code_id, separator=separator) for code_id in {r.code_id for r in rows}}
    table_rows = []
    for r in rows:
        counts = _counts(r, own)
        of = scope if grouping is None else denominators.get(str(r.group), 0)
        lead = (r.group,) if grouping is not None else ()
        table_rows.append((*lead, paths[r.code_id], *counts, coverage(counts[3], of)))
    if not any(row[-5] for row in table_rows):  # no excerpts at all: say so instead of zeros
        return Table(("group", *FREQUENCY_COLUMNS) if grouping else FREQUENCY_COLUMNS, [], (), empty_note(flt))
    if grouping is not None:  # the first column holds groups: code paths are not indented
        return Table(("group", *FREQUENCY_COLUMNS), table_rows)
    return Table(FREQUENCY_COLUMNS, table_rows, tuple(r.depth for r in rows))


def _counts(row: FrequencyRow, own: bool) -> tuple[int, int, int, int]:
    c = row.own if own else row.total
    return (c.excerpts, c.sources, c.cases, c.characters)


def matrix_table(project: Project, grouping: Grouping, flt: Filter | None = None, *, own: bool = False) -> Table:
    """Codes x groups (cases, sources, coders or an attribute's values), excerpts per cell, then a `total`
    column and a last `total` row: `Project.matrix`, the one matrix function, shaped as a table. The rows are
    the codes in scope (a --code filter lists the chosen branch only); a matrix without any excerpt has no
    rows and a `note` that says so."""
    result = project.matrix(flt, columns=grouping, own=own)
    if not any(any(r.cells) for r in result.rows):
        return Table(("code",), [], (), empty_note(flt))
    return Table(
        ("code", *(c.label for c in result.columns), "total"),
        [*((r.path.replace("/", PATH_SEPARATOR), *r.cells, r.total) for r in result.rows),
         ("total", *result.column_totals, result.grand_total)],
        (*(r.depth for r in result.rows), 0),
        result.note,
    )


def codebook_table(project: Project, flt: Filter | None = None) -> Table:
    """The codebook: every code (the branch a --code filter chose), its texts, and its counts under `flt`."""
    flt = flt or Filter()
    frequencies = project.frequencies(flt)
    totals = {r.code_id: r.total for r in frequencies}
    paths = code_paths(project)
    depth = {r.code_id: r.depth for r in frequencies}
    shown = codes_in_scope(project, flt)
    codes = [c for c in project.codes() if shown is None or c.id in shown]
    return Table(
        CODEBOOK_COLUMNS,
        [(paths[c.id], c.definition, c.inclusion, c.exclusion, c.example, totals[c.id].excerpts,
          totals[c.id].sources) for c in codes],
        tuple(depth[c.id] for c in codes),
    )


def source_coverage(project: Project, data: ExcerptData) -> dict[tuple[int, int], tuple[int, float]]:
    """For each (code, source) of the exported excerpts: how many there are, and the percentage of the
    source's characters they cover (overlapping excerpts counted once), as NVivo's coding summary gives."""
    lengths = {s.id: s.length for s in project.sources()}
    ranges: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for excerpt in data.excerpts:
        coding = excerpt.coding
        ranges[(coding.code_id, coding.source_id)].append((coding.start, coding.end))
    return {key: (len(spans), coverage(union_length(spans), lengths.get(key[1], 0)))
            for key, spans in ranges.items()}


SOURCE_COVERAGE_COLUMNS = ("excerpts in source", "coverage of source")


def with_source_coverage(table: Table, project: Project, data: ExcerptData) -> Table:
    """The excerpt table with two columns after `memo`: the code's excerpts in the row's source, and the
    share of that source they cover (for the Excel sheet; the CSV keeps its documented columns)."""
    summary = source_coverage(project, data)
    at = table.columns.index("memo") + 1
    rows = []
    for excerpt, row in zip(data.excerpts, table.rows, strict=True):
        count, share = summary[(excerpt.coding.code_id, excerpt.coding.source_id)]
        rows.append((*row[:at], count, share, *row[at:]))
    return Table((*table.columns[:at], *SOURCE_COVERAGE_COLUMNS, *table.columns[at:]), rows, table.depths, table.note)
