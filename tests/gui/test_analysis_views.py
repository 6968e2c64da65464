"""The Analysis area: frequencies, matrix and co-occurrence views show the core's numbers, list exactly the
core's excerpts behind a clicked cell, bar or heatmap square, recompute on filter and coding changes (never
showing a stale result), draw charts, and hand the table to the clipboard, Word and Excel."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from qcode.core.analysis.frequencies import Grouping
from qcode.core.analysis.matrix import percentages
from qcode.core.exporters.analysis_export import to_tsv
from qcode.core.exporters.tables import frequency_table
from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.gui.analysis.area import AnalysisArea
from qcode.gui.analysis.base import AnalysisView
from qcode.gui.main_window import MainWindow
from tests.gui.analysis_helpers import chart_settled
from tests.gui.gestures import click_item, show

TEXT = ("Interviewer: how do you get help? 😀\n\nAl: my mates at the club, we talk on the bench.\n\n"
        "Interviewer: and online?\n\nAl: the forum at night, nobody knows me there.")  # fictional


@pytest.fixture
def coded(project: Project) -> Project:
    """Three sources in two cases (a case attribute 'Setting'), a parent code with two sub-codes and a leaf,
    two coders with overlapping codings."""
    project.use_coder("Sam")
    sources = [project.add_source(f"Interview {i}", TEXT) for i in range(1, 4)]
    setting = project.create_attribute("Setting", "choice", choices=("Sports club", "Online forum"))
    for name, members, value in (("Al", sources[:2], "Sports club"), ("Ben", sources[2:], "Online forum")):
        case = project.create_case(name)
        for source in members:
            project.add_case_member(case.id, source.id)
        project.set_attribute_value(setting.id, case.id, value)
    help_ = project.create_code("Help-seeking")
    peers = project.create_code("Peers", parent_id=help_.id)
    online = project.create_code("Online help", parent_id=help_.id)
    trust = project.create_code("Trust")
    sam = project.current_coder.id
    for source in sources:
        project.add_coding(source.id, peers.id, 40, 80)
        project.add_coding(source.id, trust.id, 60, 100)
    project.add_coding(sources[2].id, online.id, 110, 155)
    project.add_coding(sources[2].id, trust.id, 120, 150)
    project.use_coder("Kim")
    project.add_coding(sources[0].id, peers.id, 45, 70)
    project.add_coding(sources[1].id, online.id, 100, 140)
    project.use_coder("Sam")
    assert project.current_coder.id == sam
    return project


def _open(qtbot, project: Project, key: str) -> tuple[MainWindow, AnalysisView]:
    window = MainWindow(project)
    show(qtbot, window)
    window.resize(1500, 950)
    area = window.analysis.open(key)
    assert isinstance(area, AnalysisArea)
    view = area.views[key]
    _settle(qtbot, view)
    return window, view


def _settle(qtbot, view: AnalysisView) -> None:
    qtbot.waitUntil(lambda: view.result is not None and not view.computing(), timeout=10_000)


def _listed_ids(qtbot, window: MainWindow) -> list[int]:
    qtbot.waitUntil(lambda: not window.segments.locating())
    return [e.coding.id for e in window.segments.model_.excerpts]


def _matrix_rows(project: Project, flt: Filter, grouping: Grouping, cell: str, percent: str, own: bool) -> list:
    result = project.matrix(flt, columns=grouping, cell=cell, own=own)
    if percent == "none":
        body = [[*r.cells, r.total] for r in result.rows]
        return [*body, [*result.column_totals, result.grand_total]]
    shares, last = percentages(result, percent)
    return [*shares, last]


def test_matrix_view_shows_the_cores_numbers_for_every_option(qtbot, coded: Project) -> None:
    _window, view = _open(qtbot, coded, "matrix")
    setting = coded.find_attribute("Setting").id
    view.own_box.setChecked(False)
    groupings = (Grouping("case"), Grouping("source"), Grouping("coder"), Grouping("attribute", setting))
    combinations = [(g, cell, "none", False) for g in groupings for cell in ("excerpts", "sources", "cases",
                                                                                "characters")]
    combinations += [(groupings[3], cell, percent, own) for cell in ("excerpts", "characters")
                     for percent in ("row", "column") for own in (False, True)]
    combinations += [(g, "excerpts", "none", True) for g in groupings[:3]]
    for grouping, cell, percent, own in combinations:
        view.set_columns(grouping)
        view.cell_box.setCurrentIndex(view.cell_box.findData(cell))
        view.percent_box.setCurrentIndex(view.percent_box.findData(percent))
        view.own_box.setChecked(own)
        _settle(qtbot, view)
        shown = [list(row[1:]) for row in view.model.table.rows]
        assert shown == _matrix_rows(coded, Filter(), grouping, cell, percent, own), (grouping, cell, percent, own)
    labels = list(view.model.table.columns)
    assert labels[0] == "code"
    assert labels[-1] == "total"


def test_a_matrix_cell_and_its_heatmap_square_list_exactly_the_cores_excerpts(qtbot, coded: Project) -> None:
    window, view = _open(qtbot, coded, "matrix")
    setting = coded.find_attribute("Setting")
    view.set_columns(Grouping("attribute", setting.id))
    _settle(qtbot, view)
    result = coded.matrix(columns=Grouping("attribute", setting.id))
    help_ = coded.find_code("Help-seeking").id
    row = next(i for i, r in enumerate(result.rows) if r.code_id == help_)
    for column, key in ((1, result.columns[0].key), (2, result.columns[1].key), (3, None)):
        click_item(qtbot, view.table, view.sorter.index(row, column))
        expected = [e.coding.id for e in coded.matrix_cell_excerpts(
            columns=Grouping("attribute", setting.id), code_id=help_, column=key)]
        assert expected
        assert _listed_ids(qtbot, window) == expected
    assert "Help-seeking ×" in window.segments.title.text()
    click_item(qtbot, view.table, view.sorter.index(len(result.rows), 3))  # the grand total
    assert _listed_ids(qtbot, window) == [e.coding.id for e in coded.matrix_cell_excerpts(
        columns=Grouping("attribute", setting.id), code_id=None, column=None)]

    # a click on the heatmap's square of (Trust, Online forum), where matplotlib draws it
    view.chart_box.setCurrentText("Heatmap")
    qtbot.waitUntil(lambda: chart_settled(view) and view.chart.has_chart())
    trust = next(i for i, r in enumerate(result.rows) if r.code_id == coded.find_code("Trust").id)
    online = next(i for i, c in enumerate(result.columns) if c.label == "Online forum")
    _click_chart(qtbot, view, online, trust)
    assert _listed_ids(qtbot, window) == [e.coding.id for e in coded.matrix_cell_excerpts(
        columns=Grouping("attribute", setting.id), code_id=coded.find_code("Trust").id, column="Online forum")]
    from matplotlib.backend_bases import MouseEvent  # the tooltip names the square in full

    px, py = view.chart.figure.axes[0].transData.transform((online, trust))
    tip = view.chart.hits.tip(MouseEvent("motion_notify_event", view.chart.canvas, px, py))
    assert tip == f"Trust × Online forum: {result.rows[trust].cells[online]}"


def _click_chart(qtbot, view: AnalysisView, x: float, y: float) -> None:
    """A mouse click on the chart, where it shows data coordinates (x, y) of its first axes."""
    qtbot.waitUntil(view.chart.has_chart, timeout=10_000)
    figure = view.chart.figure
    px, py = figure.axes[0].transData.transform((x, y))  # figure pixels, from the bottom left
    ratio = view.chart.image.image.devicePixelRatio()
    point = QPoint(round(px / ratio), round((figure.bbox.height - py) / ratio))
    QTest.mouseClick(view.chart.image, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_a_filter_change_recomputes_and_an_older_result_is_never_shown(qtbot, coded: Project, monkeypatch) -> None:
    _window, view = _open(qtbot, coded, "matrix")
    view.set_columns(Grouping("coder"))
    _settle(qtbot, view)
    sam = next(c.id for c in coded.coders() if c.name == "Sam")
    view.filters.choose(coders=[sam])
    _settle(qtbot, view)
    assert [list(r[1:]) for r in view.model.table.rows] == _matrix_rows(
        coded, Filter(coders=(sam,)), Grouping("coder"), "excerpts", "none", False)
    assert view.result_filter == Filter(coders=(sam,))

    # an old request that finishes last is dropped: the newest filter's result stays
    release = threading.Event()
    original = type(view).compute

    def slow_first(self, project, flt, options):
        if flt.coders == (sam,):
            release.wait(5)
        return original(self, project, flt, options)

    monkeypatch.setattr(type(view), "compute", slow_first)
    view.recompute()  # with Sam: waits
    view.filters.clear()  # everyone: answers at once
    qtbot.waitUntil(lambda: view.result_filter == Filter())
    release.set()
    qtbot.waitUntil(lambda: not view.computing())
    QTest.qWait(50)
    assert view.result_filter == Filter()
    assert [list(r[1:]) for r in view.model.table.rows] == _matrix_rows(
        coded, Filter(), Grouping("coder"), "excerpts", "none", False)


def test_a_coding_applied_elsewhere_updates_the_open_view(qtbot, coded: Project) -> None:
    _window, view = _open(qtbot, coded, "frequencies")
    trust = coded.find_code("Trust")
    before = next(r for r in view.model.table.rows if r[0] == "Trust")[1]
    coded.add_coding(coded.sources()[0].id, trust.id, 0, 10)
    qtbot.waitUntil(lambda: next(r for r in view.model.table.rows if r[0] == "Trust")[1] == before + 1,
                    timeout=5000)


def test_frequencies_equal_the_core_with_and_without_sub_codes_and_by_coder(qtbot, coded: Project) -> None:
    window, view = _open(qtbot, coded, "frequencies")
    assert view.model.table.rows == frequency_table(coded, Filter()).rows
    view.own_box.setChecked(True)
    _settle(qtbot, view)
    assert view.model.table.rows == frequency_table(coded, Filter(), own=True).rows
    view.coder_box.setChecked(True)
    _settle(qtbot, view)
    assert view.model.table.rows == frequency_table(coded, Filter(), own=True, grouping=Grouping("coder")).rows
    # a row of Kim's lists Kim's own codings of that code
    kim = next(c.id for c in coded.coders() if c.name == "Kim")
    peers = coded.find_code("Help-seeking/Peers").id
    row = next(i for i, r in enumerate(view.model.table.rows) if r[0] == "Kim" and r[1].endswith("Peers"))
    click_item(qtbot, view.table, view.sorter.index(row, 2))
    assert _listed_ids(qtbot, window) == [e.coding.id for e in coded.excerpts_matching(Filter(coders=(kim,)))
                                          if e.coding.code_id == peers]


def test_frequency_bars_are_the_codes_own_colours_and_a_bar_click_lists_its_excerpts(qtbot, coded: Project,
                                                                                    tmp_path: Path) -> None:
    window, view = _open(qtbot, coded, "frequencies")
    qtbot.waitUntil(lambda: chart_settled(view) and view.chart.has_chart())
    ax = view.chart.figure.axes[0]
    leaves = ["Peers", "Online help", "Trust"]
    assert [t.get_text() for t in ax.get_yticklabels()] == leaves
    assert len(ax.patches) == 3
    assert view.chart.hits.count == 3
    from matplotlib.colors import to_hex

    assert to_hex(ax.patches[2].get_facecolor()) == coded.find_code("Trust").color.lower()
    assert [p.get_width() for p in ax.patches] == [4, 2, 4]
    _click_chart(qtbot, view, 1, 1)  # the Online help bar, at x=1 on its row
    assert _listed_ids(qtbot, window) == [e.coding.id for e in coded.excerpts(coded.find_code("Help-seeking/Online help").id)]
    image = view.chart.render_image(tmp_path / "bars.png")
    assert image.stat().st_size > 5000
    for suffix in (".png", ".svg", ".pdf"):
        saved = view.save_chart(tmp_path / f"chart{suffix}")
        assert saved is not None
        assert saved.stat().st_size > 1000
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_matrix_charts_draw_one_square_or_bar_per_cell(qtbot, coded: Project) -> None:
    _window, view = _open(qtbot, coded, "matrix")
    view.set_columns(Grouping("source"))
    _settle(qtbot, view)
    qtbot.waitUntil(lambda: chart_settled(view) and view.chart.has_chart())
    codes, sources = len(coded.codes()), len(coded.sources())
    image = view.chart.figure.axes[0].images[0]
    assert image.get_array().shape == (codes, sources)
    assert view.chart.hits.count == codes * sources
    view.chart_box.setCurrentText("Grouped bars")
    assert len(view.chart.figure.axes[0].patches) == codes * sources
    view.chart_box.setCurrentText("Stacked bars")
    assert len(view.chart.figure.axes[0].patches) == codes * sources


def test_cooccurrence_view_equals_the_core_and_lists_both_codes_excerpts(qtbot, coded: Project) -> None:
    window, view = _open(qtbot, coded, "cooccurrence")
    rows = coded.cooccurrence()
    assert [tuple(r[2:]) for r in view.model.table.rows] == [(r.count, r.jaccard) for r in rows]
    click_item(qtbot, view.table, view.sorter.index(0, 2))
    pairs = coded.cooccurrence_excerpts(code_a=rows[0].code_a, code_b=rows[0].code_b)
    expected = sorted({e.coding.id for pair in pairs for e in pair},
                      key=lambda i: (coded.coding(i).source_id, coded.coding(i).start, coded.coding(i).end, i))
    assert _listed_ids(qtbot, window) == expected
    for index, mode in ((1, "paragraph"), (2, "turn")):
        view.mode_box.setCurrentIndex(index)
        _settle(qtbot, view)
        assert [tuple(r[2:]) for r in view.model.table.rows] == [(r.count, r.jaccard)
                                                                 for r in coded.cooccurrence(mode=mode)]
    view.mode_box.setCurrentIndex(3)
    view.distance.setValue(30)
    _settle(qtbot, view)
    assert [tuple(r[2:]) for r in view.model.table.rows] == [(r.count, r.jaccard)
                                                             for r in coded.cooccurrence(mode="near:30")]
    view.parents_box.setChecked(True)
    _settle(qtbot, view)
    assert [tuple(r[2:]) for r in view.model.table.rows] == [
        (r.count, r.jaccard) for r in coded.cooccurrence(mode="near:30", with_descendants=True)]
    qtbot.waitUntil(lambda: chart_settled(view) and view.chart.has_chart())
    order, _values, behind = view.heatmap_data(jaccard=False)
    assert view.chart.hits.count == len(order) ** 2
    assert len(behind) == 2 * len(view.model.table.rows)


def test_copy_puts_the_table_on_the_clipboard_tab_separated(qtbot, coded: Project) -> None:
    _window, view = _open(qtbot, coded, "matrix")
    text = view.copy_table()
    assert QGuiApplication.clipboard().text() == text == to_tsv(view.model.table)
    lines = text.splitlines()
    assert lines[0].split("\t") == ["Code", *[c.label for c in coded.matrix(columns=Grouping("case")).columns],
                                    "Total"]
    assert lines[-1].split("\t")[0] == "total"
    assert len(lines) == len(view.model.table.rows) + 1


def test_word_and_excel_hand_off_read_back(qtbot, coded: Project, tmp_path: Path) -> None:
    window, view = _open(qtbot, coded, "matrix")
    setting = coded.find_attribute("Setting")
    view.set_columns(Grouping("attribute", setting.id))
    view.filters.choose(codes=[coded.find_code("Help-seeking").id])
    _settle(qtbot, view)
    docx = view.export_word(tmp_path / "matrix.docx")
    assert docx is not None
    document = Document(str(docx))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Code", "Sports club", "Online forum", "Total"]
    body = [[c.text.strip() for c in row.cells] for row in table.rows[1:]]
    assert body == [[str(v).split(" > ")[-1] if i == 0 else str(v) for i, v in enumerate(row)]
                    for row in view.model.table.rows]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Codes by Setting" in text
    assert "codes Help-seeking" in text

    xlsx = view.export_excel(tmp_path / "matrix.xlsx")
    assert xlsx is not None
    book = openpyxl.load_workbook(xlsx)
    sheet = book["Result"]
    assert sheet.freeze_panes == "A2"
    count = len(view.model.table.rows)
    values = [list(r) for r in sheet.iter_rows(min_row=2, max_row=count + 1, values_only=True)]
    assert values == [list(r) for r in view.model.table.rows]
    assert sheet.cell(count + 3, 1).value == view.model.table.note  # under the table: why totals are smaller
    charts = [chart for ws in book.worksheets for chart in ws._charts]
    assert len(charts) == 1
    assert len(charts[0].series) == 2
    about = {r[0]: r[1] for r in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Question"].startswith("Codes by Setting")
    assert "Help-seeking" in about["Filters"]

    freq = window.analysis.open("frequencies").views["frequencies"]
    _settle(qtbot, freq)
    book = openpyxl.load_workbook(freq.export_excel(tmp_path / "frequencies.xlsx"))
    assert sum(len(ws._charts) for ws in book.worksheets) == 1


def test_opening_a_window_does_not_import_matplotlib(tmp_path: Path) -> None:
    script = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from qcode.core.project import Project\n"
        "from qcode.gui.main_window import MainWindow\n"
        f"project = Project.create({str(tmp_path / 'p.qcode')!r})\n"
        "window = MainWindow(project)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print('matplotlib' in sys.modules, 'qcode.gui.analysis.matrix_view' in sys.modules,\n"
        "      'qcode.gui.analysis.base' in sys.modules)\n"
        "window.close(); project.close()\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False", "False"]


def test_analyse_menu_is_shared_and_opens_each_view(qtbot, coded: Project) -> None:
    window = MainWindow(coded)
    show(qtbot, window)
    menus = [a for a in window.menuBar().actions() if a.text().replace("&", "") == "Analyse"]
    assert len(menus) == 1
    texts = [a.text().replace("&", "") for a in menus[0].menu().actions() if a.text()]
    assert texts[:3] == ["Frequencies", "Matrix coding", "Co-occurrence"]
    assert "Inter-coder agreement…" in texts
    window.analysis.actions["cooccurrence"].trigger()
    area = window.analysis.area
    assert area is not None
    assert area.currentWidget() is area.views["cooccurrence"]
    assert window.analysis.dock is not None
    assert window.analysis.dock.isVisible()
    _settle(qtbot, area.views["cooccurrence"])


def test_done_when_on_the_demo_project(qtbot, tmp_path: Path) -> None:
    """Which help-seeking codes are most frequent in sports-club peer groups versus online forums, and what do
    those excerpts say: matrix by setting, filtered, as a heatmap, a cell's excerpts, to Word and Excel."""
    from qcode.core.demo import build_demo

    demo = Project.open(build_demo(tmp_path / "demo.qcode"))
    try:
        window = MainWindow(demo)
        show(qtbot, window)
        window.analysis.actions["matrix"].trigger()  # Analyse > Matrix coding
        view = window.analysis.area.views["matrix"]
        setting = demo.find_attribute("Peer-support setting")
        view.set_columns(Grouping("attribute", setting.id))
        help_ = demo.find_code("Help-seeking preferences").id
        chosen = [(setting.id, "Sports club"), (setting.id, "Online forum")]
        view.filters.choose(codes=[help_], attributes=chosen)
        _settle(qtbot, view)
        flt = Filter(codes=(help_,), attributes=tuple(chosen))
        assert list(view.model.table.columns) == ["code", "Sports club", "Online forum", "total"]
        assert [list(r[1:]) for r in view.model.table.rows] == _matrix_rows(
            demo, flt, Grouping("attribute", setting.id), "excerpts", "none", False)
        qtbot.waitUntil(lambda: chart_settled(view) and view.chart.has_chart())
        assert view.chart.hits.count == 6 * 2  # the category and its five sub-codes, by two settings
        online = next(i for i, r in enumerate(demo.matrix(flt, columns=Grouping("attribute", setting.id)).rows)
                      if r.path.endswith("Online and anonymous help"))
        _click_chart(qtbot, view, 1, online)
        listed = _listed_ids(qtbot, window)
        assert listed
        assert listed == [e.coding.id for e in demo.matrix_cell_excerpts(
            flt, columns=Grouping("attribute", setting.id), code_id=demo.matrix(
                flt, columns=Grouping("attribute", setting.id)).rows[online].code_id, column="Online forum")]
        assert view.export_word(tmp_path / "answer.docx") is not None
        assert view.export_excel(tmp_path / "answer.xlsx") is not None
        window.close()
    finally:
        demo.close()


