"""Matrix coding: codes (rows) by cases, sources, coders or an attribute's values (columns), each cell counting
excerpts, sources, cases or coded characters, as numbers or as row or column percentages, with totals; as a
heatmap or as grouped or stacked bars. A click on a cell (or its square or bar) lists the excerpts counted
in it. The numbers are `Project.matrix`'s, the one matrix function of the CLI and the exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from qcode.core.model import Filter, Matrix
from qcode.core.project import EXPORT_PATH_SEPARATOR as PATH_SEPARATOR
from qcode.core.project import AnalysisTable, Grouping, Project
from qcode.core.project import ExportTable as Table
from qcode.core.project import matrix_percentages as percentages
from qcode.gui.analysis.base import AnalysisView, ExcerptReader
from qcode.gui.analysis.charts import ChartHits, ChartStyle

CELLS = (("excerpts", "Excerpts"), ("sources", "Sources"), ("cases", "Cases"),
         ("characters", "Coded characters"))
PERCENTS = (("none", "Counts"), ("row", "% of row total"), ("column", "% of column total"))
CELL_WORDS = {"excerpts": "the excerpts (coding rows)", "sources": "the sources",
              "cases": "the cases", "characters": "the coded characters (overlaps once)"}
MAX_BAR_COLUMNS = 12  # groups drawn as bars; more are drawn as a heatmap only
MAX_BAR_ROWS = 40


@dataclass(frozen=True)
class MatrixOptions:
    grouping: Grouping
    cell: str = "excerpts"
    percent: str = "none"
    own: bool = False


@dataclass(frozen=True)
class MatrixResult:
    matrix: Matrix
    options: MatrixOptions
    colors: dict[int, str]
    shares: tuple[list[list[float]], list[float]] | None  # row or column percentages (rows, total row)
    group_name: str


class MatrixView(AnalysisView):
    title = "Matrix"
    chart_kinds = ("Heatmap", "Grouped bars", "Stacked bars")
    chart_on_worker = True  # draw_chart reads only the result (and names kept by show_result)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(project, parent)
        self.columns_box = QComboBox()
        self.columns_box.setAccessibleName("Matrix columns")
        self._fill_columns()
        self.cell_box = QComboBox()
        self.cell_box.setAccessibleName("Matrix cell")
        for key, text in CELLS:
            self.cell_box.addItem(text, key)
        self.percent_box = QComboBox()
        self.percent_box.setAccessibleName("Matrix percentages")
        for key, text in PERCENTS:
            self.percent_box.addItem(text, key)
        self.own_box = QCheckBox("Own codings only")
        self.own_box.setToolTip("Count each code's own codings; by default a category includes its sub-codes")
        self.add_option("Co&lumns:", self.columns_box)
        self.add_option("C&ells count:", self.cell_box)
        self.add_option("S&how:", self.percent_box)
        self.add_option("", self.own_box)
        self.finish_options()
        for box in (self.columns_box, self.cell_box, self.percent_box):
            box.currentIndexChanged.connect(lambda _i: self.recompute())
        self.own_box.toggled.connect(lambda _on: self.recompute())

    def _fill_columns(self) -> None:
        """Cases, sources, coders, then every attribute; the choice is kept when attributes change."""
        current = self.columns_box.currentData()
        self.columns_box.blockSignals(True)
        self.columns_box.clear()
        for kind, text in (("case", "Cases"), ("source", "Sources"), ("coder", "Coders")):
            self.columns_box.addItem(text, kind)
        for attribute in self.project.attributes():
            self.columns_box.addItem(f"{attribute.name} ({attribute.scope} attribute)", f"attribute:{attribute.id}")
        index = self.columns_box.findData(current) if current is not None else 0
        self.columns_box.setCurrentIndex(max(0, index))
        self.columns_box.blockSignals(False)

    def set_columns(self, grouping: Grouping) -> None:
        """Choose the columns (as the user would in the box)."""
        index = self.columns_box.findData(_grouping_key(grouping))
        if index < 0:
            raise ValueError(f"no such columns: {grouping}")
        self.columns_box.setCurrentIndex(index)

    def _project_changed(self, change: Any) -> None:
        if change.kind == "attribute":
            self._fill_columns()
        super()._project_changed(change)

    def options(self) -> MatrixOptions:
        return MatrixOptions(_grouping(self.columns_box.currentData()), self.cell_box.currentData(),
                             self.percent_box.currentData(), self.own_box.isChecked())

    def compute(self, project: Project, flt: Filter, options: MatrixOptions) -> MatrixResult:
        matrix = project.matrix(flt, columns=options.grouping, cell=options.cell, own=options.own)
        shares = percentages(matrix, options.percent) if options.percent != "none" else None
        grouping = options.grouping
        if grouping.kind == "attribute":
            names = {a.id: a.name for a in project.attributes()}
            group_name = names.get(grouping.attribute_id or 0, "attribute")
        else:
            group_name = grouping.kind
        return MatrixResult(matrix, options, {c.id: c.color for c in project.codes()}, shares, group_name)

    def show_result(self, result: MatrixResult) -> None:
        matrix = result.matrix
        columns = ("code", *(c.label for c in matrix.columns), "total")
        if result.shares is None:
            rows: list[tuple[Any, ...]] = [(r.path.replace("/", PATH_SEPARATOR), *r.cells, r.total)
                                           for r in matrix.rows]
            rows.append(("total", *matrix.column_totals, matrix.grand_total))
        else:
            shares, last = result.shares
            rows = [(r.path.replace("/", PATH_SEPARATOR), *s) for r, s in zip(matrix.rows, shares, strict=True)]
            rows.append(("total", *last))
        table = Table(columns, rows, (*(r.depth for r in matrix.rows), 0), matrix.note)
        colors: list[str | None] = [result.colors.get(r.code_id) for r in matrix.rows]
        percent = set(range(1, len(columns))) if result.shares is not None else set()
        self.set_table(table, colors=colors, bold_last=True, percent_columns=percent,
                       tooltips=[r.path.replace("/", PATH_SEPARATOR) for r in matrix.rows])

    def question(self) -> str:
        result: MatrixResult | None = self.result
        if result is None:
            return self.title
        percent = {"row": ", as % of each row's total", "column": ", as % of each column's total"}
        return (f"Codes by {result.group_name}: {dict(CELLS)[result.options.cell].lower()}"
                f"{percent.get(result.options.percent, '')}")

    def analysis_table(self) -> AnalysisTable | None:
        result: MatrixResult | None = self.result
        if result is None:
            return None
        scope = "its own codings" if result.options.own else "its codings and its sub-codes'"
        caption = (f"Each cell counts {CELL_WORDS[result.options.cell]} of a code ({scope}) in one "
                   f"{result.group_name} group. {result.matrix.note}").strip()
        return AnalysisTable(self.question(), self.model.table, filters=self.filter_text(), caption=caption,
                             chart="grouped" if len(result.matrix.columns) <= 30 else "")

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        result: MatrixResult | None = self.result
        if result is None:
            return None
        matrix = result.matrix
        code_id = matrix.rows[row].code_id if row < len(matrix.rows) else None
        key = matrix.columns[column - 1].key if 1 <= column <= len(matrix.columns) else None
        flt, options = self.result_filter, result.options
        code_text = self.project.code_path(code_id, separator=" > ") if code_id is not None else "all codes"
        column_text = matrix.columns[column - 1].label if key is not None else f"every {result.group_name}"

        def read(project: Project) -> list:
            return project.matrix_cell_excerpts(flt, columns=options.grouping, code_id=code_id, column=key,
                                                own=options.own)

        return read, f"{code_text} × {column_text}"

    def draw_chart(self, figure: Any, style: ChartStyle, kind: str) -> ChartHits | None:
        from qcode.gui.analysis import chart_kinds

        result: MatrixResult | None = self.result
        if result is None or not result.matrix.rows or not result.matrix.columns:
            self.chart.show_message("There is nothing to draw: no codes or no groups in scope.")
            return None
        matrix = result.matrix
        rows = list(range(len(matrix.rows)))
        if result.shares is not None:
            values = [result.shares[0][r][:-1] for r in rows]
        else:
            values = [list(matrix.rows[r].cells) for r in rows]
        labels = [matrix.rows[r].path.rsplit("/", 1)[-1] for r in rows]
        bold = [r + 1 < len(matrix.rows) and matrix.rows[r + 1].depth > matrix.rows[r].depth for r in rows]
        groups = [c.label for c in matrix.columns]
        measure = dict(CELLS)[result.options.cell]
        if result.shares is not None:
            measure = f"{measure}, {dict(PERCENTS)[result.options.percent]}"
        title = f"Codes by {result.group_name}"
        if kind == "Heatmap":
            return chart_kinds.heatmap(figure, style, labels, groups, values, keys=lambda r, c: (r, c + 1),
                                       title=title, legend=measure, percent=result.shares is not None, bold=bold)
        if len(groups) > MAX_BAR_COLUMNS or len(rows) > MAX_BAR_ROWS:
            self.chart.show_message(f"{len(rows)} codes by {len(groups)} groups are too many for bars "
                                    f"(at most {MAX_BAR_ROWS} codes by {MAX_BAR_COLUMNS} groups): choose the "
                                    "heatmap, or narrow the filters.")
            return None
        keys = [[(r, c + 1) for c in range(len(groups))] for r in rows]
        return chart_kinds.grouped_bars(figure, style, labels, groups, values, stacked=kind == "Stacked bars",
                                        keys=keys, title=title, axis_label=measure, bold=bold)


def _grouping_key(grouping: Grouping) -> str:
    return f"attribute:{grouping.attribute_id}" if grouping.kind == "attribute" else grouping.kind


def _grouping(key: str) -> Grouping:
    kind, _, attribute = key.partition(":")
    return Grouping(kind, int(attribute)) if attribute else Grouping(kind)


