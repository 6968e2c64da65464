"""Frequencies: each code's excerpts, sources, cases, coded characters and coverage, in the code tree, with
or without its sub-codes, optionally split by coder; a bar chart in the codes' own colours.

The table is the export's frequency table (`qcode.core.exporters.tables.frequency_table`), so the app, Word,
Excel and CSV show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget

from qcode.core.model import Code, Excerpt, Filter
from qcode.core.project import FREQUENCY_CAPTION, AnalysisTable, Grouping, Project, frequency_table
from qcode.core.project import ExportTable as Table
from qcode.gui.analysis.base import AnalysisView, ExcerptReader
from qcode.gui.analysis.charts import ChartHits, ChartStyle

MEASURES = ("Excerpts", "Sources", "Cases", "Characters")
MAX_BARS = 60
OWN_CAPTION = ("Each code's numbers count its own codings only. Characters count the coded text once where "
               "codings overlap; coverage is their share of the characters of the sources in scope.")


@dataclass(frozen=True)
class FrequencyOptions:
    own: bool = False  # each code's own codings only (default: with its sub-codes)
    by_coder: bool = False


@dataclass(frozen=True)
class FrequencyResult:
    table: Table
    code_ids: list[int]  # per row
    colors: dict[int, str]
    counted: dict[int, frozenset[int]]  # a row's code -> the codes whose codings it counts
    coder_ids: dict[str, int]  # coder name -> id (the group column when split by coder)
    options: FrequencyOptions


class FrequencyView(AnalysisView):
    title = "Frequencies"
    chart_kinds = MEASURES
    chart_on_worker = True  # draw_chart reads only the result (and names kept by show_result)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(project, parent)
        self.code_names: dict[int, str] = {}  # the codes' names for the chart (drawn on a worker)
        self.own_box = QCheckBox("Own codings only (without sub-codes)")
        self.own_box.setToolTip("Count each code's own codings; by default a category counts its sub-codes' too")
        self.own_box.toggled.connect(self.recompute)
        self.coder_box = QCheckBox("Split by coder")
        self.coder_box.setToolTip("One block of rows per coder")
        self.coder_box.toggled.connect(self.recompute)
        self.add_option("", self.own_box)
        self.add_option("", self.coder_box)
        self.finish_options()

    def options(self) -> FrequencyOptions:
        return FrequencyOptions(own=self.own_box.isChecked(), by_coder=self.coder_box.isChecked())

    def compute(self, project: Project, flt: Filter, options: FrequencyOptions) -> FrequencyResult:
        grouping = Grouping("coder") if options.by_coder else None
        table = frequency_table(project, flt, own=options.own, grouping=grouping)
        by_path = {path: code_id for code_id, path in project.code_paths(separator=" > ").items()}
        at = 1 if options.by_coder else 0
        code_ids = [by_path[str(row[at])] for row in table.rows]
        codes = project.codes()
        below = _subtrees(codes)
        scope = {d for chosen in flt.codes for d in below.get(chosen, {chosen})} if flt.codes else None
        counted = {}
        for code in set(code_ids):
            mine = {code} if options.own else below[code]
            counted[code] = frozenset(mine if scope is None else mine & scope)
        return FrequencyResult(table, code_ids, {c.id: c.color for c in codes}, counted,
                               {c.name: c.id for c in project.coders()}, options)

    def show_result(self, result: FrequencyResult) -> None:
        self.code_names = {c.id: c.name for c in self.project.codes()}
        table = result.table
        grouped = result.options.by_coder
        shown = Table(tuple(c if c != "group" else "coder" for c in table.columns), table.rows, table.depths,
                      table.note)
        colors: list[str | None] = [result.colors.get(code) for code in result.code_ids]
        percent = {len(table.columns) - 1}
        self.set_table(shown, colors=None if grouped else colors, percent_columns=percent)

    def analysis_table(self) -> AnalysisTable | None:
        result: FrequencyResult | None = self.result
        if result is None:
            return None
        question = "Code frequencies" + (" by coder" if result.options.by_coder else "")
        return AnalysisTable(question, self.model.table, filters=self.filter_text(),
                             caption=OWN_CAPTION if result.options.own else FREQUENCY_CAPTION,
                             chart="" if result.options.by_coder else "bars")

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        result: FrequencyResult | None = self.result
        if result is None or row >= len(result.code_ids):
            return None
        code_id = result.code_ids[row]
        flt = self.result_filter
        what = f"'{self.project.code_path(code_id, separator=' > ')}'"
        what += " (own codings)" if result.options.own else " (with sub-codes)"
        if result.options.by_coder:
            coder = str(result.table.rows[row][0])
            flt = replace(flt, coders=(result.coder_ids[coder],)) if coder in result.coder_ids else flt
            what += f" by {coder}"
        return _codings_of(replace(flt, codes=(code_id,)), result.counted[code_id]), what

    def draw_chart(self, figure: Any, style: ChartStyle, kind: str) -> ChartHits | None:
        from qcode.gui.analysis import chart_kinds

        result: FrequencyResult | None = self.result
        if result is None or not result.table.rows:
            self.chart.show_message(result.table.note if result is not None else "")
            return None
        measure = MEASURES.index(kind) if kind in MEASURES else 0
        table = result.table
        if not result.options.by_coder:
            rows = _leaf_rows(table)[:MAX_BARS]
            labels = [str(table.rows[i][0]).rsplit(" > ", 1)[-1] for i in rows]
            values = [table.rows[i][1 + measure] for i in rows]
            colors: list[str | None] = [result.colors.get(result.code_ids[i]) for i in rows]
            return chart_kinds.bar_chart(figure, style, labels, values, colors=colors,
                                         keys=[(i, 1 + measure) for i in rows],
                                         title=f"{MEASURES[measure]} per code"
                                               + (f" (the first {MAX_BARS})" if len(_leaf_rows(table)) > MAX_BARS else ""),
                                         axis_label=MEASURES[measure])
        coders = sorted({str(r[0]) for r in table.rows}, key=str.casefold)
        codes: list[int] = []
        for code in result.code_ids:
            if code not in codes:
                codes.append(code)
        depth = {result.code_ids[i]: d for i, d in enumerate(_depths(table, result))}
        top = min(depth.values())
        codes = [c for c in codes if depth[c] == top][:40]
        where = {(str(r[0]), result.code_ids[i]): i for i, r in enumerate(table.rows)}
        values2 = [[table.rows[where[(coder, code)]][2 + measure] if (coder, code) in where else 0
                    for coder in coders] for code in codes]
        keys = [[(where.get((coder, code), -1), 2 + measure) for coder in coders] for code in codes]
        names = self.code_names
        labels = [names.get(c, '?') for c in codes]
        return chart_kinds.grouped_bars(figure, style, labels, coders, values2, keys=keys,
                                        title=f"{MEASURES[measure]} per code and coder",
                                        axis_label=MEASURES[measure])

    def chart_excerpts(self, key: object) -> tuple[ExcerptReader, str] | None:
        if isinstance(key, tuple) and key and key[0] == -1:
            return None
        return super().chart_excerpts(key)


def _leaf_rows(table: Table) -> list[int]:
    """The rows of codes listed without sub-codes below them (the finest level of the tree shown)."""
    depths = table.depths or tuple(0 for _ in table.rows)
    return [i for i, depth in enumerate(depths) if i + 1 >= len(depths) or depths[i + 1] <= depth]


def _depths(table: Table, result: FrequencyResult) -> list[int]:
    """Each row's depth in the code tree (a grouped table has no depths: counted from the path)."""
    if table.depths:
        return list(table.depths)
    return [str(row[1]).count(" > ") for row in table.rows]


def _codings_of(flt: Filter, codes: frozenset[int]) -> ExcerptReader:
    """The excerpts the filter lets through whose code is one of `codes` (the filter's codes narrow the read,
    `codes` says exactly which count)."""

    def read(project: Project) -> list[Excerpt]:
        return [e for e in project.excerpts_matching(flt) if e.coding.code_id in codes]

    return read


def _subtrees(codes: list[Code]) -> dict[int, set[int]]:
    """Each code's id with the ids of every code below it (codes listed parents first, as `Project.codes`)."""
    below: dict[int, set[int]] = {c.id: {c.id} for c in codes}
    for code in reversed(codes):  # children before their parents
        if code.parent_id is not None and code.parent_id in below:
            below[code.parent_id] |= below[code.id]
    return below