def test_a_slow_result_shows_the_busy_bar(qtbot, coded: Project, monkeypatch) -> None:
    _window, view = _open(qtbot, coded, "cooccurrence")
    original = type(view).compute

    def slow(self, project, flt, options):
        time.sleep(0.6)
        return original(self, project, flt, options)

    monkeypatch.setattr(type(view), "compute", slow)
    view.recompute()
    qtbot.waitUntil(view.busy.isVisible, timeout=2000)
    _settle(qtbot, view)
    assert not view.busy.isVisible()


def test_every_view_is_named_for_the_app_bundle() -> None:
    """Views are imported by name when the area opens, which PyInstaller cannot see: the spec names them."""
    from qcode.gui.analysis.registry import VIEWS

    spec = (Path(__file__).resolve().parents[2] / "installer" / "qcode.spec").read_text(encoding="utf-8")
    for entry in VIEWS:
        assert f'"{entry.target.split(":")[0]}"' in spec, entry.key
    assert '"PIL"' not in spec  # matplotlib draws with Pillow


def test_every_visible_control_of_the_analysis_area_has_an_accessible_name(qtbot, coded: Project) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QHeaderView, QLineEdit

    window = MainWindow(coded)
    show(qtbot, window)
    nameless = []
    for key in ("frequencies", "matrix", "cooccurrence"):
        view = window.analysis.open(key).views[key]
        _settle(qtbot, view)
        for kind in (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView):
            for widget in view.findChildren(kind):
                if not widget.isVisible() or isinstance(widget, QHeaderView):
                    continue
                label = widget.text() if isinstance(widget, QAbstractButton) else ""
                named = widget.accessibleName() or label or widget.parent().accessibleName()
                if not named:
                    nameless.append(f"{key}: {type(widget).__name__} in {type(widget.parent()).__name__}")
    assert nameless == []


def test_in_blind_coding_the_views_count_and_list_only_the_own_codings(qtbot, coded: Project) -> None:
    coded.set_blind_coding(True)
    window, view = _open(qtbot, coded, "matrix")
    view.set_columns(Grouping("coder"))
    _settle(qtbot, view)
    with Project.open(coded.path, mode="read", coder="Sam") as sams:
        expected = _matrix_rows(sams, Filter(), Grouping("coder"), "excerpts", "none", False)
        listed = [e.coding.id for e in sams.matrix_cell_excerpts(columns=Grouping("coder"), code_id=None,
                                                                 column=None)]
    assert [list(r[1:]) for r in view.model.table.rows] == expected
    assert list(view.model.table.columns) == ["code", "Sam", "total"]  # Kim's codings are not seen
    click_item(qtbot, view.table, view.sorter.index(len(view.model.table.rows) - 1, 2))
    assert _listed_ids(qtbot, window) == listed
    assert {coded.coding(i).coder_id for i in listed} == {coded.current_coder.id}
