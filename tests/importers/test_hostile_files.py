"""Hostile and broken files: each refused with a specific sentence a researcher can act on, nothing stored.

The corpus is made here: empty files of every format, truncated and damaged packages, files whose content
is not what their name says, zip bombs, XML parts declaring entities (in the parts qcode reads itself and in
those a library reads for it), password-protected packages, binary data named .txt and a file over the size
limit. The batch goes on after each failure and the project stays empty.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from qcode.core.importers import ImportOptions, find_importer
from qcode.core.importers.text import decode
from qcode.core.project import Project
from tests.importers.test_odt_importer import make_odt

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>')
EXTERNAL = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000


def word_file(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Interviewer: A fictional question?")
    document.add_paragraph("Sam: A fictional answer.")
    document.save(str(path))
    return path


def workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Answer"])
    sheet.append(["R1", "An invented answer"])
    book.save(path)
    return path


def with_part(source: Path, target: Path, part: str, prolog: str) -> Path:
    """A copy of a package with a document type declaration put before the root element of one part."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = parts[part].decode("utf-8")
    if body.startswith("<?xml"):
        body = body.split("?>", 1)[1]
    parts[part] = (prolog + body).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def bomb(path: Path, main_part: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(main_part, b"<a/>")
        archive.writestr("padding.xml", b" " * (120 * 1024 * 1024))
    return path


def make_hostile(folder: Path) -> dict[str, str]:
    """Hostile files by name, each with a pattern its message must match."""
    folder.mkdir()
    good_docx = word_file(folder.parent / "good.docx")
    good_odt = folder.parent / "good.odt"
    make_odt(good_odt, "<text:p>An invented note.</text:p>")
    expected: dict[str, str] = {}
    for suffix in (".txt", ".md", ".docx", ".pdf", ".odt", ".rtf", ".html", ".vtt", ".srt", ".ris", ".bib"):
        (folder / f"empty{suffix}").write_bytes(b"")
        expected[f"empty{suffix}"] = rf"empty{suffix} is empty \(0 bytes\)"
    for name, source in (("cut.docx", good_docx), ("cut.odt", good_odt)):
        data = source.read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])
        expected[name] = "is damaged or not a complete file"
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 4)
    expected["photo.txt"] = "named like a plain-text file, but it is really a PNG image"
    (folder / "report.docx").write_bytes(b"%PDF-1.7\n" + b"1 0 obj\n" * 20)
    expected["report.docx"] = "named like a Word .*really a PDF document"
    (folder / "minutes.odt").write_bytes(good_docx.read_bytes())
    expected["minutes.odt"] = r"minutes\.odt is really a Word document \(\.docx\), not an OpenDocument text"
    (folder / "answers.html").write_bytes(good_docx.read_bytes())
    expected["answers.html"] = r"really a Word document \(\.docx\)"
    (folder / "recording.vtt").write_bytes(b"ID3\x03\x00" + bytes(range(256)) * 4)
    expected["recording.vtt"] = r"really an audio recording \(\.mp3\)"
    rng = random.Random(4)
    noise = bytes(rng.choice([b for b in range(1, 256) if b not in (10, 13)]) for _ in range(8000))
    (folder / "noise.txt").write_bytes(noise)  # binary without a NUL byte or a known signature
    expected["noise.txt"] = "does not look like a text file"
    bomb(folder / "bomb.docx", "word/document.xml")
    bomb(folder / "bomb.odt", "content.xml")
    expected["bomb.docx"] = expected["bomb.odt"] = "zip bomb"
    with_part(good_docx, folder / "laughs.docx", "word/document.xml", LAUGHS)
    with_part(good_docx, folder / "styles.docx", "word/styles.xml", LAUGHS)
    with_part(good_docx, folder / "types.docx", "[Content_Types].xml", EXTERNAL)
    with_part(good_odt, folder / "laughs.odt", "META-INF/manifest.xml", LAUGHS)  # a part qcode never reads
    for name in ("laughs.docx", "styles.docx", "types.docx", "laughs.odt"):
        expected[name] = "document type declaration .*refused as unsafe"
    (folder / "locked.docx").write_bytes(OLE)
    (folder / "locked.odt").write_bytes(OLE)
    expected["locked.docx"] = expected["locked.odt"] = "password-protected"
    (folder / "old.doc").write_bytes(OLE)
    expected["old.doc"] = r"save it as \.docx"
    (folder / "huge.txt").write_bytes(b"words and more words\n" * 60_000)
    expected["huge.txt"] = r"huge\.txt is 1 MB; the import limit is 1 MB"
    # the spreadsheet cases go through --survey, with their own pattern
    return expected


