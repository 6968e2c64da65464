"""The shared filters' choices are read once per project and reused by every bar, offered anew after a code,
case or source is added (never stale), read on a worker when asked, and named in words as before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from qcode.core.project import Project
from qcode.gui.dialogs import export_filters
from qcode.gui.dialogs.export_filters import ExportFilters, filter_choices
from qcode.gui.views.filter_bar import ChoiceCache, FilterBar

TEXT = "Interviewer: where do you find help?\n\nAl: at the club, on the bench."  # fictional


def _project(project: Project) -> Project:
    project.use_coder("Sam")
    source = project.add_source("Interview 1", TEXT)
    case = project.create_case("Al")
    project.add_case_member(case.id, source.id)
    project.create_code("Trust")
    return project


def _listed(dialog: QWidget, name: str) -> list[str]:
    button = next(b for b in dialog.findChildren(QWidget) if b.accessibleName() == name)
    return [button.list.item(i).text() for i in range(button.list.count())]


def test_choices_are_read_once_and_offered_anew_after_a_change(qtbot, project: Project, monkeypatch):
    _project(project)
    reads = []
    real = export_filters.filter_choices
    monkeypatch.setattr("qcode.gui.views.filter_bar.filter_choices", lambda p: reads.append(1) or real(p))
    first, second = FilterBar(project), FilterBar(project, what="the search")
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    for bar in (first, second, first):
        dialog = bar.open_dialog()
        assert _listed(dialog, "Code filter") == ["Trust"]
        dialog.reject()
    assert len(reads) == 1  # one read, shared by both bars
    project.add_coding(project.sources()[0].id, project.find_code("Trust").id, 0, 11)
    first.open_dialog().reject()
    assert len(reads) == 1  # a coding changes no choice
    parent = project.create_code("Barriers")
    project.create_code("Cost", parent_id=parent.id)
    project.create_case("Ben")
    dialog = second.open_dialog()
    assert _listed(dialog, "Code filter") == ["Trust", "Barriers", "Barriers > Cost"]
    assert _listed(dialog, "Case filter") == ["Al", "Ben"]
    dialog.reject()
    assert len(reads) == 2


def test_prefetch_reads_the_choices_on_a_worker_and_reads_again_after_a_change(qtbot, project: Project):
    _project(project)
    bar = FilterBar(project)
    qtbot.addWidget(bar)
    cache = ChoiceCache.of(project)
    assert cache is bar.cache
    bar.prefetch()
    qtbot.waitUntil(lambda: cache.choices is not None)
    assert cache.choices == filter_choices(project)
    project.create_code("Hope")
    assert cache.choices is None  # never the old list
    qtbot.waitUntil(lambda: cache.choices is not None)  # read again on the worker after the change
    assert ("Hope", project.find_code("Hope").id) in cache.choices.codes


def test_filters_chosen_in_code_are_named_as_the_dialog_names_them(qtbot, project: Project):
    _project(project)
    project.create_code("Barriers")
    bar = FilterBar(project)
    qtbot.addWidget(bar)
    codes = [c.id for c in project.codes()]
    case = project.cases()[0].id
    bar.choose(codes=list(reversed(codes)), cases=[case])
    widget = ExportFilters(project)
    widget.codes.choose(codes)
    widget.cases.choose([case])
    assert bar.description == widget.describe() == "codes Trust, Barriers; cases Al"
    assert bar.label.text() == "Only codes Trust, Barriers; cases Al"
    bar.clear()
    assert bar.description == ""


def test_a_checklist_is_made_when_first_opened_keeping_what_was_ticked(qtbot, project: Project):
    _project(project)
    project.create_code("Barriers")
    widget = ExportFilters(project)
    qtbot.addWidget(widget.codes)
    trust = project.find_code("Trust").id
    widget.codes.choose([trust])
    assert widget.codes._list is None  # not made yet
    assert widget.codes.text() == "Trust"
    assert widget.codes.chosen() == [trust]
    assert widget.codes.count() == 2
    widget.codes.menu().aboutToShow.emit()  # what opening the drop-down does
    assert widget.codes._list is not None
    assert [widget.codes.list.item(i).checkState() == Qt.CheckState.Checked for i in range(2)] == [True, False]
    widget.codes.list.item(1).setCheckState(Qt.CheckState.Checked)  # a tick in the list
    assert widget.codes.chosen_labels() == ["Trust", "Barriers"]
    assert widget.codes.text() == "2 codes"
