"""Robustness of imports: encodings, a failing file in a batch, names with control characters, attachments.

Every fixture is made here, with fictional text.
"""

from __future__ import annotations

import codecs
import os
import sqlite3
import zipfile
from pathlib import Path

import docx
import pytest

from qcode.core.diagnostics import log_file
from qcode.core.errors import UnreadableFileError
from qcode.core.importers import REGISTRY, ImportOptions, ParsedCoding, ParseResult, importable_suffixes
from qcode.core.importers.text import decode, decoding_notes
from qcode.core.project import Project
from tests.schema_versions import make_older

TEXT = "Interviewer: How was the harvest?\n\nAroha: Better than last year, with the new rows of kūmara.\n"


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Interviewer: A fictional question?")
    document.add_paragraph("Rangi: A fictional answer.")
    document.save(str(path))
    return path


def rewritten(source: Path, target: Path, part: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


# --- point 4: UTF-32, NUL characters, and what `check` counts ----------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_bom_marked_text_imports_without_nul_characters(tmp_path: Path, project: Project, encoding: str) -> None:
    bom = {"utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE,
           "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]
    path = tmp_path / f"notes-{encoding}.txt"
    path.write_bytes(bom + TEXT.encode(encoding))
    outcome = project.import_file(path)
    assert outcome.status == "imported", outcome.reason
    text = project.source_text(outcome.source_ids[0])
    assert text == TEXT.strip("\n")
    assert "\x00" not in text
    assert project.search("kūmara")  # the text can be searched
    assert project.check() == []


@pytest.mark.parametrize("encoding", ["utf-32-le", "utf-32-be", "utf-16-le"])
def test_captions_with_a_wide_bom_import(tmp_path: Path, project: Project, encoding: str) -> None:
    bom = {"utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE, "utf-16-le": codecs.BOM_UTF16_LE}
    captions = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Aroha>We planted kūmara.\n"
    path = tmp_path / f"talk-{encoding}.vtt"
    path.write_bytes(bom[encoding] + captions.encode(encoding))
    outcome = project.import_file(path)
    assert outcome.status == "imported", outcome.reason
    assert project.source_text(outcome.source_ids[0]) == "Aroha: We planted kūmara."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_read_as_such(tmp_path: Path, project: Project, encoding: str) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(TEXT.encode(encoding))
    outcome = project.import_file(path)
    assert outcome.status == "imported", outcome.reason
    assert project.source_text(outcome.source_ids[0]) == TEXT.strip("\n")


def test_text_that_decodes_to_control_characters_is_refused_whatever_its_bom(tmp_path: Path) -> None:
    noise = "".join(chr(c) for c in range(1, 9)) * 200 + "a few words"
    path = tmp_path / "data.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + noise.encode("utf-16-le"))
    with Project.create(tmp_path / "p.qcode") as project:
        outcome = project.import_file(path)
        assert outcome.status == "failed"
        assert "does not look like a text file" in outcome.reason
        assert project.sources() == []


def test_a_nul_early_in_utf16_text_is_binary_and_a_stray_one_later_is_dropped(tmp_path: Path) -> None:
    early = codecs.BOM_UTF16_LE + ("Aroha:\x00 hello\n\n" + TEXT).encode("utf-16-le")
    with pytest.raises(Exception, match="does not look like a text file"):
        decode(early, "early.txt")
    late = codecs.BOM_UTF16_LE + (TEXT * 400 + "closing\x00 words").encode("utf-16-le")
    text = decode(late, "late.txt")
    assert text.endswith("closing words")
    assert "\x00" not in text


def test_a_nul_given_through_the_api_is_stored_as_a_replacement_character(project: Project) -> None:
    source = project.add_source("Typed", "before\x00after \ud800 end")
    assert project.source_text(source.id) == "before\ufffdafter \ufffd end"
    assert project.source(source.id).length == len("before\x00after \ud800 end")
    assert project.source_slice(source.id, 7, 12) == "after"
    assert project.check() == []


def test_check_counts_characters_as_the_store_does_even_past_a_nul(tmp_path: Path) -> None:
    path = tmp_path / "old.qcode"
    with Project.create(path) as project:
        source = project.add_source("Old", "placeholder text")
    text = "made by an older qcode\x00 with a NUL inside"
    with sqlite3.connect(path) as conn:  # what an older version could have stored
        conn.execute("UPDATE source SET text = ?, length = ? WHERE id = ?", (text, len(text), source.id))
    make_older(path, 6)  # a file of the version before word counts were stored: opening it counts them
    with Project.open(path, mode="read") as project:
        assert project.check() == []
        assert project.word_frequencies(limit=None, use_builtin_stop_words=False)[-1].word == "with"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE source SET length = 3 WHERE id = ?", (source.id,))
    with Project.open(path, mode="read") as project:
        assert f"source 'Old' records 3 characters but holds {len(text)}" in project.check()


# --- point 8: text that mixes encodings ---------------------------------------------------------------------


def test_utf8_text_with_one_cp1252_line_keeps_every_other_line_and_says_so(tmp_path: Path, project: Project) -> None:
    lines = ["Interviewer: Wie war der Sommer?", "Jörg: Heiß, und im Garten blühten die Rosen.",
             "Interviewer: 你们去海边了吗？", "Jörg: Ja, mit Zoë — und der Café am Hafen war voll.",
             "Interviewer: Und danach?", "Jörg: Ruhe."]
    data = "\n".join(lines).encode("utf-8").replace(
        "Jörg: Ja, mit Zoë — und der Café am Hafen war voll.".encode(),
        "Jörg: Ja, mit Zoë — und der Café am Hafen war voll.".encode("cp1252"))
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    outcome = project.import_file(path)
    assert outcome.status == "imported"
    assert project.source_text(outcome.source_ids[0]) == "\n".join(lines)
    assert "mixed.txt is UTF-8 except 1 line (4), read as" in outcome.reason
    marked = tmp_path / "marked.txt"
    marked.write_bytes(codecs.BOM_UTF8 + data)
    with decoding_notes() as notes:
        assert decode(marked.read_bytes(), "marked.txt") == "\n".join(lines)
    assert len(notes) == 1
    with decoding_notes() as notes:
        decode("plain UTF-8: Jörg\n".encode(), "clean.txt")
    assert notes == []


def test_a_cp1252_file_is_still_read_whole(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "western.txt"
    path.write_bytes("Zoë: Das Café war voll.\n\nJörg: Heiß war es.\n".encode("cp1252"))
    outcome = project.import_file(path)
    assert project.source_text(outcome.source_ids[0]) == "Zoë: Das Café war voll.\n\nJörg: Heiß war es."
    assert outcome.reason == ""


# --- point 5: one bad file is that file's failure ------------------------------------------------------------


class Exploding:
    name = "a plain-text"
    suffixes = (".txt",)

    def sniff(self, head: bytes) -> bool:
        return True

    def parse(self, path: Path, options: ImportOptions, progress: object) -> ParseResult:
        if "boom" in path.name:
            raise RuntimeError("a library fell over")
        if "lines" in path.name:
            raise UnreadableFileError("The reader said:\nline 1, column 3: not well-formed")
        result = original_text_importer.parse(path, options, progress)
        if "empty-coding" in path.name:  # a coding the store's constraints refuse
            result.codings.append(ParsedCoding(0, "Imported/Broken", 3, 3))
        return result


original_text_importer = None


def test_any_exception_while_reading_a_file_fails_that_file_and_the_batch_goes_on(
        tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    global original_text_importer
    importable_suffixes()
    original_text_importer = REGISTRY[".txt"]
    monkeypatch.setitem(REGISTRY, ".txt", Exploding())
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("Interviewer: First invented text.\n", encoding="utf-8")
    (folder / "boom.txt").write_text("Never read.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Interviewer: Third invented text.\n", encoding="utf-8")
    (folder / "lines.txt").write_text("Never read either.\n", encoding="utf-8")
    (folder / "empty-coding.txt").write_text("Interviewer: Read, but not storable.\n", encoding="utf-8")
    good = word_file(tmp_path / "good.docx")
    rewritten(good, folder / "utf7.docx", "word/document.xml", b"encoding='UTF-8'", b"encoding='UTF-7'")
    rewritten(good, folder / "sjis.docx", "word/document.xml", b"encoding='UTF-8'", b"encoding='Shift_JIS'")
    rewritten(good, folder / "namespace.docx", "word/document.xml",
              b"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
              b"http://schemas.openxmlformats.org/wordprocessingml/2006/mainX\"")
    outcomes = project.import_paths([folder])
    by_name = {Path(o.path).name: o for o in outcomes}
    assert sorted(by_name) == ["a.txt", "boom.txt", "c.txt", "empty-coding.txt", "lines.txt", "namespace.docx",
                               "sjis.docx", "utf7.docx"]
    assert by_name["empty-coding.txt"].status == "failed"
    assert "(IntegrityError; details are in" in by_name["empty-coding.txt"].reason
    # a message from deeper down that spans lines and does not name the file: one line, naming it
    assert by_name["lines.txt"].reason == "lines.txt: The reader said: line 1, column 3: not well-formed"
    assert by_name["a.txt"].status == by_name["c.txt"].status == "imported"
    for name in ("boom.txt", "namespace.docx", "sjis.docx", "utf7.docx"):
        assert by_name[name].status == "failed", name
        assert "\n" not in by_name[name].reason
        assert by_name[name].reason.startswith(name)
    assert "declares an encoding that cannot be read" in by_name["utf7.docx"].reason
    assert "(RuntimeError; details are in" in by_name["boom.txt"].reason
    log = log_file().read_text(encoding="utf-8")
    assert "RuntimeError: a library fell over" in log
    assert "Traceback" in log
    assert len(project.sources()) == 2


@pytest.mark.skipif(os.name == "nt" or os.uname().sysname == "Darwin", reason="needs a file system that "
                    "takes any bytes as a file name")
def test_a_file_name_that_is_not_utf8_imports_under_a_readable_name(tmp_path: Path, project: Project) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9 notes.txt"
    with open(raw, "wb") as fh:
        fh.write(b"Interviewer: An invented question about coffee.\n")
    (tmp_path / "next.txt").write_text("Interviewer: The next invented file.\n", encoding="utf-8")
    outcomes = project.import_paths([os.fsdecode(raw), tmp_path / "next.txt"])
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert outcomes[0].path.endswith("caf\ufffd notes.txt")
    assert project.source(outcomes[0].source_ids[0]).name == "caf\ufffd notes"
    assert project.check() == []


# --- point 10: control characters never reach a name ----------------------------------------------------------


def test_names_lose_terminal_and_bidi_control_characters(tmp_path: Path, project: Project) -> None:
    path = tmp_path / "Interview \x1b[31mred\x07 \u202eevil\u202c.txt"
    path.write_text("Interviewer: An invented question.\n", encoding="utf-8")
    outcome = project.import_file(path)
    assert project.source(outcome.source_ids[0]).name == "Interview [31mred evil"
    code = project.create_code("Trust\x1b]0;title\x07 issues\u2066")
    assert code.name == "Trust]0;title issues"
    case = project.create_case("Case\x9b 1\u200f")
    assert case.name == "Case 1"
    assert project.rename_source(outcome.source_ids[0], "Tab\there\x00").name == "Tab here"
    coder = project.ensure_coder("Ana\x1b[2J \u202eK")
    assert coder.name == "Ana[2J K"
    assert project.rename_coder(coder.id, "Ana\x07 B\u2066").name == "Ana B"


# --- point 12: attachments are named in the report --------------------------------------------------------------


class FakePdf:
    name = "a PDF"
    suffixes = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"%PDF")

    def parse(self, path: Path, options: ImportOptions, progress: object) -> ParseResult:
        from qcode.core.importers import ParsedSource

        if "broken" in path.name:
            raise AttributeError("'PSKeyword' object has no attribute 'objid'")
        return ParseResult([ParsedSource(path.stem, "Text of an invented attached paper.", kind="pdf")])


def test_every_attached_file_read_is_named_in_the_report_wherever_it_lies(
        tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    importable_suffixes()
    monkeypatch.setitem(REGISTRY, ".pdf", FakePdf())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.pdf").write_bytes(b"%PDF-1.4 invented")
    (elsewhere / "broken.pdf").write_bytes(b"%PDF-1.4 invented")
    library = tmp_path / "library" / "refs.bib"
    library.parent.mkdir()
    library.write_text(
        "@article{a, title={Far away}, abstract={An abstract.}, file={../elsewhere/far.pdf}}\n"
        f"@article{{b, title={{Broken}}, abstract={{Another abstract.}}, file={{{elsewhere / 'broken.pdf'}}}}}\n",
        encoding="utf-8")
    outcome = project.import_file(library, options=ImportOptions(attachments=True))
    assert outcome.status == "imported"
    notes = outcome.reason.split("; ")
    assert f"Far away: added the text of the attached file {(elsewhere / 'far.pdf').resolve()}" in notes
    assert any(n.startswith("Broken: broken.pdf could not be read (AttributeError") for n in notes)


# --- point 6: a large reference library costs work in proportion to its entries ------------------------------


def test_a_reference_library_looks_each_attribute_up_once_whatever_its_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.project import importing

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "benchmarks"))  # as run.py has it
    from tests.benchmarks.import_bounds import write_bibtex

    lookups: list[str] = []
    positions: list[object] = []
    real_lookup, real_position = importing.case_store.attributes_by_name, importing.source_store.next_source_position
    monkeypatch.setattr(importing.case_store, "attributes_by_name",
                        lambda conn, name: lookups.append(name) or real_lookup(conn, name))
    monkeypatch.setattr(importing.source_store, "next_source_position",
                        lambda conn, folder: positions.append(folder) or real_position(conn, folder))
    for entries in (40, 160):
        lookups.clear()
        positions.clear()
        with Project.create(tmp_path / f"refs-{entries}.qcode") as project:
            outcome = project.import_file(write_bibtex(tmp_path / f"refs-{entries}.bib", entries))
            assert outcome.status == "imported"
            sources = project.sources()
            assert len(sources) == entries
            assert [int(s.name.rsplit(" ", 1)[1]) for s in sources] == list(range(entries))  # in the file's order
            assert sorted(lookups) == ["Authors", "Journal", "Keywords", "Title", "Year"]
            assert positions == [None]
            years = [project.attribute_values("source", s.id)["Year"] for s in sources]
            assert years == [1990 + i % 30 for i in range(entries)]


# --- lines built to make pattern matching quadratic ------------------------------------------------------------


@pytest.mark.parametrize(("name", "text"), [
    ("heading.md", "# A title" + " " * 30_000 + "x\n"),
    ("spaces.md", "| a | b |\n|-" + " " * 30_000 + "x\n" + " " * 30_000 + "x\n"),
    ("label.txt", "Speaker 1" + " " * 30_000 + "x:\n\nSpeaker 1: one\n\nSpeaker 1: two\n"),
    ("links.md", "[" * 30_000 + "\n"),
    ("comments.html", "<p>Kept text.</p>" + "<!--" * 30_000),
    ("tags.html", "<p>Kept text.</p>" + "<a " * 30_000),
    ("voices.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nKept text " + "<v " * 30_000 + "\n"),
    ("ruby.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nKept text " + "<rt>" * 30_000 + "\n"),
])
def test_long_runs_in_one_line_cost_linear_time(tmp_path: Path, name: str, text: str) -> None:
    import time

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with Project.create(tmp_path / "p.qcode") as project:
        outcome = project.import_file(path)
    assert outcome.status == "imported"
    assert time.perf_counter() - started < 5  # each took from 20 s to a minute before


def test_markdown_markup_is_removed_up_to_its_bound(tmp_path: Path, project: Project) -> None:
    from qcode.core.importers.markdown_importer import MAX_INLINE, strip_inline

    inside = "x" * (MAX_INLINE - 10)
    assert strip_inline(f"**{inside}** and [a link]({inside}) `code`") == f"{inside} and a link code"
    beyond = "y" * (MAX_INLINE + 10)
    assert strip_inline(f"**{beyond}**") == f"**{beyond}**"  # longer than any real emphasis: left as it is


def test_a_page_keeps_its_text_after_a_stray_comment_opener_in_a_script(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Main text.</p><script>document.write('<!--');</script><p>Footer text.</p>"
                    "</body></html>", encoding="utf-8")
    outcome = project.import_file(path)
    assert project.source_text(outcome.source_ids[0]) == "Main text.\n\nFooter text."
