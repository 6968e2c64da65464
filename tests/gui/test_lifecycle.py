"""Project lifecycle in the GUI: open, a second window read-only, recent projects, reopening where one left off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from qcode.core.project import Project
from qcode.gui.lifecycle import AppSession


def _session(tmp_path: Path) -> AppSession:
    return AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Ana")


def _close_all(session: AppSession) -> None:
    for window in list(session.windows):
        window.close()


def test_second_window_on_the_same_project_is_read_only(qtbot, tmp_path: Path, modal_messages: list[str]) -> None:
    path = tmp_path / "study.qcode"
    Project.create(path, name="Study").close()
    session = _session(tmp_path)
    first = session.open(path)
    second = session.open(path)
    try:
        assert not first.project.readonly
        assert second.project.readonly
        assert "read-only" in second.windowTitle()
        assert any("open in another qcode window" in m for m in modal_messages)
        assert session.recent() == [str(path.resolve())]
        assert first.project.current_coder.name == "Ana"
    finally:
        _close_all(session)
    with Project.open(path) as again:  # both windows closed their connections and the lock
        assert again.name == "Study"


def test_reopening_returns_to_the_last_source_and_scroll(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "study.qcode"
    with Project.create(path) as project:
        project.add_source("First", "short text")
        second = project.add_source("Second", "\n\n".join(f"Paragraph {i} " + "words " * 40 for i in range(200)))
    session = _session(tmp_path)
    window = session.open(path)
    window.resize(900, 600)
    window.open_excerpt(second.id, 5000, 5010)
    qtbot.waitUntil(lambda: window.document.verticalScrollBar().value() > 0)
    scroll = window.document.verticalScrollBar().value()
    window.close()
    again = session.open(path)
    try:
        assert again.document.source_id == second.id
        assert again.document.verticalScrollBar().value() == scroll
    finally:
        _close_all(session)


def test_open_failure_is_explained(qtbot, tmp_path: Path, modal_messages: list[str]) -> None:
    bad = tmp_path / "bad.qcode"
    bad.write_text("not a project")
    assert _session(tmp_path).open(bad) is None
    assert any("not a qcode project" in m for m in modal_messages)


def test_create_opens_the_new_project(qtbot, tmp_path: Path) -> None:
    session = _session(tmp_path)
    window = session.create(tmp_path / "new.qcode")
    try:
        assert window.project.sources() == []
        assert window.document.placeholderText().startswith("This project has no sources")
    finally:
        _close_all(session)


def test_error_messages_on_opening_show_file_names_literally(qtbot, tmp_path, monkeypatch) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from qcode.gui.lifecycle import AppSession

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text, *a, **k: shown.append(text))
    odd = tmp_path / "<img src=x><b>FAKE DIALOG.qcode"
    odd.write_text("not a project")
    session = AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Tester")
    assert session.open(odd) is None
    assert len(shown) == 1
    assert "&lt;img src=x&gt;&lt;b&gt;FAKE DIALOG" in shown[0]  # escaped: Qt shows the name, not an image
