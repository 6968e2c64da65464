"""Nothing typed in a dialog of a window is lost when the window closes or the app quits, and nothing of a
closed window (a dialog left open, a timer) reaches into its closed project afterwards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMenu, QWidget

from qcode.core.project import Project
from qcode.gui.dialogs.autocode_dialog import AutocodeDialog
from qcode.gui.dialogs.names_dialog import NamesDialog
from qcode.gui.lifecycle import AppSession
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index
from qcode.gui.views.source_attributes import SourceAttributesDialog
from tests.gui.gestures import CTRL, LEFT, item_rect_centre, open_source, press, show

TEXT = "Interviewer: How do you cope?\n\nAl: I keep it to myself, mostly.\n\nInterviewer: ok"


def _choose_from_context_menu(view: QAbstractItemView, index, text: str) -> None:
    """Right-click the item and trigger the menu entry called `text` (as a user picks it)."""
    chosen: list[str] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        action = next(a for a in menu.actions() if a.text() == text)
        chosen.append(action.text())
        menu.close()
        action.trigger()

    QTimer.singleShot(0, pick)
    point = item_rect_centre(view, index)
    viewport = view.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                       viewport.mapToGlobal(point)))
    assert chosen == [text]


def _visible(window: QWidget, kind: type[QDialog]) -> Callable[[], QDialog | None]:
    return lambda: next((d for d in window.findChildren(kind) if d.isVisible()), None)


def _type_into(qtbot, widget: QWidget, text: str) -> None:
    QTest.mouseClick(widget, LEFT)
    qtbot.waitUntil(widget.hasFocus)
    QTest.keyClicks(widget, text)


def _session(tmp_path: Path) -> AppSession:
    return AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Ana")


def test_a_source_attribute_typed_in_its_dialog_is_stored_when_the_window_closes(qtbot, project: Project) -> None:
    source = project.add_source("Al", TEXT)
    year = project.create_attribute("Year", "number", scope="source")
    setting = project.create_attribute("Setting", "text", scope="source")
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    _choose_from_context_menu(window.sources_view, find_index(window.sources_model, "source", source.id),
                              "Attributes…")
    qtbot.waitUntil(lambda: _visible(window, SourceAttributesDialog)() is not None)
    dialog = _visible(window, SourceAttributesDialog)()
    assert isinstance(dialog, SourceAttributesDialog)
    _type_into(qtbot, dialog.editors[year.id], "2024")
    _type_into(qtbot, dialog.editors[setting.id], "club house")
    window.close()  # the dialog is still open, nothing confirmed
    assert project.attribute_values("source", source.id) == {"Year": 2024, "Setting": "club house"}
    assert not dialog.isVisible()  # no dialog of a closed window stays behind
    window.undo_stack.undo()  # the values were one step, as OK makes them
    assert project.attribute_values("source", source.id) == {}


def test_cancel_in_the_attributes_dialog_still_discards(qtbot, project: Project) -> None:
    source = project.add_source("Al", TEXT)
    year = project.create_attribute("Year", "number", scope="source")
    window = show(qtbot, MainWindow(project))
    window.sources_panel.edit_attributes(source.id)
    dialog = _visible(window, SourceAttributesDialog)()
    assert isinstance(dialog, SourceAttributesDialog)
    _type_into(qtbot, dialog.editors[year.id], "2024")
    QTest.keyClick(dialog.editors[year.id], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    window.close()
    assert project.attribute_values("source", source.id) == {}


def test_attributes_typed_before_quit_from_another_window_are_kept(qtbot, tmp_path: Path) -> None:
    first_path, second_path = tmp_path / "one.qcode", tmp_path / "two.qcode"
    for path in (first_path, second_path):
        with Project.create(path) as made:
            made.add_source("Al", TEXT)
            made.create_attribute("Year", "number", scope="source")
    session = _session(tmp_path)
    first, second = session.open(first_path), session.open(second_path)
    try:
        show(qtbot, first)
        source_id = first.project.sources()[0].id
        year_id = first.project.attributes("source")[0].id
        first.sources_panel.edit_attributes(source_id)
        dialog = _visible(first, SourceAttributesDialog)()
        assert isinstance(dialog, SourceAttributesDialog)
        _type_into(qtbot, dialog.editors[year_id], "1999")
        show(qtbot, second)
        press(qtbot, second.document, Qt.Key.Key_Q, CTRL)  # File > Quit in the other window
        qtbot.waitUntil(lambda: not session.windows)
        assert not dialog.isVisible()
    finally:
        for window in list(session.windows):
            window.close()
    with Project.open(first_path) as again:
        assert again.attribute_values("source", again.sources()[0].id) == {"Year": 1999}


def test_a_pseudonym_being_edited_in_the_name_register_is_stored_on_closing(qtbot, project: Project) -> None:
    project.add_source("Al", TEXT)
    entry = project.add_name("Marcus", "P01")
    window = show(qtbot, MainWindow(project))
    window.open_names_dialog()
    qtbot.waitUntil(lambda: _visible(window, NamesDialog)() is not None)
    dialog = _visible(window, NamesDialog)()
    assert isinstance(dialog, NamesDialog)
    table = dialog.table
    cell = table.model().index(0, 1)
    QTest.mouseClick(table.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, item_rect_centre(table, cell))
    press(qtbot, table, Qt.Key.Key_F2)
    assert table.state() == QAbstractItemView.State.EditingState
    editor = QApplication.focusWidget()
    QTest.keyClick(editor, Qt.Key.Key_A, CTRL)
    QTest.keyClicks(editor, "Participant 1")
    window.close()
    assert [e.pseudonym for e in project.name_register() if e.id == entry.id] == ["Participant 1"]
    assert not dialog.isVisible()


def test_an_autocode_preview_pending_at_closing_never_runs_into_the_closed_project(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "one.qcode"
    with Project.create(path) as made:
        made.add_source("Al", TEXT)
        made.create_code("Coping")
    session = _session(tmp_path)
    window = session.open(path)
    try:
        show(qtbot, window)
        press(qtbot, window.document, Qt.Key.Key_A, CTRL | Qt.KeyboardModifier.ShiftModifier)  # Autocode…
        qtbot.waitUntil(lambda: _visible(window, AutocodeDialog)() is not None)
        dialog = _visible(window, AutocodeDialog)()
        assert isinstance(dialog, AutocodeDialog)
        _type_into(qtbot, dialog.query, "cope")  # starts the preview's pause
        window.close()  # the session closes the project at once
        assert not window.project.is_open
        assert not dialog.isVisible()
        qtbot.wait(600)  # longer than the preview's pause: a timer firing now would read a closed project
    finally:
        for opened in list(session.windows):
            opened.close()


def test_the_app_quitting_closes_each_window_and_stores_what_is_pending(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "one.qcode"
    with Project.create(path) as made:
        source_id = made.add_source("Al", TEXT).id
    session = _session(tmp_path)
    window = session.open(path)
    try:
        show(qtbot, window)
        open_source(qtbot, window, source_id)
        _type_into(qtbot, window.memo_panel.editor, "Said as the app quit")
        QApplication.instance().aboutToQuit.emit()  # what the app sends when it quits (the system logs out)
        assert not session.windows
        assert not window.isVisible()
    finally:
        for opened in list(session.windows):
            opened.close()
    with Project.open(path) as again:
        assert again.memo("source", source_id).text == "Said as the app quit"
