"""Pseudonymised exports from the app: the Export dialog's box (ticked by the project's default), the check of
names the register lacks (on a worker, with an inline add), the REFI-QDA export, the setting in the Name
register dialog, and the demo's excerpts in Word with every participant replaced. The interview text is
fictional, written for these tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from qcode.core.demo import build_demo
from qcode.core.project import Project
from qcode.gui.dialogs.export_dialog import ExportDialog
from qcode.gui.dialogs.names_dialog import NamesDialog
from qcode.gui.main_window import MainWindow

TEXT = ("Interviewer: Who helps, Bartholomew?\n\n"
        "Bartholomew: My brother-in-law Cornelius, mostly. Cornelius never judges, and the Riverside Shed lads.\n")
TERMS = ("Bartholomew", "Riverside Shed")
DEMO_PARTICIPANTS = ("Marcus", "Dev", "Graham", "Tomasz", "Aaron", "Pete", "Kwame", "Liam", "Ravi", "Hamish",
                     "Stuart", "Danny", "Joe")


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    props = document.core_properties
    texts += [props.title or "", props.subject or "", props.author or "", props.keywords or "", props.comments or ""]
    return "\n".join(texts)


def found(text: str, terms: tuple[str, ...] | list[str]) -> set[str]:
    return {t for t in terms if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text, re.IGNORECASE)}


def _named(project: Project) -> Project:
    source = project.add_source("Interview - Bartholomew", TEXT)
    code = project.create_code("Support")
    start = TEXT.index("My brother")
    project.add_coding(source.id, code.id, start, len(TEXT) - 1)
    project.add_name("Bartholomew", "P01")
    project.add_name("Riverside Shed", "[community shed]")
    project.add_name(project.current_coder.name, "Coder A")  # coders are named in exports too
    return project


def test_the_box_follows_the_default_and_a_ticked_export_checks_names_first(qtbot, project: Project,
                                                                            tmp_path: Path) -> None:
    _named(project)
    window = MainWindow(project)
    qtbot.addWidget(window)
    dialog = ExportDialog(project, window, undo_stack=window.undo_stack)
    qtbot.addWidget(dialog)
    assert not dialog.pseudonymise.isChecked()  # the project's default is off
    project.set_pseudonymise_exports(True)
    dialog = window.open_export_dialog()
    assert dialog.pseudonymise.isChecked()
    target = tmp_path / "report.docx"
    dialog.target.setText(str(target))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.name_check is not None and dialog.name_check.dialog is not None, timeout=30_000)
    check = dialog.name_check.dialog
    assert check.terms() == ["Cornelius"]
    assert check.table.item(0, 1).text() == "2"
    assert "My brother-in-law Cornelius, mostly." in check.table.item(0, 2).text()
    assert check.export_button.text() == "&Export anyway"
    assert not target.exists()  # nothing is written before the researcher answers

    check.pseudonym.setText("[relative]")
    assert check.add_selected()  # registered inline, one undo step of the window
    assert project.name_entry("Cornelius").pseudonym == "[relative]"
    assert window.undo_stack.undoText() == "Register 'Cornelius' as '[relative]'"
    assert check.terms() == []
    assert check.export_button.text() == "&Export"
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        qtbot.mouseClick(check.export_button, Qt.MouseButton.LeftButton)
    text = docx_text(target)
    assert found(text, [*TERMS, "Cornelius"]) == set()
    assert "My brother-in-law [relative], mostly. [relative] never judges, and the [community shed] lads." in text
    assert "Interview - P01" in text


def test_unticked_the_names_stay_and_cancelling_the_check_writes_nothing(qtbot, project: Project,
                                                                          tmp_path: Path) -> None:
    _named(project)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    target = tmp_path / "report.docx"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.start()
    assert found(docx_text(target), TERMS) == set(TERMS)

    other = tmp_path / "other.docx"
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.pseudonymise.setChecked(True)
    dialog.target.setText(str(other))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.name_check is not None and dialog.name_check.dialog is not None, timeout=30_000)
    dialog.name_check.dialog.reject()
    assert dialog.buttons.isEnabled()
    assert not other.exists()


def test_an_empty_register_refuses_a_ticked_export(qtbot, project: Project, tmp_path: Path) -> None:
    project.add_source("Interview", "Bartholomew: hello.")
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.pseudonymise.setChecked(True)
    dialog.target.setText(str(tmp_path / "report.docx"))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=30_000)
    boxes = [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]
    assert any("no terms to apply" in box.text() for box in boxes)
    assert not (tmp_path / "report.docx").exists()


def test_the_setting_in_the_name_register_dialog_is_an_undo_step(qtbot, project: Project) -> None:
    window = MainWindow(project)
    qtbot.addWidget(window)
    dialog = NamesDialog(project, window.undo_stack, window)
    qtbot.addWidget(dialog)
    assert not dialog.by_default.isChecked()
    dialog.by_default.click()
    assert project.pseudonymise_exports
    window.undo_stack.undo()
    assert not project.pseudonymise_exports
    assert not dialog.by_default.isChecked()  # the box follows Undo in the main window
    window.undo_stack.redo()
    assert dialog.by_default.isChecked()


def test_a_refi_export_from_the_app_can_be_pseudonymised(qtbot, project: Project, tmp_path: Path) -> None:
    _named(project)
    project.add_name("Cornelius", "[relative]")
    project.set_pseudonymise_exports(True)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.exchange_flow.show_report = False
    target = tmp_path / "study.qdpx"
    box = window.exchange_flow.ask_and_export(target, codebook_only=False)
    assert box is not None
    assert box.checkBox().isChecked()  # ticked: the project's default
    export_button = next(b for b in box.buttons() if b.text() == "Export")
    with qtbot.waitSignal(window.exchange_flow.finished, timeout=30_000) as blocker:
        export_button.click()  # nothing unregistered is left, so the export goes without asking
    assert blocker.args[0] == target
    with zipfile.ZipFile(target) as archive:
        written = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert found(written, [*TERMS, "Cornelius"]) == set()
    assert "P01" in written
    assert "pseudonymised" in window.statusBar().currentMessage()


def test_done_when_the_demo_excerpts_go_to_word_from_the_app(qtbot, tmp_path: Path) -> None:
    demo = build_demo(tmp_path / "demo.qcode")
    with Project.open(demo) as project:
        for number, name in enumerate(DEMO_PARTICIPANTS, start=1):
            project.add_name(name, f"P{number:02d}")
        window = MainWindow(project)
        qtbot.addWidget(window)
        dialog = window.open_export_dialog()
        assert dialog.chosen_what() == "excerpts"
        assert dialog.chosen_format() == "docx"
        dialog.pseudonymise.setChecked(True)
        target = tmp_path / "demo excerpts.docx"
        dialog.target.setText(str(target))
        dialog.start()
        qtbot.waitUntil(lambda: dialog.name_check is not None and dialog.name_check.dialog is not None,
                        timeout=60_000)
        check = dialog.name_check.dialog
        assert "Gaz" in check.terms()  # someone a participant names, for the researcher to judge
        assert not set(check.terms()) & set(DEMO_PARTICIPANTS)
        with qtbot.waitSignal(dialog.exported, timeout=60_000):
            check.accept()  # Export anyway
        text = docx_text(target)
        assert found(text, DEMO_PARTICIPANTS) == set()
        assert found(text, [f"P{n:02d}" for n in range(1, 14)]) == {f"P{n:02d}" for n in range(1, 14)}
        window.close()


def test_cancelling_the_check_writes_nothing_and_asks_nothing(qtbot, project: Project, tmp_path: Path) -> None:
    _named(project)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.pseudonymise.setChecked(True)
    target = tmp_path / "report.docx"
    dialog.target.setText(str(target))
    dialog.start()
    check = dialog.name_check
    assert check is not None
    assert check.task is not None
    check.task.cancel()  # as the busy box's Cancel does
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=30_000)
    assert check.dialog is None
    assert not [b for b in dialog.findChildren(QMessageBox) if b.isVisible()]
    assert not target.exists()
