"""OpenDocument text: paragraphs, headings, lists, tables, notes, comments, tracked changes; hostile packages."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.project import Project

NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)
MIMETYPE = "application/vnd.oasis.opendocument.text"
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>{extra}'
            '</manifest:manifest>')


def content(body: str, prolog: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NAMESPACES} '
            f'office:version="1.3"><office:body><office:text>{body}</office:text></office:body>'
            "</office:document-content>")


def make_odt(path: Path, body: str = "", *, xml: str | None = None, mimetype: str | None = MIMETYPE,
             manifest_extra: str = "") -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", xml if xml is not None else content(body), zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", MANIFEST.format(mimetype=mimetype or MIMETYPE,
                                                                  extra=manifest_extra))
    return path


def parse(path: Path, options: ImportOptions | None = None):
    source = find_importer(path).parse(path, options or ImportOptions(), None).sources[0]
    assert source.kind == "odt"
    assert all(0 <= s.start <= s.end <= len(source.text) for s in source.spans)
    assert source.spans == sorted(source.spans, key=lambda s: (s.start, s.kind))
    return source


def covered(source, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


BODY = """
<text:tracked-changes>
  <text:changed-region text:id="ct1"><text:deletion>
    <office:change-info><dc:creator>Editor</dc:creator></office:change-info>
    <text:p>REMOVED WORDS</text:p>
  </text:deletion></text:changed-region>
</text:tracked-changes>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>
<text:table-of-content><text:index-body><text:p>Interview seven ..... 1</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">Interview  <text:span>seven</text:span></text:h>
<text:p>Interviewer: Where   do
  you<text:s text:c="3"/>go?<text:tab/>Always?</text:p>
<text:p>Sam: To the shed<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>A wooden   shed.</text:p></text:note-body></text:note> every<text:change text:change-id="ct1"/> week.<text:line-break/>Second line.</text:p>
<text:p><office:annotation><dc:creator>Reviewer</dc:creator><dc:date>2024-01-01T00:00:00</dc:date><text:p>Check this</text:p></office:annotation>Whole paragraph comment.</text:p>
<text:p>Here <office:annotation office:name="c2"><dc:creator>R</dc:creator><text:p>ranged</text:p></office:annotation>marked words<office:annotation-end office:name="c2"/> end.</text:p>
<text:list><text:list-item><text:p>first item</text:p></text:list-item><text:list-item><text:p>second item</text:p>
  <text:list><text:list-item><text:p>nested</text:p></text:list-item></text:list></text:list-item></text:list>
<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>
  <table:table-header-rows><table:table-row><table:table-cell><text:p>r1c1</text:p></table:table-cell>
  <table:table-cell><text:p>r1c2</text:p><text:p>more</text:p></table:table-cell></table:table-row></table:table-header-rows>
  <table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>r2c1</text:p></table:table-cell>
  <table:covered-table-cell/></table:table-row>
