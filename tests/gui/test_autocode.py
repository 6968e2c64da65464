"""Autocoding, coding all search hits, snapping to words, and coders: previews equal what is applied, one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from qcode.core.project import Project
from qcode.gui.actions.coders import CODER_SETTING
from qcode.gui.actions.coding import SNAP_SETTING
from qcode.gui.dialogs.autocode_dialog import AutocodeDialog
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index

# fictional interview, written for these tests
TEXT = ("Interviewer: How did you find help?\n\n"
        "Marcus: Mostly my mates. The club helped too.\n\n"
        "Interviewer: And your family? Did they help?\n\n"
        "Marcus: Not really. I don't ask them for help.\n\nThey worry enough.")


def _snapshot(project: Project) -> tuple:
    codings = sorted((c.id, c.source_id, c.code_id, c.coder_id, c.start, c.end, c.guid)
                     for s in project.sources() for c in project.codings_for_source(s.id))
    codes = [(c.id, c.name) for c in project.codes()]
    return codings, codes, [(r.code_id, r.total.excerpts) for r in project.frequencies()]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _window(qtbot, project: Project, settings: QSettings | None = None) -> tuple[MainWindow, int]:
    source = project.add_source("Interview", TEXT)
    project.add_source("Notes", "Help came late. Nobody helped at first.")
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window._source_clicked(find_index(window.sources_model, "source", source.id))
    return window, source.id


def _preview(qtbot, dialog: AutocodeDialog) -> list[tuple[int, int, int]]:
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.preview()
    assert dialog.preview_result is not None
    return [(p.source_id, p.start, p.end) for p in dialog.preview_result.passages]


def _coded(project: Project, code_id: int) -> list[tuple[int, int, int]]:
    return [(c.source_id, c.start, c.end) for c in project.codings_for_code(code_id)]


def test_autocode_keywords_preview_apply_undo_redo(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    code = project.create_code("Help")
    project.add_coding(source_id, code.id, TEXT.index("The club"), TEXT.index("\n\nInterviewer: And"))
    before = _snapshot(project)
    dialog = window.open_autocode("keywords", "help, helped")
    dialog.code.setCurrentText("Help")
    dialog.unit.setCurrentIndex(dialog.unit.findData("sentence"))
    previewed = _preview(qtbot, dialog)
    assert _snapshot(project) == before  # a preview writes nothing
    expected = project.autocode_ranges(keywords=["help", "helped"], unit="sentence")
    assert dialog.preview_result.already == 1  # "The club helped too." is coded already
    assert previewed == [r for r in expected if r != (source_id, TEXT.index("The club"), TEXT.index("\n\nInterviewer: And"))]
    assert dialog.model_.rowCount() == len(previewed)
    assert dialog.model_.index(0, 0).data() == "Interview"
    assert f"{len(previewed)} passages will be coded" in dialog.status.text()
    assert dialog.apply() == len(previewed)
    after = _snapshot(project)
    earlier = (source_id, TEXT.index("The club"), TEXT.index("\n\nInterviewer: And"))
    assert sorted(_coded(project, code.id)) == sorted([*previewed, earlier])
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert _snapshot(project) == before
    window.undo_stack.redo()
    assert _snapshot(project) == after


def test_autocode_a_speaker_with_a_new_code(qtbot, project: Project) -> None:
    window, _ = _window(qtbot, project)
    before = _snapshot(project)
    dialog = window.open_autocode("speakers")
    assert [dialog.speakers.item(i).text() for i in range(dialog.speakers.count())] == [
        "Interviewer (2 turns)", "Marcus (2 turns)"]
    dialog.check_speaker("Marcus")
    dialog.unit.setCurrentIndex(dialog.unit.findData("turn"))
    dialog.code.setCurrentText("speakers/Marcus")  # neither exists: both are made, in the same undo step
    _preview(qtbot, dialog)
    assert dialog.apply() == 2
    parent = project.find_code("speakers")
    assert [c.name for c in project.children(parent.id)] == ["Marcus"]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert _snapshot(project) == before
    assert project.codes() == []
    window.undo_stack.redo()
    assert project.code_path(project.find_code("speakers/Marcus").id) == "speakers/Marcus"
    window.undo_stack.undo()
    dialog.code.setCurrentText("SPEAKERS/Marcus")  # matched case-insensitively once "Speakers" exists
    project.create_code("Speakers")
    _preview(qtbot, dialog)
    assert dialog.apply() == 2
    assert [project.code_path(c.id) for c in project.codes()] == ["Speakers", "Speakers/Marcus"]
    window.undo_stack.undo()
    project.delete_code(project.find_code("Speakers").id)
    dialog.code.setCurrentText("What Marcus says")
    previewed = _preview(qtbot, dialog)
    assert [project.source_slice(*r) for r in previewed] == [
        "Mostly my mates. The club helped too.", "Not really. I don't ask them for help.\n\nThey worry enough."]
    assert "(a new code)" in dialog.status.text()
    assert dialog.apply() == 2
    code = project.find_code("What Marcus says")
    assert _coded(project, code.id) == previewed
    after = _snapshot(project)
    window.undo_stack.undo()
    assert _snapshot(project) == before
    window.undo_stack.redo()
    assert _snapshot(project)[0] == after[0]
    assert [c.name for c in project.codes()] == ["What Marcus says"]


def test_scope_current_source_and_folder(qtbot, project: Project) -> None:
    window, source_id = _window(qtbot, project)
    folder = project.create_folder("Round 2")
    other = project.add_source("Later", "More help here.", folder_id=folder.id)
    dialog = window.open_autocode("text", "help")
    dialog.set_scope("source")
    assert {r[0] for r in _preview(qtbot, dialog)} == {source_id}
    dialog.set_scope(folder.id)
    assert _preview(qtbot, dialog) == [(other.id, 5, 9)]
    dialog.match_case.setChecked(True)
    dialog.query.setText("Help")
    assert _preview(qtbot, dialog) == []
    assert not dialog.apply_button.isEnabled()


def test_code_all_search_hits_from_the_search_panel(qtbot, project: Project) -> None:
    window, _ = _window(qtbot, project)
    code = project.create_code("Help")
    with qtbot.waitSignal(window.search_panel.finished, timeout=10000):
        window.search_panel.search("help*")
    assert window.search_panel.code_all_button.isEnabled()
    window.search_panel.code_all_button.click()
    dialog = window.findChild(AutocodeDialog)
    assert dialog.mode.currentData() == "search"
    assert dialog.query.text() == "help*"
    dialog.code.setCurrentText("Help")
    previewed = _preview(qtbot, dialog)
    rows = window.search_panel.model_.rowCount()
    assert sorted(previewed) == sorted(window.search_panel.result_at(row) for row in range(rows))
    assert dialog.apply() == len(previewed)
    assert sorted(_coded(project, code.id)) == sorted(previewed)
    window.undo_stack.undo()
    assert _coded(project, code.id) == []


def test_code_all_find_bar_matches_widened_to_paragraphs(qtbot, project: Project) -> None:
    window, _ = _window(qtbot, project)
    code = project.create_code("Family")
    window.find_bar.open()
    window.find_bar.query.setText("family")
    assert window.find_bar.code_all_button.isEnabled()
    window.find_bar.code_all_button.click()
    dialog = window.findChild(AutocodeDialog)
    assert (dialog.mode.currentData(), dialog.scope.currentData()) == ("text", "source")
    dialog.code.setCurrentText("Family")
    dialog.unit.setCurrentIndex(dialog.unit.findData("paragraph"))
    previewed = _preview(qtbot, dialog)
    assert [project.source_slice(*r) for r in previewed] == ["And your family? Did they help?"]
    dialog.table.activated.emit(dialog.model_.index(0, 2))  # double-click: shown in the document
    assert window.document.selection() == previewed[0][1:]
    dialog.apply()
    assert _coded(project, code.id) == previewed


def test_preview_runs_off_the_gui_thread(qtbot, project: Project) -> None:
    window, _ = _window(qtbot, project)
    dialog = window.open_autocode("keywords", "help")
    dialog.preview()
    assert dialog.busy  # the answer comes from a worker
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.preview_result is not None
    dialog.query.setText("(")
    dialog.mode.setCurrentIndex(dialog.mode.findData("pattern"))
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.preview()
    assert dialog.preview_result is None
    assert "not a valid regular expression" in dialog.status.text()
    assert not dialog.apply_button.isEnabled()


def test_snap_selections_to_whole_words(qtbot, project: Project, settings: QSettings) -> None:
    window, source_id = _window(qtbot, project, settings)
    code = project.create_code("Mates")
    start = TEXT.index("ostly my ma")
    window.document.select_range(start, start + len("ostly my ma"))
    window.snap_action.setChecked(True)
    assert settings.value(SNAP_SETTING) == "true"
    assert window.coding.apply_code(code.id)
    assert _coded(project, code.id) == [(source_id, start - 1, TEXT.index("mates") + len("mates"))]
    window.snap_action.setChecked(False)
    window.document.select_range(start, start + 3)
    assert window.coding.apply_code(code.id)
    assert (source_id, start, start + 3) in _coded(project, code.id)
    again = MainWindow(project, settings)
    qtbot.addWidget(again)
    assert not again.snap_action.isChecked()


def test_switch_coder_and_filter_codings_by_coder(qtbot, project: Project, settings: QSettings) -> None:
    window, _ = _window(qtbot, project, settings)
    code = project.create_code("Help")
    tester = project.current_coder
    window.document.select_range(0, 11)
    assert window.coding.apply_code(code.id)
    assert "Coder: Tester" in window.coder_label.text()
    window.coders.fill_switch_menu(window.switch_coder_menu)
    assert [a.text() for a in window.switch_coder_menu.actions() if a.text()] == ["Tester", "New coder…"]
    qtbot.mouseClick(window.coder_label, Qt.MouseButton.LeftButton)  # the status bar's label opens the same menu
    popup = window.coders.popup
    assert popup is not None
    assert [a.text() for a in popup.actions() if a.text()] == ["Tester", "New coder…"]
    popup.close()
    bo = window.coders.switch_to("Bo")
    assert project.current_coder.id == bo.id
    assert settings.value(CODER_SETTING) == "Bo"
    assert "Coder: Bo" in window.coder_label.text()
    window.document.select_range(TEXT.index("Marcus"), TEXT.index("Marcus") + 6)
    assert window.coding.apply_code(code.id)
    assert {c.coder_id for c in project.codings_for_code(code.id)} == {tester.id, bo.id}
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 2)

    window.coders.fill_filter_menu(window.coder_filter_menu)
    only_bo = next(a for a in window.coder_filter_menu.actions() if a.text() == "Bo")
    only_bo.trigger()
    assert window.coders.filter_id == bo.id
    assert [c.coder_id for c in window.document._codings] == [bo.id]
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 1)
    assert window.segments.model_.text(0, 3) == "Bo"
    count = find_index(window.codebook_model, "code", code.id, 1)
    assert count.data() == "1"
    assert "showing codings of Bo only" in window.coder_label.text()
    window.coders.set_filter(None)
    assert len(window.document._codings) == 2
    assert count.data() == "2"
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 2)


def test_autocode_dialog_renders(qtbot, project: Project, tmp_path: Path) -> None:
    window, _ = _window(qtbot, project)
    project.create_code("Help-seeking")
    dialog = window.open_autocode("keywords", "help, helped")
    dialog.code.setCurrentText("Help-seeking")
    dialog.unit.setCurrentIndex(dialog.unit.findData("sentence"))
    _preview(qtbot, dialog)
    dialog.resize(900, 620)
    image = dialog.grab()
    assert image.save(str(tmp_path / "autocode.png"))
    assert image.width() >= 900


def test_a_failed_apply_leaves_no_new_code_behind(qtbot, project: Project) -> None:
    window, _ = _window(qtbot, project)
    notes = next(s for s in project.sources() if s.name == "Notes")
    dialog = window.open_autocode("keywords", "help")
    dialog.code.setCurrentText("Brand new")
    assert notes.id in {r[0] for r in _preview(qtbot, dialog)}
    project.delete_source(notes.id)  # gone between the preview and applying it
    before = _snapshot(project)
    assert dialog.apply() == 0
    assert "source" in dialog.status.text()
    assert _snapshot(project) == before
    assert window.undo_stack.count() == 0


def test_a_large_batch_is_coded_in_the_background_as_one_step(qtbot, project: Project, monkeypatch) -> None:
    from qcode.gui.commands import codings as batch_commands
    from qcode.gui.dialogs import autocode_dialog

    monkeypatch.setattr(autocode_dialog, "BACKGROUND_AT", 0)  # every batch counts as large here
    monkeypatch.setattr(batch_commands, "LARGE_BATCH", 0)  # and its undo and redo run on a worker too
    window, _source_id = _window(qtbot, project)
    before = _snapshot(project)
    dialog = window.open_autocode("keywords", "help, helped")
    dialog.code.setCurrentText("Help (new)")
    previewed = _preview(qtbot, dialog)
    assert previewed
    with qtbot.waitSignal(dialog.applied, timeout=10_000) as blocker:
        assert dialog.apply() == 0  # returns at once; the worker writes
    assert blocker.args == [len(previewed)]
    code = project.find_code("Help (new)")
    assert sorted(_coded(project, code.id)) == sorted(previewed)
    assert window.undo_stack.count() == 1
    assert window.undo_stack.command(0).runs_in_background
    window.undo_stack.undo()  # returns once the worker is done
    assert _snapshot(project) == before
    window.undo_stack.redo()
    assert sorted(_coded(project, project.find_code("Help (new)").id)) == sorted(previewed)
