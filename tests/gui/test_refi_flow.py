"""File > REFI-QDA: exports and imports on a worker, a codebook import undone and redone as one step."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtGui import QAction

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow


def _window(qtbot, project: Project) -> MainWindow:
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.exchange_flow.show_report = False
    return window


def test_the_file_menu_offers_refi_qda(qtbot, project: Project) -> None:
    window = _window(qtbot, project)
    labels = [a.text() for a in window.menuBar().actions()[0].menu().actions() if isinstance(a, QAction)]
    assert any("REFI-QDA pro&ject" in label for label in labels)
    assert any("Export the codebook as REFI-QDA" in label for label in labels)


def test_export_and_import_as_a_new_project(qtbot, project: Project, tmp_path: Path) -> None:
    source = project.add_source("Ana", "Ana: I talk to my sister.")
    code = project.create_code("Talking")
    project.add_coding(source.id, code.id, 5, 11)
    window = _window(qtbot, project)
    target = tmp_path / "out.qdpx"
    with qtbot.waitSignal(window.exchange_flow.finished, timeout=30_000) as blocker:
        window.exchange_flow.export(target, codebook_only=False)
    assert blocker.args[0] == target
    assert "project.qde" in zipfile.ZipFile(target).namelist()
    new = tmp_path / "imported.qcode"
    with qtbot.waitSignal(window.exchange_flow.finished, timeout=30_000) as blocker:
        window.exchange_flow.import_project(target, new)
    assert blocker.args[0].added["codings"] == 1
    with Project.open(new) as imported:
        assert [imported.source_slice(s.id, c.start, c.end) for s in imported.sources()
                for c in imported.codings_for_source(s.id)] == ["I talk"]


def test_a_failed_project_import_leaves_no_file(qtbot, project: Project, tmp_path: Path) -> None:
    window = _window(qtbot, project)
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip")
    with qtbot.waitSignal(window.exchange_flow.finished, timeout=30_000) as blocker:
        window.exchange_flow.import_project(bad, tmp_path / "new.qcode")
    assert blocker.args[0] is None
    assert not (tmp_path / "new.qcode").exists()


def test_codebook_import_is_one_undo_step(qtbot, project: Project, tmp_path: Path) -> None:
    with Project.create(tmp_path / "other.qcode") as other:
        top = other.create_code("Coping", definition="How people deal")
        other.create_code("Talking", parent_id=top.id)
        other.create_code("Kept")
        other.export_refi(tmp_path / "codes.qdc", codebook_only=True)
    project.create_code("Kept")
    window = _window(qtbot, project)
    with qtbot.waitSignal(window.exchange_flow.finished, timeout=30_000):
        window.exchange_flow.import_codebook(tmp_path / "codes.qdc")
    paths = [project.code_path(c.id) for c in project.codes()]
    assert paths == ["Kept", "Coping", "Coping/Talking"]
    guids = [c.guid for c in project.codes()]
    assert window.undo_stack.undoText() == "Import 2 codes"
    window.undo_stack.undo()
    assert [c.name for c in project.codes()] == ["Kept"]
    window.undo_stack.redo()
    assert [project.code_path(c.id) for c in project.codes()] == paths
    assert [c.guid for c in project.codes()] == guids
    assert project.code(project.find_code("Coping").id).definition == "How people deal"


def test_a_project_merged_into_the_open_one_is_one_undo_step(qtbot, project: Project, tmp_path: Path) -> None:
    with Project.create(tmp_path / "other.qcode") as other:
        source = other.add_source("Theirs", "Bea: We walk the dog.")
        code = other.create_code("Walking")
        other.add_coding(source.id, code.id, 5, 21)
        other.export_refi(tmp_path / "other.qdpx")
    project.add_source("Mine", "Ann: I read.")
    window = _window(qtbot, project)
    with qtbot.waitSignal(window.exchange_flow.finished, timeout=30_000):
        window.exchange_flow.import_into_project(tmp_path / "other.qdpx")
    assert sorted(s.name for s in project.sources()) == ["Mine", "Theirs"]
    qtbot.waitUntil(lambda: window.sources_model.rowCount() == 2)
    assert window.undo_stack.undoText() == "Import other.qdpx"
    window.undo_stack.undo()
    assert [s.name for s in project.sources()] == ["Mine"]
    assert project.codes() == []
    window.undo_stack.redo()
    assert sorted(s.name for s in project.sources()) == ["Mine", "Theirs"]
    assert project.coding_count() == 1
    assert project.check() == []