</table:table>
<text:p>Before box<draw:frame><draw:text-box><text:p>Box text</text:p></draw:text-box></draw:frame> after box.</text:p>
<text:h text:outline-level="2">Ende<text:note text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>An endnote.</text:p><text:p>Its second paragraph.</text:p></text:note-body></text:note></text:h>
"""


def test_structure_notes_comments_and_tracked_changes(tmp_path: Path) -> None:
    source = parse(make_odt(tmp_path / "interview.odt", BODY))
    assert source.name == "interview"
    assert source.text.split("\n\n") == [
        "Interview seven",
        "Interviewer: Where do you   go?\tAlways?",
        "Sam: To the shed[1] every week.\nSecond line.",
        "Whole paragraph comment.",
        "Here marked words end.",
        "first item", "second item", "nested",
        "r1c1", "r1c2", "more", "r2c1",
        "Before box after box.",
        "Box text",
        "Ende[i]",
        "Notes",
        "[1] A wooden shed.",
        "[i] An endnote.\nIts second paragraph.",
    ]
    assert "REMOVED" not in source.text
    assert "....." not in source.text
    assert covered(source, "heading") == [("Interview seven", "1"), ("Ende[i]", "2")]
    assert covered(source, "cell") == [("r1c1", None), ("r1c2\n\nmore", None), ("r2c1", None)]
    assert covered(source, "footnote") == [("[1] A wooden shed.", "1"),
                                           ("[i] An endnote.\nIts second paragraph.", "i")]
    assert [t for t, _ in covered(source, "paragraph")] == source.text.split("\n\n")
    memos = [(source.text[m.start:m.end], m.text) for m in source.range_memos]
    assert memos == [("Whole paragraph comment.", "Reviewer: Check this"), ("marked words", "R: ranged")]


def test_comment_spanning_paragraphs_and_unclosed_comment(tmp_path: Path) -> None:
    body = ('<text:p>One <office:annotation office:name="a"><text:p>across</text:p></office:annotation>start</text:p>'
            '<text:p>two<office:annotation-end office:name="a"/> rest</text:p>'
            '<text:p>Three <office:annotation office:name="never"><text:p>open</text:p></office:annotation>x</text:p>'
            '<text:p><office:annotation><text:p>on an empty paragraph</text:p></office:annotation></text:p>')
    source = parse(make_odt(tmp_path / "c.odt", body))
    assert source.text == "One start\n\ntwo rest\n\nThree x"
    memos = sorted((source.text[m.start:m.end], m.text) for m in source.range_memos)
    assert memos == [("Three x", "on an empty paragraph"), ("Three x", "open"), ("start\n\ntwo", "across")]


def test_rtl_and_cjk_round_trip_and_speaker_turns(tmp_path: Path) -> None:
    body = ("<text:p>Interviewer: مرحبا بالعالم</text:p><text:p>Dana: שלום עולם</text:p>"
            "<text:p>Interviewer: 日本語のテキスト</text:p><text:p>Dana: 中文文本</text:p>")
    source = parse(make_odt(tmp_path / "rtl.odt", body))
    assert source.text == ("Interviewer: مرحبا بالعالم\n\nDana: שלום עולם\n\nInterviewer: 日本語のテキスト\n\n"
                           "Dana: 中文文本")
    assert [v for _, v in covered(source, "turn")] == ["Interviewer", "Dana", "Interviewer", "Dana"]


def test_deep_nesting_does_not_exhaust_the_stack(tmp_path: Path) -> None:
    depth = 20_000
    body = ("<text:section>" * depth + "<text:p>" + "<text:span>" * depth + "deep" + "</text:span>" * depth
            + "</text:p>" + "</text:section>" * depth)
    assert parse(make_odt(tmp_path / "deep.odt", body)).text == "deep"


def test_entity_expansion_and_external_entities_are_refused(tmp_path: Path) -> None:
    laughs = ('<!DOCTYPE office:document-content [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10)) + "]>")
    path = make_odt(tmp_path / "laughs.odt", xml=content("<text:p>&lol9;</text:p>", laughs))
    with pytest.raises(UnreadableFileError, match="refused as unsafe"):
        parse(path)
    external = '<!DOCTYPE office:document-content [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    path = make_odt(tmp_path / "xxe.odt", xml=content("<text:p>&secret;</text:p>", external))
    with pytest.raises(UnreadableFileError, match="refused as unsafe"):
        parse(path)


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", b" " * (60 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(UnreadableFileError, match="zip bomb"):
        parse(path)


def test_truncated_and_damaged_packages(tmp_path: Path) -> None:
    good = make_odt(tmp_path / "good.odt", BODY).read_bytes()
    cut = tmp_path / "cut.odt"
    cut.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableFileError, match=r"cut\.odt is damaged or not a complete file"):
        parse(cut)
    broken = make_odt(tmp_path / "broken.odt", xml=content("<text:p>unclosed"))
    with pytest.raises(UnreadableFileError, match="damaged content"):
        parse(broken)
    no_content = tmp_path / "nocontent.odt"
    with zipfile.ZipFile(no_content, "w") as archive:
        archive.writestr("styles.xml", "<x/>")
    with pytest.raises(UnreadableFileError, match="not an OpenDocument text file"):
        parse(no_content)
    locked = make_odt(tmp_path / "locked.odt", "<text:p>x</text:p>",
                      manifest_extra="<manifest:encryption-data/>")
    with pytest.raises(UnreadableFileError, match="password"):
        parse(locked)
    no_text = make_odt(tmp_path / "sheet-body.odt", xml=content("").replace("office:text", "office:spreadsheet"))
    with pytest.raises(UnreadableFileError, match="no text document body"):
        parse(no_text)


def test_other_opendocument_kinds_and_mislabelled_files(tmp_path: Path) -> None:
    sheet = make_odt(tmp_path / "budget.odt", "<text:p>x</text:p>",
                     mimetype="application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(UnsupportedFormatError, match=r"budget.odt is not an OpenDocument text document but a "
                                                     r"spreadsheet \(.ods\)"):
        parse(sheet)
    assert parse(make_odt(tmp_path / "nomime.odt", "<text:p>fine</text:p>", mimetype=None)).text == "fine"
    text = tmp_path / "plain.odt"
    text.write_text("just text")
    with pytest.raises(UnsupportedFormatError, match="named like an OpenDocument text"):
        find_importer(text)


def test_empty_document_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EmptySourceError, match=r"empty\.odt holds no text"):
        parse(make_odt(tmp_path / "empty.odt", "<text:p/><text:p>  </text:p><text:p><text:s text:c='4'/></text:p>"))


def test_cancelled_import_stops(tmp_path: Path) -> None:
    class Cancelled:
        def step(self, done: int, total: int, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return True

    path = make_odt(tmp_path / "long.odt", "<text:p>line</text:p>" * 500)
    with pytest.raises(ImportError_, match="cancelled"):
        find_importer(path).parse(path, ImportOptions(), Cancelled())


def test_imported_into_a_project_with_memos(project: Project, tmp_path: Path) -> None:
    outcome = project.import_file(make_odt(tmp_path / "interview.odt", BODY))
    assert outcome.status == "imported", outcome.reason
    source_id = outcome.source_ids[0]
    text = project.source_text(source_id)
    assert [text[m.start:m.end] for m in project.range_memos(source_id)] == ["Whole paragraph comment.",
                                                                             "marked words"]
    assert [s.value for s in project.spans(source_id, "footnote")] == ["1", "i"]
