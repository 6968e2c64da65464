"""Saturation: do new sources still bring new codes? The sources in an order (import, name, or an attribute
such as the interview date), each with the codes first applied in it and the number seen so far, for all
coders or one; as a table and as a chart (the codes seen so far as a line, the new codes per source as bars).
A click on a row, a point or a bar lists the excerpts of the codes new in that source.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from qcode.core.errors import InvalidRequestError
from qcode.core.model import Filter, SaturationRow
from qcode.core.project import AnalysisTable, Change, Project
from qcode.core.project import ExportTable as Table
from qcode.gui.analysis.base import AnalysisView, ExcerptReader
from qcode.gui.analysis.charts import ChartHits, ChartStyle

COLUMNS = ("Position", "Source", "New codes", "Codes so far", "Codes new here")  # titles as copied and exported
ALL_CODERS = "All coders"
EACH_CODER = "All, and each coder"


@dataclass(frozen=True)
class SaturationOptions:
    order: str = "import"  # import, name or attribute
    attribute_id: int | None = None
    coder_id: int | None = None  # None: every coder the filters let through
    each: bool = False  # also a curve per coder


@dataclass(frozen=True)
class SaturationResult:
    rows: list[SaturationRow]
    options: SaturationOptions
    filter: Filter  # what the rows were computed with (the coder choice included)
    #: with `each`: per coder who coded in scope, (name, colour, codes seen so far per row)
    coders: tuple[tuple[str, str, tuple[int, ...]], ...] = ()
    attribute: str = ""  # the name of the attribute ordering the sources, if one does


def _value(value: object) -> object:
    """An attribute's value as a table cell ('' for none)."""
    return "" if value is None else value


def order_key(order: str, attribute_id: int | None = None) -> str:
    """The order box's data for an order: 'import', 'name' or 'attribute:ID'."""
    return f"attribute:{attribute_id}" if order == "attribute" else order


def with_coder(flt: Filter, coder_id: int | None) -> Filter | None:
    """The filter narrowed to one coder; None when the filters leave that coder out."""
    if coder_id is None:
        return flt
    if flt.coders and coder_id not in flt.coders:
        return None
    return replace(flt, coders=(coder_id,))


