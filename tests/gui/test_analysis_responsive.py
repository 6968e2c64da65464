"""What keeps the window responding while an analysis view computes: the result table answers every role of a
cell in one call (the same data as `data`), a long filter description is cut to the bar's width, the chart is
not drawn again for a resize while a new result is on its way, the cycle collector pauses while workers run,
and opening the filters waits for the choices being read on a worker instead of reading them again."""

from __future__ import annotations

import gc
import sys
import threading

from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from qcode.core.project import ExportTable, Project
from qcode.gui.analysis.result_table import ROW_ROLE, SORT_ROLE, ResultModel, ResultSort
from qcode.gui.analysis.word_view import WordTableModel
from qcode.gui.support import workers
from qcode.gui.support.workers import CoreTask
from qcode.gui.views import filter_bar
from qcode.gui.views.filter_bar import ChoiceCache, FilterBar
from tests.gui.test_analysis_views import _open, _settle, coded  # noqa: F401  (the fixture)

ROLES = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.DecorationRole,
         Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ForegroundRole,
         Qt.ItemDataRole.CheckStateRole, SORT_ROLE, ROW_ROLE]


def _multi(model, index) -> list[object]:
    """The roles as `multiData` fills them (a span of one role at a time: Python cannot make a longer one)."""
    found = []
    for role in ROLES:
        item = QModelRoleData(role)
        model.multiData(index, QModelRoleDataSpan(item))
        found.append(item.data())
    return found


def _comparable(value: object) -> object:
    if isinstance(value, QIcon):  # a swatch: compare its pixels
        return value.pixmap(12, 12).toImage()
    return value


def _table() -> ExportTable:
    rows = [("Help > Peers", 3, 0.25, "b"), ("Trust", 10, 0.5, "a"), ("Help > Online", 7, 1.0, "c"),
            ("total", 20, 1.75, "")]
    return ExportTable(("code", "excerpts", "share", "note"), rows, (1, 0, 1, 0))


