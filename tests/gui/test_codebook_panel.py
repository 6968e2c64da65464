"""The Codebook panel: merge (dialog, Shift+drop), drag to nest and reorder, the definition form, the filter."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import CODES_MIME, find_index
from qcode.gui.views.codebook_panel import MERGE_MODIFIER

TEXT = "Interviewer: how was it?\n\nMarcus: I kept it to myself, mostly.\n\nDev: we talk it through."  # fictional


def _window(qtbot, project: Project) -> MainWindow:
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _state(project: Project) -> tuple:
    codes = project.codes()
    codings = sorted((c for code in codes for c in project.codings_for_code(code.id)), key=lambda c: c.id)
    return codes, codings, sorted(project.memos(), key=lambda m: m.id), project.frequencies()


def _names(project: Project, parent_id: int | None = None) -> list[str]:
    return [c.name for c in project.children(parent_id)]


def _tree_names(window: MainWindow) -> list[str]:
    model = window.codebook_model
    return [model.item(row, 0).text() for row in range(model.rowCount())]


def _drop(qtbot, window: MainWindow, code_ids: list[int], point: QPoint,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Drop dragged codes at a point of the tree's viewport, as the view receives it from a real drag."""
    data = QMimeData()
    data.setData(CODES_MIME, str(code_ids).encode())
    event = QDropEvent(QPointF(point), Qt.DropAction.MoveAction, data, Qt.MouseButton.LeftButton, modifiers)
    window.codebook_view.dropEvent(event)
    qtbot.wait(20)  # the move is queued until the drop event has finished


def _rect(window: MainWindow, code_id: int):
    return window.codebook_view.visualRect(find_index(window.codebook_model, "code", code_id))


def _select(window: MainWindow, *code_ids: int) -> None:
    view = window.codebook_view
    view.selectionModel().clearSelection()
    for code_id in code_ids:
        index = find_index(window.codebook_model, "code", code_id)
        view.selectionModel().select(index, view.selectionModel().SelectionFlag.Select
                                     | view.selectionModel().SelectionFlag.Rows)
    view.selectionModel().setCurrentIndex(find_index(window.codebook_model, "code", code_ids[-1]),
                                          view.selectionModel().SelectionFlag.NoUpdate)


def test_merge_two_codes_in_the_panel_and_undo(qtbot, project: Project) -> None:
    source = project.add_source("Interview", TEXT)
    talk = project.create_code("Talking it through")
    keep = project.create_code("Keeping quiet", definition="Not telling anyone.")
    quiet = project.create_code("Silence")
    sub = project.create_code("At work", parent_id=quiet.id)
    kept = (TEXT.index("I kept"), TEXT.index(", mostly"))
    talked = (TEXT.index("we talk"), len(TEXT) - 1)
    project.add_coding(source.id, quiet.id, *kept)
    project.add_coding(source.id, keep.id, *kept)  # the same passage: collapses into one
    project.add_coding(source.id, sub.id, 0, 10)
    project.add_coding(source.id, talk.id, *talked)
    project.set_memo("code", quiet.id, "Silence as a way to cope.")
    before = _state(project)
    window = _window(qtbot, project)
    _select(window, quiet.id, talk.id)
    assert window.codebook_panel.selected_code_ids() == [talk.id, quiet.id]

    dialog = window.codebook_actions.open_merge_dialog()
    assert dialog is not None
    dialog.choose(sub.id)  # a code's own sub-code is not offered
    assert dialog.chosen_code_id() is None
    dialog.choose(keep.id)
    dialog.accept()

    assert _names(project) == ["Keeping quiet"]
    assert [(c.start, c.end) for c in project.codings_for_code(keep.id)] == [kept, talked]
    assert project.code(sub.id).parent_id == keep.id
    assert "Silence as a way to cope." in project.memo("code", keep.id).text
    assert _tree_names(window) == ["Keeping quiet"]
    count = window.sources_model.itemFromIndex(find_index(window.sources_model, "source", source.id, 1))
    assert count.text() == "3"  # the duplicate passage collapsed
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Merge 2 codes into 'Keeping quiet'"

    window.undo_stack.undo()
    assert _state(project) == before
    assert _tree_names(window) == ["Talking it through", "Keeping quiet", "Silence"]
    assert count.text() == "4"
    window.undo_stack.redo()
    assert _names(project) == ["Keeping quiet"]
    window.undo_stack.undo()
    assert _state(project) == before
    assert project.check() == []