class SaturationView(AnalysisView):
    title = "Saturation"
    chart_kinds = ("Codes per source",)
    chart_on_worker = True  # draw_chart reads only the result

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(project, parent)
        self.order = QComboBox()
        self.order.setAccessibleName("Order of the sources")
        self.coder = QComboBox()
        self.coder.setAccessibleName("Coder")
        self._fill_choices()
        self.order.currentIndexChanged.connect(lambda _i: self.recompute())
        self.coder.currentIndexChanged.connect(lambda _i: self.recompute())
        self.add_option("Sources in order of:", self.order)
        self.add_option("Coded by:", self.coder)
        self.finish_options()
        self.signals.changed.connect(self._choices_changed)

    def _fill_choices(self) -> None:
        order, coder = self.order.currentData(), self.coder.currentData()
        for box in (self.order, self.coder):
            box.blockSignals(True)
            box.clear()
        self.order.addItem("Import", "import")
        self.order.addItem("Name", "name")
        for attribute in self.project.attributes():
            where = "source" if attribute.scope == "source" else "case"
            self.order.addItem(f"{attribute.name} ({where})", order_key("attribute", attribute.id))
        self.coder.addItem(ALL_CODERS, None)
        self.coder.addItem(EACH_CODER, "each")
        for person in self.project.coders():
            self.coder.addItem(person.name, person.id)
        self.order.setCurrentIndex(max(self.order.findData(order), 0))
        self.coder.setCurrentIndex(max(self.coder.findData(coder), 0))
        for box in (self.order, self.coder):
            box.blockSignals(False)

    def _choices_changed(self, change: Change) -> None:
        if change.kind in ("attribute", "coder"):
            self._fill_choices()

    # --- computing ------------------------------------------------------------------------------------

    def options(self) -> SaturationOptions:
        order, _, attribute = str(self.order.currentData() or "import").partition(":")
        coder = self.coder.currentData()
        each = coder == "each"
        return SaturationOptions(order, int(attribute) if attribute else None, None if each else coder, each)

    def compute(self, project: Project, flt: Filter, options: Any) -> SaturationResult:
        narrowed = with_coder(flt, options.coder_id)
        if narrowed is None:
            raise InvalidRequestError(f"The filters leave out {project.coder(options.coder_id).name}, the coder "
                                      "chosen here: tick them in the coders filter too, or choose All coders.")
        rows = project.saturation(narrowed, order=options.order, attribute_id=options.attribute_id)
        curves = []
        if options.each:
            for person in project.coders():
                if flt.coders and person.id not in flt.coders:
                    continue
                own = project.saturation(replace(flt, coders=(person.id,)), order=options.order,
                                         attribute_id=options.attribute_id)
                if own and own[-1].cumulative_codes:
                    curves.append((person.name, person.color, tuple(r.cumulative_codes for r in own)))
        attribute = project.attribute(options.attribute_id).name if options.attribute_id is not None else ""
        return SaturationResult(rows, options, narrowed, tuple(curves), attribute)

    def show_result(self, result: SaturationResult) -> None:
        by_value = result.options.order == "attribute"
        rows = [(r.position, r.source_name, *((_value(r.order_value),) if by_value else ()), len(r.new_codes),
                 r.cumulative_codes, *(curve[i] for _, _, curve in result.coders), "; ".join(r.new_codes))
                for i, r in enumerate(result.rows)]
        columns = (*COLUMNS[:2], *((result.attribute,) if by_value else ()), *COLUMNS[2:4],
                   *(f"Codes so far ({name})" for name, _, _ in result.coders), COLUMNS[4])
        note = self._summary(result.rows) if rows else "No sources within the filters."
        if rows and by_value:
            note += f" Sources without a value of {result.attribute} come last, in import order."
        self.set_table(Table(columns, rows, note=note))

    @staticmethod
    def _summary(rows: list[SaturationRow]) -> str:
        total = rows[-1].cumulative_codes
        if not total:
            return "No codings of leaf codes within the filters."
        last_new = max(r.position for r in rows if r.new_codes)
        quiet = len(rows) - last_new
        tail = (f" and none in the {quiet} source{'s' if quiet != 1 else ''} after it" if quiet else
                ", the last source")
        return f"{total} codes in {len(rows)} sources; the last new code came in source {last_new}{tail}."

    def analysis_table(self) -> AnalysisTable | None:
        result: SaturationResult | None = self.result
        if result is None:
            return None
        options = result.options
        order = self.order.itemText(max(self.order.findData(order_key(options.order, options.attribute_id)), 0))
        coder = self.coder.itemText(max(self.coder.findData(result.options.coder_id), 0))
        question = f"Saturation: new codes per source, in order of {order.lower()}"
        if result.options.coder_id is not None:
            question += f", coded by {coder}"
        elif result.options.each:
            question += ", of all coders and of each"
        return AnalysisTable(question, self.model.table, filters=self.filter_text(),
                             caption="Leaf codes only: a code counts as new in the first source (in this order) "
                                     "where it was applied.")

    # --- click-through --------------------------------------------------------------------------------

    def excerpts_of(self, index: int) -> tuple[ExcerptReader, str] | None:
        """The excerpts of the codes first applied in the source at `index` of the rows."""
        result: SaturationResult | None = self.result
        if result is None or not 0 <= index < len(result.rows):
            return None
        row = result.rows[index]
        if not row.new_codes:
            return None
        flt, options = result.filter, result.options

        def read(project: Project) -> list:
            return project.saturation_excerpts(row.source_id, flt, order=options.order,
                                               attribute_id=options.attribute_id)

        return read, f"the codes new in {row.source_name}"

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        return self.excerpts_of(row)

    def chart_excerpts(self, key: object) -> tuple[ExcerptReader, str] | None:
        return self.excerpts_of(key) if isinstance(key, int) else None

    def draw_chart(self, figure: Any, style: ChartStyle, kind: str) -> ChartHits | None:
        from qcode.gui.analysis.saturation_chart import ChartColors, CoderCurve, describe, draw_saturation

        result: SaturationResult | None = self.result
        if result is None or not result.rows:
            self.chart.show_message("No sources within the filters.")
            return None
        curves = [CoderCurve(name, color, list(values)) for name, color, values in result.coders]
        chart = draw_saturation(figure, result.rows, colors=ChartColors.of(style), coders=curves)

        def key(y: int, x: int) -> int | None:  # a source that brought no new code has nothing to list
            row = chart.row_near(x, y)
            return None if row is None or not row.new_codes else row.position - 1

        def tip(event: Any) -> str | None:  # every source's numbers and new codes, named in full
            if event.inaxes is not chart.axes:
                return None
            row = chart.row_near(event.xdata, event.ydata)
            return None if row is None else describe(row)

        return ChartHits(grid=(chart.axes, key), count=len(result.rows), tip=tip)