def test_every_hostile_file_gets_its_own_error_and_nothing_is_stored(tmp_path: Path) -> None:
    expected = make_hostile(tmp_path / "hostile")
    good = tmp_path / "good.txt"
    good.write_text("Interviewer: A fictional question?\n\nSam: A fictional answer.\n", encoding="utf-8")
    project = tmp_path / "p.qcode"
    Project.create(project).close()
    files = sorted((tmp_path / "hostile").iterdir())
    command = [sys.executable, "-m", "qcode", "import", str(project), *map(str, files), str(good),
               "--max-size", "1", "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    outcomes = {Path(o["file"]).name: o for o in json.loads(result.stdout)}
    assert outcomes.pop("good.txt")["status"] == "imported"  # the batch went on after every failure
    assert set(outcomes) == set(expected)
    for name, pattern in expected.items():
        assert outcomes[name]["status"] == "failed", name
        assert re.search(pattern, outcomes[name]["reason"]), (name, outcomes[name]["reason"])
        assert "Traceback" not in outcomes[name]["reason"]
    with Project.open(project, mode="read") as p:
        assert [s.name for s in p.sources()] == ["good"]
        assert p.cases() == []
        assert p.codes() == []


@pytest.mark.parametrize(("name", "make", "pattern"), [
    ("bomb.xlsx", lambda path, good: bomb(path, "xl/workbook.xml"), "zip bomb"),
    ("laughs.xlsx", lambda path, good: with_part(good, path, "xl/worksheets/sheet1.xml", LAUGHS),
     r"document type declaration in xl/worksheets/sheet1\.xml"),
    ("strings.xlsx", lambda path, good: with_part(good, path, "xl/workbook.xml", EXTERNAL),
     "refused as unsafe"),
    ("cut.xlsx", lambda path, good: path.write_bytes(good.read_bytes()[:300]), "damaged or not a complete file"),
    ("empty.xlsx", lambda path, good: path.write_bytes(b""), r"is empty \(0 bytes\)"),
    ("locked.xlsx", lambda path, good: path.write_bytes(OLE), "password-protected"),
    ("words.xlsx", lambda path, good: path.write_bytes(word_file(path.with_suffix(".docx")).read_bytes()),
     r"really a Word document \(\.docx\), not an Excel workbook"),
])
def test_hostile_survey_workbooks(tmp_path: Path, name: str, make, pattern: str) -> None:
    good = workbook(tmp_path / "good.xlsx")
    path = tmp_path / name
    make(path, good)
    project = tmp_path / "p.qcode"
    Project.create(project).close()
    result = subprocess.run([sys.executable, "-m", "qcode", "import", str(project), "--survey", str(path),
                             "--id-column", "ID", "--text-column", "Answer"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    status, _, reason = result.stdout.strip().split("\t")
    assert status == "failed"
    assert re.search(pattern, reason), reason
    with Project.open(project, mode="read") as p:
        assert p.sources() == []
        assert p.cases() == []


def test_short_western_text_in_cp1252_is_not_read_as_east_asian(tmp_path: Path) -> None:
    text = "Interviewer: Ça va?\n\nR: Très bien.\n\nInterviewer: Et?\n\nR: Fin."  # fictional
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode("cp1252"))
    assert find_importer(path).parse(path, ImportOptions(), None).sources[0].text == text


@pytest.mark.parametrize(("text", "encoding"), [
    ("Grüße aus München, schöne Straße.", "cp1252"),
    ("¿Qué tal? Mañana será otro día.", "cp1252"),
    ("日本語のテキストです。これはテストです。", "shift_jis"),
    ("这是一个中文文本的例子。我们正在测试。", "gbk"),
    ("한국어 텍스트입니다. 인터뷰 기록입니다.", "euc_kr"),
    ("Привет, как дела? Это интервью с участником.", "cp1251"),
    ("Dobrý den, jak se máte? Děkuji, dobře. Příliš žluťoučký kůň.", "cp1250"),
])
def test_encodings_of_short_texts(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding), "x.txt") == text
