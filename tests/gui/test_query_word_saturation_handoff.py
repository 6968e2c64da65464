"""The coding query, word frequency and saturation tables go to the clipboard, Word and Excel as shown, under a
caption that states the question and the filters."""

from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.gui.analysis_helpers import open_view, table_rows, wait_result
from tests.unit.analysis_fixture import build_small


@pytest.fixture
def small(tmp_path):
    built = build_small(tmp_path / "small.qcode")
    yield built
    built.project.close()


def _ready(qtbot, small, key):
    window, view = open_view(qtbot, small, key)
    if key == "query":
        view.builder.set_text('"Support/Peers" OR "Barriers"')
        wait_result(qtbot, view, view.builder.run_button.click)
    else:
        wait_result(qtbot, view)
    wait_result(qtbot, view, lambda: view.filters.choose(folders=[], sources=[small.s1, small.s2]))
    return window, view


@pytest.mark.parametrize(("key", "question"), [
    ("query", 'Coding query "Support/Peers" OR "Barriers"'),
    ("words", "The 100 most frequent words"),
    ("saturation", "Saturation: new codes per source, in order of import"),
])
def test_copy_word_and_excel_hold_the_table_shown(qtbot, small, tmp_path, key, question):
    _window, view = _ready(qtbot, small, key)
    shown = table_rows(view)
    assert shown
    copied = view.copy_table().splitlines()
    assert copied[0].split("\t") == list(view.model.table.columns)
    assert [line.split("\t")[0] for line in copied[1:]] == [str(row[0]) for row in shown]

    docx = view.export_word(tmp_path / f"{key}.docx")
    document = Document(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert question in text
    assert "Interview A" in text  # the filters, in words
    assert "Focus group" in text
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == list(view.model.table.columns)
    assert len(table.rows) == 1 + len(view.model.table.rows)
    assert table.rows[1].cells[0].text == str(view.model.table.rows[0][0])

    xlsx = view.export_excel(tmp_path / f"{key}.xlsx")
    book = load_workbook(xlsx)
    sheet = book["Result"]
    assert [c.value for c in sheet[1]][:len(view.model.table.columns)] == list(view.model.table.columns)
    assert sheet.freeze_panes == "A2"
    notes = [sheet.cell(row=r, column=1).value for r in range(2 + len(shown), sheet.max_row + 1)]
    assert [n for n in notes if n] == ([view.model.table.note] if view.model.table.note else [])
    assert [sheet.cell(row=2 + i, column=1).value for i in range(len(shown))] == [row[0] for row in shown]
