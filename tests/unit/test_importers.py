"""Text, Markdown and Word importers: encodings, structure, hostile and mislabelled files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.project import Project

SAMPLE = "Interviewer: Ça va?\n\nJosé: Oui, naïve “quotes” — fine.\n\nInterviewer: Ok.\n\nJosé: Bye."


def parse(path: Path):
    return find_importer(path).parse(path, ImportOptions(), None).sources[0]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "cp1252"]
)
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE if encoding != "cp1252" else SAMPLE.replace("“", '"').replace("”", '"')
    path = tmp_path / "t.txt"
    if encoding == "utf-16-le-bom":
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    elif encoding == "utf-16-be-bom":
        path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    else:
        path.write_bytes(text.encode(encoding))
    parsed = parse(path)
    assert parsed.text == text
    assert [s.value for s in parsed.spans if s.kind == "turn"] == ["Interviewer", "José", "Interviewer", "José"]


def test_newlines_normalised_and_lines_as_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"line one\r\nline two\rline three\n")
    parsed = parse(path)
    assert parsed.text == "line one\nline two\nline three"
    assert [(s.start, s.end) for s in parsed.spans if s.kind == "paragraph"] == [(0, 8), (9, 17), (18, 28)]


def test_empty_and_binary_text_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "e.txt"
    empty.write_text("  \n\n ")
    with pytest.raises(EmptySourceError):
        parse(empty)
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"abc\x00\x01\x02" * 10)
    with pytest.raises(UnreadableFileError, match="binary"):
        parse(binary)


def test_markdown_headings_and_markup(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Field notes\n\nSome **bold** and _it_ text with a [link](http://x).\n\n## Day 2\n\n- item\n",
                    encoding="utf-8")
    parsed = parse(path)
    assert parsed.text == "Field notes\n\nSome bold and it text with a link.\n\nDay 2\n\nitem"
    headings = [(parsed.text[s.start:s.end], s.value) for s in parsed.spans if s.kind == "heading"]
    assert headings == [("Field notes", "1"), ("Day 2", "2")]


def make_docx(path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Interview 7", level=1)
    document.add_paragraph("Interviewer: Where do you go?")
    p = document.add_paragraph("Sam: To the shed")
    p.add_run().add_tab()
    p.add_run("every week.")
    p.add_run().add_break()
    p.add_run("Second line.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "r1c1"
    table.cell(0, 1).text = "r1c2"
    table.cell(1, 0).text = "r2c1"
    table.cell(1, 1).text = "r2c2"
    document.add_paragraph("Interviewer: Thanks.")
    document.add_paragraph("Sam: Cheers.")
    document.save(str(path))


def test_docx_paragraphs_tables_headings_breaks(tmp_path: Path) -> None:
    path = tmp_path / "int.docx"
    make_docx(path)
    parsed = parse(path)
    assert parsed.text == (
        "Interview 7\n\nInterviewer: Where do you go?\n\nSam: To the shed\tevery week.\nSecond line.\n\n"
        "r1c1\n\nr1c2\n\nr2c1\n\nr2c2\n\nInterviewer: Thanks.\n\nSam: Cheers."
    )
    heading = next(s for s in parsed.spans if s.kind == "heading")
    assert parsed.text[heading.start:heading.end] == "Interview 7"
    assert [s.value for s in parsed.spans if s.kind == "turn"] == ["Interviewer", "Sam", "Interviewer", "Sam"]


def test_docx_tracked_changes_read_as_accepted(tmp_path: Path) -> None:
    path = tmp_path / "tracked.docx"
    make_docx(path)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (
        f'<w:p xmlns:w="{w}"><w:r><w:t xml:space="preserve">Kept </w:t></w:r>'
        f'<w:ins w:id="1" w:author="a"><w:r><w:t>inserted </w:t></w:r></w:ins>'
        f'<w:del w:id="2" w:author="a"><w:r><w:delText>deleted </w:delText></w:r></w:del>'
        f"<w:r><w:t>end.</w:t></w:r></w:p>"
    )
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    xml = parts["word/document.xml"].decode()
    xml = xml.replace("<w:sectPr", body + "<w:sectPr", 1)
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    assert parse(path).text.endswith("Kept inserted end.")


def test_mislabelled_and_hostile_files(tmp_path: Path) -> None:
    pdf_named_docx = tmp_path / "report.docx"
    pdf_named_docx.write_bytes(b"%PDF-1.7 rest of a pdf")
    with pytest.raises(UnsupportedFormatError, match="really a PDF"):
        find_importer(pdf_named_docx)
    zip_named_txt = tmp_path / "notes.txt"
    zip_named_txt.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(UnsupportedFormatError, match="zip archive"):
        find_importer(zip_named_txt)
    old_doc = tmp_path / "old.doc"
    old_doc.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 40)
    with pytest.raises(UnsupportedFormatError, match=r"save it as \.docx"):
        find_importer(old_doc)
    unknown = tmp_path / "data.xyz"
    unknown.write_text("x")
    with pytest.raises(UnsupportedFormatError, match=r"cannot import \.xyz"):
        find_importer(unknown)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/padding.xml", b"0" * (200 * 1024 * 1024))
    with pytest.raises(UnreadableFileError, match="zip bomb"):
        parse(bomb)
    truncated = tmp_path / "cut.docx"
    make_docx(truncated)
    truncated.write_bytes(truncated.read_bytes()[:500])
    with pytest.raises(ImportError_):
        parse(truncated)


def test_failed_import_writes_nothing_and_batch_goes_on(project: Project, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE, encoding="utf-8")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really")
    outcomes = project.import_paths([bad, good, tmp_path / "missing.txt"])
    assert [o.status for o in outcomes] == ["failed", "imported", "failed"]
    assert [s.name for s in project.sources()] == ["good"]
    assert project.import_paths([good])[0].status == "duplicate"


def test_cancelled_batch_keeps_finished_files(project: Project, tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"f{i}.txt").write_text(f"file number {i}", encoding="utf-8")

    class CancelAfterTwo:
        def __init__(self) -> None:
            self.calls = 0

        def step(self, done: int, total: int, text: str) -> None:
            self.calls += 1

        def cancelled(self) -> bool:
            return self.calls >= 2

    outcomes = project.import_paths([tmp_path], progress=CancelAfterTwo())
    assert len(outcomes) == 2
    assert len(project.sources()) == 2


RTL_CJK = "מראיין: מה שלומך?\n\nسارة: بخير، شكرا.\n\nמראיין: ועוד?\n\nسارة: 我们每周见面。\n\n李: 谢谢。"  # fictional


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_right_to_left_and_cjk_text_round_trip(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "rtl.txt"
    path.write_bytes(RTL_CJK.encode(encoding))
    parsed = parse(path)
    assert parsed.text == RTL_CJK
    assert [s.value for s in parsed.spans if s.kind == "turn"] == ["מראיין", "سارة", "מראיין", "سارة", "李"]


def test_right_to_left_and_cjk_text_in_word(tmp_path: Path) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    document = docx.Document()
    for line in RTL_CJK.split("\n\n"):
        paragraph = document.add_paragraph(line)
        if not line.startswith("李"):
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            paragraph.runs[0]._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
            assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    path = tmp_path / "rtl.docx"
    document.save(str(path))
    parsed = parse(path)
    assert parsed.text == RTL_CJK
    assert [s.value for s in parsed.spans if s.kind == "turn"] == ["מראיין", "سارة", "מראיין", "سارة", "李"]


def test_cjk_labels_with_a_full_width_colon(tmp_path: Path) -> None:
    path = tmp_path / "cjk.txt"
    path.write_text("王：你好。\n\n李：我很好，谢谢。\n\n王：再见。\n\nnote: not a speaker\n\nnote: nor this", encoding="utf-8")
    parsed = parse(path)
    assert [(parsed.text[s.start:s.end], s.value) for s in parsed.spans if s.kind == "turn"] == [
        ("王：你好。", "王"), ("李：我很好，谢谢。", "李"), ("王：再见。\n\nnote: not a speaker\n\nnote: nor this", "王")]


def test_a_folder_reports_old_office_files_and_skips_unrelated_ones(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "Interviews"
    folder.mkdir()
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 100)
    (folder / "notes.txt").write_text("Fictional notes.", encoding="utf-8")
    outcomes = {Path(o.path).name: o for o in project.import_paths([folder])}
    assert sorted(outcomes) == ["notes.txt", "old.doc", "old.xls"]
    assert outcomes["notes.txt"].status == "imported"
    assert outcomes["old.doc"].status == outcomes["old.xls"].status == "failed"
    assert "save it as .docx" in outcomes["old.doc"].reason
    assert "save it as .xlsx" in outcomes["old.xls"].reason


def test_labels_with_times_from_transcription_services(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "service.txt"  # a fictional transcript in the style of transcription services
    path.write_text("Interviewer (00:00:05): Where do you go on Tuesdays?\n\n"
                    "Sam (01:02): To the shed, with the others.\n\nIt keeps me going.\n\n"
                    "[00:02:10] Interviewer: And before that?\n\nSam [1:02:03.5]: Nowhere much.", encoding="utf-8")
    parsed = parse(path)
    turns = [(parsed.text[s.start:s.end].split(":")[0], s.value) for s in parsed.spans if s.kind == "turn"]
    assert [value for _, value in turns] == ["Interviewer", "Sam", "Interviewer", "Sam"]
    stamps = [s.value for s in parsed.spans if s.kind == "timestamp"]
    assert stamps == ["00:00:05", "00:01:02", "00:02:10", "01:02:03"]
    outcome = project.import_file(path)
    text = project.source_text(outcome.source_ids[0])
    assert project.describe_location(outcome.source_ids[0], text.index("It keeps")) == "00:01:02, Sam"
    code = project.create_code("Shed")
    planned = project.autocode_preview(code.id, keywords=["shed"], unit="turn")
    assert [text[c.start:c.end] for c in planned] == ["To the shed, with the others.\n\nIt keeps me going."]


def test_bold_labels_with_times_in_word(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for name, time, words in (("Interviewer", "00:00:05", "Where to?"), ("Sam", "00:00:09", "The shed."),
                              ("Interviewer", "00:00:15", "Why?"), ("Sam", "00:00:20", "Company.")):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name} ({time})").bold = True
        paragraph.add_run(f" {words}")
    path = tmp_path / "bold.docx"
    document.save(str(path))
    parsed = parse(path)
    assert [s.value for s in parsed.spans if s.kind == "turn"] == ["Interviewer", "Sam", "Interviewer", "Sam"]
    assert [s.value for s in parsed.spans if s.kind == "timestamp"] == ["00:00:05", "00:00:09", "00:00:15",
                                                                        "00:00:20"]


def test_labels_on_a_line_of_their_own_with_a_time(tmp_path: Path) -> None:
    path = tmp_path / "otter.txt"  # fictional, laid out as some services export it
    path.write_text("Speaker 1  0:03\nSo what brought you here?\n\nSpeaker 2  0:07\nA friend did.\n\n"
                    "Speaker 1  0:12\nAnd now?\n\nSpeaker 2\t1:01:15\nI come every week.\n\n"
                    "Meeting at 10:30\nnot a label: one space only", encoding="utf-8")
    parsed = parse(path)
    assert [s.value for s in parsed.spans if s.kind == "turn"] == ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 2"]
    assert [s.value for s in parsed.spans if s.kind == "timestamp"] == ["00:00:03", "00:00:07", "00:00:12", "01:01:15"]
