"""Word importer: text boxes, footnotes and endnotes, comments, bold speaker labels, hostile and locked files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.importers.docx_parts import number_label
from qcode.core.importers.structure import speaker_turns
from qcode.core.model import Span

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
SEPARATORS = ('<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/><w:t>----</w:t></w:r></w:p></w:{kind}>'
              '<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
              "</w:{kind}>")


def run(text: str, props: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*content: str) -> str:
    return f"<w:p>{''.join(content)}</w:p>"


def part(kind: str, items: str) -> str:
    """A footnotes, endnotes or comments part (kind is the plural root name) around its items."""
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind} xmlns:w="{W_NS}">{items}</w:{kind}>'


def make_docx(path: Path, body: str = "", *, parts: dict[str, str] | None = None, prolog: str = "",
              document=None) -> Path:
    """A package saved by python-docx, then with `body` put before the section properties and `parts`
    (kind -> XML for word/<kind>.xml) added with their relationships and content types."""
    (document or docx.Document()).save(str(path))
    with zipfile.ZipFile(path) as src:
        files = {name: src.read(name) for name in src.namelist()}
    xml = files["word/document.xml"].decode()
    if body:
        xml = xml.replace("<w:sectPr", body + "<w:sectPr", 1)
    if prolog:
        xml = xml.replace("<w:document", prolog + "<w:document", 1)
    files["word/document.xml"] = xml.encode()
    rels = files["word/_rels/document.xml.rels"].decode()
    types = files["[Content_Types].xml"].decode()
    for number, (kind, data) in enumerate((parts or {}).items(), 50):
        files[f"word/{kind}.xml"] = data.encode()
        rels = rels.replace("</Relationships>", f'<Relationship Id="rId{number}" Type="{REL}/{kind}" '
                                                f'Target="{kind}.xml"/></Relationships>')
        types = types.replace("</Types>", f'<Override PartName="/word/{kind}.xml" '
                                          f'ContentType="{CONTENT_TYPE.format(kind=kind)}"/></Types>')
    files["word/_rels/document.xml.rels"] = rels.encode()
    files["[Content_Types].xml"] = types.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in files.items():
            out.writestr(name, data)
    return path


def parse(path: Path, options: ImportOptions | None = None):
    source = find_importer(path).parse(path, options or ImportOptions(), None).sources[0]
    assert source.kind == "docx"
    assert all(0 <= s.start <= s.end <= len(source.text) for s in source.spans)
    assert all(0 <= m.start < m.end <= len(source.text) for m in source.range_memos)
    assert source.spans == sorted(source.spans, key=lambda s: (s.start, s.kind))
    return source


def covered(source, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


def memos(source) -> list[tuple[str, str]]:
    return [(source.text[m.start:m.end], m.text) for m in source.range_memos]


# --- text boxes -------------------------------------------------------------------------------------------------

BOX = "".join(para(run(line)) for line in ("Box line one", "Box line two"))
DRAWING_BOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    f"<wps:wsp><wps:txbx><w:txbxContent>{BOX}</w:txbxContent></wps:txbx></wps:wsp>"
    "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{BOX}</w:txbxContent></v:textbox></v:shape></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r>"
)
VML_BOX = ("<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
           f"{para(run('Old box'))}<w:tbl><w:tr><w:tc>{para(run('Box cell'))}</w:tc></w:tr></w:tbl>"
           "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>")


def test_text_boxes_follow_their_anchor_once(tmp_path: Path) -> None:
    body = (para(run("Before the box"), DRAWING_BOX, run(" and after it."))
            + para(run("Second paragraph"), VML_BOX, run("."))
            + para(run("Last paragraph.")))
    source = parse(make_docx(tmp_path / "boxes.docx", body))
    assert source.text.split("\n\n") == [
        "Before the box and after it.", "Box line one", "Box line two",
        "Second paragraph.", "Old box", "Box cell",
        "Last paragraph.",
    ]
    assert [t for t, _ in covered(source, "paragraph")] == source.text.split("\n\n")


def test_content_controls_merged_cells_and_moves(tmp_path: Path) -> None:
    cell = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    body = ("<w:sdt><w:sdtPr><w:alias w:val='x'/></w:sdtPr><w:sdtContent>"
            f"{para(run('In a content control.'))}</w:sdtContent></w:sdt>"
            "<w:tbl><w:tblPr/><w:tr><w:tc><w:tcPr><w:vMerge w:val='restart'/></w:tcPr>"
            f"{para(run('Merged down'))}</w:tc><w:tc>{para(run('a'))}</w:tc></w:tr>"
            f"<w:tr>{cell}<w:tc>{para(run('b'))}</w:tc></w:tr></w:tbl>"
            + para(run("Moved "), f"<w:moveFrom w:id='1' w:author='x'>{run('away ')}</w:moveFrom>",
                   f"<w:moveTo w:id='2' w:author='x'>{run('here')}</w:moveTo>"))
    assert parse(make_docx(tmp_path / "sdt.docx", body)).text.split("\n\n") == [
        "In a content control.", "Merged down", "a", "b", "Moved here"]


# --- notes --------------------------------------------------------------------------------------------------------


def note_reference(kind: str, ident: str) -> str:
    style = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
    return f'<w:r><w:rPr><w:rStyle w:val="{style}"/></w:rPr><w:{kind}Reference w:id="{ident}"/></w:r>'


def note(kind: str, ident: str, *paragraphs: str) -> str:
    first, *rest = paragraphs
    mark = f'<w:r><w:rPr><w:rStyle w:val="{kind.capitalize()}Reference"/></w:rPr><w:{kind}Ref/></w:r>'
    return (f'<w:{kind} w:id="{ident}">' + para(mark, run(f" {first}")) + "".join(para(run(p)) for p in rest)
            + f"</w:{kind}>")


NOTES_BODY = (
    para(run("Sam went to the shed"), note_reference("footnote", "2"), run(" every week"),
         note_reference("endnote", "1"), run("."))
    + para(run("It was cold"), note_reference("footnote", "3"), run(" and a missing note"),
           note_reference("footnote", "99"), run(" is not marked."))
)
FOOTNOTES = part("footnotes", SEPARATORS.format(kind="footnote")
                 + note("footnote", "2", "A wooden shed.", "Painted green.") + note("footnote", "3", "In March."))
ENDNOTES = part("endnotes", SEPARATORS.format(kind="endnote") + note("endnote", "1", "Checked with Sam later."))


def test_footnotes_and_endnotes_go_after_the_text(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "notes.docx", NOTES_BODY, parts={"footnotes": FOOTNOTES, "endnotes": ENDNOTES})
    source = parse(path)
    assert source.text.split("\n\n") == [
        "Sam went to the shed[1] every week[i].",
        "It was cold[2] and a missing note is not marked.",
        "Notes",
        "[1] A wooden shed.\nPainted green.",
        "[i] Checked with Sam later.",
        "[2] In March.",
    ]
    assert covered(source, "footnote") == [("[1] A wooden shed.\nPainted green.", "1"),
                                           ("[i] Checked with Sam later.", "i"), ("[2] In March.", "2")]
    assert [t for t, _ in covered(source, "paragraph")] == source.text.split("\n\n")
    assert "----" not in source.text


def test_note_number_formats_from_section_and_settings(tmp_path: Path) -> None:
    document = docx.Document()

    def number_format(holder, kind: str, fmt: str) -> None:
        properties = holder.makeelement(f"{{{W_NS}}}{kind}Pr", {})
        properties.append(holder.makeelement(f"{{{W_NS}}}numFmt", {f"{{{W_NS}}}val": fmt}))
        holder.append(properties)

    number_format(document.element.body.sectPr, "footnote", "upperRoman")
    number_format(document.settings.element, "endnote", "decimal")
    path = make_docx(tmp_path / "fmt.docx", NOTES_BODY, parts={"footnotes": FOOTNOTES, "endnotes": ENDNOTES},
                     document=document)
    assert parse(path).text.split("\n\n")[:2] == ["Sam went to the shed[I] every week[1].",
                                                  "It was cold[II] and a missing note is not marked."]
    assert [number_label(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert [number_label(n, "upperRoman") for n in (4, 9, 14, 1994)] == ["IV", "IX", "XIV", "MCMXCIV"]
    assert [number_label(n, "chicago") for n in (1, 5)] == ["*", "**"]
    assert number_label(3, "ordinalText") == "3"


# --- comments -----------------------------------------------------------------------------------------------------


def comment(ident: str, author: str | None, *paragraphs: str) -> str:
    who = f' w:author="{author}"' if author is not None else ""
    inner = "".join(para(("<w:r><w:annotationRef/></w:r>" if i == 0 else "") + run(p))
                    for i, p in enumerate(paragraphs))
    return f'<w:comment w:id="{ident}"{who} w:date="2024-03-01T10:00:00Z">{inner}</w:comment>'


def start(ident: str) -> str:
    return f'<w:commentRangeStart w:id="{ident}"/>'


def end(ident: str) -> str:
    return f'<w:commentRangeEnd w:id="{ident}"/><w:r><w:commentReference w:id="{ident}"/></w:r>'


def test_comments_become_range_memos(tmp_path: Path) -> None:
    body = (
        para(run("First "), start("0"), run("starts here"))
        + para(run("ends"), end("0"), run(" here."))
        + para(run("Only a "), '<w:r><w:commentReference w:id="1"/></w:r>', run("reference."))
        + para(run("Some "), start("2"), run("marked words"), end("2"), run(" end."))
        + start("5") + para(run("Whole block.")) + end("5")
        + para(run("Noted"), note_reference("footnote", "1"), run("."))
    )
    footnotes = part("footnotes", SEPARATORS.format(kind="footnote")
                     + '<w:footnote w:id="1">' + para(run("See "), start("6"), run("the diary"), end("6")) + "</w:footnote>")
    comments = part("comments", "".join((
        comment("0", "Rosa Field", "Spans two paragraphs."),
        comment("1", "Rosa Field", "On the paragraph.", "Second line."),
        comment("2", None, "No author here."),
        comment("3", "Rosa Field", "Anchored nowhere in the text."),
        comment("4", "Rosa Field", "   "),
        comment("5", "Ann", "Around a block."),
        comment("6", "Ann", "In a footnote."),
    )))
    source = parse(make_docx(tmp_path / "comments.docx", body, parts={"comments": comments, "footnotes": footnotes}))
    assert source.text == ("First starts here\n\nends here.\n\nOnly a reference.\n\nSome marked words end.\n\n"
                           "Whole block.\n\nNoted[1].\n\nNotes\n\n[1] See the diary")
    assert memos(source) == [
        ("starts here\n\nends", "Rosa Field: Spans two paragraphs."),
        ("Only a reference.", "Rosa Field: On the paragraph.\nSecond line."),
        ("marked words", "No author here."),
        ("Whole block.", "Ann: Around a block."),
        ("the diary", "Ann: In a footnote."),
    ]


def test_comment_on_an_empty_range_or_without_an_end(tmp_path: Path) -> None:
    body = (para(run("Point "), start("0"), end("0"), run("comment."))
            + para(run("Never "), start("1"), run("closed.")))
    comments = part("comments", comment("0", "A", "At a point.") + comment("1", "B", "Open."))
    source = parse(make_docx(tmp_path / "points.docx", body, parts={"comments": comments}))
    assert memos(source) == [("Point comment.", "A: At a point."), ("Never closed.", "B: Open.")]


# --- speakers -----------------------------------------------------------------------------------------------------


def bold_transcript(path: Path, turns: list[tuple[str | None, str]], style: dict[int, str] | None = None) -> Path:
    document = docx.Document()
    for index, (speaker, text) in enumerate(turns):
        paragraph = document.add_paragraph()
        if speaker is not None:
            label = paragraph.add_run(speaker)
            if style and index in style:
                label.style = style[index]
            else:
                label.bold = True
        paragraph.add_run(text)
    document.save(str(path))
    return path


def test_bold_speaker_labels_become_turns(tmp_path: Path) -> None:
    path = bold_transcript(tmp_path / "bold.docx", [
        ("Interviewer", " Where do you go on Sundays?"),
        ("Sam", " To the allotment, mostly."),
        (None, "It depends on the weather."),
        ("Interviewer:", " And in winter?"),
        ("Sam", ": The shed, said he."),
        ("Dr Ana Souza", " joins in."),
        ("A bold line that stands alone", ""),
    ], style={4: "Strong"})
    source = parse(path)
    assert covered(source, "turn") == [
        ("Interviewer Where do you go on Sundays?", "Interviewer"),
        ("Sam To the allotment, mostly.\n\nIt depends on the weather.", "Sam"),
        ("Interviewer: And in winter?", "Interviewer"),
        ("Sam: The shed, said he.", "Sam"),
        ("Dr Ana Souza joins in.\n\nA bold line that stands alone", "Dr Ana Souza"),
    ]
    assert not covered(parse(path, ImportOptions(detect_speakers=False)), "turn")


def test_bold_openings_that_are_not_speakers(tmp_path: Path) -> None:
    once = bold_transcript(tmp_path / "once.docx", [("Note", " this happens once."), (None, "Plain text.")])
    assert not covered(parse(once), "turn")
    long = bold_transcript(tmp_path / "long.docx", [("One two three four five", " text.")] * 2)
    assert not covered(parse(long), "turn")
    document = docx.Document()
    document.add_heading("Interview", level=1)
    document.add_heading("Interview", level=1)
    heading = parse(make_docx(tmp_path / "h.docx", document=document))
    assert covered(heading, "heading") == [("Interview", "1"), ("Interview", "1")]
    assert not covered(heading, "turn")


def test_bold_from_the_paragraph_style_and_explicitly_unbolded_text(tmp_path: Path) -> None:
    document = docx.Document()
    for speaker, words in (("Kim", " first."), ("Lee", " second."), ("Kim", " third.")):
        paragraph = document.add_paragraph(style="Intense Quote")  # a bold paragraph style
        paragraph.add_run(speaker)
        paragraph.add_run(words).bold = False
    source = parse(make_docx(tmp_path / "styled.docx", document=document))
    assert covered(source, "turn") == [("Kim first.", "Kim"), ("Lee second.", "Lee"), ("Kim third.", "Kim")]


def test_speaker_turns_hints_keep_default_behaviour() -> None:
    text = "Ann: hi\n\nBob said: yes\n\nAnn: ok\n\nBob said: no"
    paragraphs = [Span("paragraph", 0, 7), Span("paragraph", 9, 22), Span("paragraph", 24, 31),
                  Span("paragraph", 33, 45)]
    assert [t.value for t in speaker_turns(text, paragraphs)] == ["Ann", "Bob said", "Ann", "Bob said"]
    hinted = speaker_turns(text, paragraphs, [None, "Bob", None, "Bob"])
    assert [(t.value, text[t.start:t.end]) for t in hinted] == [
        ("Ann", "Ann: hi"), ("Bob", "Bob said: yes"), ("Ann", "Ann: ok"), ("Bob", "Bob said: no")]


# --- hostile, damaged and locked files ----------------------------------------------------------------------------

LAUGHS = ('<!DOCTYPE w:document [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + "]>")


def test_billion_laughs_and_external_entities_are_refused(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "laughs.docx", para(run("&lol9;")), prolog=LAUGHS)
    with pytest.raises(UnreadableFileError, match=r"laughs\.docx .*word/document\.xml.*refused as unsafe"):
        parse(path)
    external = '<!DOCTYPE w:comments [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    comments = part("comments", comment("0", "A", "&secret;")).replace("<w:comments", external + "<w:comments", 1)
    path = make_docx(tmp_path / "xxe.docx", para(run("x")), parts={"comments": comments})
    with pytest.raises(UnreadableFileError, match=r"word/comments\.xml.*refused as unsafe"):
        parse(path)


def test_damaged_parts(tmp_path: Path) -> None:
    broken = make_docx(tmp_path / "broken.docx", para(run("x")), parts={"footnotes": "<w:footnotes><unclosed>"})
    with pytest.raises(UnreadableFileError, match=r"damaged content in word/footnotes\.xml"):
        parse(broken)
    empty = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("word/document.xml", b"")
    with pytest.raises(UnreadableFileError, match=r"empty or damaged word/document\.xml"):
        parse(empty)
    with pytest.raises(EmptySourceError):
        parse(make_docx(tmp_path / "blank.docx", para(run("   "))))


def test_deep_nesting_in_a_note_does_not_exhaust_the_stack(tmp_path: Path) -> None:
    depth = 20_000
    deep = ('<w:footnote w:id="1"><w:p>' + "<w:hyperlink>" * depth + run("deep") + "</w:hyperlink>" * depth
            + "</w:p></w:footnote>")
    path = make_docx(tmp_path / "deep.docx", para(run("x"), note_reference("footnote", "1")),
                     parts={"footnotes": part("footnotes", deep)})
    assert parse(path).text == "x[1]\n\nNotes\n\n[1] deep"


@pytest.mark.parametrize(("name", "app"), [("locked.docx", "Word"), ("book.xlsx", "Excel"), ("text.odt", "Libre")])
def test_password_protected_package_names_the_fix(tmp_path: Path, name: str, app: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    suffix = path.suffix
    with pytest.raises(UnreadableFileError, match=rf"{name} is password-protected, or is an old-format Office "
                       rf"file.*Open it in {app}.*save it as an unprotected \{suffix} file"):
        find_importer(path)


def test_progress_and_cancel(tmp_path: Path) -> None:
    document = docx.Document()
    for i in range(450):
        document.add_paragraph(f"Paragraph {i}.")
    path = tmp_path / "long.docx"
    document.save(str(path))

    class Recorder:
        def __init__(self, stop: bool) -> None:
            self.steps: list[tuple[int, int]] = []
            self.stop = stop

        def step(self, done: int, total: int, text: str) -> None:
            self.steps.append((done, total))

        def cancelled(self) -> bool:
            return self.stop

    progress = Recorder(stop=False)
    assert find_importer(path).parse(path, ImportOptions(), progress).sources[0].text.endswith("Paragraph 449.")
    assert progress.steps == [(200, 450), (400, 450)]
    with pytest.raises(ImportError_, match="cancelled"):
        find_importer(path).parse(path, ImportOptions(), Recorder(stop=True))
