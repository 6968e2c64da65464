"""Rich Text: the tokenizer's escapes, code pages, Unicode, skipped destinations, notes; damaged files."""

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


def write(tmp_path: Path, name: str, rtf: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(rtf.encode("ascii") if isinstance(rtf, str) else rtf)
    return path


def parse(path: Path, options: ImportOptions | None = None):
    source = find_importer(path).parse(path, options or ImportOptions(), None).sources[0]
    assert source.kind == "rtf"
    assert all(0 <= s.start <= s.end <= len(source.text) for s in source.spans)
    assert source.spans == sorted(source.spans, key=lambda s: (s.start, s.kind))
    return source


def covered(source, kind: str) -> list[tuple[str, str | None]]:
    return [(source.text[s.start:s.end], s.value) for s in source.spans if s.kind == kind]


def rtf_escape(text: str) -> str:
    """Text as RTF: ASCII kept, everything else as \\uN? (astral characters as a surrogate pair)."""
    out = []
    for char in text:
        if ord(char) < 128:
            out.append(char)
            continue
        units = char.encode("utf-16-le")
        for i in range(0, len(units), 2):
            value = int.from_bytes(units[i:i + 2], "little")
            out.append(f"\\u{value - 65536 if value > 32767 else value}?")
    return "".join(out)


DOCUMENT = r"""{\rtf1\ansi\ansicpg1252\deff0\nouicompat
{\fonttbl{\f0\fnil\fcharset0 Calibri;}{\f1\fswiss\fcharset0 Arial;}}
{\colortbl ;\red255\green0\blue0;}
{\stylesheet{\s1 heading 1;}}
{\info{\title Secret title}{\author Someone}}
{\*\generator Riched20 10.0;}\viewkind4\uc1
\pard\s1\outlinelevel0\b\f0\fs32 Caf\'e9 notes\b0\par
\pard\plain\f1 She said \u8212? plainly \u8220?yes\u8221?.\tab Then left.\line New line here.\par
{\*\bkmkstart mark}Two-byte \uc2\u8364\'80\'80 fallback skipped, back to one \uc1\u233?t\'e9.\par
A {\field{\*\fldinst HYPERLINK "http://example.org"}{\fldrslt link text}} and {\v hidden words}shown\~text.\par
Escapes: \{braces\} and \\backslash\-soft\_hyphen.\par
{\pict\wmetafile8\picw100 0123456789abcdef}Picture skipped{\header Running header}.\par
Data {\bin5 {}\}x} survives.\par
Emoji \u-10179?\u-8704? here.\par
Cited\chftn{\footnote\pard\plain{\chftn} A note \'e0 la fin.}.\par
}"""


def test_escapes_code_pages_unicode_and_skipped_destinations(tmp_path: Path) -> None:
    source = parse(write(tmp_path, "notes.rtf", DOCUMENT))
    assert source.name == "notes"
    assert source.text.split("\n\n") == [
        "Café notes",
        "She said \u2014 plainly \u201cyes\u201d.\tThen left.\nNew line here.",
        "Two-byte € fallback skipped, back to one été.",
        "A link text and shown\u00a0text.",
        "Escapes: {braces} and \\backslashsoft\u2011hyphen.",
        "Picture skipped.",
        "Data  survives.",
        "Emoji 😀 here.",
        "Cited[1].",
        "Notes",
        "[1] A note à la fin.",
    ]
    assert covered(source, "heading") == [("Café notes", "1")]
    assert covered(source, "footnote") == [("[1] A note à la fin.", "1")]
    assert [t for t, _ in covered(source, "paragraph")] == source.text.split("\n\n")
    for hidden in ("Secret", "Calibri", "Riched", "HYPERLINK", "hidden", "header", "0123"):
        assert hidden not in source.text
    assert source.meta == {}


def test_several_plain_paragraphs_and_speaker_turns(tmp_path: Path) -> None:
    rtf = (r"{\rtf1\ansi{\fonttbl{\f0 Times;}}\f0\pard Interviewer: How long have you lived here?\par "
           r"Ana: Since 1998.\par\par Interviewer: And before?\par Ana: Down the coast.\par}")
    source = parse(write(tmp_path, "t.rtf", rtf))
    assert source.text == ("Interviewer: How long have you lived here?\n\nAna: Since 1998.\n\n"
                           "Interviewer: And before?\n\nAna: Down the coast.")
    assert [v for _, v in covered(source, "turn")] == ["Interviewer", "Ana", "Interviewer", "Ana"]
    assert covered(parse(write(tmp_path, "t2.rtf", rtf), ImportOptions(detect_speakers=False)), "turn") == []


def test_document_and_font_code_pages(tmp_path: Path) -> None:
    cyrillic = r"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2\par}"
    assert parse(write(tmp_path, "ru.rtf", cyrillic)).text == "Привет"
    japanese = (r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}{\f1\fcharset128 MS Mincho;}}"
                r"\f0 Latin \'e9 \f1\'82\'a0\'82\'a2\f0  done\par}")
    assert parse(write(tmp_path, "ja.rtf", japanese)).text == "Latin é あい done"
    hebrew = r"{\rtf1\ansi{\fonttbl{\f0\fcharset177 David;}}\f0\rtlch \'f9\'ec\'e5\'ed\par}"
    assert parse(write(tmp_path, "he.rtf", hebrew)).text == "שלום"


