"""The Sources panel: filter, folders, rename, move (menu and drag), delete, attributes; each one undo step."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import SOURCES_MIME, find_index
from qcode.gui.views.source_attributes import SourceAttributesDialog


def _window(qtbot, project: Project) -> MainWindow:
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.show()
    return window


def _visible_names(window: MainWindow) -> list[str]:
    names = []

    def walk(parent) -> None:
        model = window.sources_model
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if not window.sources_view.isRowHidden(row, parent):
                names.append(index.data())
                walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return names


def test_filter_shows_matching_sources_and_their_folders(qtbot, project: Project) -> None:
    folder = project.create_folder("Interviews")
    project.add_source("Marcus", "text one", folder_id=folder.id)
    project.add_source("Dev", "text two", folder_id=folder.id)
    project.add_source("Survey", "text three")
    window = _window(qtbot, project)
    qtbot.keyClicks(window.sources_panel.filter, "mar")
    assert _visible_names(window) == ["Interviews", "Marcus"]
    window.sources_panel.filter.clear()
    assert _visible_names(window) == ["Interviews", "Marcus", "Dev", "Survey"]


def test_folders_rename_move_delete_and_undo(qtbot, project: Project) -> None:
    source = project.add_source("Marcus", "Al: text one")
    code = project.create_code("C")
    project.add_coding(source.id, code.id, 0, 3)
    window = _window(qtbot, project)
    panel = window.sources_panel
    assert panel.new_folder(None, "Interviews")
    folder = project.folders()[0]
    assert panel.rename("source", source.id, "Marcus (club)")
    assert panel.move_items([("source", source.id)], folder.id)
    assert project.source(source.id).folder_id == folder.id
    assert project.source_path(source.id) == "Interviews/Marcus (club)"
    assert panel.delete([("folder", folder.id)], confirm=False)
    assert project.sources() == []
    assert window.document.source_id is None
    for expected in ("Interviews/Marcus (club)", "Marcus (club)", "Marcus"):  # undo step by step
        window.undo_stack.undo()
        assert project.source_path(source.id) == expected
    assert len(project.codings_for_source(source.id)) == 1
    window.undo_stack.undo()
    assert project.folders() == []
    while window.undo_stack.canRedo():
        window.undo_stack.redo()
    assert project.sources() == []


def test_a_refused_move_changes_nothing(qtbot, project: Project, modal_messages: list[str]) -> None:
    folder = project.create_folder("F")
    project.add_source("Same", "one", folder_id=folder.id)
    other = project.add_source("Same", "two")
    window = _window(qtbot, project)
    assert not window.sources_panel.move_items([("source", other.id)], folder.id)
    assert project.source(other.id).folder_id is None
    assert modal_messages
    assert window.undo_stack.count() == 0


def test_dropping_sources_on_a_folder_moves_them_as_one_step(qtbot, project: Project) -> None:
    folder = project.create_folder("Wave 2")
    a, b = project.add_source("A", "one"), project.add_source("B", "two")
    window = _window(qtbot, project)
    model = window.sources_model
    data = model.mimeData([find_index(model, "source", a.id), find_index(model, "source", b.id)])
    assert data.hasFormat(SOURCES_MIME)
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, find_index(model, "folder", folder.id))
    assert [project.source(s).folder_id for s in (a.id, b.id)] == [folder.id, folder.id]
    window.undo_stack.undo()
    assert [project.source(s).folder_id for s in (a.id, b.id)] == [None, None]
    assert not model.dropMimeData(QMimeData(), Qt.DropAction.MoveAction, -1, -1, find_index(model, "folder", folder.id))


def test_source_attributes_dialog_sets_typed_values_in_one_step(qtbot, project: Project,
                                                                 modal_messages: list[str]) -> None:
    source = project.add_source("A", "one")
    year = project.create_attribute("Year", "number", scope="source")
    setting = project.create_attribute("Setting", "choice", scope="source", choices=["club", "online"])
    window = _window(qtbot, project)
    dialog = SourceAttributesDialog(project, source.id, window.undo_stack, window)
    qtbot.addWidget(dialog)
    dialog.editors[year.id].setText("not a year")
    dialog.editors[setting.id].setCurrentIndex(dialog.editors[setting.id].findData("club"))
    assert not dialog.apply()  # refused: nothing is set
    assert modal_messages
    assert project.attribute_values("source", source.id) == {}
    dialog.editors[year.id].setText("2024")
    assert dialog.apply()
    assert project.attribute_values("source", source.id) == {"Year": 2024, "Setting": "club"}
    window.undo_stack.undo()
    assert project.attribute_values("source", source.id) == {}


def test_rename_and_move_folders_delete_sources_undo_and_redo(qtbot, project: Project,
                                                              modal_messages: list[str]) -> None:
    first = project.create_folder("Interviws")
    second = project.create_folder("Wave 2")
    inside = project.add_source("Marcus", "Al: text one", folder_id=first.id)
    loose = [project.add_source(name, f"Al: text of {name}") for name in ("Dev", "Sam")]
    code = project.create_code("C")
    project.add_coding(loose[1].id, code.id, 0, 3)
    window = _window(qtbot, project)
    panel = window.sources_panel

    def state() -> tuple:
        return (sorted(project.folder_path(f.id) for f in project.folders()),
                sorted(project.source_path(s.id) for s in project.sources()), project.coding_count())

    before = state()
    assert panel.rename("folder", first.id, "Interviews")  # RenameFolder
    assert panel.move_items([("folder", second.id)], first.id)  # MoveFolder
    assert project.source_path(inside.id) == "Interviews/Marcus"
    assert not panel.rename("folder", second.id, "Wave 2")  # unchanged name: no step
    window.show_source(loose[1].id)
    assert panel.delete([("source", s.id) for s in loose])  # DeleteSources, after asking
    assert modal_messages[-1] == "Delete 2 sources and their 1 codings? You can undo this with Ctrl+Z."
    after = state()
    assert after == (["Interviews", "Interviews/Wave 2"], ["Interviews/Marcus"], 0)
    assert window.document.source_id is None  # the shown source went with them
    for _ in range(3):
        window.undo_stack.undo()
    assert state() == before
    assert {s.id for s in project.sources()} == {inside.id, *(s.id for s in loose)}  # the same sources come back
    for _ in range(3):
        window.undo_stack.redo()
    assert state() == after
    assert project.check() == []
    project.create_folder("Clash")
    assert not panel.rename("folder", first.id, "clash")  # refused by the core: said, nothing changed
    assert "already" in modal_messages[-1]
    assert state()[0] == ["Clash", "Interviews", "Interviews/Wave 2"]