def test_merge_by_shift_drop_onto_a_code(qtbot, project: Project, modal_messages: list[str]) -> None:
    a = project.create_code("A")
    b = project.create_code("B")
    window = _window(qtbot, project)
    before = _state(project)
    _drop(qtbot, window, [a.id], _rect(window, b.id).center(), MERGE_MODIFIER)
    assert _names(project) == ["B"]
    window.undo_stack.undo()
    assert _state(project) == before
    assert modal_messages == []


def test_drag_nest_reorder_and_top_level_and_undo(qtbot, project: Project) -> None:
    a, b, c = (project.create_code(name) for name in ("A", "B", "C"))
    window = _window(qtbot, project)
    before = _state(project)

    _drop(qtbot, window, [c.id], _rect(window, a.id).center())  # onto A: a sub-code of A
    assert _names(project) == ["A", "B"]
    assert _names(project, a.id) == ["C"]
    assert window.undo_stack.undoText() == "Move 'C' under 'A'"
    window.codebook_view.expandAll()

    _drop(qtbot, window, [b.id], _rect(window, a.id).topLeft() + QPoint(5, 1))  # just above A: reorder
    assert _names(project) == ["B", "A"]
    assert window.undo_stack.undoText() == "Reorder 'B'"

    viewport = window.codebook_view.viewport().rect()
    _drop(qtbot, window, [c.id], QPoint(10, viewport.bottom() - 5))  # the empty area below: top level
    assert _names(project) == ["B", "A", "C"]
    assert window.undo_stack.count() == 3

    for _ in range(3):
        window.undo_stack.undo()
    assert _state(project) == before
    for _ in range(3):
        window.undo_stack.redo()
    assert _names(project) == ["B", "A", "C"]
    assert project.check() == []


def test_refused_moves_show_the_message_and_change_nothing(qtbot, project: Project,
                                                           modal_messages: list[str]) -> None:
    a = project.create_code("A")
    kid = project.create_code("Kid", parent_id=a.id)
    project.create_code("Kid")
    window = _window(qtbot, project)
    before = _state(project)
    _drop(qtbot, window, [a.id], _rect(window, kid.id).center())  # under its own sub-code
    assert "inside itself" in modal_messages[-1]
    window.codebook_actions.codes_dropped([kid.id], None, None, False)  # a second 'Kid' at the top level
    assert "already a code called 'Kid'" in modal_messages[-1]
    assert _state(project) == before
    assert window.undo_stack.count() == 0


def test_dropping_a_code_where_it_already_is_adds_no_undo_step(qtbot, project: Project) -> None:
    project.create_code("A")
    b = project.create_code("B")
    window = _window(qtbot, project)
    window.codebook_actions.move_codes([b.id], None, None)
    assert window.undo_stack.count() == 0


def test_definition_form_saves_each_pause_as_an_undo_step(qtbot, project: Project) -> None:
    code = project.create_code("Stoicism", definition="Keeping feelings in.")
    other = project.create_code("Help-seeking")
    window = _window(qtbot, project)
    form = window.codebook_panel.form
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    assert form.fields["definition"].toPlainText() == "Keeping feelings in."
    assert form.name.text() == "Stoicism"

    form.fields["definition"].setPlainText("Keeping feelings to oneself.")
    qtbot.waitUntil(lambda: project.code(code.id).definition == "Keeping feelings to oneself.", timeout=3000)
    form.fields["inclusion"].setPlainText("Says they kept it to themselves.")
    form.save()  # leaving the field saves at once
    assert project.code(code.id).inclusion == "Says they kept it to themselves."
    assert window.undo_stack.count() == 2
    assert window.undo_stack.undoText() == "Edit inclusion criteria of 'Stoicism'"

    form.name.setText("Stoic coping")
    form.name.editingFinished.emit()
    assert project.code(code.id).name == "Stoic coping"
    assert form.set_color("#123456")
    assert project.code(code.id).color == "#123456"
    assert window.undo_stack.count() == 4

    window.undo_stack.undo()
    window.undo_stack.undo()
    window.undo_stack.undo()  # the inclusion criteria: the form follows
    assert form.fields["inclusion"].toPlainText() == ""
    assert form.name.text() == "Stoicism"
    window.undo_stack.undo()
    assert form.fields["definition"].toPlainText() == "Keeping feelings in."

    form.fields["example"].setPlainText("“I just got on with it.”")  # pending when another code is chosen
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", other.id))
    qtbot.waitUntil(lambda: project.code(code.id).example == "“I just got on with it.”")
    assert window.undo_stack.undoText() == "Edit example of 'Stoicism'"
    assert form.fields["example"].toPlainText() == ""
    assert form.name.text() == "Help-seeking"


