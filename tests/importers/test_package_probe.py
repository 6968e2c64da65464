"""The one check of what stands before an XML part's root element, shared by every zip-based importer."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

import docx
import pytest
from defusedxml import DefusedXmlException

from qcode.core.errors import UnreadableFileError
from qcode.core.importers import ImportOptions, find_importer
from qcode.core.importers.archives import NoRootElement, has_doctype, probe_prolog


def test_what_the_probe_finds(tmp_path: Path) -> None:
    path = tmp_path / "parts.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ok.xml", '<?xml version="1.0"?><root><child/></root>')
        archive.writestr("doctype.xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>')
        archive.writestr("broken.xml", "<root <<")
        archive.writestr("empty.xml", "")
        archive.writestr("utf7.xml", '<?xml version="1.0" encoding="UTF-7"?><r/>')
    with zipfile.ZipFile(path) as archive:
        assert probe_prolog(archive, "ok.xml") is None
        assert isinstance(probe_prolog(archive, "doctype.xml"), DefusedXmlException)
        assert isinstance(probe_prolog(archive, "broken.xml"), ParseError)
        assert isinstance(probe_prolog(archive, "empty.xml"), NoRootElement)
        assert isinstance(probe_prolog(archive, "utf7.xml"), ParseError)
        assert [has_doctype(archive, n) for n in ("ok.xml", "doctype.xml", "broken.xml", "utf7.xml")] == [
            False, True, False, False]


def test_a_word_document_in_an_unreadable_encoding_is_refused_in_one_line(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text.")
    plain = tmp_path / "plain.docx"
    document.save(str(plain))
    path = tmp_path / "utf7.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"encoding='UTF-8'", b"encoding='UTF-7'", 1)
                assert b"UTF-7" in data
            target.writestr(info, data)
    with pytest.raises(UnreadableFileError, match=r"damaged content in word/document\.xml"):
        find_importer(path).parse(path, ImportOptions(), None)
