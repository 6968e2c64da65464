"""The app on a damaged, read-only or unbackupable project: nothing written, the cause named, backups offered."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from qcode.core.project import Project
from qcode.gui import lifecycle
from qcode.gui.dialogs.damaged_dialog import DamagedProjectDialog
from qcode.gui.lifecycle import AppSession
from tests.damage import build_project, fingerprint, overwrite_page, run_sql


def _session(tmp_path: Path) -> AppSession:
    return AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Newcomer")


@pytest.fixture
def shown_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[DamagedProjectDialog]:
    """The damaged-project dialogs the app shows, kept open (not modal) for the test to drive."""
    shown: list[DamagedProjectDialog] = []

    def record(dialog: DamagedProjectDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(DamagedProjectDialog, "exec", record)
    return shown


def test_a_damaged_project_is_not_opened_and_its_backups_are_offered(
        qtbot, tmp_path: Path, shown_dialogs: list[DamagedProjectDialog], monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_project(tmp_path / "study.qcode")
    Project.backup_on_open(path, min_interval_hours=0)
    overwrite_page(path)
    before = fingerprint(path)
    session = _session(tmp_path)
    assert session.open(path) is None
    assert fingerprint(path) == before  # the new coder was not added, the journal mode not switched
    (dialog,) = shown_dialogs
    qtbot.addWidget(dialog)
    assert dialog.message.text().startswith(f"{path} seems damaged (")
    assert "qcode backups" in dialog.message.text()
    assert dialog.list.count() == 1
    assert dialog.restore_button.isEnabled()

    target = tmp_path / "study restored.qcode"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    try:
        assert target.exists()
        (window,) = session.windows
        assert window.project.path == target
        assert not window.project.readonly
        assert len(window.project.sources()) == 20
        assert window.project.check() == []
    finally:
        for window in list(session.windows):
            window.close()
    assert fingerprint(path) == before


@pytest.mark.parametrize(
    "damage",
    [("DROP TABLE code_value_stat",), ("UPDATE source SET meta = '{not json' WHERE id = 1",),
     ("UPDATE code SET name = CAST(x'436fff' AS TEXT)",), ('UPDATE coding SET "end" = 999999',),
     ("PRAGMA writable_schema = ON",
      "UPDATE sqlite_master SET name = CAST(x'636fff' AS TEXT), sql = 'CREATE TABLE c' WHERE name = 'coder'")],
    ids=["dropped-aggregate", "bad-json", "bad-utf8", "bad-range", "bad-utf8-while-connecting"],
)
def test_damage_sqlite_accepts_gets_the_same_message(qtbot, tmp_path: Path,
                                                     shown_dialogs: list[DamagedProjectDialog],
                                                     damage: tuple[str, ...]) -> None:
    path = build_project(tmp_path / "study.qcode", sources=3)
    run_sql(path, *damage)
    before = fingerprint(path)
    session = _session(tmp_path)
    assert session.open(path) is None  # no bug dialog from the main window: the check comes first
    (dialog,) = shown_dialogs
    qtbot.addWidget(dialog)
    assert "seems damaged" in dialog.message.text()
    assert not dialog.restore_button.isEnabled()  # no backups yet: nothing to restore, and the dialog says so
    assert "no backups" in dialog.hint.text()
    assert fingerprint(path) == before


def test_a_read_only_project_file_opens_read_only_and_says_why(qtbot, tmp_path: Path,
                                                               modal_messages: list[str]) -> None:
    path = build_project(tmp_path / "study.qcode", sources=2)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    session = _session(tmp_path)
    try:
        window = session.open(path)
        assert window is not None
        assert window.project.readonly
        assert any(m.startswith("The project file is read-only") and "opens here read-only" in m
                   for m in modal_messages)
        assert not any("another qcode window" in m for m in modal_messages)
        window.close()
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_refused_background_backup_is_told(qtbot, tmp_path: Path, modal_messages: list[str]) -> None:
    path = build_project(tmp_path / "study.qcode")
    session = _session(tmp_path)
    overwrite_page(path)  # damaged after the app checked it, before its backup ran
    with qtbot.waitSignal(session.backup_problem, timeout=30_000):
        thread = lifecycle.backup_in_background(path, lambda m: session.backup_problem.emit(str(path), m))
        thread.join(timeout=30)
    qtbot.waitUntil(lambda: any("no backup was made" in m for m in modal_messages))
    assert Project.list_backups(path) == []


def test_expected_problems_that_escape_a_gesture_show_their_message_not_a_bug(qtbot, modal_messages: list[str],
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from qcode import crash_log
    from qcode.core.errors import DiskFullError
    from qcode.gui import app

    bug_dialogs: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: bug_dialogs.append(box.text()) or 0)
    full = DiskFullError("this change was not written", "The project holds every change made before it.")
    app._show_bug(DiskFullError, full, None)
    assert modal_messages[-1].startswith("The disk is full, so this change was not written.")
    assert not crash_log.log_path().exists()  # an expected problem is not a bug
    damaged = sqlite3.DatabaseError("database disk image is malformed")
    app._show_bug(sqlite3.DatabaseError, damaged, None)
    assert "seems damaged (database disk image is malformed)" in modal_messages[-1]
    assert "Restore a backup" in modal_messages[-1]
    assert "DatabaseError" in crash_log.log_path().read_text(encoding="utf-8")  # logged all the same
    assert bug_dialogs == []


def test_the_newest_backup_that_passes_the_check_is_chosen(qtbot, tmp_path: Path,
                                                           shown_dialogs: list[DamagedProjectDialog]) -> None:
    path = build_project(tmp_path / "study.qcode")
    with Project.open(path) as project:
        older = project.backup("manual")
        newer = project.backup("manual")
    overwrite_page(newer, at=0.6)  # a backup damaged on disk since (or made by an older qcode)
    overwrite_page(path)
    session = _session(tmp_path)
    assert session.open(path) is None
    (dialog,) = shown_dialogs
    qtbot.addWidget(dialog)
    assert [dialog.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(2)] == [str(newer), str(older)]
    qtbot.waitUntil(lambda: "passes the check" in dialog.list.item(1).text(), timeout=30_000)
    assert "seems damaged too" in dialog.list.item(0).text()
    assert dialog.list.currentRow() == 1
    dialog.reject()


def test_an_import_on_a_full_disk_reports_every_file_and_blames_the_disk(qtbot, project: Project,
                                                                         tmp_path: Path) -> None:
    from qcode.gui.actions.imports import summarise
    from qcode.gui.main_window import MainWindow

    project.add_source("Kept", "Al: written before the disk filled up.")
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.import_flow.show_report = False
    files = []
    for i in range(2):
        file = tmp_path / f"long{i}.txt"
        file.write_text(f"Bo: words of interview {i}. " * 4000, encoding="utf-8")
        files.append(str(file))
    conn = project._store.conn  # ENOSPC at the store: the file may grow two pages more
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0] + 2}")
    with qtbot.waitSignal(window.import_flow.finished, timeout=30_000) as blocker:
        window.import_flow.start(files)
    outcomes = blocker.args[0]
    assert [o.status for o in outcomes] == ["failed", "failed"]
    summary, details = summarise(outcomes)
    assert summary.endswith("2 could not be imported.")
    assert details.count("The disk is full, so this change was not written.") == 2
    assert "damaged" not in details
    assert [s.name for s in project.sources()] == ["Kept"]
