"""Import and export from the GUI: off the GUI thread, one undo step per batch, a report, the written file."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl
from PySide6.QtWidgets import QMessageBox

from qcode.core.project import Project
from qcode.gui.dialogs.export_dialog import ExportDialog
from qcode.gui.main_window import MainWindow


def _files(folder: Path) -> list[str]:
    folder.mkdir()
    (folder / "one.txt").write_text("Interviewer: hi\n\nAl: hello\n\nInterviewer: ok\n\nAl: bye", encoding="utf-8")
    (folder / "two.md").write_text("# Notes\n\nSome text.", encoding="utf-8")
    (folder / "bad.docx").write_bytes(b"not a word file")
    return [str(folder / name) for name in ("one.txt", "two.md", "bad.docx")]


def test_import_runs_in_the_background_and_undoes_as_one_step(qtbot, project: Project, tmp_path: Path) -> None:
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.import_flow.show_report = False
    paths = _files(tmp_path / "in")
    with qtbot.waitSignal(window.import_flow.finished, timeout=30_000) as blocker:
        window.import_flow.start(paths)
    outcomes = blocker.args[0]
    assert [o.status for o in outcomes] == ["imported", "imported", "failed"]
    assert sorted(s.name for s in project.sources()) == ["one", "two"]
    qtbot.waitUntil(lambda: window.sources_model.rowCount() == 2)
    assert window.undo_stack.undoText() == "Import 2 sources"
    window.undo_stack.undo()
    assert project.sources() == []
    window.undo_stack.redo()
    assert sorted(s.name for s in project.sources()) == ["one", "two"]
    assert sorted(s.id for s in project.sources()) == sorted(sid for o in outcomes for sid in o.source_ids)


def test_export_dialog_writes_the_workbook(qtbot, project: Project, tmp_path: Path) -> None:
    source = project.add_source("S", "Interviewer: hi\n\nAl: a passage to code\n\nInterviewer: ok\n\nAl: yes")
    code = project.create_code("Theme")
    project.add_coding(source.id, code.id, 21, 38)
    window = MainWindow(project)
    qtbot.addWidget(window)
    dialog = ExportDialog(project, window)
    qtbot.addWidget(dialog)
    dialog.what.setCurrentIndex(dialog.what.findData("all"))
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    target = tmp_path / "out.xlsx"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.start()
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["Frequencies", "Matrix", "Excerpts", "Codebook"]
    assert workbook["Excerpts"]["H2"].value == "a passage to code"


def test_export_dialog_offers_only_formats_that_fit(qtbot, project: Project) -> None:
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.what.setCurrentIndex(dialog.what.findData("memos"))
    assert [dialog.format.itemData(i) for i in range(dialog.format.count())] == ["docx"]
    dialog.what.setCurrentIndex(dialog.what.findData("excerpts"))
    assert [dialog.format.itemData(i) for i in range(dialog.format.count())] == ["docx", "xlsx", "csv"]
    dialog.grab().save(str(Path(project.path).with_suffix(".export.png")))


def test_export_dialog_filters_what_it_writes(qtbot, project: Project, tmp_path: Path) -> None:
    first = project.add_source("First", "Al: one passage\n\nAl: another passage")
    second = project.add_source("Second", "Bo: a third passage")
    theme, other = project.create_code("Theme"), project.create_code("Other")
    project.add_coding(first.id, theme.id, 4, 15)
    project.add_coding(first.id, other.id, 21, 36)
    project.add_coding(second.id, theme.id, 4, 19)
    age = project.create_attribute("Age", "number")
    for name, source, value in (("Al", first, 30), ("Bo", second, 50)):
        case = project.create_case(name)
        project.add_case_member(case.id, source.id)
        project.set_attribute_value(age.id, case.id, value)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.what.setCurrentIndex(dialog.what.findData("excerpts"))
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    dialog.filters.codes.choose([theme.id])
    dialog.filters.attributes.choose([(age.id, 30)])
    assert dialog.filters.codes.text() == "Theme"
    assert dialog.filters.attributes.text() == "Age = 30"
    target = tmp_path / "theme.csv"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.start()
    rows = list(csv.DictReader(target.read_text(encoding="utf-8-sig").splitlines(True)))
    assert [(r["code"], r["excerpt"]) for r in rows] == [("Theme", "one passage")]
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    dialog.filters.attributes.choose([])
    dialog.filters.cases.choose([project.find_case("Bo").id])
    assert dialog.with_frequencies.isEnabled()
    dialog.with_frequencies.setChecked(False)
    target = tmp_path / "theme.docx"
    dialog.target.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.start()
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "Filters: codes Theme; cases Bo" in texts
    assert "Code frequencies" not in texts  # the table at the end was left out
    assert [t for t, p in zip(texts, docx.Document(str(target)).paragraphs, strict=True)
            if p.style.name == "Quote"] == ["a third passage"]
    dialog.what.setCurrentIndex(dialog.what.findData("codebook"))
    assert not dialog.filters.codes.isEnabled()  # the codebook is always whole


def test_export_dialog_cancel_stops_the_worker_and_writes_nothing(qtbot, project: Project, tmp_path: Path,
                                                                  monkeypatch) -> None:
    import time

    from qcode.core.errors import QcodeError
    from qcode.gui.dialogs import export_dialog

    def slow_export(reader: Project, target: Path, *, progress, **kwargs: object) -> str:
        deadline = time.monotonic() + 20
        while not progress.cancelled():  # a long export that checks for Cancel between its steps
            progress.step(1, 10, "Writing excerpts")
            time.sleep(0.01)
            assert time.monotonic() < deadline
        raise QcodeError("The export was cancelled; no file was written.")

    monkeypatch.setattr(export_dialog, "export", slow_export)
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    target = tmp_path / "never.docx"
    dialog.target.setText(str(target))
    dialog.start()
    assert not dialog.buttons.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress is not None and dialog.progress.maximum() == 10, timeout=10_000)
    dialog.progress.canceled.emit()  # the Cancel button
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10_000)
    assert dialog.buttons.isEnabled()
    assert not target.exists()
    assert not [w for w in dialog.findChildren(QMessageBox) if w.isVisible()]


def test_the_export_dialog_refuses_the_project_file(qtbot, project: Project, monkeypatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    before = project.path.read_bytes()
    dialog = ExportDialog(project)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("docx"))
    dialog.target.setText(str(project.path))
    dialog.start()
    assert dialog.task is None  # nothing started
    assert len(warnings) == 1
    assert "never replaces a project" in warnings[0]
    assert project.path.read_bytes() == before
