"""Word and Excel files saved as "Strict Open XML" read like the usual (transitional) ones."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from qcode.core.errors import UnreadableFileError
from qcode.core.importers import ImportOptions, SurveyOptions, find_importer
from qcode.core.importers.ooxml_strict import to_transitional
from qcode.core.project import Project

_TRANSITIONAL = re.compile(rb"http://schemas\.openxmlformats\.org/(?!package/)([A-Za-z]+)/2006/([A-Za-z-]+)")


def strict_copy(path: Path, target: Path, extra: dict[str, bytes] | None = None) -> Path:
    """The package rewritten with the Strict names, as Word's "Strict Open XML Document" writes them."""
    def strict(match: re.Match[bytes]) -> bytes:
        name = {b"extended-properties": b"extendedProperties"}.get(match.group(2), match.group(2))
        return b"http://purl.oclc.org/ooxml/" + match.group(1) + b"/" + name

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                data = _TRANSITIONAL.sub(strict, data)
            out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def test_strict_word_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Allotment notes", level=1)
    for line in ("Rosa: The plots flooded again.", "Tom: We moved the shed.", "Rosa: Good.", "Tom: Yes."):
        document.add_paragraph(line)
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    path = strict_copy(plain, tmp_path / "strict.docx")
    with zipfile.ZipFile(path) as archive:
        assert b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in archive.read("_rels/.rels")
    source = find_importer(path).parse(path, ImportOptions(), None).sources[0]
    assert source.name == "strict"
    assert source.text.split("\n\n") == ["Allotment notes", "Rosa: The plots flooded again.",
                                         "Tom: We moved the shed.", "Rosa: Good.", "Tom: Yes."]
    assert [s.value for s in source.spans if s.kind == "heading"] == ["1"]
    assert [s.value for s in source.spans if s.kind == "turn"] == ["Rosa", "Tom", "Rosa", "Tom"]


def test_a_strict_document_gets_the_same_safety_checks(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text.")
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    hostile = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    path = strict_copy(plain, tmp_path / "hostile.docx", {"word/qcode-test-part.xml": hostile})
    with pytest.raises(UnreadableFileError, match="document type declaration"):
        find_importer(path).parse(path, ImportOptions(), None)


def test_strict_workbook_as_a_survey(project: Project, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["ID", "Age", "What helps?"], ["R1", 34, "Walking the dog."], ["R2", 41, "The allotment."]):
        sheet.append(row)
    plain = tmp_path / "plain.xlsx"
    workbook.save(plain)
    path = strict_copy(plain, tmp_path / "strict.xlsx")
    options = ImportOptions(survey=SurveyOptions("ID", ("What helps?",), ("Age",)))
    outcome = project.import_file(path, options=options)
    assert outcome.status == "imported", outcome.reason
    assert [case.name for case in project.cases()] == ["R1", "R2"]


def test_transitional_names() -> None:
    assert to_transitional(b'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"') == \
        b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    assert to_transitional(b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument") == \
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    assert to_transitional(b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties") == \
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
