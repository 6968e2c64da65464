"""What a reader sees in Word and Excel: page furniture, contents, styles, matrices in one piece, sheets that
print, and a workbook that says what it holds (read back with python-docx and openpyxl)."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from openpyxl.utils import get_column_letter

from qcode.core.analysis.frequencies import Grouping
from qcode.core.exporters import export
from qcode.core.exporters.xlsx_layout import COUNTING_RULES, MAX_ROW_HEIGHT
from qcode.core.model import Filter
from qcode.core.project import Project

TODAY = date(2026, 11, 25)
HEBREW = "אני מדבר עם החברים שלי במועדון."  # fictional: "I talk with my friends at the club."
LONG_ANSWER = " ".join(["We walked and talked about the week, the kids and the job."] * 12)


@pytest.fixture
def study(project: Project) -> Project:
    p = project
    talk = p.add_source("Talk", f"Al: {LONG_ANSWER}\n\nAl: short one.\n\nAl: {HEBREW}")
    text = p.source_text(talk.id)
    walk, home = p.create_code("Walking"), p.create_code("Home")
    p.ensure_coder("Nobody")  # a coder without codings is not named on the title page
    p.use_coder("Ann")
    long_coding = p.add_coding(talk.id, walk.id, 4, 4 + len(LONG_ANSWER))
    p.add_coding(talk.id, walk.id, text.index("short"), text.index("short") + 5)
    p.add_coding(talk.id, home.id, text.index(HEBREW), text.index(HEBREW) + len(HEBREW))
    p.set_memo("coding", long_coding.id, "A routine, not a crisis.")
    for number in range(13):
        case = p.create_case(f"Participant {number + 1:02}")
        p.add_case_member(case.id, talk.id)
    return p


def _body(document: docx.document.Document) -> str:
    return document.element.body.xml


# --- 4. the Word matrix in one piece ------------------------------------------------------------------------


def test_a_matrix_of_thirteen_cases_is_one_landscape_table_in_one_type_size(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "m.docx", what="matrix", today=TODAY)))
    assert len(document.tables) == 1
    table = document.tables[0]
    assert len(table.columns) == 15  # the code, 13 cases and the total
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    sizes = {run.font.size for row in table.rows for cell in row.cells for run in cell.paragraphs[0].runs}
    assert len(sizes) == 1
    assert 'w:textDirection w:val="btLr"' in table._tbl.xml  # narrow columns: the titles read upwards
    section = document.sections[0]
    room = (section.page_width - section.left_margin - section.right_margin) / 914400
    assert sum(c.width for c in table.rows[-1].cells) / 914400 <= room + 0.01
    assert not [p.text for p in document.paragraphs if p.text.startswith("Table ")]  # no "groups 13-13" part


def test_twenty_groups_stay_in_one_table_and_more_split_evenly(project: Project, tmp_path: Path) -> None:
    code = project.create_code("Theme")
    for number in range(41):
        source = project.add_source(f"S{number:02}", "Al: words to code")
        project.add_coding(source.id, code.id, 4, 9)
        if number == 19:
            document = docx.Document(str(export(project, tmp_path / "m20.docx", what="matrix",
                                                grouping=Grouping("source"), today=TODAY)))
            assert [len(t.columns) for t in document.tables] == [22]  # the codes, 20 groups and the total
    document = docx.Document(str(export(project, tmp_path / "m41.docx", what="matrix", grouping=Grouping("source"),
                                        today=TODAY)))
    # 14 + 14 + 13 groups, each with the codes; the total column ends the last part
    assert [len(t.columns) for t in document.tables] == [15, 15, 15]
    assert all(t.rows[0].cells[0].text == "Code" for t in document.tables)
    captions = [p for p in document.paragraphs if p.text.startswith("Table ")]
    assert [p.text for p in captions] == ["Table 1 of 3: groups 1–14 of 41",
                                          "Table 2 of 3: groups 15–28 of 41 (continued)",
                                          "Table 3 of 3: groups 29–41 of 41 (continued)"]
    assert all(p.paragraph_format.keep_with_next for p in captions)


# --- 5. Word reports that look finished ----------------------------------------------------------------------


@pytest.mark.parametrize("what", ["excerpts", "memos", "codebook", "frequencies", "matrix", "transcript"])
def test_every_report_has_page_numbers_and_the_project_in_its_header(study: Project, tmp_path: Path,
                                                                       what: str) -> None:
    source_id = study.find_source("Talk").id if what == "transcript" else None
    document = docx.Document(str(export(study, tmp_path / f"{what}.docx", what=what, source_id=source_id,
                                        today=TODAY)))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == study.name
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer
    assert "NUMPAGES" in footer
    assert "updateFields" not in document.settings.element.xml


def test_contents_entries_carry_pageref_fields_to_bookmarked_headings(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "r.docx", today=TODAY)))
    body = _body(document)
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert [p.text.rstrip("\t") for p in entries] == ["Walking", "Home", "Code frequencies"]
    for number in range(1, len(entries) + 1):
        assert f"PAGEREF _Toc_qcode_{number} \\h" in body
        assert f'w:name="_Toc_qcode_{number}"' in body
    assert "TOC \\o" not in body  # no TOC field whose saved text LibreOffice would show without numbers


def test_citations_have_their_own_style_and_memos_sit_under_their_excerpt(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "r.docx", today=TODAY)))
    paragraphs = document.paragraphs
    styles = [p.style.name for p in paragraphs]
    assert "Caption" not in {p.style.name for p in paragraphs if "Coder:" in p.text}
    citation = next(p for p in paragraphs if p.style.name == "Excerpt citation")
    assert citation.style.base_style.name == "Normal"
    memo = styles.index("Excerpt memo")
    assert paragraphs[memo].text == "Memo: A routine, not a crisis."
    assert styles[memo - 2:memo] == ["Quote", "Excerpt citation"]  # right after its excerpt and citation
    assert paragraphs[memo - 1].paragraph_format.keep_with_next
    assert paragraphs[memo - 2].paragraph_format.keep_with_next
    assert paragraphs[memo].style.paragraph_format.left_indent.inches >= 0.5  # indented under the quotation
    assert "w:pBdr" in paragraphs[memo].style.element.xml  # a rule on its left ties it to the excerpt


def test_the_title_page_names_only_the_coders_in_the_export(study: Project, tmp_path: Path) -> None:
    texts = [p.text for p in docx.Document(str(export(study, tmp_path / "r.docx", today=TODAY))).paragraphs]
    assert "Coders: Ann" in texts
    study.use_coder("Ben")
    study.add_coding(study.find_source("Talk").id, study.find_code("Home").id, 0, 2)
    ann = next(c.id for c in study.coders() if c.name == "Ann")
    texts = [p.text for p in docx.Document(str(export(study, tmp_path / "a.docx", flt=Filter(coders=(ann,)),
                                                      today=TODAY))).paragraphs]
    assert "Coders: Ann" in texts


def test_right_to_left_excerpts_are_marked(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "r.docx", today=TODAY)))
    hebrew = next(p for p in document.paragraphs if p.text == HEBREW)
    assert hebrew._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
    assert "<w:rtl/>" in hebrew._p.xml
    english = next(p for p in document.paragraphs if p.text == "short")
    assert "w:bidi" not in english._p.xml
    transcript = docx.Document(str(export(study, tmp_path / "t.docx", what="transcript",
                                          source_id=study.find_source("Talk").id, today=TODAY)))
    cell = transcript.tables[0].rows[3].cells[1].paragraphs[0]
    assert "w:bidi" in cell._p.xml


def test_table_rows_never_break_across_pages_and_headers_repeat(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "c.docx", what="codebook", today=TODAY)))
    table = document.tables[0]
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert all("w:cantSplit" in row._tr.xml for row in table.rows[1:])


# --- 8. coverage in the Word report -----------------------------------------------------------------------------


def test_each_source_under_a_code_gives_its_excerpts_and_coverage(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "r.docx", today=TODAY)))
    lines = [p.text for p in document.paragraphs if p.style.name == "Excerpt source"]
    length = study.find_source("Talk").length
    walking = 100 * (len(LONG_ANSWER) + 5) / length
    assert lines == [f"Talk: 2 excerpts, {walking:.1f} % coverage",
                     f"Talk: 1 excerpt, {100 * len(HEBREW) / length:.1f} % coverage"]
    frequencies = document.tables[-1]
    assert frequencies.rows[0].cells[-1].text == "Coverage %"


# --- 6 and 7. workbooks that print and say what they hold ---------------------------------------------------


def test_the_about_sheet_and_properties_say_what_the_workbook_holds(study: Project, tmp_path: Path) -> None:
    ann = next(c.id for c in study.coders() if c.name == "Ann")
    out = export(study, tmp_path / "w.xlsx", flt=Filter(coders=(ann,)), filter_text="coders Ann",
                 grouping=Grouping("case"), today=TODAY)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "About"
    about = {row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Project"] == study.name
    assert about["Exported"].startswith("2026-11-25 ")
    assert about["qcode version"] == __import__("qcode").__version__
    assert about["Coders included"] == "Ann"
    assert about["Filters"] == "coders Ann"
    assert about["Grouping"] == "case"
    assert about["Counting rules"].split("\n") == list(COUNTING_RULES)
    assert book.properties.subject == study.name
    assert "coders Ann" in book.properties.description
    unfiltered = openpyxl.load_workbook(export(study, tmp_path / "u.xlsx", what="frequencies", today=TODAY))
    about = {row[0]: row[1] for row in unfiltered["About"].iter_rows(min_row=2, values_only=True)}
    assert about["Filters"] == "none (everything in the project)"
    assert about["Grouping"] == "none"


def test_wrapped_rows_get_heights_and_sheets_print_well(study: Project, tmp_path: Path) -> None:
    out = export(study, tmp_path / "w.xlsx", today=TODAY)
    book = openpyxl.load_workbook(out)
    excerpts = book["Excerpts"]
    long_row = next(r for r in range(2, excerpts.max_row + 1) if excerpts.cell(r, 8).value.startswith("We walked"))
    short_row = next(r for r in range(2, excerpts.max_row + 1) if excerpts.cell(r, 8).value == "short")
    width = excerpts.column_dimensions["H"].width
    lines = -(-len(LONG_ANSWER) // int(width * 1.2))  # even at 1.2 characters of text per unit of width
    assert excerpts.row_dimensions[long_row].height >= lines * 15  # every line shows; rows do not overlap
    assert excerpts.row_dimensions[long_row].height <= MAX_ROW_HEIGHT
    assert excerpts.row_dimensions[short_row].height < excerpts.row_dimensions[long_row].height
    case_column = [c.value for c in excerpts[1]].index("Case") + 1  # thirteen case names: a long value wraps
    assert excerpts.cell(short_row, case_column).alignment.wrap_text
    assert excerpts.column_dimensions[get_column_letter(case_column)].width <= 36
    for ws in book.worksheets:
        assert ws.page_setup.fitToWidth == 1, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "&P" in ws.oddFooter.center.text, ws.title
        assert ws.title.replace("&", "&&") in ws.oddFooter.center.text
    for name in ("Frequencies", "Matrix", "Excerpts", "Codebook"):
        assert book[name].print_title_rows == "$1:$1", name  # the header row on every printed page
    assert book["Excerpts"].page_setup.orientation == "landscape"
    assert book["Frequency chart"].page_setup.orientation == "landscape"


def test_a_cell_of_many_lines_is_capped_at_excel_s_tallest_row(project: Project, tmp_path: Path) -> None:
    source = project.add_source("Long", "\n\n".join(f"Line {n} of a long answer." for n in range(80)))
    code = project.create_code("All")
    project.add_coding(source.id, code.id, 0, source.length)
    book = openpyxl.load_workbook(export(project, tmp_path / "w.xlsx", what="excerpts", today=TODAY))
    assert book["Excerpts"].row_dimensions[2].height == MAX_ROW_HEIGHT


def test_the_chart_draws_one_level_of_the_tree(project: Project, tmp_path: Path) -> None:
    source = project.add_source("S", "one two three four five six")
    parent = project.create_code("Parent")
    kids = [project.create_code(name, parent_id=parent.id) for name in ("Kid A", "Kid B")]
    other = project.create_code("Other")
    for number, code in enumerate([*kids, other]):
        project.add_coding(source.id, code.id, number * 4, number * 4 + 3)

    def bars(flt: Filter | None = None) -> list[str]:
        book = openpyxl.load_workbook(export(project, tmp_path / "f.xlsx", what="frequencies", flt=flt,
                                             today=TODAY))
        sheet = book["Frequencies"]
        column = [c.value for c in sheet[1]].index("chart label") + 1
        return [sheet.cell(r, column).value for r in range(2, sheet.max_row + 1) if sheet.cell(r, column).value]

    assert bars() == ["Parent", "Other"]  # the top level: never a parent beside its own sub-codes
    assert bars(Filter(codes=(parent.id,))) == ["Kid A", "Kid B"]  # one category: its children
    with zipfile.ZipFile(tmp_path / "f.xlsx") as package:
        chart = package.read("xl/charts/chart1.xml").decode()
    assert '<c:min val="0"/>' in chart or '<min val="0"/>' in chart  # bars measured from zero


def test_the_codebook_table_shows_names_indented_by_depth(project: Project, tmp_path: Path) -> None:
    parent = project.create_code("Help-seeking", definition="Looking for support.")
    project.create_code("Informal", parent_id=parent.id)
    table = docx.Document(str(export(project, tmp_path / "c.docx", what="codebook", today=TODAY))).tables[0]
    assert [row.cells[0].text for row in table.rows[1:]] == ["Help-seeking", "Informal"]
    assert table.rows[2].cells[0].paragraphs[0].paragraph_format.left_indent.inches == pytest.approx(0.2)


@pytest.mark.parametrize("groups", [1, 13, 20, 21, 40, 41, 62])
def test_split_parts_are_even_and_keep_every_group_once(groups: int) -> None:
    from qcode.core.exporters.docx_export import MAX_GROUPS_PER_TABLE, split_columns
    from qcode.core.exporters.tables import Table

    columns = ("code", *(f"g{n}" for n in range(groups)))
    table = Table(columns, [("A", *range(groups))], (0,))
    parts = split_columns(table, MAX_GROUPS_PER_TABLE)
    sizes = [len(p.columns) - 1 for p in parts]
    assert max(sizes) <= MAX_GROUPS_PER_TABLE
    assert max(sizes) - min(sizes) <= 1  # even parts, no one-column remainder
    assert [c for p in parts for c in p.columns[1:]] == list(columns[1:])
    assert all(p.columns[0] == "code" and p.rows[0][0] == "A" for p in parts)
    assert [v for p in parts for v in p.rows[0][1:]] == list(range(groups))
