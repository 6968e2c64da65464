"""A whole small session through the GUI: drop a file to import it, code it three ways, undo and redo, close,
reopen: every coding is still there. And a second process that has the project open makes the window read-only."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from qcode.core.project import Project
from qcode.gui.lifecycle import AppSession
from qcode.gui.models.project_trees import find_index
from tests.gui.gestures import (
    CTRL,
    SHIFT,
    double_click_code,
    open_source,
    press,
    quick_code_by_keys,
    select_with_keys,
    show,
)

TRANSCRIPT = ("Interviewer: How do you cope?\n\n"
              "Al: I keep it to myself, mostly. The lads at the club help though.\n\n"
              "Interviewer: And your family?\n\nAl: My brother rings on Sundays. 😀")


def _session(tmp_path: Path) -> AppSession:
    return AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Ana")


def test_import_code_undo_redo_close_reopen(qtbot, tmp_path: Path, modal_messages: list[str]) -> None:
    path = tmp_path / "study.qcode"
    Project.create(path, name="Study").close()
    transcript = tmp_path / "al.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    session = _session(tmp_path)
    window = session.open(path)
    window.import_flow.show_report = False
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(transcript))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.import_flow.finished, timeout=30_000):
        window.dropEvent(drop)
    project = window.project
    source = project.sources()[0]
    qtbot.waitUntil(lambda: find_index(window.sources_model, "source", source.id).isValid())
    show(qtbot, window)
    open_source(qtbot, window, source.id)
    coping, family = project.create_code("Coping"), project.create_code("Family")

    keep = (TRANSCRIPT.index("I keep"), TRANSCRIPT.index(", mostly"))
    select_with_keys(qtbot, window, *keep)
    double_click_code(qtbot, window, coping.id)  # by double-click
    lads = (TRANSCRIPT.index("The lads"), TRANSCRIPT.index(" help"))
    window.coding.assign_quick_key(2, coping.id)
    window.document.select_range(*lads)
    press(qtbot, window.document, Qt.Key.Key_2)  # by quick key
    brother = (TRANSCRIPT.index("My brother"), TRANSCRIPT.index(" on Sundays"))
    window.document.select_range(*brother)
    quick_code_by_keys(qtbot, window, "Family")  # by the quick-code box (Ctrl+K)
    expected = sorted([(coping.id, *keep), (coping.id, *lads), (family.id, *brother)])

    def codings() -> list[tuple[int, int, int]]:
        return sorted((c.code_id, c.start, c.end) for c in project.codings_for_source(source.id))

    assert codings() == expected
    assert modal_messages == []
    for _ in range(3):
        press(qtbot, window.document, Qt.Key.Key_Z, CTRL)
    assert codings() == []
    for _ in range(3):
        press(qtbot, window.document, Qt.Key.Key_Z, CTRL | SHIFT)
    assert codings() == expected
    window.close()
    assert session.windows == []

    again = _session(tmp_path).open(path)
    try:
        assert sorted((c.code_id, c.start, c.end) for c in again.project.codings_for_source(source.id)) == expected
        assert again.document.source_id == source.id  # back where the user left off
    finally:
        again.close()


def test_a_project_open_in_another_process_opens_read_only(qtbot, tmp_path: Path,
                                                          modal_messages: list[str]) -> None:
    path = tmp_path / "study.qcode"
    Project.create(path, name="Study").close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from qcode.core.project import Project
            p = Project.open({str(path)!r})
            print("open", flush=True)
            sys.stdin.read()
            p.close()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        window = _session(tmp_path).open(path)
        try:
            assert window.project.readonly
            assert "read-only" in window.windowTitle()
            assert any("open in another qcode window" in m for m in modal_messages)
            assert not window.acceptDrops()
        finally:
            window.close()
    finally:
        holder.communicate("", timeout=30)
    with Project.open(path) as writable:
        assert not writable.readonly
