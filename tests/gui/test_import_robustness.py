"""The GUI's import job with a file that makes a reading library fail: that file is one line of the report,
the other files import, and the batch is one undo step."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from PySide6.QtWidgets import QMessageBox

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow


def test_a_file_a_library_chokes_on_is_one_line_of_the_report(qtbot, project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("Interviewer: An invented question?\n\nMere: An invented answer.", encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("Interviewer: Another invented question?")
    document.save(str(tmp_path / "good.docx"))
    with zipfile.ZipFile(tmp_path / "good.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    main = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
    parts["word/document.xml"] = parts["word/document.xml"].replace(main, main[:-1] + b"X\"")
    with zipfile.ZipFile(folder / "b.docx", "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    (folder / "c.md").write_text("# Notes\n\nAn invented note.", encoding="utf-8")
    window = MainWindow(project)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.import_flow.finished, timeout=30_000) as blocker:
        window.import_flow.start([str(folder)])
    outcomes = blocker.args[0]
    assert [(Path(o.path).name, o.status) for o in outcomes] == [
        ("a.txt", "imported"), ("b.docx", "failed"), ("c.md", "imported")]
    assert sorted(s.name for s in project.sources()) == ["a", "c"]
    report = next(box for box in window.findChildren(QMessageBox) if box.windowTitle() == "Import")
    assert report.text() == "Imported 2 files; 0 already in the project; 1 could not be imported."
    lines = report.detailedText().splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("failed: b.docx — b.docx could not be read: it seems damaged")
    assert window.undo_stack.undoText() == "Import 2 sources"
    report.close()
