"""Team work in the app: merging a project (with choices, undoable), the agreement table (saved to Excel and
Word), the disagreement review (each resolution undoable) and blind coding."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.core.team.agreement import AgreementRequest, compute
from qcode.gui.main_window import MainWindow

TEXT = "We talk at the club on Sundays.\n\nMy father never talked about it.\n\nMates help, honestly."


def _snapshot(project: Project) -> tuple:
    return (sorted((s.name, s.sha256) for s in project.sources()),
            sorted((c.name, c.definition) for c in project.codes()),
            sorted((c.source_id, c.code_id, c.coder_id, c.start, c.end) for c in project.codings(Filter())))


def _everything(project: Project) -> tuple:
    """All a merge may touch, with identities: coders, sources, codes, codings, memos (text, date, author)."""
    guids = project.coder_guids()
    return (_snapshot(project),
            [(c.id, c.name, c.color, guids.get(c.id)) for c in project.coders()],
            sorted((m.id, m.target_kind, m.target_id, m.text, m.updated_at, m.coder_id)
                   for m in project.memos(everyone=True)),
            sorted(project.exchange_guids("memo").items()),
            sorted((c.name, c.id) for c in project.cases()))


@pytest.fixture
def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    paths = []
    for who, definition, spans in (("Ana", "Talk among peers.", ((0, 31), (33, 64))),
                                   ("Ben", "Confiding in others.", ((0, 20), (66, 86)))):
        path = tmp_path / f"{who}.qcode"
        with Project.create(path) as project:
            project.use_coder(who)
            source = project.add_source("Interview", TEXT)
            code = project.create_code("Support", definition=definition)
            for start, end in spans:
                project.add_coding(source.id, code.id, start, end)
            if who == "Ben":
                project.add_source("Field notes", "A quiet evening at the shed.")
        paths.append(path)
    return paths[0], paths[1]


@pytest.fixture
def window(qtbot, two_copies):
    project = Project.open(two_copies[0])
    project.use_coder("Ana")
    win = MainWindow(project)
    qtbot.addWidget(win)
    yield win
    win.close()
    project.close()


def test_merge_project_with_a_choice_then_undo(window: MainWindow, two_copies) -> None:
    project = window.project
    project.set_memo("code", project.find_code("Support").id, "Ana's thoughts on support.")
    with Project.open(two_copies[1]) as other:
        other.use_coder("Ben")
        support = other.find_code("Support").id
        other.set_memo("code", support, "Ben's thoughts on support.")
        other.set_memo("coding", other.codings()[0].id, "Ben's note on the club.")
    before = _snapshot(project)
    everything = _everything(project)
    dialog = window.team.open_merge()
    preview = dialog.load(two_copies[1])
    assert preview is not None
    assert not preview.applied
    assert _snapshot(project) == before
    assert dialog.conflicts.rowCount() == 1
    assert "sources: 1 matched by content, 1 added" in dialog.report.toPlainText()
    dialog.choose(preview.conflicts[0].key, "theirs")
    report = dialog.merge()
    assert report is not None
    assert report.applied
    assert project.find_code("Support").definition == "Confiding in others."
    assert len(project.sources()) == 2
    assert len(project.codings(Filter())) == 4
    assert len(window.sources_model.ranks) == 2  # the window reloaded its sources
    assert [c.name for c in project.coders()] == ["Ana", "Ben"]
    merged_memo = project.memo("code", project.find_code("Support").id).text
    assert "Ben's thoughts on support." in merged_memo
    window.coders.set_filter(project.coders()[1].id)  # showing Ben's codings when the merge is taken back
    merged = _snapshot(project)
    merged_coders = [(c.name, guid) for c, guid in zip(project.coders(), project.coder_guids().values(),
                                                        strict=True)]
    window.undo_stack.undo()
    assert _snapshot(project) == before
    assert _everything(project) == everything  # Ben is gone again, and Ana's memo is hers as it was
    assert window.coders.filter_id is None
    window.coders.fill_filter_menu(window.coder_filter_menu)
    assert [a.text() for a in window.coder_filter_menu.actions() if a.text()] == ["All coders", "Ana"]
    window.undo_stack.redo()
    assert _snapshot(project) == merged
    assert [(c.name, guid) for c, guid in zip(project.coders(), project.coder_guids().values(), strict=True)] \
        == merged_coders  # Ben comes back with the identity he has in his copy
    window.undo_stack.undo()
    assert _everything(project) == everything
    two_copies[1].rename(two_copies[1].with_name("moved.qcode"))  # redo merges the file as it was merged
    window.undo_stack.redo()
    assert _snapshot(project) == merged
    assert project.memo("code", project.find_code("Support").id).text == merged_memo
    dialog.close()


def _merged(window: MainWindow, other: Path) -> tuple[int, int]:
    window.project.merge_project(other, prefer="ours")
    coders = {c.name: c.id for c in window.project.coders()}
    return coders["Ana"], coders["Ben"]


def test_agreement_table_and_its_exports(qtbot, window: MainWindow, two_copies, tmp_path: Path) -> None:
    ana, ben = _merged(window, two_copies[1])
    dialog = window.team.open_agreement()
    assert dialog is not None
    assert dialog.chosen_coders() == (ana, ben)
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        dialog.start()
    expected = compute(window.project, AgreementRequest((ana, ben)))
    rows = dialog.shown_rows()
    assert [r[0] for r in rows] == ["Support", "(all codes)"]
    assert rows[0][2:4] == [str(expected.rows[0].figures.units), str(expected.rows[0].figures.coded_units)]
    assert float(rows[0][5]) == pytest.approx(expected.rows[0].figures.cohen_kappa, abs=1e-3)
    assert "paragraph" in dialog.method.text()
    xlsx = dialog.export_to(tmp_path / "agreement.xlsx")
    assert xlsx is not None
    sheet = load_workbook(xlsx).active
    assert "Cohen's kappa" in sheet["A3"].value
    word = dialog.export_to(tmp_path / "agreement.docx")
    assert word is not None
    assert docx.Document(str(word)).tables[0].rows[1].cells[0].text == "Support"
    dialog.close()


def test_review_walks_and_resolves_disagreements(window: MainWindow, two_copies) -> None:
    project = window.project
    ana, ben = _merged(window, two_copies[1])
    review = window.team.open_review((ana, ben))
    assert review is not None
    # Ana: [0, 31) and [33, 64); Ben: [0, 20) and [66, 86): Ana alone on [20, 31) and [33, 64), Ben alone on [66, 86)
    assert [(d.start, d.end, d.coders) for d in review.items] == [(20, 31, (ana,)), (33, 64, (ana,)),
                                                                  (66, 86, (ben,))]
    assert review.lanes.ranges[ana] == [(0, 31), (33, 64)]
    assert review.index == 0
    notes = window.project.find_source("Field notes").id
    review.source.setCurrentIndex(review.source.findData(notes))
    assert review.items == []  # nobody coded the field notes
    review.source.setCurrentIndex(0)
    assert len(review.items) == 3
    review.go(1)
    assert review.current().start == 33
    review.go(-1)
    before = _snapshot(project)
    assert review.resolve("accept", ana)  # Ben now codes [20, 31) too
    assert [(d.start, d.end) for d in review.items] == [(33, 64), (66, 86)]
    assert review.current().start == 33
    assert review.resolve("remove")  # nobody codes [33, 64)
    assert review.resolve("keep")
    assert [(d.start, d.end) for d in review.items] == [(66, 86)]
    assert review.resolve("accept", ana)  # Ana did not code [66, 86): Ben's coding goes
    assert review.items == []
    assert "No disagreements" in review.where.text()
    for _ in range(3):
        window.undo_stack.undo()
    assert _snapshot(project) == before
    assert len(review.items) == 3
    window.undo_stack.redo()
    assert len(review.items) == 2
    review.close()


def test_blind_coding_shows_only_the_own_codings(window: MainWindow, two_copies) -> None:
    project = window.project
    ana, ben = _merged(window, two_copies[1])
    assert window.coders.filter_id is None
    window.team.blind_action.trigger()
    assert project.blind_coding
    assert window.coders.filter_id == ana
    assert not window.coder_filter_menu.isEnabled()
    window.coders.set_filter(ben)  # refused while blind
    assert window.coders.filter_id == ana
    interview = project.find_source("Interview").id
    window.open_excerpt(interview, 0, 5)
    assert {c.coder_id for c in window.document.codings_at(5)} == {ana}  # Ben coded it too, but is not shown
    window.undo_stack.undo()
    assert not project.blind_coding
    assert window.coders.filter_id is None
    assert {c.coder_id for c in window.document.codings_at(5)} == {ana, ben}
    window.team.blind_action.trigger()
    dialog = window.team.open_agreement()  # comparing asks, then ends blind coding (the test answers yes)
    assert dialog is not None
    assert not project.blind_coding
    dialog.close()


def test_agreement_over_chosen_codes_and_sources(qtbot, window: MainWindow, two_copies) -> None:
    _merged(window, two_copies[1])
    dialog = window.team.open_agreement()
    assert dialog is not None
    interview = window.project.find_source("Interview").id
    dialog.scope.sources.choose([interview])
    dialog.scope.codes.choose([window.project.find_code("Support").id])
    request = dialog.request()
    assert request.scope.sources == (interview,)
    with qtbot.waitSignal(dialog.computed, timeout=10000):
        dialog.start()
    assert dialog.report is not None
    assert dialog.report.sources == 1
    assert [r.code for r in dialog.report.rows] == ["Support", "(all codes)"]
    dialog.close()


def test_blind_coding_holds_in_the_panels_read_on_workers(qtbot, window: MainWindow, two_copies,
                                                         tmp_path: Path) -> None:
    """The window codes as Ana while $QCODE_CODER names someone else: its workers read for Ana too."""
    from qcode.gui.models.project_trees import find_index

    project = window.project
    _merged(window, two_copies[1])
    window.team.blind_action.trigger()
    interview = project.find_source("Interview").id
    count = window.sources_model.itemFromIndex(find_index(window.sources_model, "source", interview, 1))
    assert count.text() == "2"  # Ana's two codings; Ben's are not counted
    support = project.find_code("Support").id
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", support))
    qtbot.waitUntil(lambda: not window.segments.locating() and window.segments.model_.rowCount() > 0)
    model = window.segments.model_
    assert [model.index(row, 4).data() for row in range(model.rowCount())] == ["Ana", "Ana"]
    window.team.blind_action.trigger()  # the team compares: Ben's codings are listed again
    qtbot.waitUntil(lambda: not window.segments.locating() and window.segments.model_.rowCount() == 4)
    assert count.text() == "4"


def test_blind_coding_starts_while_another_coder_is_shown(qtbot, window: MainWindow, two_copies) -> None:
    """Showing Ben's codings, then starting blind coding (and undoing and redoing it): every view follows
    without an error, and shows Ana's codings only."""
    from qcode.gui.models.project_trees import find_index

    project = window.project
    ana, ben = _merged(window, two_copies[1])
    interview = project.find_source("Interview").id
    window.open_excerpt(interview, 0, 5)
    support = project.find_code("Support").id
    window.codebook_view.setCurrentIndex(find_index(window.codebook_model, "code", support))
    window.coders.set_filter(ben)
    qtbot.waitUntil(lambda: not window.segments.locating())
    assert {c.coder_id for c in window.document.codings_at(5)} == {ben}
    window.team.blind_action.trigger()
    assert window.coders.filter_id == ana
    qtbot.waitUntil(lambda: not window.segments.locating() and window.segments.model_.rowCount() == 2)
    assert {c.coder_id for c in window.document.codings_at(5)} == {ana}
    window.undo_stack.undo()
    window.undo_stack.redo()
    qtbot.waitUntil(lambda: not window.segments.locating() and window.segments.model_.rowCount() == 2)
    assert window.coders.filter_id == ana
    assert {c.coder_id for c in window.document.codings_at(5)} == {ana}


def test_the_review_closes_when_blind_coding_starts(qtbot, window: MainWindow, two_copies) -> None:
    ana, ben = _merged(window, two_copies[1])
    review = window.team.open_review((ana, ben))
    assert review is not None
    assert review.isVisible()
    window.team.blind_action.trigger()
    assert not review.isVisible()  # it would show Ben's codings to Ana
    interview = window.project.find_source("Interview").id
    window.project.add_coding(interview, window.project.find_code("Support").id, 66, 70)  # no error either

