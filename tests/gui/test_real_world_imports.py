"""Files from other tools dropped onto the window import with their structure: a Zoom transcript, a library
without abstracts, a Qualtrics export (through the survey dialog), a Strict Word document, a filled-in PDF form,
a right-to-left PDF and a web capture with image descriptions. All of them fictional and made here."""

from __future__ import annotations

from pathlib import Path

import docx
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtTest import QTest
from reportlab.pdfgen import canvas

from qcode.core.importers.survey_columns import survey_columns
from qcode.core.project import Project
from qcode.gui.dialogs.survey_dialog import SurveyDialog
from qcode.gui.main_window import MainWindow
from qcode.gui.models.project_trees import find_index
from tests.importers.test_pdf_real_world import ARABIC, FONT_CANDIDATES, rtl_font, visual
from tests.importers.test_references import SCHOLAR_BIB
from tests.importers.test_strict_ooxml import strict_copy
from tests.importers.test_survey_exports import QUALTRICS, write_csv
from tests.importers.test_transcript_layouts import ZOOM


def _files(folder: Path) -> list[Path]:
    folder.mkdir()
    (folder / "zoom.txt").write_text(ZOOM, encoding="utf-8")
    (folder / "scholar.bib").write_text(SCHOLAR_BIB, encoding="utf-8")
    write_csv(folder / "qualtrics.csv", QUALTRICS)
    document = docx.Document()
    document.add_paragraph("Strict notes from the allotment.")
    document.save(str(folder / "plain.docx"))
    strict_copy(folder / "plain.docx", folder / "strict.docx")
    (folder / "plain.docx").unlink()
    form = canvas.Canvas(str(folder / "consent.pdf"))
    form.drawString(72, 760, "Consent form.")
    form.acroForm.textfield(name="participant", value="Rosa Lind", x=72, y=700, width=200, height=20)
    form.showPage()
    form.save()
    (folder / "capture.html").write_text('<p>Our shed <img src="s.jpg" alt="a green shed"> today.</p>',
                                         encoding="utf-8")
    files = sorted(folder.iterdir())
    if any(p.exists() for p in FONT_CANDIDATES):
        rtl = canvas.Canvas(str(folder / "rtl.pdf"))
        rtl.setFont(rtl_font(), 14)
        rtl.drawString(72, 760, visual(ARABIC))
        rtl.showPage()
        rtl.save()
        files.append(folder / "rtl.pdf")
    return files


def test_dropped_files_from_other_tools_import_with_their_structure(qtbot, project: Project, tmp_path: Path) -> None:
    window = MainWindow(project)
    qtbot.addWidget(window)
    flow = window.import_flow
    flow.show_report = False
    labels: list[list[str]] = []

    def choose(path: Path, parent: object):
        dialog = SurveyDialog(path, survey_columns(path), parent)
        labels.append([column.header for column in dialog.columns.columns])
        dialog.set_role(0, "ignore")
        dialog.set_role(3, "text")
        assert dialog.problem() == ""
        return dialog.options()

    flow.choose_survey = choose
    files = _files(tmp_path / "in")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(flow.finished, timeout=60_000) as blocker:
        window.dropEvent(drop)
    outcomes = {Path(o.path).name: o for o in blocker.args[0]}
    assert {name: o.status for name, o in outcomes.items()} == {p.name: "imported" for p in files}
    assert labels == [["StartDate", "ResponseId", "How old are you?", "Where do you meet others?",
                       "What else should we know?"]]
    assert "4 with the citation only" in outcomes["scholar.bib"].reason
    by_name = {s.name: s for s in project.sources()}
    zoom = by_name["zoom"]
    assert [s.value for s in project.spans(zoom.id, "turn")] == ["Rosa Lind", "tom ashby", "Rosa Lind", "tom ashby"]
    assert [s.value for s in project.spans(zoom.id, "timestamp")][:1] == ["11:02:09"]
    assert "Where do you meet others?" in by_name
    assert [c.name for c in project.cases()] == ["R_1a2B3c", "R_4d5E6f"]
    assert project.source_text(by_name["strict"].id) == "Strict notes from the allotment."
    assert project.source_text(by_name["consent"].id) == "Consent form.\n\nparticipant: Rosa Lind"
    assert project.source_text(by_name["capture"].id) == "Our shed a green shed today."
    assert project.source_text(by_name["Lind 2021 - Sheds, tools and talk"].id).startswith("Lind, Rosa; Ashby, Tom")
    if "rtl" in by_name:
        assert project.source_text(by_name["rtl"].id) == ARABIC
    window.undo_stack.undo()
    assert project.sources() == []
    assert project.cases() == []


def test_a_zoom_label_line_is_bold_in_the_document(qtbot, project: Project, tmp_path: Path) -> None:
    path = tmp_path / "zoom.txt"
    path.write_text(ZOOM, encoding="utf-8")
    source_id = project.import_file(path).source_ids[0]
    window = MainWindow(project)
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    qtbot.waitExposed(window)
    rect = window.sources_view.visualRect(find_index(window.sources_model, "source", source_id))
    QTest.mouseClick(window.sources_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = window.document
    qtbot.waitUntil(lambda: view.toPlainText().startswith("[Rosa Lind]"))

    def bold(offset: int) -> bool:
        cursor = QTextCursor(view.document())
        cursor.setPosition(view.offsets.to_qt(offset) + 1)
        return cursor.charFormat().fontWeight() >= 700

    line = ZOOM.index("[tom ashby] 11:02:15")
    assert all(bold(line + i) for i in range(len("[tom ashby] 11:02:1")))
    assert not bold(ZOOM.index("Glad to be"))
