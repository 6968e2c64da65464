"""The check before a pseudonymised export leaves the laptop: no register term may remain in what was written,
and names the register lacks are listed for the researcher to confirm."""

from __future__ import annotations

import zipfile
from pathlib import Path

from defusedxml import ElementTree

from qcode.core.importers.archives import ARCHIVE_DAMAGE
from qcode.core.privacy.pseudonymise import Pseudonymiser

_XML_PARTS = (".xml", ".rels", ".qde")
_TEXT_PARTS = (".txt", ".csv")


def _xml_texts(data: bytes) -> list[str]:
    """The text of an XML part, joined both ways a term could hide: runs glued together (a word split over two
    runs) and runs kept apart (two words in adjacent cells)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return [data.decode("utf-8", errors="replace")]
    parts = [text for text in root.itertext() if text]
    return ["".join(parts), " ".join(parts)]


def written_texts(path: Path) -> list[str]:
    """Every text an exported file holds: each XML and text part of a zip (docx, xlsx, qdpx), or the file."""
    path = Path(path)
    if path.is_dir():
        return [text for child in sorted(path.iterdir()) for text in written_texts(child)]
    if zipfile.is_zipfile(path):
        texts: list[str] = []
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    name = info.filename.lower()
                    if name.endswith(_XML_PARTS):
                        texts += _xml_texts(archive.read(info))
                    elif name.endswith(_TEXT_PARTS):
                        texts.append(archive.read(info).decode("utf-8", errors="replace"))
        except ARCHIVE_DAMAGE:
            return [path.read_bytes().decode("utf-8", errors="replace")]
        return texts
    return [path.read_bytes().decode("utf-8-sig", errors="replace")]


def terms_left(path: Path, pseudonymiser: Pseudonymiser) -> list[str]:
    """The register terms still present anywhere in an exported file or folder (none may remain)."""
    found: dict[str, None] = {}
    for text in written_texts(path):
        for term in pseudonymiser.found_terms(text):
            found.setdefault(term, None)
    return list(found)
