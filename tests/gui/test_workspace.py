"""The everyday workspace, driven by real input: nothing typed is lost on closing, Quit closes every window,
exports never replace a file unasked, a code is deleted only after saying what goes, and user text in
tooltips and labels is shown as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialogButtonBox, QMessageBox

from qcode.core.project import Project
from qcode.gui.dialogs.export_dialog import ExportDialog
from qcode.gui.dialogs.export_filters import ChoiceButton
from qcode.gui.lifecycle import AppSession
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index
from qcode.gui.support.plain_text import as_text
from tests.gui.gestures import CTRL, click_code, click_item, double_click_item, open_source, press, show

TEXT = "Interviewer: How do you cope?\n\nAl: I keep it to myself, mostly.\n\nInterviewer: ok"


def _session(tmp_path: Path) -> AppSession:
    return AppSession(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat), coder="Ana")


def _study(path: Path) -> tuple[int, int]:
    with Project.create(path) as project:
        source = project.add_source("Al", TEXT)
        code = project.create_code("Coping")
        return source.id, code.id


# --- nothing typed is lost ---------------------------------------------------------------------------------


def test_a_memo_typed_just_before_closing_is_kept(qtbot, project: Project) -> None:
    source = project.add_source("Al", TEXT)
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    editor = window.memo_panel.editor
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    QTest.keyClicks(editor, "Talks of coping alone")
    window.close()  # at once: well before the pause after which the panel saves
    assert project.is_open  # a project handed to the window stays open
    assert project.memo("source", source.id).text == "Talks of coping alone"


def test_closing_one_of_two_windows_keeps_the_memo_and_raises_nothing(qtbot, tmp_path: Path) -> None:
    first_path, second_path = tmp_path / "one.qcode", tmp_path / "two.qcode"
    source_id, _ = _study(first_path)
    _study(second_path)
    session = _session(tmp_path)
    first, _second = session.open(first_path), session.open(second_path)
    try:
        show(qtbot, first)
        open_source(qtbot, first, source_id)
        first.memo_panel.editor.setFocus()
        QTest.keyClicks(first.memo_panel.editor, "Mid-sentence")
        first.close()  # the session closes its project; no save may run into it later
        assert not first.project.is_open
        qtbot.wait(1200)  # longer than the memo's save delay: a timer firing now would raise
    finally:
        for window in list(session.windows):
            window.close()
    with Project.open(first_path) as again:
        assert again.memo("source", source_id).text == "Mid-sentence"


def test_quit_closes_every_window_and_stores_what_is_pending(qtbot, tmp_path: Path) -> None:
    first_path, second_path = tmp_path / "one.qcode", tmp_path / "two.qcode"
    source_id, _code_id = _study(first_path)
    _, other_code = _study(second_path)
    session = _session(tmp_path)
    first, second = session.open(first_path), session.open(second_path)
    try:
        show(qtbot, second)
        click_code(qtbot, second, other_code)
        field = second.codebook_panel.form.fields["definition"]
        field.setFocus()
        QTest.keyClicks(field, "Ways of getting by")
        show(qtbot, first)
        open_source(qtbot, first, source_id)
        first.memo_panel.editor.setFocus()
        QTest.keyClicks(first.memo_panel.editor, "Quit right after")
        press(qtbot, first.memo_panel.editor, Qt.Key.Key_Q, CTRL)  # File > Quit
        qtbot.waitUntil(lambda: not session.windows)
        assert not first.isVisible()
        assert not second.isVisible()
    finally:
        for window in list(session.windows):
            window.close()
    with Project.open(first_path) as again:
        assert again.memo("source", source_id).text == "Quit right after"
    with Project.open(second_path) as again:
        assert again.code(other_code).definition == "Ways of getting by"


def test_a_case_cell_being_edited_is_stored_on_closing(qtbot, project: Project) -> None:
    case = project.create_case("Al")
    age = project.create_attribute("Age", "number")
    window = show(qtbot, MainWindow(project))
    window.cases_dock.raise_()
    table = window.cases_table.table
    index = window.cases_table.index_of(case.id, age.id)
    click_item(qtbot, table, index)
    press(qtbot, table, Qt.Key.Key_F2)  # edit the current cell
    assert table.state() == QAbstractItemView.State.EditingState
    editor = QApplication.focusWidget()
    QTest.keyClicks(editor, "34")
    window.close()
    assert project.attribute_values("case", case.id) == {"Age": 34}


# --- after the first import ------------------------------------------------------------------------------


def test_the_first_source_replaces_the_empty_project_message(qtbot, project: Project) -> None:
    window = show(qtbot, MainWindow(project))
    assert window.document.placeholderText().startswith("This project has no sources")
    source = project.add_source("Al", TEXT)  # as an import does
    qtbot.waitUntil(lambda: window.document.source_id == source.id)
    assert window.document.placeholderText() == ""
    project.delete_source(source.id)
    qtbot.waitUntil(lambda: window.document.placeholderText().startswith("This project has no sources"))


# --- deleting a code asks ----------------------------------------------------------------------------------


def test_delete_key_asks_with_counts_and_undo_brings_everything_back(qtbot, project: Project,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    source = project.add_source("Al", TEXT)
    parent = project.create_code("Coping")
    children = [project.create_code(name, parent_id=parent.id) for name in ("Alone", "With friends")]
    project.add_coding(source.id, parent.id, 0, 5)
    project.add_coding(source.id, children[0].id, 6, 12)
    project.add_coding(source.id, children[1].id, 14, 20)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window = show(qtbot, MainWindow(project))
    click_code(qtbot, window, parent.id)
    press(qtbot, window.codebook_view, Qt.Key.Key_Delete)
    assert asked == [as_text("Delete the code 'Coping' with its 2 sub-codes and 3 codings? Edit > Undo (Ctrl+Z) "
                             "brings back everything deleted.")]
    assert len(project.codes()) == 3  # "No" keeps it
    answer[0] = QMessageBox.StandardButton.Yes
    press(qtbot, window.codebook_view, Qt.Key.Key_Delete)
    assert project.codes() == []
    assert project.coding_count() == 0
    press(qtbot, window.codebook_view, Qt.Key.Key_Z, CTRL)
    assert len(project.codes()) == 3
    assert project.coding_count() == 3
    click_code(qtbot, window, children[0].id)
    press(qtbot, window.codebook_view, Qt.Key.Key_Delete)
    assert "Delete the code 'Alone' with its 1 coding?" in asked[-1]


def test_f2_renames_the_current_code(qtbot, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    code = project.create_code("Copin")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Coping", True)))
    window = show(qtbot, MainWindow(project))
    click_code(qtbot, window, code.id)
    press(qtbot, window.codebook_view, Qt.Key.Key_F2)
    assert project.code(code.id).name == "Coping"
    press(qtbot, window.codebook_view, Qt.Key.Key_Z, CTRL)
    assert project.code(code.id).name == "Copin"


# --- exports never replace a file unasked --------------------------------------------------------------------


def test_export_names_follow_the_kind_and_a_file_is_replaced_only_when_asked(
        qtbot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = project.add_source("Al", TEXT)
    code = project.create_code("Coping")
    project.add_coding(source.id, code.id, 0, 5)
    window = MainWindow(project)
    qtbot.addWidget(window)
    dialog = ExportDialog(project, window)
    qtbot.addWidget(dialog)
    folder = project.path.parent
    dialog.what.setCurrentIndex(dialog.what.findData("excerpts"))
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    assert Path(dialog.target.text()) == folder / "test - coded excerpts.xlsx"
    dialog.what.setCurrentIndex(dialog.what.findData("matrix"))  # a new kind: a new name, not the old one
    assert Path(dialog.target.text()) == folder / "test - matrix.xlsx"
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))  # a new format: the suffix only
    assert Path(dialog.target.text()) == folder / "test - matrix.csv"
    elsewhere = tmp_path / "reports"
    elsewhere.mkdir()
    dialog.target.setText(str(elsewhere / "mine.csv"))
    dialog.what.setCurrentIndex(dialog.what.findData("codebook"))  # the folder chosen is kept
    assert Path(dialog.target.text()) == elsewhere / "test - codebook.csv"

    existing = elsewhere / "test - codebook.csv"
    existing.write_text("an earlier report")
    answers = [QMessageBox.StandardButton.No]
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda _p, _t, text, *a, **k: asked.append(text) or answers[0]))
    opened: list[str] = []
    monkeypatch.setattr("qcode.gui.dialogs.export_dialog.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()))
    dialog.start()
    assert asked == [as_text("'test - codebook.csv' already exists. Replace it with this export?")]
    assert existing.read_text() == "an earlier report"
    assert dialog.task is None
    assert dialog.isEnabled()
    answers[0] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.start()
    assert existing.read_text(encoding="utf-8-sig").startswith("code,")
    box = dialog.after_export
    assert box is not None
    assert box.isVisible()
    assert "test - codebook.csv" in box.text()
    [open_file] = [b for b in box.buttons() if b.text() == "Open the file"]
    qtbot.mouseClick(open_file, Qt.MouseButton.LeftButton)
    assert opened == [str(existing)]


# --- user text is shown as text ------------------------------------------------------------------------------

HOSTILE = '<img src="file:///etc/hosts"><h1>FAKE DIALOG</h1>'


def test_user_text_in_tooltips_and_labels_is_never_html(qtbot, project: Project) -> None:
    from PySide6.QtGui import QTextDocument

    source = project.add_source("Al", TEXT)
    code = project.create_code("Code <img src=file:hosts><b>FAKE DIALOG")  # names hold no slash
    project.update_code(code.id, definition=HOSTILE)
    coding = project.add_coding(source.id, code.id, 0, 11)
    project.set_memo("coding", coding.id, HOSTILE)
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    described = window.document_actions.describe_coding(coding)
    assert HOSTILE in described  # the text itself, for any face; the tooltip escapes it
    shown = as_text(described)
    rendered = QTextDocument()
    rendered.setHtml(shown)
    assert rendered.toPlainText() == described  # shown exactly as written: no image, no heading
    assert "<img" not in shown
    assert "&lt;img" in shown
    tooltip = window.codebook_model.itemFromIndex(find_index(window.codebook_model, "code", code.id)).toolTip()
    rendered.setHtml(tooltip)
    assert rendered.toPlainText() == HOSTILE
    click_code(qtbot, window, code.id)
    assert window.codebook_panel.form.title.textFormat() == Qt.TextFormat.PlainText
    assert window.memo_panel.title.textFormat() == Qt.TextFormat.PlainText
    assert window.segments.title.textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 1)
    excerpt_tip = window.segments.model_.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    rendered.setHtml(excerpt_tip)
    assert rendered.toPlainText() == TEXT[:11]
    assert as_text("") == ""  # no text, no tooltip
    QApplication.processEvents()


# --- a case's codings, filters, sorting ------------------------------------------------------------------------


def test_a_case_lists_its_coded_segments_and_opens_them(qtbot, project: Project) -> None:
    one = project.add_source("Al", TEXT)
    two = project.add_source("Bo", "Bo: I talk to my sister about it.")
    coping = project.create_code("Coping")
    alone = project.create_code("Alone", parent_id=coping.id)
    family = project.create_code("Family")
    start = TEXT.index("I keep")
    inside = project.add_coding(one.id, alone.id, start, start + 10)
    project.add_coding(one.id, coping.id, 0, 11)  # outside the case's passage
    whole = project.add_coding(two.id, family.id, 4, 20)
    case = project.create_case("Al and Bo")
    project.add_case_member(case.id, one.id, start - 4, start + 30)
    project.add_case_member(case.id, two.id)
    window = show(qtbot, MainWindow(project))
    window.cases_dock.raise_()
    click_item(qtbot, window.cases_table.table, window.cases_table.index_of(case.id))
    segments = window.cases_table.segments
    qtbot.waitUntil(lambda: not segments.locating() and segments.model_.rowCount() == 2)
    model = segments.model_
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Code"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Excerpt"
    assert [(model.text(r, 0), model.text(r, 2)) for r in range(2)] == [("Coping › Alone", "Al"), ("Family", "Bo")]
    assert segments.title.text() == "2 coded segments of case 'Al and Bo'"
    window.cases_table.parts.setCurrentWidget(segments)
    segments.view.header().setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # sort by code, Z to A
    assert [model.text(r, 0) for r in range(2)] == ["Family", "Coping › Alone"]
    double_click_item(qtbot, segments.view, model.index(1, 1))
    assert window.document.source_id == one.id
    assert window.document.selection() == (inside.start, inside.end)
    click_item(qtbot, segments.view, model.index(0, 1))
    assert segments.preview.toPlainText() == "I talk to my sis\n\nFamily — Bo, ¶ 1, Tester"
    segments.filters.choose(codes=[family.id])  # the shared filters narrow the case's list
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.excerpts[0].coding.id == whole.id
    assert segments.title.text() == "1 coded segment of case 'Al and Bo'; only codes Family"
    qtbot.mouseClick(window.cases_table.memo_button, Qt.MouseButton.LeftButton)  # the case's memo, one click
    assert window.memo_panel.kind == "case"
    assert window.memo_panel.target_id == case.id
    qtbot.waitUntil(window.memo_panel.editor.hasFocus)


def test_coded_segments_filtered_by_case_attribute_and_coder(qtbot, project: Project) -> None:
    one = project.add_source("Al", TEXT)
    two = project.add_source("Bo", TEXT)
    code = project.create_code("Coping")
    tester = project.current_coder
    project.add_coding(one.id, code.id, 0, 11)
    project.add_coding(two.id, code.id, 0, 11)
    other = project.use_coder("Ana")
    project.add_coding(two.id, code.id, 13, 20)
    project.use_coder(tester.name)
    al, bo = project.create_case("Al"), project.create_case("Bo")
    project.add_case_member(al.id, one.id)
    project.add_case_member(bo.id, two.id)
    group = project.create_attribute("Group", "text")
    project.set_attribute_value(group.id, al.id, "young")
    project.set_attribute_value(group.id, bo.id, "old")
    window = show(qtbot, MainWindow(project))
    click_code(qtbot, window, code.id)
    segments = window.segments
    qtbot.waitUntil(lambda: not segments.locating() and segments.model_.rowCount() == 3)
    dialog = segments.filters.open_dialog()  # the Export dialog's filter widget
    buttons = {b.accessibleName(): b for b in dialog.findChildren(ChoiceButton)}
    assert sorted(buttons) == ["Attribute value filter", "Case filter", "Coder filter", "Folder filter",
                               "Source filter"]  # the code tree chooses the codes
    buttons["Attribute value filter"].choose([(group.id, "old")])
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not segments.locating() and segments.model_.rowCount() == 2)
    assert {e.coding.source_id for e in segments.model_.excerpts} == {two.id}
    segments.filters.choose(coders=[other.id])
    qtbot.waitUntil(lambda: not segments.locating() and segments.model_.rowCount() == 1)
    assert segments.model_.excerpts[0].coding.coder_id == other.id
    window.coders.set_filter(tester.id)  # View > Show codings of: Tester, while the bar says Ana: nothing
    qtbot.waitUntil(lambda: not segments.locating() and segments.model_.rowCount() == 0)
    qtbot.mouseClick(segments.filters.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not segments.locating() and segments.model_.rowCount() == 2)
    assert segments.filters.label.text() == "No filters"


# --- coding from the text's context menu, trimmed -------------------------------------------------------------


def _context_menu(qtbot, window: MainWindow, offset: int, choose) -> None:
    """Right-click the document at a code point; `choose(menu)` runs while the menu is open, then it closes."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent, QTextCursor
    from PySide6.QtWidgets import QMenu

    seen: list[QMenu] = []

    def act() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        seen.append(menu)
        try:
            choose(menu)
        finally:
            menu.close()

    QTimer.singleShot(0, act)
    cursor = QTextCursor(window.document.document())
    cursor.setPosition(window.document.offsets.to_qt(offset))
    point = window.document.cursorRect(cursor).center()
    viewport = window.document.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                       viewport.mapToGlobal(point)))
    assert len(seen) == 1