def test_form_refuses_a_clashing_name(qtbot, project: Project, modal_messages: list[str]) -> None:
    code = project.create_code("A")
    project.create_code("B")
    window = _window(qtbot, project)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    form = window.codebook_panel.form
    form.name.setText("b")
    form.name.editingFinished.emit()
    assert "already a code called 'b'" in modal_messages[-1]
    assert form.name.text() == "A"
    assert window.undo_stack.count() == 0


def test_form_empties_when_its_code_is_merged_away(qtbot, project: Project) -> None:
    a = project.create_code("A")
    b = project.create_code("B")
    window = _window(qtbot, project)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", a.id))
    window.codebook_actions.merge_codes([a.id], b.id)
    form = window.codebook_panel.form
    assert form.code_id is None
    assert not form.fields["definition"].isEnabled()
    assert form.name.text() == ""
    window.undo_stack.undo()
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", a.id))
    assert form.name.text() == "A"


def test_filter_shows_matches_with_their_parents(qtbot, project: Project) -> None:
    top = project.create_code("Coping")
    project.create_code("Silence", parent_id=top.id)
    project.create_code("Talking", parent_id=top.id)
    project.create_code("Work")
    window = _window(qtbot, project)
    panel = window.codebook_panel
    view = window.codebook_view

    def shown() -> list[str]:
        names = []
        for code in project.codes():
            index = find_index(window.codebook_model, "code", code.id)
            if not view.isRowHidden(index.row(), index.parent()):
                names.append(code.name)
        return names

    panel.filter.setText("sil")
    assert shown() == ["Coping", "Silence"]
    panel.filter.setText("zzz")
    assert shown() == []
    assert not panel.no_match.isHidden()
    panel.filter.setText("work")
    window.codebook_actions.new_code(None, "Workload")  # the tree is rebuilt: the filter still holds
    assert shown() == ["Work", "Workload"]
    panel.filter.clear()
    assert len(shown()) == 5
    assert panel.no_match.isHidden()


def test_typing_in_the_form_keeps_the_cursor_and_each_pause_is_one_step(qtbot, project: Project) -> None:
    code = project.create_code("Stoicism")
    source = project.add_source("Interview", TEXT)
    project.add_coding(source.id, code.id, 0, 11)
    window = _window(qtbot, project)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    qtbot.waitUntil(lambda: window.segments.model_.rowCount() == 1)
    field = window.codebook_panel.form.fields["definition"]
    field.setFocus()
    qtbot.keyClicks(field, "Holding back")
    qtbot.waitUntil(lambda: project.code(code.id).definition == "Holding back", timeout=3000)
    qtbot.keyClicks(field, " feelings")  # the cursor stayed at the end while the tree was rebuilt
    qtbot.waitUntil(lambda: project.code(code.id).definition == "Holding back feelings", timeout=3000)
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert field.toPlainText() == "Holding back"
    assert window.segments.model_.rowCount() == 1  # the coded segments of the code are still listed


def test_keyboard_moves_like_an_outline(qtbot, project: Project) -> None:
    a, b, c = (project.create_code(name) for name in ("A", "B", "C"))
    window = _window(qtbot, project)
    before = _state(project)
    view = window.codebook_view
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(find_index(window.codebook_model, "code", c.id))
    alt_shift = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view, Qt.Key.Key_Up, alt_shift)
    assert _names(project) == ["A", "C", "B"]
    qtbot.keyClick(view, Qt.Key.Key_Right, alt_shift)  # into A, the code above
    assert _names(project, a.id) == ["C"]
    qtbot.keyClick(view, Qt.Key.Key_Left, alt_shift)  # out again, just after A
    assert _names(project) == ["A", "C", "B"]
    qtbot.keyClick(view, Qt.Key.Key_Down, alt_shift)
    assert _names(project) == ["A", "B", "C"]
    qtbot.keyClick(view, Qt.Key.Key_Down, alt_shift)  # already last: nothing, no undo step
    assert window.undo_stack.count() == 4
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert _state(project) == before
    assert b.id in [code.id for code in project.codes()]


