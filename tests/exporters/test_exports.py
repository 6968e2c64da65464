"""Exports read back: every excerpt, code, count and attribute equals what the core reports."""

from __future__ import annotations

import csv
import os
import stat
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from qcode.core.analysis.frequencies import Grouping
from qcode.core.errors import QcodeError
from qcode.core.exporters import csv_export, export, xlsx_rows
from qcode.core.exporters.safety import EXCEL_CELL_LIMIT, TRUNCATION_MARKER, fit_cell, xml_safe
from qcode.core.exporters.tables import EXCERPT_COLUMNS, Table
from qcode.core.exporters.word import WordDocument
from qcode.core.exporters.xlsx_export import sheet_title
from qcode.core.exporters.xlsx_rows import cell_xml
from qcode.core.project import Project

TODAY = date(2026, 11, 25)
LONG = "x" * 40_000


@pytest.fixture
def study(project: Project) -> Project:
    p = project
    folder = p.create_folder("Interviews")
    s1 = p.add_source("Int 1", "Interviewer: hi\n\nAl: =SUM(A1:A9) is what I'd say. Café talk helps.\n\n"
                      "Interviewer: ok\n\nAl: bye", folder_id=folder.id)
    s2 = p.add_source("Int 2", "Bo: " + LONG, folder_id=folder.id)
    top = p.create_code("Help-seeking", definition="Ways men look for support.")
    kid = p.create_code("Informal", parent_id=top.id, color="#ff0000")
    other = p.create_code("Banter")
    t1 = p.source_text(s1.id)
    formula = p.add_coding(s1.id, kid.id, t1.index("=SUM"), t1.index(" is what"))
    p.add_coding(s1.id, other.id, t1.index("Café"), t1.index("helps.") + 6)
    p.add_coding(s2.id, top.id, 4, 4 + len(LONG))
    p.set_memo("coding", formula.id, "Deflects with a joke")
    age = p.create_attribute("Age", "number")
    setting = p.create_attribute("Setting", "text", scope="source")
    for name, source in (("Al", s1), ("Bo", s2)):
        case = p.create_case(name)
        p.add_case_member(case.id, source.id)
        p.set_attribute_value(age.id, case.id, 30 if name == "Al" else 50)
    p.set_attribute_value(setting.id, s1.id, "club")
    p.set_journal("Journal: first thoughts.\n\nSecond paragraph.")
    return p


def test_excerpts_csv_has_the_exact_columns_and_every_coding(study: Project, tmp_path: Path) -> None:
    out = export(study, tmp_path / "excerpts.csv", today=TODAY)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines(True)))
    assert list(rows[0].keys()) == [*EXCERPT_COLUMNS, "case:Age", "source:Setting"]
    assert len(rows) == study.coding_count()
    by_code = {r["code"]: r for r in rows}
    formula = by_code["Help-seeking > Informal"]
    assert formula["excerpt"] == "'=SUM(A1:A9)"  # shown as text in Excel, never run
    assert (formula["source"], formula["case"], formula["case:Age"], formula["source:Setting"]) == (
        "Int 1", "Al", "30", "club")
    assert formula["memo"] == "Deflects with a joke"
    assert formula["location"] == "¶ 2, Al"
    assert by_code["Banter"]["excerpt"] == "Café talk helps."
    assert len(by_code["Help-seeking"]["excerpt"]) == 40_000  # CSV has no cell limit
    semicolon = export(study, tmp_path / "eu.csv", delimiter=";", today=TODAY)
    assert semicolon.read_text(encoding="utf-8-sig").splitlines()[0].startswith("code;source;case;")


def test_frequencies_csv_equals_the_core(study: Project, tmp_path: Path) -> None:
    out = export(study, tmp_path / "f.csv", what="frequencies", today=TODAY)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines(True)))
    core = study.frequencies()
    assert [r["code"] for r in rows] == ["Help-seeking", "Help-seeking > Informal", "Banter"]
    for row, freq in zip(rows, core, strict=True):
        assert [int(row[k]) for k in ("excerpts", "sources", "cases", "characters")] == [
            freq.total.excerpts, freq.total.sources, freq.total.cases, freq.total.characters]


