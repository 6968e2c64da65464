"""Co-occurrence: which codes appear together (overlapping, in one paragraph, in one speaker turn, or within N
characters), as a list of pairs with their count and Jaccard index, and as a codes x codes heatmap. A click
on a pair (a row, or a heatmap square) lists the excerpts of both codes behind it. The numbers are
`Project.cooccurrence`'s, as on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from qcode.core.model import CooccurrenceRow, Excerpt, Filter
from qcode.core.project import EXPORT_PATH_SEPARATOR as PATH_SEPARATOR
from qcode.core.project import AnalysisTable, Project
from qcode.core.project import ExportTable as Table
from qcode.gui.analysis.base import AnalysisView, ExcerptReader
from qcode.gui.analysis.charts import ChartHits, ChartStyle

MODES = (("overlap", "Overlapping"), ("paragraph", "In the same paragraph"), ("turn", "In the same speaker turn"),
         ("near", "Within N characters"))
MODE_WORDS = {"overlap": "overlap by at least one character", "paragraph": "lie in the same paragraph",
              "turn": "lie in the same speaker turn", "near": "lie within {n} characters of each other"}
MAX_HEATMAP_CODES = 40  # codes a heatmap shows legibly; with more, those with the most pairs


@dataclass(frozen=True)
class CooccurrenceOptions:
    mode: str = "overlap"  # as the core takes it: overlap, paragraph, turn or near:N
    with_descendants: bool = False


@dataclass(frozen=True)
class CooccurrenceResult:
    rows: list[CooccurrenceRow]
    options: CooccurrenceOptions
    colors: dict[int, str]
    names: dict[int, str]  # the codes' names (the heatmap's labels)
    table: Table  # the rows as the table shows them (made on the worker: 31,000 pairs take some 70 ms)


class CooccurrenceView(AnalysisView):
    title = "Co-occurrence"
    chart_kinds = ("Heatmap: pairs", "Heatmap: Jaccard")
    chart_on_worker = True  # draw_chart reads only the result (and names kept by show_result)

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(project, parent)
        self.code_names: dict[int, str] = {}  # the codes' names for the chart (drawn on a worker)
        self.mode_box = QComboBox()
        self.mode_box.setAccessibleName("Co-occurrence mode")
        for key, text in MODES:
            self.mode_box.addItem(text, key)
        self.distance = QSpinBox()
        self.distance.setAccessibleName("Distance in characters")
        self.distance.setRange(0, 100_000)
        self.distance.setValue(200)
        self.distance.setSuffix(" characters")
        self.distance.setEnabled(False)
        self.parents_box = QCheckBox("Parents stand for their sub-codes")
        self.parents_box.setToolTip("Pair every code, a category standing for the union of its sub-codes "
                                    "(by default the leaf codes are paired)")
        self.add_option("&Together means:", self.mode_box)
        self.add_option("", self.distance)
        self.add_option("", self.parents_box)
        self.finish_options()
        self.mode_box.currentIndexChanged.connect(self._mode_changed)
        self.distance.valueChanged.connect(lambda _v: self.recompute())
        self.parents_box.toggled.connect(lambda _on: self.recompute())

    def _mode_changed(self, _index: int) -> None:
        self.distance.setEnabled(self.mode_box.currentData() == "near")
        self.recompute()

    def options(self) -> CooccurrenceOptions:
        mode = self.mode_box.currentData()
        if mode == "near":
            mode = f"near:{self.distance.value()}"
        return CooccurrenceOptions(mode, self.parents_box.isChecked())

    def compute(self, project: Project, flt: Filter, options: CooccurrenceOptions) -> CooccurrenceResult:
        rows = project.cooccurrence(flt, mode=options.mode, with_descendants=options.with_descendants)
        shown = [(r.path_a.replace("/", PATH_SEPARATOR), r.path_b.replace("/", PATH_SEPARATOR), r.count, r.jaccard)
                 for r in rows]
        note = "" if shown else "No two codes co-occur within these filters."
        codes = project.codes()
        return CooccurrenceResult(rows, options, {c.id: c.color for c in codes}, {c.id: c.name for c in codes},
                                  Table(("code A", "code B", "pairs", "Jaccard"), shown, (), note))

    def show_result(self, result: CooccurrenceResult) -> None:
        self.code_names = result.names
        self.set_table(result.table, colors=[result.colors.get(r.code_a) for r in result.rows], name_columns={0, 1},
                       second_colors=[result.colors.get(r.code_b) for r in result.rows])

    def _mode_text(self, mode: str) -> str:
        kind, _, number = mode.partition(":")
        return MODE_WORDS[kind].format(n=number)

    def analysis_table(self) -> AnalysisTable | None:
        result: CooccurrenceResult | None = self.result
        if result is None:
            return None
        kind = result.options.mode.partition(":")[0]
        question = "Which codes co-occur: " + dict(MODES)[kind].lower()
        if kind == "near":
            question = f"Which codes co-occur: within {result.options.mode.partition(':')[2]} characters"
        caption = (f"Pairs counts the pairs of codings (one of A, one of B, in one source) that "
                   f"{self._mode_text(result.options.mode)}; Jaccard is the characters coded with both codes "
                   "divided by the characters coded with either. "
                   + ("A category stands for its sub-codes." if result.options.with_descendants
                      else "Leaf codes are paired, each with its own codings."))
        return AnalysisTable(question, self.model.table, filters=self.filter_text(), caption=caption)

    def cell_excerpts(self, row: int, column: int) -> tuple[ExcerptReader, str] | None:
        result: CooccurrenceResult | None = self.result
        if result is None or row >= len(result.rows):
            return None
        pair = result.rows[row]
        return self._pair_reader(pair.code_a, pair.code_b, result.options), \
            f"{pair.path_a.replace('/', ' > ')} with {pair.path_b.replace('/', ' > ')}"

    def _pair_reader(self, code_a: int, code_b: int, options: CooccurrenceOptions) -> ExcerptReader:
        flt = self.result_filter

        def read(project: Project) -> list[Excerpt]:
            found: dict[int, Excerpt] = {}
            for a, b in project.cooccurrence_excerpts(flt, code_a=code_a, code_b=code_b, mode=options.mode,
                                                      with_descendants=options.with_descendants):
                found.setdefault(a.coding.id, a)
                found.setdefault(b.coding.id, b)
            return sorted(found.values(), key=lambda e: (e.coding.source_id, e.coding.start, e.coding.end,
                                                         e.coding.id))

        return read

    def chart_excerpts(self, key: object) -> tuple[ExcerptReader, str] | None:
        result: CooccurrenceResult | None = self.result
        if result is None or not isinstance(key, int) or not 0 <= key < len(result.rows):
            return None
        return self.cell_excerpts(key, 2)

    def heatmap_data(self, jaccard: bool) -> tuple[list[int], list[list[float]], dict[tuple[int, int], int]]:
        """The codes that co-occur with any other (in path order; the `MAX_HEATMAP_CODES` with the most pairs
        when more do), the symmetric matrix of counts (or Jaccard), and for each (row, column) the result row
        behind it."""
        result: CooccurrenceResult = self.result
        codes: dict[int, str] = {}
        pairs: dict[int, int] = {}
        for r in result.rows:
            codes[r.code_a] = r.path_a
            codes[r.code_b] = r.path_b
            pairs[r.code_a] = pairs.get(r.code_a, 0) + r.count
            pairs[r.code_b] = pairs.get(r.code_b, 0) + r.count
        if len(codes) > MAX_HEATMAP_CODES:
            kept = set(sorted(codes, key=lambda c: -pairs[c])[:MAX_HEATMAP_CODES])
            codes = {c: p for c, p in codes.items() if c in kept}
        order = sorted(codes, key=lambda c: (codes[c].casefold(), codes[c]))
        at = {code: i for i, code in enumerate(order)}
        values = [[0.0 if a != b else float("nan") for b in range(len(order))] for a in range(len(order))]
        behind: dict[tuple[int, int], int] = {}
        for index, r in enumerate(result.rows):
            if r.code_a not in at or r.code_b not in at:
                continue
            a, b = at[r.code_a], at[r.code_b]
            value = r.jaccard if jaccard else float(r.count)
            values[a][b] = values[b][a] = value
            behind[(a, b)] = behind[(b, a)] = index
        return order, values, behind

    def draw_chart(self, figure: Any, style: ChartStyle, kind: str) -> ChartHits | None:
        from qcode.gui.analysis import chart_kinds

        result: CooccurrenceResult | None = self.result
        if result is None or not result.rows:
            self.chart.show_message("No two codes co-occur within these filters.")
            return None
        jaccard = kind.endswith("Jaccard")
        order, values, behind = self.heatmap_data(jaccard)
        together = len({c for r in result.rows for c in (r.code_a, r.code_b)})
        title = "Jaccard index of coded characters" if jaccard else "Co-occurring pairs"
        if together > len(order):
            title += f": the {len(order)} codes with most pairs (of {together})"
        names = self.code_names
        labels = [names.get(code, "?") for code in order]
        hits = chart_kinds.heatmap(figure, style, labels, labels, values,
                                   keys=lambda r, c: behind.get((r, c)),
                                   title=title,
                                   legend="Jaccard" if jaccard else "Pairs of codings",
                                   annotate=len(order) <= 20)
        return hits
