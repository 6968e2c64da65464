"""The File menu's project paths: recent projects, the demo, restoring a backup, saving a copy, new and open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu

from qcode.core.project import Project
from qcode.gui.lifecycle import AppSession


def _session(tmp_path: Path) -> AppSession:
    return AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Ana")


@pytest.fixture
def session(qtbot, tmp_path: Path):
    made = _session(tmp_path)
    yield made
    for window in list(made.windows):
        window.close()


def _project(path: Path, name: str) -> Path:
    with Project.create(path, name=name) as project:
        project.add_source("Al", "Al: a few words")
    return path


def _recent_menu(window) -> QMenu:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a.menu() for a in file_menu.actions() if a.text() == "Open &recent")


def test_recent_projects_newest_first_and_reopened_from_the_menu(session: AppSession, tmp_path: Path) -> None:
    one, two, gone = (_project(tmp_path / f"{n}.qcode", n) for n in ("one", "two", "gone"))
    for path in (gone, one, two):
        window = session.open(path)
        window.close()
    gone.unlink()
    assert session.recent() == [str(two.resolve()), str(one.resolve())]  # a deleted file is left out
    window = session.open(two)
    menu = _recent_menu(window)
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions()]
    assert labels == [str(two.resolve()), str(one.resolve())]
    menu.actions()[1].trigger()  # reopen "one" from the menu
    assert [w.project.name for w in session.windows] == ["two", "one"]
    assert session.recent()[0] == str(one.resolve())


def test_recent_menu_when_there_is_nothing_yet(session: AppSession, tmp_path: Path) -> None:
    path = _project(tmp_path / "only.qcode", "only")
    window = session.open(path)
    session.settings.setValue("recent/projects", [])
    menu = _recent_menu(window)
    menu.aboutToShow.emit()
    assert [(a.text(), a.isEnabled()) for a in menu.actions()] == [("(none yet)", False)]


def test_the_demo_is_built_once_then_reopened_with_the_users_changes(session: AppSession) -> None:
    window = session.open_demo()
    assert window is None  # open_demo opens a window and returns nothing
    demo = session.windows[-1]
    assert demo.project.path == Path(os.environ["QCODE_DATA_DIR"]) / "demo.qcode"  # the test's own data folder
    assert demo.project.sources()
    demo.project.create_code("Added by me")
    demo.close()
    session.open_demo()
    again = session.windows[-1]
    assert "Added by me" in [c.name for c in again.project.codes()]  # not rebuilt


def test_restore_a_backup_as_a_new_project(session: AppSession, tmp_path: Path, modal_messages: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = _project(tmp_path / "study.qcode", "study")
    session.restore_backup_dialog(path)
    assert modal_messages == ["There are no backups of this project yet."]
    with Project.open(path) as project:
        project.backup("manual")
        project.create_code("After the backup")
    chosen: list[list[str]] = []

    def pick(_parent, _title, _label, items, *args, **kwargs):
        chosen.append(list(items))
        return items[0], True

    target = tmp_path / "study restored.qcode"
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    session.restore_backup_dialog(path)
    assert len(chosen[0]) == 1
    assert chosen[0][0].endswith("(manual)")
    restored = session.windows[-1]
    assert restored.project.path == target
    assert [c.name for c in restored.project.codes()] == []  # as it was at the backup
    assert [s.name for s in restored.project.sources()] == ["Al"]


def test_restore_refuses_to_overwrite(session: AppSession, tmp_path: Path, modal_messages: list[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = _project(tmp_path / "study.qcode", "study")
    with Project.open(path) as project:
        project.backup("manual")
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda _p, _t, _l, items, *a, **k: (items[0], True)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    session.restore_backup_dialog(path)
    assert session.windows == []
    assert modal_messages  # the core's refusal, shown
    with Project.open(path, mode="read") as project:
        assert [s.name for s in project.sources()] == ["Al"]


def test_save_a_copy_new_and_open_dialogs(session: AppSession, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = _project(tmp_path / "study.qcode", "study")
    window = session.open(path)
    copy = tmp_path / "copy.qcode"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    session.save_copy_dialog(window.project, window)
    with Project.open(copy, mode="read") as project:
        assert [s.name for s in project.sources()] == ["Al"]
    fresh = tmp_path / "fresh"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(fresh), "")))
    session.new_dialog(window)  # the suffix is added
    assert session.windows[-1].project.path == fresh.with_suffix(".qcode")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    session.open_dialog(window)
    assert session.windows[-1].project.path == copy
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    session.open_dialog(window)  # cancelled: nothing opens
    assert len(session.windows) == 3
