"""File > Name register: terms added, changed, switched off and removed from the dialog, each one undo step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from qcode.core.project import Project
from qcode.gui.dialogs.names_dialog import NamesDialog
from qcode.gui.main_window import MainWindow

TEXT = ("Interviewer: Who helps?\n\nMarcus: My mate Gaz does, at the Riverside Shed.\n\nInterviewer: Ok.\n\n"
        "Marcus: Gaz and Marcus, yes.")


def test_register_names_from_the_dialog_with_undo(qtbot, project: Project) -> None:
    project.add_source("Interview", TEXT)
    window = MainWindow(project)
    qtbot.addWidget(window)
    dialog = NamesDialog(project, window.undo_stack, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pseudonym.text() == "P01"
    QTest.keyClicks(dialog.term, "Marcus")
    QTest.keyClick(dialog.pseudonym, Qt.Key.Key_Return)
    assert [(e.term, e.pseudonym) for e in project.name_register()] == [("Marcus", "P01")]
    assert dialog.table.rowCount() == 1
    assert dialog.pseudonym.text() == "P02"  # the next free one is proposed

    dialog.fill_suggestions()
    names = [dialog.suggestions.item(row, 0).text() for row in range(dialog.suggestions.rowCount())]
    assert "Gaz" in names
    assert "Marcus" not in names  # already registered
    dialog.take_suggestion(names.index("Gaz"))
    assert dialog.term.text() == "Gaz"
    assert dialog.add_current()
    assert [e.term for e in project.name_register()] == ["Gaz", "Marcus"]

    dialog.table.item(1, 1).setText("P07")  # an edit in the table, as a double-click and typing make it
    assert project.name_entry("Marcus").pseudonym == "P07"
    dialog.table.item(1, 2).setCheckState(Qt.CheckState.Unchecked)
    assert not project.name_entry("Marcus").enabled
    dialog.table.selectRow(0)
    dialog.remove_selected()
    assert [e.term for e in project.name_register()] == ["Marcus"]

    assert window.undo_stack.count() == 5
    for _ in range(5):
        window.undo_stack.undo()
    assert project.name_register() == []
    assert dialog.table.rowCount() == 0  # the table follows Undo in the main window
    window.undo_stack.redo()
    assert [(e.term, e.pseudonym) for e in project.name_register()] == [("Marcus", "P01")]


def test_a_duplicate_term_is_refused_without_an_undo_step(qtbot, project: Project, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: shown.append(text))
    project.add_name("Marcus", "P01")
    window = MainWindow(project)
    qtbot.addWidget(window)
    dialog = NamesDialog(project, window.undo_stack, window)
    qtbot.addWidget(dialog)
    dialog.term.setText("marcus")
    assert not dialog.add_current()
    assert window.undo_stack.count() == 0
    assert len(project.name_register()) == 1
