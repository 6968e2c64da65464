"""The coded-segments panel updates only the sources that changed and still lists exactly what the core lists."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from qcode.core.project import Project
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index
from qcode.gui.views.segments_panel import CODING_ROLE
from tests.gui.gestures import click_code, double_click_code, open_source, press, show

TEXT = "Interviewer: so 😀 how was it?\n\nAl: we walked and talked, it helped.\n\nInterviewer: ok\n\nAl: the lads"


def _listed(window: MainWindow) -> list[tuple]:
    model = window.segments.model_
    return [(*model.index(row, 0).data(CODING_ROLE), model.index(row, 3).data(), model.index(row, 4).data())
            for row in range(model.rowCount())]


def _core(project: Project, code_id: int) -> list[tuple]:
    coders = {c.id: c.name for c in project.coders()}
    return [(e.coding.source_id, e.coding.start, e.coding.end, e.location, coders[e.coding.coder_id])
            for e in project.excerpts(code_id, include_descendants=True, with_location=True)]


def test_panel_follows_codings_applied_and_removed_anywhere(qtbot, project: Project) -> None:
    project.use_coder("Jordan")
    folder_b = project.create_folder("B interviews")
    folder_a = project.create_folder("A interviews")
    sources = [project.add_source(f"Int {i}", TEXT, folder_id=(folder_a, folder_b, None)[i % 3].id
                                  if i % 3 != 2 else None) for i in range(6)]
    parent = project.create_code("Support")
    child = project.create_code("Walking", parent_id=parent.id)
    project.add_coding(sources[3].id, child.id, 20, 40)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", parent.id))
    qtbot.waitUntil(lambda: not window.segments.locating())
    assert _listed(window) == _core(project, parent.id)
    rng = random.Random(5)
    show(qtbot, window)
    for _ in range(25):  # codings into sources already listed and new to the list, by the GUI's undo commands
        source = rng.choice(sources)
        open_source(qtbot, window, source.id)
        start = rng.randrange(0, len(TEXT) - 10)
        window.document.select_range(start, start + rng.randint(1, 9))
        chosen = rng.choice((parent.id, child.id))
        double_click_code(qtbot, window, chosen)  # selects the code too, so the list shows its segments
        qtbot.waitUntil(lambda chosen=chosen: not window.segments.locating() and window.segments.code_ids == (chosen,))
        assert _listed(window) == _core(project, chosen)
    click_code(qtbot, window, parent.id)
    qtbot.waitUntil(lambda: not window.segments.locating() and window.segments.code_ids == (parent.id,))
    for coding in project.codings_for_code(parent.id, include_descendants=True)[::2]:
        window.remove_coding(coding.id)
        assert _listed(window) == _core(project, parent.id)
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
        assert _listed(window) == _core(project, parent.id)
    assert len(_listed(window)) == 1


def test_a_coding_applied_while_the_list_is_read_ends_up_listed(qtbot, project: Project) -> None:
    code = project.create_code("Walking")
    sources = [project.add_source(f"Int {i:02d}", TEXT) for i in range(8)]
    for source in sources:
        project.add_coding(source.id, code.id, 18, 30)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    assert window.segments.locating()  # read in the background: the window is not blocked
    show(qtbot, window)
    open_source(qtbot, window, sources[5].id)
    window.document.select_range(40, 50)
    press(qtbot, window.codebook_view, Qt.Key.Key_Return)  # Enter on the code, while the list is read
    qtbot.waitUntil(lambda: not window.segments.locating(), timeout=10_000)
    assert _listed(window) == _core(project, code.id)
    assert len(_listed(window)) == 9


def test_a_new_source_order_is_followed(qtbot, project: Project) -> None:
    code = project.create_code("Walking")
    folder = project.create_folder("Later")
    sources = [project.add_source(f"Int {i}", TEXT) for i in range(3)]
    for source in sources:
        project.add_coding(source.id, code.id, 18, 30)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", code.id))
    qtbot.waitUntil(lambda: not window.segments.locating())
    project.move_source(sources[0].id, folder.id)  # now listed last
    show(qtbot, window)
    open_source(qtbot, window, sources[0].id)
    window.document.select_range(40, 50)
    double_click_code(qtbot, window, code.id)
    qtbot.waitUntil(lambda: not window.segments.locating())
    assert _listed(window) == _core(project, code.id)


def test_a_code_renamed_recoloured_or_moved_shows_at_once_in_every_panel(qtbot, project: Project) -> None:
    """The panels keep the codebook between codings; a change of a code still shows at once, before any
    reading of the list in the background (a cache that went stale would show the old path or colour)."""
    from qcode.gui.commands.codebook import EditCode, MoveCodes

    parent = project.create_code("Support")
    child = project.create_code("Walking", parent_id=parent.id)
    places = project.create_code("Places")
    source = project.add_source("Int 1", TEXT)
    project.add_coding(source.id, child.id, 20, 40)
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", parent.id))
    qtbot.waitUntil(lambda: not window.segments.locating())
    show(qtbot, window)
    open_source(qtbot, window, source.id)
    model = window.segments.model_

    def apply_at(start: int) -> None:  # a coding into a source already listed: its rows are replaced at once
        window.document.select_range(start, start + 4)
        window.coding.apply_code(child.id)
        assert not window.segments.locating()  # replaced in place, not read again

    def shown(path: str, color: str) -> None:
        assert [model.index(row, 0).data() for row in range(model.rowCount())] == [path] * model.rowCount()
        assert model.codes[child.id] == (path, color)
        backgrounds = {s.format.background().color().name() for s in window.document.extraSelections()}
        assert QColor(color).name() in backgrounds, "the document's highlights keep the old colour"

    apply_at(45)
    shown("Support › Walking", project.code(child.id).color)
    changes = [
        (EditCode(project, child.id, "Rename", name="Strolling"), "Support › Strolling", None),
        (EditCode(project, child.id, "Recolour", color="#123456"), "Support › Strolling", "#123456"),
        (EditCode(project, parent.id, "Rename", name="Help"), "Help › Strolling", "#123456"),
        (MoveCodes(project, [parent.id], places.id, None, "Move"), "Places › Help › Strolling", "#123456"),
    ]
    for start, (command, path, color) in zip((50, 55, 60, 65), changes, strict=True):
        window.undo_stack.push(command)
        apply_at(start)  # before the list is read again after the codebook change
        shown(path, color or project.code(child.id).color)
        qtbot.waitUntil(lambda: not window.segments.locating())
        shown(path, color or project.code(child.id).color)
    window.undo_stack.undo()  # the last coding applied, then the move
    window.undo_stack.undo()
    apply_at(70)
    shown("Help › Strolling", "#123456")