def test_csv_all_writes_a_folder(study: Project, tmp_path: Path) -> None:
    folder = export(study, tmp_path / "all", fmt="csv", what="all", today=TODAY)
    assert sorted(p.name for p in folder.iterdir()) == ["codebook.csv", "excerpts.csv", "frequencies.csv",
                                                        "matrix.csv"]


def test_xlsx_sheets_read_back(study: Project, tmp_path: Path) -> None:
    out = export(study, tmp_path / "report.xlsx", today=TODAY, grouping=Grouping("case"))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["About", "Frequencies", "Frequency chart", "Matrix", "Excerpts", "Codebook"]
    freq = wb["Frequencies"]
    assert freq.freeze_panes == "A2"
    assert freq.auto_filter.ref == "A1:F4"  # the table; the chart's hidden columns stay outside the filter
    assert [c.value for c in freq[1]] == ["Code", "Excerpts", "Sources", "Cases", "Characters", "Coverage %",
                                          "chart label", "chart excerpts"]
    assert freq["A3"].value == "Help-seeking > Informal"
    assert (freq["A3"].alignment.indent, freq["A3"].alignment.horizontal) == (1, "left")  # Excel shows indents
    assert freq.column_dimensions["G"].hidden
    assert [freq["G2"].value, freq["G3"].value, freq["G4"].value] == ["Help-seeking", "Banter", None]  # top level
    assert len(wb["Frequency chart"]._charts) == 1
    with zipfile.ZipFile(out) as package:
        chart_xml = package.read("xl/charts/chart1.xml").decode()
    assert "<f>'Frequencies'!$G$2:$G$3</f>" in chart_xml
    assert "<f>'Frequencies'!$H$2:$H$3</f>" in chart_xml
    assert '<plotVisOnly val="0"' in chart_xml
    matrix = wb["Matrix"]
    assert [c.value for c in matrix[1]] == ["Code", "Al", "Bo", "Total"]
    assert [c.value for c in matrix[2]] == ["Help-seeking", 1, 1, 2]
    excerpts = wb["Excerpts"]
    header = [c.value for c in excerpts[1]]
    assert header[:11] == ["Code", "Source", "Case", "Coder", "Start", "End", "Location", "Excerpt", "Memo",
                           "Excerpts of the code in the source", "Coverage of the source %"]
    assert header[11:] == ["Case: Age", "Source: Setting"]
    rows = {r[0]: r for r in excerpts.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == study.coding_count()
    formula_cell = next(c for c in excerpts["H"] if c.value and str(c.value).startswith("=SUM"))
    assert formula_cell.data_type == "s"  # text, not a formula
    long_text = rows["Help-seeking"][7]
    assert len(long_text) == EXCEL_CELL_LIMIT
    assert long_text.endswith(TRUNCATION_MARKER)
    assert rows["Help-seeking"][9:11] == (1, round(100 * len(LONG) / (len(LONG) + 4), 2))  # Int 2 after "Bo: "
    assert rows["Help-seeking > Informal"][header.index("Case: Age")] == 30
    codebook = wb["Codebook"]
    assert codebook["B2"].value == "Ways men look for support."


def test_docx_report_holds_every_excerpt_with_citation(study: Project, tmp_path: Path) -> None:
    out = export(study, tmp_path / "report.docx", today=TODAY, filter_text="none")
    document = docx.Document(str(out))
    paragraphs = document.paragraphs
    styles = [p.style.name for p in paragraphs]
    assert styles[0] == "Title"
    texts = [p.text for p in paragraphs]
    assert "Exported from qcode on 2026-11-25" in texts
    headings = [(p.style.name, p.text) for p in paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == [("Heading 1", "■ Help-seeking"), ("Heading 2", "■ Informal"), ("Heading 1", "■ Banter")]
    quotes = [p.text for p in paragraphs if p.style.name == "Quote"]
    assert sorted(quotes) == sorted(e.text for e in study.excerpts_matching())
    citations = [p.text for p in paragraphs if p.style.name == "Excerpt citation"]
    assert "Int 1 · ¶ 2, Al · Case: Al · Coder: Tester" in citations
    assert not [p for p in paragraphs if p.style.name == "Caption" and "Coder:" in p.text]  # not figure captions
    memo = next(p for p in paragraphs if p.text == "Memo: Deflects with a joke")
    assert memo.style.name == "Excerpt memo"
    assert memo.style.paragraph_format.left_indent > 0  # indented under its excerpt
    assert document.tables[-1].rows[1].cells[0].text == "Help-seeking"


def test_other_word_documents(study: Project, tmp_path: Path) -> None:
    memos = docx.Document(str(export(study, tmp_path / "memos.docx", what="memos", today=TODAY)))
    texts = [p.text for p in memos.paragraphs]
    assert "Journal: first thoughts." in texts
    assert "Deflects with a joke" in texts
    int1 = study.find_source("Interviews/Int 1")
    transcript = docx.Document(str(export(study, tmp_path / "t.docx", what="transcript", source_id=int1.id,
                                          today=TODAY)))
    rows = transcript.tables[0].rows
    assert [c.text for c in rows[0].cells] == ["¶", "Text", "Codes"]
    assert "w:tblHeader" in rows[0]._tr.xml  # the header row repeats on every page
    assert rows[2].cells[1].text.startswith("Al: =SUM")
    assert "Informal (Tester)" in rows[2].cells[2].text
    assert "Banter (Tester)" in rows[2].cells[2].text
    assert [round(c.width.inches, 2) for c in rows[2].cells] == [0.45, 3.75, 1.8]
    codebook = docx.Document(str(export(study, tmp_path / "cb.docx", what="codebook", today=TODAY)))
    assert codebook.tables[0].rows[1].cells[1].text == "Ways men look for support."


def test_failed_export_leaves_no_file_and_keeps_the_old_one(study: Project, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous good export")

    class CancelNow:
        def step(self, done: int, total: int, text: str) -> None:
            return None

        def cancelled(self) -> bool:
            return True

    with pytest.raises(QcodeError, match="cancelled"):
        export(study, target, progress=CancelNow())
    assert target.read_bytes() == b"previous good export"
    assert [p.name for p in tmp_path.iterdir() if p.name != "test.qcode" and not p.name.startswith("test.qcode")] == [
        "report.xlsx"]

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(docx.document.Document, "save", explode)
    with pytest.raises(QcodeError, match="disk full"):
        export(study, tmp_path / "new.docx", today=TODAY)
    assert not (tmp_path / "new.docx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".new.docx")]


def test_unsupported_combinations_are_explained(study: Project, tmp_path: Path) -> None:
    with pytest.raises(QcodeError, match="Word"):
        export(study, tmp_path / "m.xlsx", what="memos")
    with pytest.raises(QcodeError, match="--format"):
        export(study, tmp_path / "m.txt")
    with pytest.raises(QcodeError, match="--transcript-source"):
        export(study, tmp_path / "t.docx", what="transcript")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_exports_get_the_permissions_of_a_plainly_saved_file(study: Project, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for name in ("e.csv", "e.xlsx", "e.docx"):
            assert stat.S_IMODE(export(study, tmp_path / name, today=TODAY).stat().st_mode) == 0o644
        folder = export(study, tmp_path / "all", fmt="csv", what="all", today=TODAY)
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755
        kept = tmp_path / "kept.csv"
        kept.write_text("old")
        kept.chmod(0o640)
        assert stat.S_IMODE(export(study, kept, today=TODAY).stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_characters_xml_forbids_are_removed() -> None:
    assert xml_safe("a\x00b\x0bc\ud800d\ufffee\tf\ng") == "abcde\tf\ng"


def test_word_report_reads_well_before_word_refreshes_it(study: Project, tmp_path: Path) -> None:
    document = docx.Document(str(export(study, tmp_path / "report.docx", today=TODAY)))
    properties = document.core_properties
    assert (properties.title, properties.subject, properties.author) == ("Coded excerpts", study.name, "")
    assert "python-docx" not in properties.comments
    assert properties.created.year >= 2025
    workbook = openpyxl.load_workbook(export(study, tmp_path / "report.xlsx", today=TODAY))
    assert (workbook.properties.creator, workbook.properties.title) == ("qcode", f"{study.name}: qcode export")
    paragraphs = document.paragraphs
    contents = [(p.style.name, p.text.rstrip("\t")) for p in paragraphs if p.style.name.lower().startswith("toc")]
    assert contents == [("TOC Heading", "Contents"), ("toc 1", "Help-seeking"), ("toc 2", "Informal"),
                        ("toc 1", "Banter"), ("toc 1", "Code frequencies")]
    body = document.element.body.xml
    assert body.count('w:fldCharType="begin"') == body.count('w:fldCharType="end"') == 4  # a PAGEREF per entry
    assert body.count("PAGEREF _Toc_qcode_") == 4
    assert "updateFields" not in document.settings.element.xml  # Word opens it without a question
    assert 'w:anchor="_Toc_qcode_1"' in body
    assert 'w:name="_Toc_qcode_1"' in body
    definition = next(p for p in paragraphs if p.text == "Definition: Ways men look for support.")
    assert definition.style.name == "Normal"
    assert not any(r.italic for r in definition.runs)  # quotes are italic
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Code", "Excerpts", "Sources", "Cases", "Characters",
                                                     "Coverage %"]
    assert "w:tblHeader" in table.rows[0]._tr.xml
    assert table.rows[2].cells[0].text == "Informal"
    assert table.rows[2].cells[0].paragraphs[0].paragraph_format.left_indent.inches == pytest.approx(0.2)
    assert table.rows[2].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


@pytest.mark.parametrize("what", ["excerpts", "codebook", "matrix", "frequencies", "transcript"])
def test_word_tables_fit_between_the_margins(study: Project, tmp_path: Path, what: str) -> None:
    source_id = study.find_source("Interviews/Int 1").id if what == "transcript" else None
    document = docx.Document(str(export(study, tmp_path / f"{what}.docx", what=what, source_id=source_id,
                                        today=TODAY)))
    section = document.sections[0]
    room = (section.page_width - section.left_margin - section.right_margin) / 914400
    for table in document.tables:
        widths = [c.width for c in table.rows[-1].cells]
        assert all(widths)
        assert sum(widths) / 914400 <= room + 0.01


def test_memos_follow_the_order_of_their_targets(study: Project, tmp_path: Path) -> None:
    s1 = study.find_source("Interviews/Int 1")
    text = study.source_text(s1.id)
    banter = study.find_code("Banter")
    later = study.add_coding(s1.id, banter.id, text.index("Al: bye"), len(text))
    earlier = study.add_coding(s1.id, banter.id, 0, text.index("\n"))
    study.set_memo("coding", later.id, "Memo on the later passage")
    study.set_memo("coding", earlier.id, "Second memo, earlier in the text")
    document = docx.Document(str(export(study, tmp_path / "memos.docx", what="memos", today=TODAY)))
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Second memo, earlier in the text") < texts.index("Memo on the later passage")
    assert "Memo by Tester, last changed " + study.memos()[0].updated_at[:10] in texts
    matrix = docx.Document(str(export(study, tmp_path / "m.docx", what="matrix", today=TODAY)))
    assert matrix.paragraphs[0].text == "Codes by case"


class CancelWhen:
    """A progress sink that asks to stop at the first step whose text is `text`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stop = False

    def step(self, done: int, total: int, text: str) -> None:
        self.stop = self.stop or text == self.text

    def cancelled(self) -> bool:
        return self.stop


def test_export_interrupted_half_way_leaves_no_file(study: Project, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_rows, "CHUNK", 1)  # a check after every streamed row
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"previous good export")
    progress = CancelWhen("Writing rows")
    with pytest.raises(QcodeError, match="cancelled"):
        export(study, target, what="excerpts", progress=progress)
    assert progress.stop
    assert target.read_bytes() == b"previous good export"
    calls = 0
    real = WordDocument.paragraph

    def fail_half_way(self: WordDocument, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 12:
            raise OSError("device removed")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(WordDocument, "paragraph", fail_half_way)
    with pytest.raises(OSError, match="device removed"):
        export(study, tmp_path / "report.docx", today=TODAY)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("test.qcode")) == ["report.xlsx"]


def test_line_breaks_and_markup_characters_survive_every_format(study: Project, tmp_path: Path) -> None:
    s1 = study.find_source("Interviews/Int 1")
    text = study.source_text(s1.id)
    span = study.add_coding(s1.id, study.find_code("Banter").id, 0, text.index(" is what"))
    excerpt = text[: text.index(" is what")]
    assert "\n\n" in excerpt
    document = docx.Document(str(export(study, tmp_path / "r.docx", today=TODAY)))
    assert excerpt in [p.text for p in document.paragraphs if p.style.name == "Quote"]
    sheet = openpyxl.load_workbook(export(study, tmp_path / "r.xlsx", what="excerpts", today=TODAY))["Excerpts"]
    rows = {(r[0], r[4]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("Banter", span.start)][7] == excerpt
    assert cell_xml("B3", "4", "a\rb<&>") == ('<c r="B3" s="4" t="inlineStr"><is><t xml:space="preserve">'
                                              "a&#13;b&lt;&amp;&gt;</t></is></c>")
    assert cell_xml("C3", "4", 2.5) == '<c r="C3" s="4"><v>2.5</v></c>'


def test_csv_export_can_be_cancelled_and_takes_a_tab(study: Project, tmp_path: Path) -> None:
    big = Table(("code", "excerpt"), [("A", f"row {n}") for n in range(5000)])
    progress = CancelWhen("Writing rows")
    with pytest.raises(QcodeError, match="cancelled"):
        csv_export.write_csv(big, tmp_path / "big.csv", progress=progress)
    assert not [p for p in tmp_path.iterdir() if "big.csv" in p.name]
    tabbed = export(study, tmp_path / "t.csv", delimiter="tab", today=TODAY)
    assert tabbed.read_text(encoding="utf-8-sig").startswith("code\tsource\tcase\t")
    with pytest.raises(QcodeError, match="one character"):
        export(study, tmp_path / "q.csv", delimiter='"', today=TODAY)


def test_sheet_names_fit_excel() -> None:
    taken: set[str] = set()
    long = "Codes by attribute: Highest level of education"
    first = sheet_title(long, taken)
    assert first == "Codes by attribute_ Highest lev"
    assert len(first) == 31
    assert sheet_title(long, taken) == "Codes by attribute_ Highest (2)"
    assert sheet_title("a/b\\c?d*e[f]g", taken) == "a_b_c_d_e_f_g"
    assert sheet_title("'", taken) == "Sheet"


def test_source_names_are_never_used_as_paths(project: Project, tmp_path: Path) -> None:
    hostile = project.add_source("../../escaped/evil:name", "Al: something said\n\nAl: more")
    code = project.create_code("Theme")
    project.add_coding(hostile.id, code.id, 4, 18)
    out = tmp_path / "out"
    out.mkdir()
    export(project, out / "all", fmt="csv", what="all", today=TODAY)
    export(project, out / "t.docx", what="transcript", source_id=hostile.id, today=TODAY)
    export(project, out / "x.xlsx", today=TODAY)
    assert sorted(p.name for p in out.iterdir()) == ["all", "t.docx", "x.xlsx"]
    assert sorted(p.name for p in (out / "all").iterdir()) == ["codebook.csv", "excerpts.csv", "frequencies.csv",
                                                               "matrix.csv"]
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("test.qcode")) == ["out"]


def test_excerpts_follow_source_then_text_order_and_join_several_cases(project: Project, tmp_path: Path) -> None:
    first = project.add_source("A first", "Al: one\n\nBo: two\n\nAl: three")
    second = project.add_source("B second", "Cy: four")
    code = project.create_code("Theme")
    text = project.source_text(first.id)
    # created out of order on purpose
    project.add_coding(second.id, code.id, 4, 8)
    project.add_coding(first.id, code.id, text.index("three"), len(text))
    project.add_coding(first.id, code.id, 0, text.index("\n\nAl: three"))  # spans Al's and Bo's turns
    project.add_coding(first.id, code.id, text.index("one"), text.index("one") + 3)
    role = project.create_attribute("Role", "text")
    for name, start, end in (("Al", 0, text.index("\n\nBo")), ("Bo", text.index("Bo:"), text.index("\n\nAl: three"))):
        case = project.create_case(name)
        project.add_case_member(case.id, first.id, start, end)
        project.set_attribute_value(role.id, case.id, "member" if name == "Al" else "volunteer")
    expected = ["Al: one\n\nBo: two", "one", "three", "four"]
    quotes = [p.text for p in docx.Document(str(export(project, tmp_path / "r.docx", today=TODAY))).paragraphs
              if p.style.name == "Quote"]
    assert quotes == expected
    rows = list(csv.DictReader(export(project, tmp_path / "r.csv", today=TODAY).read_text(
        encoding="utf-8-sig").splitlines(True)))
    assert [r["excerpt"].replace("\r\n", "\n") for r in rows] == expected
    assert (rows[0]["case"], rows[0]["case:Role"]) == ("Al; Bo", "member; volunteer")
    assert (rows[1]["start"], rows[1]["end"]) == (str(text.index("one")), str(text.index("one") + 3))


def test_cells_are_cut_by_excel_s_own_count_of_characters() -> None:
    emoji = "\U0001f600"  # two UTF-16 units: Excel counts it twice
    text = "a" * 20_000 + emoji * 10_000
    cut = fit_cell(text)
    assert cut.endswith(TRUNCATION_MARKER)
    assert len(cut.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert len(cut.encode("utf-16-le")) // 2 >= EXCEL_CELL_LIMIT - 1
    assert cut.startswith("a" * 20_000)
    assert fit_cell("b" * 30_000 + emoji * 1_000) == "b" * 30_000 + emoji * 1_000  # 32,000 units fit
    assert fit_cell("c" * EXCEL_CELL_LIMIT) == "c" * EXCEL_CELL_LIMIT


def test_a_matrix_with_many_groups_becomes_several_word_tables(project: Project, tmp_path: Path) -> None:
    code = project.create_code("Theme")
    for number in range(30):
        source = project.add_source(f"Source {number:02}", "Al: words to code")
        project.add_coding(source.id, code.id, 4, 9)
    document = docx.Document(str(export(project, tmp_path / "m.docx", what="matrix", grouping=Grouping("source"),
                                        today=TODAY)))
    # 30 groups split evenly, each part with the code column; the total column ends the last part
    assert [len(t.columns) for t in document.tables] == [16, 17]
    assert [c.text for c in document.tables[1].rows[0].cells] == ["Code", *(f"Source {n:02}" for n in range(15, 30)),
                                                                  "Total"]
    assert [c.text for c in document.tables[1].rows[-1].cells][-1] == "30"  # the total row's total
    captions = [p.text for p in document.paragraphs if p.text.startswith("Table ")]
    assert captions == ["Table 1 of 2: groups 1–15 of 30", "Table 2 of 2: groups 16–30 of 30 (continued)"]
    sizes = {r.font.size for t in document.tables for row in t.rows for c in row.cells for r in c.paragraphs[0].runs}
    assert len(sizes) == 1  # one type size in every part


def test_word_report_stops_on_cancel_even_when_short(study: Project, tmp_path: Path) -> None:
    progress = CancelWhen("")
    progress.stop = True  # Cancel pressed while the (short) report was being written
    with pytest.raises(QcodeError, match="cancelled"):
        export(study, tmp_path / "r.docx", progress=progress, today=TODAY)
    assert not [p for p in tmp_path.iterdir() if "r.docx" in p.name]
