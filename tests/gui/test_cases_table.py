"""The cases and attributes editor: every change an undo step, typed cells checked by the core."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyleOptionViewItem

from qcode.core.project import Project
from qcode.gui.support.workers import ProjectSignals
from qcode.gui.views.case_widgets import CellDelegate
from qcode.gui.views.cases_table import CasesTable
from tests.gui.gestures import double_click_item, press

TEXT = ("Interviewer: how did you cope?\n\nMarcus: I kept it to myself, mostly. The lads help.\n\n"
        "Interviewer: and you?\n\nDev: I talked to my sister.")


@pytest.fixture
def table(qtbot, project: Project) -> CasesTable:
    stack = QUndoStack()
    widget = CasesTable(project, stack)
    widget.stack_ref = stack  # keep the stack alive with the widget
    qtbot.addWidget(widget)
    signals = ProjectSignals(project, widget)  # what the window does: project changes -> refresh()
    signals.changed.connect(lambda change: widget.refresh())
    widget.resize(760, 420)
    return widget


def _cell(table: CasesTable, case_id: int, attribute_id: int | None = None) -> str:
    return table.index_of(case_id, attribute_id).data()


def _names(table: CasesTable) -> list[str]:
    return [table.proxy.index(row, 0).data() for row in range(table.proxy.rowCount())]


def test_create_rename_delete_cases_with_undo_and_redo(table: CasesTable, project: Project) -> None:
    marcus = table.new_case("Marcus")
    dev = table.new_case("Dev")
    assert marcus is not None
    assert dev is not None
    assert _names(table) == ["Dev", "Marcus"]
    assert table.current_case_id() == dev
    assert table.rename_case(marcus, "Marcus T.")
    assert _names(table) == ["Dev", "Marcus T."]
    source = project.add_source("Interview 1", TEXT)
    age = project.create_attribute("Age", "number")
    table.assign_source(marcus, source.id, 32, 64)
    table.set_value(marcus, age.id, "34")
    project.set_memo("case", marcus, "Quiet, but warm.")
    stack = table.undo_stack
    assert stack.count() == 5

    assert table.delete_case(marcus)
    assert _names(table) == ["Dev"]
    stack.undo()
    assert _names(table) == ["Dev", "Marcus T."]
    assert project.attribute_values("case", marcus) == {"Age": 34}
    assert [(m.source_id, m.start, m.end) for m in project.case_members(marcus)] == [(source.id, 32, 64)]
    assert project.memo("case", marcus).text == "Quiet, but warm."
    assert _cell(table, marcus, age.id) == "34"
    for _ in range(4):  # value, assignment, rename, create Dev
        stack.undo()
    assert _names(table) == ["Marcus"]
    for _ in range(5):
        stack.redo()
    assert _names(table) == ["Dev"]
    stack.undo()
    assert project.case(marcus).name == "Marcus T."
    assert project.check() == []


def test_refused_case_names_change_nothing(table: CasesTable, modal_messages: list[str]) -> None:
    table.new_case("Marcus")
    assert table.new_case("marcus") is None
    assert table.new_case("a/b") is None
    assert _names(table) == ["Marcus"]
    assert table.undo_stack.count() == 1
    assert len(modal_messages) == 2
    assert "already" in modal_messages[0]


def test_typed_cells_go_through_the_core(qtbot, table: CasesTable, project: Project,
                                         modal_messages: list[str]) -> None:
    marcus = project.create_case("Marcus")
    age = project.create_attribute("Age", "number")
    group = project.create_attribute("Age group", "choice", choices=["18-29", "30-49"])
    born = project.create_attribute("Interviewed", "date")
    setting = project.create_attribute("Setting", "text")
    proxy = table.proxy
    assert proxy.setData(table.index_of(marcus.id, age.id), "34")
    assert proxy.setData(table.index_of(marcus.id, group.id), "30-49")
    assert proxy.setData(table.index_of(marcus.id, born.id), "2024-03-05")
    assert proxy.setData(table.index_of(marcus.id, setting.id), "  Rural  ")
    assert project.attribute_values("case", marcus.id) == {
        "Age": 34, "Age group": "30-49", "Interviewed": "2024-03-05", "Setting": "Rural"}
    assert table.undo_stack.count() == 4

    for attribute, bad in ((age, "thirty"), (born, "5 March"), (group, "50+")):
        assert not proxy.setData(table.index_of(marcus.id, attribute.id), bad)
    qtbot.waitUntil(lambda: len(modal_messages) == 3)
    assert "'thirty' is not one" in modal_messages[0]
    assert "YYYY-MM-DD" in modal_messages[1]
    assert "not one of the choices" in modal_messages[2]
    assert project.attribute_values("case", marcus.id)["Age"] == 34
    assert _cell(table, marcus.id, age.id) == "34"
    assert table.undo_stack.count() == 4

    assert proxy.setData(table.index_of(marcus.id), "Marcus T.")  # the name column renames
    assert project.case(marcus.id).name == "Marcus T."
    table.show()
    qtbot.waitExposed(table)
    table.table.setCurrentIndex(table.index_of(marcus.id, age.id))
    press(qtbot, table.table, Qt.Key.Key_Delete)  # the Delete key clears a value
    assert "Age" not in project.attribute_values("case", marcus.id)
    table.undo_stack.undo()
    table.undo_stack.undo()
    table.undo_stack.undo()  # the setting
    assert project.attribute_values("case", marcus.id)["Age"] == 34
    assert project.case(marcus.id).name == "Marcus"
    assert "Setting" not in project.attribute_values("case", marcus.id)
    assert _cell(table, marcus.id, setting.id) == ""
    assert not table.proxy.flags(table.proxy.index(0, 1)) & Qt.ItemFlag.ItemIsEditable


def test_editors_fit_the_attribute_type(table: CasesTable, project: Project) -> None:
    marcus = project.create_case("Marcus")
    group = project.create_attribute("Age group", "choice", choices=["18-29", "30-49"])
    born = project.create_attribute("Interviewed", "date")
    project.set_attribute_value(group.id, marcus.id, "30-49")
    delegate = table.table.itemDelegate()
    assert isinstance(delegate, CellDelegate)
    option = QStyleOptionViewItem()
    combo = delegate.createEditor(table.table.viewport(), option, table.index_of(marcus.id, group.id))
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["(no value)", "18-29", "30-49"]
    delegate.setEditorData(combo, table.index_of(marcus.id, group.id))
    assert combo.currentText() == "30-49"
    combo.setCurrentIndex(1)
    delegate.setModelData(combo, table.proxy, table.index_of(marcus.id, group.id))
    assert project.attribute_values("case", marcus.id)["Age group"] == "18-29"
    combo.setCurrentIndex(0)
    delegate.setModelData(combo, table.proxy, table.index_of(marcus.id, group.id))
    assert "Age group" not in project.attribute_values("case", marcus.id)
    line = delegate.createEditor(table.table.viewport(), option, table.index_of(marcus.id, born.id))
    assert isinstance(line, QLineEdit)
    assert line.placeholderText() == "YYYY-MM-DD"
    assert line.accessibleName() == "Value of Interviewed"


def test_attributes_add_rename_delete_with_undo(table: CasesTable, project: Project) -> None:
    marcus = project.create_case("Marcus")
    dev = project.create_case("Dev")
    table.refresh()
    age = table.add_attribute("Age", "number")
    group = table.add_attribute("Age group", "choice", ("18-29", "30-49"))
    setting = table.add_attribute("Setting")
    assert age is not None
    assert group is not None
    assert setting is not None
    assert project.attribute(group).choices == ("18-29", "30-49")
    headers = [table.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(table.proxy.columnCount())]
    assert headers == ["Case", "Sources", "Age", "Age group", "Setting"]
    table.set_value(marcus.id, age, 34)
    table.set_value(dev.id, age, "22")
    assert table.rename_attribute(age, "Age (years)")
    assert table.proxy.headerData(2, Qt.Orientation.Horizontal) == "Age (years)"
    assert not table.add_attribute("setting")  # names are unique, ignoring case
    assert not table.add_attribute("Mood", "colour")

    assert table.delete_attribute(age)
    assert table.proxy.columnCount() == 4
    table.undo_stack.undo()
    assert [a.name for a in project.attributes("case")] == ["Age (years)", "Age group", "Setting"]
    assert project.values_of_attribute(age) == {marcus.id: 34, dev.id: 22}
    assert _cell(table, dev.id, age) == "22"
    table.undo_stack.undo()  # rename
    assert project.attribute(age).name == "Age"
    for _ in range(5):
        table.undo_stack.undo()
    assert project.attributes("case") == []
    assert table.proxy.columnCount() == 2
    for _ in range(7):
        table.undo_stack.redo()
    assert [a.name for a in project.attributes("case")] == ["Age group", "Setting"]
    table.undo_stack.undo()
    assert project.values_of_attribute(age) == {marcus.id: 34, dev.id: 22}


def test_assign_a_whole_source_and_a_range(qtbot, table: CasesTable, project: Project,
                                           modal_messages: list[str]) -> None:
    one = project.add_source("Interview 1", TEXT)
    two = project.add_source("Interview 2", "A second conversation.")
    marcus = project.create_case("Marcus")
    table.refresh()
    table.select_case(marcus.id)
    with qtbot.waitSignal(table.assign_requested) as asked:
        table.members.assign_button.click()
    assert asked.args == [marcus.id, False]  # the whole source
    assert not table.members.assign_passage_button.isEnabled()  # nothing selected in a document
    table.members.set_has_selection(True)
    with qtbot.waitSignal(table.assign_requested) as asked:
        table.members.assign_passage_button.click()
    assert asked.args == [marcus.id, True]
    assert table.assign_source(marcus.id, two.id)
    start = TEXT.index("Marcus:")
    end = TEXT.index("\n\nInterviewer: and")
    assert table.assign_source(marcus.id, one.id, start, end)
    assert not table.assign_source(marcus.id, two.id)  # already part of it
    assert "already part" in modal_messages[0]
    assert _cell(table, marcus.id, None) == "Marcus"
    assert table.proxy.index(0, 1).data() == "2"
    members = table.members.model
    assert members.rowCount() == 2
    rows = {members.item(r, 0).text(): (members.item(r, 1).text(), members.item(r, 2).text())
            for r in range(members.rowCount())}
    assert rows["Interview 2"] == ("whole source", "(the whole source)")
    assert rows["Interview 1"][1] == "Marcus: I kept it to myself, mostly. The lads help."
    with qtbot.waitSignal(table.open_requested) as opened:
        table.show()
        double_click_item(qtbot, table.members.view, members.index(1, 0))
    assert opened.args in ([one.id, start, end], [two.id, 0, 0])

    member = next(m for m in project.case_members(marcus.id) if m.start is not None)
    assert table.remove_member(member.id)
    assert table.proxy.index(0, 1).data() == "1"
    table.undo_stack.undo()
    assert member in project.case_members(marcus.id)
    table.undo_stack.undo()
    table.undo_stack.undo()
    assert project.case_members(marcus.id) == []
    assert table.members.model.rowCount() == 0
    table.undo_stack.redo()
    table.undo_stack.redo()
    assert member in project.case_members(marcus.id)
    assert project.check() == []


def test_table_reflects_the_projects_values(table: CasesTable, project: Project) -> None:
    cases = [project.create_case(name) for name in ("Marcus", "Dev", "Aisha")]
    age = project.create_attribute("Age", "number")
    group = project.create_attribute("Age group", "choice", choices=["18-29", "30-49"])
    setting = project.create_attribute("Setting")
    for case, values in zip(cases, ((34, "30-49", "Rural"), (22.5, "18-29", None), (None, None, "Urban")),
                            strict=True):
        for attribute, value in zip((age, group, setting), values, strict=True):
            project.set_attribute_value(attribute.id, case.id, value)
    for case in cases:
        values = project.attribute_values("case", case.id)
        for attribute in (age, group, setting):
            expected = values.get(attribute.name)
            assert _cell(table, case.id, attribute.id) == ("" if expected is None else str(expected))
    table.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # numbers sort as numbers
    assert _names(table) == ["Marcus", "Dev", "Aisha"]


def test_selection_signal_and_read_only(qtbot, tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.qcode") as project:
        marcus = project.create_case("Marcus")
    with Project.open(tmp_path / "p.qcode", mode="read") as project:
        widget = CasesTable(project, QUndoStack())
        qtbot.addWidget(widget)
        with qtbot.waitSignal(widget.case_selected) as chosen:
            widget.select_case(marcus.id)
        assert chosen.args == [marcus.id]
        assert not widget.new_case_button.isEnabled()
        assert not widget.members.assign_button.isEnabled()
        assert not widget.proxy.flags(widget.index_of(marcus.id)) & Qt.ItemFlag.ItemIsEditable


def test_render(table: CasesTable, project: Project, tmp_path: Path) -> None:
    one = project.add_source("Interview 1", TEXT)
    two = project.add_source("Interview 2", "A second conversation.")
    age = project.create_attribute("Age", "number")
    group = project.create_attribute("Age group", "choice", choices=["18-29", "30-49"])
    setting = project.create_attribute("Setting")
    for name, years, band, place in (("Marcus", 34, "30-49", "Rural"), ("Dev", 22, "18-29", "Urban"),
                                     ("Aisha", None, None, "Urban")):
        case = project.create_case(name)
        for attribute, value in ((age, years), (group, band), (setting, place)):
            project.set_attribute_value(attribute.id, case.id, value)
    marcus = project.find_case("Marcus")
    project.add_case_member(marcus.id, two.id)
    project.add_case_member(marcus.id, one.id, TEXT.index("Marcus:"), TEXT.index("\n\nInterviewer: and"))
    table.select_case(marcus.id, 2)
    table.show()
    path = tmp_path / "cases.png"
    assert table.grab().save(str(path))
    assert path.stat().st_size > 0


def test_buttons_ask_and_act(table: CasesTable, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *args, **kwargs: ("Marcus", True)))
    table.new_case_button.click()
    marcus = project.find_case("Marcus")
    assert table.current_case_id() == marcus.id
    source = project.add_source("Interview 1", TEXT)
    table.assign_source(marcus.id, source.id)
    assert table.members.remove_button.isEnabled()
    table.members.remove_button.click()
    assert project.case_members(marcus.id) == []
    table.delete_case_button.click()
    assert project.cases() == []
    assert not table.delete_case_button.isEnabled()
    assert [table.undo_stack.text(i) for i in range(table.undo_stack.count())] == [
        "Create case 'Marcus'", "Add source of 'Interview 1' to case 'Marcus'",
        "Remove 'Interview 1' from case 'Marcus'", "Delete case 'Marcus'"]