def _submenu(menu, text: str):
    return next(a.menu() for a in menu.actions() if a.menu() is not None and a.text() == text)


def test_right_click_codes_with_a_recent_code_or_any_code(qtbot, project: Project,
                                                         modal_messages: list[str]) -> None:
    from tests.gui.gestures import double_click_code, select_with_keys

    source = project.add_source("Al", TEXT)
    coping = project.create_code("Coping")
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    start = TEXT.index("I keep") - 1  # the space before the words, and the one after
    select_with_keys(qtbot, window, start, start + len(" I keep "))
    double_click_code(qtbot, window, coping.id)
    assert [(c.start, c.end) for c in project.codings_for_source(source.id)] == [(start + 1, start + 7)]

    mostly = TEXT.index("mostly")
    window.document.select_range(mostly, mostly + len("mostly"))
    offered: list[list[str]] = []

    def code_with_recent(menu) -> None:
        recent = _submenu(menu, "Code &with")
        offered.append([a.text() for a in recent.actions()])
        recent.actions()[0].trigger()

    _context_menu(qtbot, window, mostly + 2, code_with_recent)
    assert offered == [["Coping"]]
    assert (mostly, mostly + 6) in [(c.start, c.end) for c in project.codings_for_code(coping.id)]

    window.document.select_range(0, len("Interviewer"))
    _context_menu(qtbot, window, 3, lambda menu: next(a for a in menu.actions() if a.text() == "Code with…").trigger())
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    dialog = next(d for d in window.findChildren(QInputDialog) if d.isVisible())
    edit = dialog.findChild(QLineEdit)
    QTest.keyClicks(edit, "Interviewer role")  # a new code: created and applied, one undo step
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert [(c.start, c.end) for c in project.codings_for_code(project.find_code("Interviewer role").id)] == [
        (0, len("Interviewer"))]
    assert modal_messages == []
    window.document.select_range(mostly - 1, mostly)  # a space alone: nothing to code, no menu entries
    labels: list[str] = []
    _context_menu(qtbot, window, mostly - 1, lambda menu: labels.extend(a.text() for a in menu.actions()))
    assert labels
    assert "Code with…" not in labels