def test_closing_saves_a_pending_definition_and_keeps_the_form_size(qtbot, tmp_path, project: Project) -> None:
    from PySide6.QtCore import QSettings

    code = project.create_code("Stoicism")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(project, settings)
    qtbot.addWidget(window)
    window.show()
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    window.codebook_panel.form.fields["example"].setPlainText("“I just got on with it.”")
    total = sum(window.codebook_panel.splitter.sizes())
    window.codebook_panel.splitter.setSizes([total - 200, 200])
    window.close()
    assert project.code(code.id).example == "“I just got on with it.”"
    again = MainWindow(project, settings)
    qtbot.addWidget(again)
    again.show()
    assert again.codebook_panel.splitter.sizes()[1] == 200


def test_dragging_the_selected_text_onto_a_code_applies_it(qtbot, project: Project, monkeypatch) -> None:
    source = project.add_source("Interview", TEXT)
    code = project.create_code("Stoicism")
    window = _window(qtbot, project)
    window.show_source(source.id)
    start, end = TEXT.index("I kept"), TEXT.index(", mostly")
    window.document.select_range(start, end)
    data = QMimeData()
    data.setText(TEXT[start:end])
    point = QPointF(_rect(window, code.id).center())
    outside = QDropEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier)
    window.codebook_view.dropEvent(outside)  # text from another application: not a coding gesture
    qtbot.wait(20)
    assert project.coding_count() == 0
    monkeypatch.setattr(QDropEvent, "source", lambda _event: window.document.viewport())
    window.codebook_view.dropEvent(QDropEvent(point, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                              Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: project.coding_count() == 1)
    coding = project.codings_for_code(code.id)[0]
    assert (coding.start, coding.end) == (start, end)
    assert project.source_text(source.id) == TEXT
    window.undo_stack.undo()
    assert project.coding_count() == 0


def test_delete_key_deletes_the_current_code_undoably(qtbot, project: Project) -> None:
    code = project.create_code("Stoicism")
    window = _window(qtbot, project)
    view = window.codebook_view
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert project.codes() == []
    window.undo_stack.undo()
    assert [c.id for c in project.codes()] == [code.id]


def test_an_empty_codebook_says_how_to_start(qtbot, project: Project, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = _window(qtbot, project)
    panel = window.codebook_panel
    assert not panel.no_match.isHidden()
    assert "No codes yet" in panel.no_match.text()
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Stoicism", True)))
    panel.new_code.click()
    assert [c.name for c in project.codes()] == ["Stoicism"]
    assert panel.no_match.isHidden()


def test_merge_dialog_filter_picks_the_first_code_that_can_take_the_merge(qtbot, project: Project) -> None:
    silence = project.create_code("Silence")
    project.create_code("Silent treatment", parent_id=silence.id)
    target = project.create_code("Silences at work")
    window = _window(qtbot, project)
    dialog = window.codebook_actions.open_merge_dialog([silence.id])
    dialog.filter.setText("silen")  # 'Silence' and its sub-code cannot be chosen
    assert dialog.chosen_code_id() == target.id
    dialog.filter.setText("zzz")
    assert dialog.chosen_code_id() is None
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.reject()
    assert len(project.codes()) == 3


def test_a_read_only_project_offers_no_codebook_changes(qtbot, tmp_path) -> None:
    with Project.create(tmp_path / "p.qcode") as project:
        code = project.create_code("Stoicism", definition="Keeping feelings in.")
        other = project.create_code("Help-seeking")
    with Project.open(tmp_path / "p.qcode", mode="read") as project:
        window = _window(qtbot, project)
        panel = window.codebook_panel
        window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
        assert panel.form.fields["definition"].toPlainText() == "Keeping feelings in."
        assert panel.form.fields["definition"].isReadOnly()
        assert panel.form.name.isReadOnly()
        assert not panel.form.color.isEnabled()
        assert not panel.new_code.isEnabled()
        assert not window.codebook_view.dragEnabled()
        index = find_index(window.codebook_model, "code", code.id)
        assert not window.codebook_model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
        assert not window.codebook_actions.merge_codes([code.id], other.id)
        assert not window.codebook_actions.move_codes([other.id], None, code.id)
        assert [c.name for c in project.codes()] == ["Stoicism", "Help-seeking"]
        window.close()
