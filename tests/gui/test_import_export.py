"""Import and export from the GUI: off the GUI thread, one undo step per batch, a report, the written file."""

from __future__ import annotations

from pathlib import Path

import openpyxl

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