def test_quick_keys_show_on_the_codes_swatch_and_apply_by_key(qtbot, project: Project) -> None:
    source = project.add_source("Al", TEXT)
    code = project.create_code("Coping")
    window = show(qtbot, MainWindow(project))
    item = window.codebook_model.itemFromIndex(find_index(window.codebook_model, "code", code.id))
    plain = item.icon().pixmap(16, 16).toImage()
    window.coding.assign_quick_key(3, code.id)  # what the code's menu "Quick key > 3" does
    assert item.text() == "Coping"  # the name cell keeps the bare name
    assert item.icon().pixmap(16, 16).toImage() != plain  # the key is on the swatch
    assert item.toolTip() == as_text("Quick key 3")
    open_source(qtbot, window, source.id)
    window.document.select_range(0, 11)
    press(qtbot, window.document, Qt.Key.Key_3)
    assert [(c.start, c.end) for c in project.codings_for_code(code.id)] == [(0, 11)]


# --- help ------------------------------------------------------------------------------------------------------


def test_help_lists_the_shortcuts_of_the_menus_and_getting_started_opens_on_a_new_project(
        qtbot, tmp_path: Path) -> None:
    from qcode.gui.dialogs.help_pages import GettingStartedDialog, ShortcutsDialog

    session = _session(tmp_path)
    window = session.create(tmp_path / "new.qcode")
    try:
        qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(GettingStartedDialog)))
        started = next(d for d in window.findChildren(GettingStartedDialog) if d.isVisible())
        close = started.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not started.isVisible())
        press(qtbot, window.document, Qt.Key.Key_Slash, CTRL)  # Help > Keyboard shortcuts
        qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ShortcutsDialog)))
        dialog = next(d for d in window.findChildren(ShortcutsDialog) if d.isVisible())
        rows = {dialog.table.item(r, 1).text(): dialog.table.item(r, 0).text()
                for r in range(dialog.table.rowCount())}
        assert rows["Code > Quick code"] == "Ctrl+K"
        assert rows["Edit > Undo"] == "Ctrl+Z"
        assert rows["File > Quit"] == "Ctrl+Q"
        assert "Rename the code" in rows
    finally:
        for opened in list(session.windows):
            opened.close()
    with Project.open(tmp_path / "new.qcode") as project:
        project.add_source("Al", TEXT)
    again = _session(tmp_path).open(tmp_path / "new.qcode")
    try:
        qtbot.wait(50)
        assert not any(d.isVisible() for d in again.findChildren(GettingStartedDialog))  # not once it has sources
    finally:
        again.close()


