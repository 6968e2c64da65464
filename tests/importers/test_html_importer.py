"""Web pages: visible text only, blocks as paragraphs, headings, cells, entities, encodings, broken markup."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.project import Project


def parse(path: Path, options: ImportOptions | None = None):
    source = find_importer(path).parse(path, options or ImportOptions(), None).sources[0]
    assert source.kind == "html"
    assert all(0 <= s.start <= s.end <= len(source.text) for s in source.spans)
    assert source.spans == sorted(source.spans, key=lambda s: (s.start, s.kind))
    return source


def covered(source, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title> Field   notes &amp; more </title>
<style>p { color: red } /* <p>not text</p> */</style>
<script>var s = "<p>not text either</p>"; if (a < b && c > d) {}</script>
<link rel="stylesheet" href="x.css"></head>
<body>
<h1>Visit &#8470;&nbsp;3 &amp; <em>notes</em></h1>
<p>We   walked
   to the <b>allotment</b>,&nbsp;then   home.<p>Second<br>line after a break
<h2>Lists</h2>
<ul><li>one<li>two<ul><li>inner</ul><li>three &lt;3&gt;</ul>
<template><p>template text</p></template><noscript><div>turn on scripts</div></noscript>
<div hidden>hidden text</div>
<table><tr><th>Name<th>Role</tr><tr><td>Ana</td><td><p>Grower</p><p>Volunteer</p></td></table>
<blockquote>A quote &ldquo;here&rdquo;.</blockquote>
<pre>
keep   these  spaces
  and this indent

new block</pre>
</body></html>
"""


def test_visible_text_blocks_headings_cells_and_entities(tmp_path: Path) -> None:
    path = tmp_path / "visit.html"
    path.write_text(PAGE, encoding="utf-8")
    source = parse(path)
    assert source.name == "visit"
    assert source.meta == {"title": "Field notes & more"}
    assert source.text.split("\n\n") == [
        "Visit №\u00a03 & notes",
        "We walked to the allotment,\u00a0then home.",
        "Second",
        "line after a break",
        "Lists",
        "one", "two", "inner", "three <3>",
        "Name", "Role", "Ana", "Grower", "Volunteer",
        "A quote “here”.",
        "keep   these  spaces\n  and this indent",
        "new block",
    ]
    assert covered(source, "heading") == [("Visit №\u00a03 & notes", "1"), ("Lists", "2")]
    assert [t for t, _ in covered(source, "cell")] == ["Name", "Role", "Ana", "Grower", "Volunteer"]
    assert [t for t, _ in covered(source, "paragraph")] == source.text.split("\n\n")
    for hidden in ("not text", "template text", "turn on scripts", "hidden text", "stylesheet"):
        assert hidden not in source.text


def test_htm_without_head_or_body_and_stray_end_tags(tmp_path: Path) -> None:
    path = tmp_path / "bare.htm"
    path.write_text("<title>T</title>Loose text</p>after a stray end</div><i>still</i> going", encoding="utf-8")
    source = parse(path)
    assert source.text == "Loose text\n\nafter a stray end\n\nstill going"
    assert source.meta == {"title": "T"}


def test_speaker_turns_in_a_transcript_page(tmp_path: Path) -> None:
    path = tmp_path / "t.html"
    path.write_text("<p>Interviewer: Hi.</p><p>Sam: Hello.</p><p>Interviewer: Bye.</p><p>Sam: Bye!</p>")
    assert [v for _, v in covered(parse(path), "turn")] == ["Interviewer", "Sam", "Interviewer", "Sam"]
    assert covered(parse(path, ImportOptions(detect_speakers=False)), "turn") == []


def test_declared_charset_and_rtl_cjk_text(tmp_path: Path) -> None:
    path = tmp_path / "ru.html"
    path.write_bytes('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
                     "<p>Привет, мир</p>".encode("cp1251"))
    assert parse(path).text == "Привет, мир"
    path = tmp_path / "mixed.html"
    text = '<p dir="rtl">שלום עולם</p><p dir="rtl" lang="ar">مرحبا بالعالم</p><p>日本語の文章と中文文本</p>'
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert parse(path).text == "שלום עולם\n\nمرحبا بالعالم\n\n日本語の文章と中文文本"
    path = tmp_path / "utf16.html"
    path.write_bytes(b"\xff\xfe" + "<p>Ça va — oui</p>".encode("utf-16-le"))
    assert parse(path).text == "Ça va — oui"


def test_deep_nesting_and_unclosed_tags_are_read_quickly(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 50_000 + "deep text" + "</div>" * 50_000 + "<p>" + "<b>" * 50_000 + "bold")
    started = time.perf_counter()
    assert parse(path).text == "deep text\n\nbold"
    assert time.perf_counter() - started < 5


def test_empty_binary_and_mislabelled_pages(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Only a title</title><script>x()</script></head><body> </body></html>")
    with pytest.raises(EmptySourceError, match=r"empty\.html holds no visible text"):
        parse(empty)
    binary = tmp_path / "bin.html"
    binary.write_bytes(b"<p>x</p>" + b"\x00\x01\x02" * 20)
    with pytest.raises(UnreadableFileError, match="binary"):
        parse(binary)
    pdf = tmp_path / "paper.html"
    pdf.write_bytes(b"%PDF-1.4 whatever")
    with pytest.raises(UnsupportedFormatError, match="really a PDF"):
        find_importer(pdf)


def test_imported_into_a_project(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "visit.html"
    path.write_text(PAGE, encoding="utf-8")
    outcome = project.import_file(path)
    assert outcome.status == "imported", outcome.reason
    assert [s.value for s in project.spans(outcome.source_ids[0], "heading")] == ["1", "2"]


PIECES = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<br>", "<pre>", "</pre>", "<h2>", "</h2>", "<td>", "<tr>",
                          "<li>", "<ul>", "</ul>", "<script>", "</script>", "<template>", "</template>", "<title>",
                          "<head>", "</head>", "<!--", "-->", "<![CDATA[", "]]>", "<!", "&amp", "&#x", "words", " ",
                          "\n", "é", "😀", "<b", ">", "<div hidden>", "</br>", "<table>", "</table>"])


@given(st.lists(PIECES, max_size=40))
def test_any_markup_gives_a_source_or_a_clear_error(pieces: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.html"
        path.write_text("".join(pieces), encoding="utf-8")
        try:
            source = find_importer(path).parse(path, ImportOptions(), None).sources[0]
        except ImportError_:
            return
        assert source.text.strip()
        assert all(0 <= s.start < s.end <= len(source.text) for s in source.spans)


def test_image_alt_text_is_kept_where_the_image_stands(tmp_path: Path) -> None:
    path = tmp_path / "capture.html"
    path.write_text('<html><head><title>Forum</title></head><body><p>Our shed:<img src="a.jpg" '
                    'alt="A green shed with a red door">after the storm.</p><p><img src="b.png" alt="Map of the '
                    'plots"></p><p><img src="spacer.gif" alt=""><img src="c.png" alt="hidden one" hidden>'
                    '<img src="d.png" alt="decor" aria-hidden="true">End.</p></body></html>', encoding="utf-8")
    source = find_importer(path).parse(path, ImportOptions(), None).sources[0]
    assert source.text.split("\n\n") == ["Our shed: A green shed with a red door after the storm.",
                                         "Map of the plots", "End."]