def test_rtl_and_cjk_round_trip_as_unicode(tmp_path: Path) -> None:
    paragraphs = ["مرحبا بالعالم", "שלום עולם", "日本語のテキスト", "中文文本 𠀋"]
    rtf = r"{\rtf1\ansi\uc1 " + "".join(rtf_escape(p) + r"\par " for p in paragraphs) + "}"
    assert parse(write(tmp_path, "intl.rtf", rtf)).text == "\n\n".join(paragraphs)


def test_truncated_and_unbalanced_files_are_read_best_effort(tmp_path: Path) -> None:
    cut = parse(write(tmp_path, "cut.rtf", r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 First paragraph.\par Second par"))
    assert cut.text == "First paragraph.\n\nSecond par"
    assert cut.meta == {"unbalanced": True}
    stray = parse(write(tmp_path, "stray.rtf", r"{\rtf1 One\par} Two\par}"))
    assert stray.text == "One\n\nTwo"
    assert stray.meta == {"unbalanced": True}
    trailing = parse(write(tmp_path, "trailing.rtf", b"{\\rtf1 Fine.\\par}\r\n\x00\x00"))
    assert trailing.text == "Fine."
    assert trailing.meta == {}
    with pytest.raises(UnreadableFileError, match=r"head\.rtf is incomplete"):
        parse(write(tmp_path, "head.rtf", r"{\rtf1\ansi{\fonttbl{\f0 Arial;"))
    dangling = parse(write(tmp_path, "dangling.rtf", r"{\rtf1 Ends in an escape \'4"))
    assert dangling.text == "Ends in an escape 4"


def test_deep_nesting_and_long_input_do_not_crash(tmp_path: Path) -> None:
    depth = 200_000
    started = time.perf_counter()
    deep = parse(write(tmp_path, "deep.rtf", r"{\rtf1 " + "{" * depth + "deep" + "}" * depth + r"\par after}"))
    assert deep.text == "deep\n\nafter"
    assert deep.meta == {}
    unclosed = parse(write(tmp_path, "open.rtf", r"{\rtf1 " + "{\\b " * depth + "open"))
    assert unclosed.text == "open"
    assert unclosed.meta == {"unbalanced": True}
    assert time.perf_counter() - started < 5


def test_empty_and_mislabelled_files(tmp_path: Path) -> None:
    with pytest.raises(EmptySourceError, match=r"empty\.rtf holds no text"):
        parse(write(tmp_path, "empty.rtf", r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\info{\title T}}\par\par}"))
    with pytest.raises(UnsupportedFormatError, match="named like a Rich Text"):
        find_importer(write(tmp_path, "plain.rtf", "just text"))
    from qcode.core.importers.rtf_importer import RtfImporter

    with pytest.raises(UnreadableFileError, match="not a Rich Text document"):
        RtfImporter().parse(write(tmp_path, "other.rtf", "plain words"), ImportOptions(), None)


def test_cancelled_import_stops(tmp_path: Path) -> None:
    class Cancelled:
        def step(self, done: int, total: int, text: str) -> None:
            pass

        def cancelled(self) -> bool:
            return True

    path = write(tmp_path, "long.rtf", r"{\rtf1 " + r"word\par " * 10_000 + "}")
    with pytest.raises(ImportError_, match="cancelled"):
        find_importer(path).parse(path, ImportOptions(), Cancelled())


def test_imported_into_a_project(project: Project, tmp_path: Path) -> None:
    outcome = project.import_file(write(tmp_path, "notes.rtf", DOCUMENT))
    assert outcome.status == "imported", outcome.reason
    assert project.source_text(outcome.source_ids[0]).startswith("Café notes\n\nShe said —")


PIECES = st.sampled_from([b"{", b"}", b"\\par ", b"\\u8212?", b"\\u-10179?", b"\\uc2", b"\\'e9", b"\\'", b"\\*",
                          b"\\footnote ", b"\\chftn", b"\\bin3 ", b"\\fonttbl", b"\\f1", b"\\fcharset128",
                          b"\\ansicpg932", b"\\v", b"\\pict", b"words ", b"\\", b"\r\n", b"\x00", b"\xe9", b"\\line"])


@given(st.lists(PIECES, max_size=40))
def test_any_input_gives_a_source_or_a_clear_error(pieces: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.rtf"
        path.write_bytes(b"{\\rtf1 " + b"".join(pieces))
        try:
            source = find_importer(path).parse(path, ImportOptions(), None).sources[0]
        except ImportError_:
            return
        assert source.text.strip()
        assert all(0 <= s.start < s.end <= len(source.text) for s in source.spans)