# --- smaller things -----------------------------------------------------------------------------------------------


def test_passage_memo_dialog_wraps_and_import_dialogs_open_where_expected(qtbot, project: Project, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog, QPlainTextEdit

    from qcode.gui.actions.document import passage_memo_dialog

    window = MainWindow(project, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    dialog = passage_memo_dialog(window, "Memo on the selected passage:", "a long line " * 40)
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.findChild(QPlainTextEdit)
    assert editor.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert not editor.accessibleName().startswith("Memo")
    assert editor.horizontalScrollBar().maximum() == 0  # wrapped: nothing to scroll sideways

    opened_in: list[str] = []
    material = tmp_path / "material"
    material.mkdir()
    (material / "a.txt").write_text("Al: a few words", encoding="utf-8")

    def choose(_parent, _title, folder, _filter=""):
        opened_in.append(folder)
        return [str(material / "a.txt")], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    with qtbot.waitSignal(window.import_flow.finished, timeout=30_000):
        window.import_flow_files()
    with qtbot.waitSignal(window.import_flow.finished, timeout=30_000):
        window.import_flow_files()  # a duplicate, refused; but the dialog opened in the last folder
    assert opened_in == [str(project.path.parent), str(material)]


def test_cases_table_keeps_its_column_widths_while_editing(qtbot, project: Project) -> None:
    case = project.create_case("Al")
    note = project.create_attribute("Note", "text")
    window = show(qtbot, MainWindow(project))
    window.cases_dock.raise_()
    table = window.cases_table.table
    qtbot.waitUntil(lambda: window.cases_table.splitter.sizes()[0] > 0)
    column = window.cases_table.index_of(case.id, note.id).column()
    width = table.columnWidth(column)
    assert window.cases_table.set_value(case.id, note.id, "a much longer value than the header " * 3)
    assert table.columnWidth(column) == width  # no jump under the pointer
    project.create_attribute("Age", "number")  # a new column: then the widths are fitted again
    qtbot.waitUntil(lambda: window.cases_table.model.columnCount() == 4)
    assert table.columnWidth(column) > width


def test_hovering_a_stripe_or_a_memo_note_shows_the_text_literally(qtbot, project: Project) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    source = project.add_source("Al", TEXT)
    code = project.create_code("Coping")
    coding = project.add_coding(source.id, code.id, 0, 11)
    project.set_memo("coding", coding.id, HOSTILE)
    project.add_range_memo(source.id, 0, 11, f"Comment: {HOSTILE}")  # as a Word comment arrives
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, source.id)
    qtbot.waitUntil(lambda: bool(window.document.stripes.visible_stripes()))

    def hover(widget, point) -> str:
        QToolTip.hideText()
        QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point, widget.mapToGlobal(point)))
        return QToolTip.text()

    bar = window.document.stripes.visible_stripes()[0][0]
    shown = hover(window.document.stripes, bar.center())
    assert shown == as_text(window.document_actions.describe_coding(coding))
    assert "<img" not in shown
    note = window.document.margin.note_rects()[0][0]
    shown = hover(window.document.margin, note.center())
    assert shown == as_text(f"Memo: Comment: {HOSTILE}")
    QToolTip.hideText()