def test_every_role_of_a_cell_in_one_call_equals_data_sorted_or_not(qtbot) -> None:
    model = ResultModel()
    model.set_table(_table(), colors=["#ff0000", None, "#00ff00", None], bold_last=True, percent_columns={2},
                    tooltips=["the peers", "", "", ""])
    sorter = ResultSort()
    sorter.setSourceModel(model)
    sorter.sort(1, Qt.SortOrder.DescendingOrder)
    assert [sorter.index(r, 0).data(ROW_ROLE) for r in range(4)] == [1, 2, 0, 3]  # the total stays last
    for target in (model, sorter):
        for row in range(4):
            for column in range(4):
                index = target.index(row, column)
                expected = [_comparable(target.data(index, role)) for role in ROLES]
                assert [_comparable(v) for v in _multi(target, index)] == expected
                source = sorter.mapToSource(index) if target is sorter else index
                assert expected == [_comparable(model.data(source, role)) for role in ROLES]
    assert sorter.index(0, 0).data() == "Trust"
    assert sorter.index(1, 2).data() == "1.0%"  # (a percentage column holds percentages)
    assert sorter.index(3, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert sorter.index(2, 0).data(Qt.ItemDataRole.ToolTipRole) == "the peers"


def test_a_span_handed_from_cell_to_cell_keeps_nothing_of_the_cell_before(qtbot) -> None:
    """A table's delegate fills one span for every cell it paints: a role the cell has no data for is cleared,
    so a number never shows the code column's swatch or the total row's bold font."""
    model = ResultModel()
    model.set_table(_table(), colors=["#ff0000", None, "#00ff00", None], bold_last=True, percent_columns={2})
    sorter = ResultSort()
    sorter.setSourceModel(model)
    for target in (model, sorter):
        for role, filled, empty in ((Qt.ItemDataRole.DecorationRole, (0, 0), (0, 1)),
                                    (Qt.ItemDataRole.FontRole, (3, 0), (0, 0)),
                                    (Qt.ItemDataRole.TextAlignmentRole, (0, 1), (0, 0))):
            item = QModelRoleData(role)
            target.multiData(target.index(*filled), QModelRoleDataSpan(item))
            assert item.data() is not None
            target.multiData(target.index(*empty), QModelRoleDataSpan(item))
            assert item.data() is None, (role, empty)


def test_a_view_that_changes_a_role_changes_it_in_one_call_too(qtbot) -> None:
    model = WordTableModel()
    model.set_table(ExportTable(("word", "count", "sources"), [("bench", 2, 1), ("club", 1, 1)]))
    sorter = ResultSort()
    sorter.setSourceModel(model)
    sorter.sort(0, Qt.SortOrder.DescendingOrder)
    tip = _multi(sorter, sorter.index(1, 2))[ROLES.index(Qt.ItemDataRole.ToolTipRole)]
    assert tip == sorter.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("“bench”: 2 occurrences in 1 source")


def test_a_long_filter_description_is_cut_to_the_bar_and_whole_in_its_tooltip(qtbot, project: Project) -> None:
    project.use_coder("Sam")
    source = project.add_source("Interview 1", "Al: at the club.")  # fictional
    names = [f"Participant number {i:03}" for i in range(300)]
    for name in names:
        case = project.create_case(name)
        project.add_case_member(case.id, source.id)
    holder = QWidget()
    bar = FilterBar(project, parent=holder)
    qtbot.addWidget(holder)
    holder.resize(600, 40)
    holder.show()
    narrow = holder.minimumSizeHint().width()
    bar.choose(cases=[c.id for c in project.cases()])
    assert "Participant number 299" in bar.label.text()  # the whole text, as before
    assert "Participant number 299" in bar.label.toolTip()
    assert bar.label.fontMetrics().horizontalAdvance(bar.label.text()) > 5000
    assert bar.minimumSizeHint().width() < 400  # the bar (and the dock it is in) does not grow with it
    assert holder.minimumSizeHint().width() <= max(narrow, 400)
    assert bar.sizeHint().width() < 800
    bar.clear()
    assert bar.label.text() == "No filters"
    assert bar.label.toolTip() == ""


def test_a_resize_while_a_result_is_computed_does_not_draw_the_old_chart(qtbot, coded: Project) -> None:  # noqa: F811
    _window, view = _open(qtbot, coded, "frequencies")
    qtbot.waitUntil(lambda: view.chart.has_chart() and not view.drawing(), timeout=10_000)
    draws: list[int] = []
    real = view.chart.draw
    view.chart.draw = lambda painter, on_worker=False: draws.append(1) or real(painter, on_worker)
    view.chart.hold()  # as recompute() does
    view.chart.resize(view.chart.width() - 40, view.chart.height() - 30)
    assert not view.chart.rendering()  # no redraw waits for the resize to pause
    view.chart.hold(False)  # the computation failed: the chart is drawn at the new size
    assert view.chart.rendering()
    qtbot.waitUntil(lambda: view.chart.has_chart() and not view.drawing(), timeout=10_000)
    assert draws == [1]
    assert view.chart.image.image.width() == round(view.chart.width() * view.chart.devicePixelRatioF())

    draws.clear()
    view.filters.choose(cases=[coded.cases()[0].id])
    assert view.computing()
    view.chart.resize(view.chart.width() + 30, view.chart.height())
    assert not view.chart.rendering()
    _settle(qtbot, view)
    qtbot.waitUntil(lambda: view.chart.has_chart() and not view.drawing(), timeout=10_000)
    assert draws == [1]  # only the new result's chart
    assert view.chart.image.image.width() == round(view.chart.width() * view.chart.devicePixelRatioF())


def test_the_cycle_collector_pauses_while_workers_run(qtbot) -> None:
    assert gc.isenabled()
    release = threading.Event()
    seen: list[bool] = []

    def work(_task: CoreTask) -> None:
        seen.append(gc.isenabled())
        release.wait(10)

    first, second = CoreTask(work, pause_collector=True), CoreTask(work, pause_collector=True)
    finished: list[object] = []
    for task in (first, second):
        task.signals.finished.connect(finished.append)
        task.start()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert not gc.isenabled()
    assert sys.getswitchinterval() <= workers.SWITCH_INTERVAL  # the GUI thread gets the interpreter soon
    assert gc.get_threshold() >= workers.COLLECT_THRESHOLDS  # and full collections are rarer
    release.set()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert seen == [False, False]
    assert gc.isenabled()  # back on once the last one ended

    gc.disable()  # turned off elsewhere: stays off
    try:
        task = CoreTask(lambda _task: None, pause_collector=True)
        task.signals.finished.connect(finished.append)
        task.start()
        qtbot.waitUntil(lambda: len(finished) == 3, timeout=10_000)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert workers.collector_pause._running == 0


def test_long_work_leaves_the_cycle_collector_running(qtbot) -> None:
    """An import or export runs for minutes and its parsers make cycles: its task does not pause the collector."""
    seen: list[bool] = []
    task = CoreTask(lambda _task: seen.append(gc.isenabled()))
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        task.start()
    assert seen == [True]


def test_opening_the_filters_waits_for_the_choices_read_on_a_worker(qtbot, project: Project, monkeypatch) -> None:
    project.use_coder("Sam")
    project.add_source("Interview 1", "Al: at the club.")  # fictional
    project.create_code("Trust")
    ChoiceCache._by_project.pop(project, None)
    threads: list[int] = []
    started, release = threading.Event(), threading.Event()
    real = filter_bar.filter_choices

    def slow(p: Project):
        threads.append(threading.get_ident())
        started.set()
        release.wait(10)
        return real(p)

    monkeypatch.setattr(filter_bar, "filter_choices", slow)
    bar = FilterBar(project)
    qtbot.addWidget(bar)
    bar.prefetch()
    assert started.wait(10)
    threading.Timer(0.3, release.set).start()
    dialog = bar.open_dialog()  # waits for the worker's read, the event loop running
    try:
        assert len(threads) == 1
        assert threads[0] != threading.get_ident()  # never read on the GUI thread
        button = next(b for b in dialog.findChildren(QWidget) if b.accessibleName() == "Code filter")
        assert [button.list.item(i).text() for i in range(button.list.count())] == ["Trust"]
    finally:
        dialog.reject()


def test_a_tab_s_view_is_made_when_the_tab_is_first_shown(qtbot, coded: Project) -> None:  # noqa: F811
    from qcode.gui.analysis.registry import VIEWS

    window, view = _open(qtbot, coded, "matrix")
    area = window.analysis.area
    assert list(area.views) == ["matrix"]  # the other tabs wait with a placeholder
    assert [area.tabText(i) for i in range(area.count())] == [e.view_class().title for e in VIEWS]
    assert area.currentWidget() is view
    area.setCurrentIndex([e.key for e in VIEWS].index("saturation"))  # the user clicks its tab
    saturation = area.views["saturation"]
    assert area.currentWidget() is saturation
    assert saturation.computing() or saturation.result is not None  # started
    _settle(qtbot, saturation)
    assert saturation.model.table.rows
    assert area.show_view("frequencies") is area.views["frequencies"]
    assert area.currentWidget() is area.views["frequencies"]
    assert [area.tabText(i) for i in range(area.count())] == [e.view_class().title for e in VIEWS]
    assert sorted(area.views) == ["frequencies", "matrix", "saturation"]
    _settle(qtbot, area.views["frequencies"])


def test_opening_the_filters_with_nothing_read_reads_them_on_a_worker(qtbot, project: Project, monkeypatch) -> None:
    project.use_coder("Sam")
    project.add_source("Interview 1", "Al: at the club.")  # fictional
    project.create_code("Trust")
    ChoiceCache._by_project.pop(project, None)
    threads: list[int] = []
    real = filter_bar.filter_choices
    monkeypatch.setattr(filter_bar, "filter_choices", lambda p: threads.append(threading.get_ident()) or real(p))
    bar = FilterBar(project)
    qtbot.addWidget(bar)
    dialog = bar.open_dialog()
    try:
        assert len(threads) == 1
        assert threads[0] != threading.get_ident()
        button = next(b for b in dialog.findChildren(QWidget) if b.accessibleName() == "Code filter")
        assert button.list.count() == 1
    finally:
        dialog.reject()
    assert not bar.cache.wanted  # no reading again after each change unless a view asked for it