def test_switching_source_or_code_stores_what_was_typed(qtbot, project: Project) -> None:
    first = project.add_source("Al", TEXT)
    second = project.add_source("Bo", "Bo: a few words")
    code, other = project.create_code("Coping"), project.create_code("Family")
    window = show(qtbot, MainWindow(project))
    open_source(qtbot, window, first.id)
    window.memo_panel.editor.setFocus()
    QTest.keyClicks(window.memo_panel.editor, "About Al")
    open_source(qtbot, window, second.id)  # at once, before the pause after which it saves
    assert project.memo("source", first.id).text == "About Al"
    click_code(qtbot, window, code.id)
    field = window.codebook_panel.form.fields["definition"]
    field.setFocus()
    QTest.keyClicks(field, "Getting by")
    click_code(qtbot, window, other.id)
    qtbot.waitUntil(lambda: project.code(code.id).definition == "Getting by")


def test_a_query_such_as_an_analysis_cell_lists_its_segments_with_the_same_columns(qtbot, project: Project) -> None:
    from qcode.core.model import Filter
    from qcode.gui.views.segments_panel import COLUMNS, SegmentsPanel

    one, two = project.add_source("Al", TEXT), project.add_source("Bo", TEXT)
    coping, family = project.create_code("Coping"), project.create_code("Family")
    project.add_coding(one.id, coping.id, 0, 11)
    project.add_coding(two.id, coping.id, 0, 11)
    project.add_coding(one.id, family.id, 13, 20)
    case = project.create_case("Al")
    project.add_case_member(case.id, one.id)
    panel = SegmentsPanel(project)
    qtbot.addWidget(panel)
    assert COLUMNS[:2] == ("Code", "Excerpt")
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.show_filter(Filter(codes=(coping.id,), cases=(case.id,)), "Coping × Al")
    assert [(e.coding.source_id, e.coding.code_id) for e in panel.model_.excerpts] == [(one.id, coping.id)]
    assert panel.title.text() == "1 coded segment of Coping × Al"
    with qtbot.waitSignal(panel.loaded, timeout=10_000):
        panel.filters.choose(sources=[two.id])  # the bar narrows it further: nothing left
    assert panel.model_.rowCount() == 0
