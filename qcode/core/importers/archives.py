"""Checks on zip-based files (docx, xlsx, odt) before any parser sees them.

A package is refused when it is damaged, is another kind of file than its name says (the message names
what it really is), would unpack to an unsafe size (a "zip bomb"), or holds an XML part with a document
type declaration. Office programs never write one, and it is how entity expansion ("billion laughs") and
external entities are smuggled in; the check covers every XML part, including those a library reads for us
(styles, relationships, shared strings), and reads each part only up to its root element.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from qcode.core.errors import UnreadableFileError

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
_XML_SUFFIXES = (".xml", ".rels", ".rdf", ".vml")
_MAIN_PARTS = (
    ("word/document.xml", "a Word document (.docx)"),
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
)
_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "an OpenDocument text (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
    "application/vnd.oasis.opendocument.graphics": "an OpenDocument drawing (.odg)",
    "application/epub+zip": "an e-book (.epub)",
}
#: what reading a damaged or truncated archive can raise (NotImplementedError: an unsupported compression)
ARCHIVE_DAMAGE = (zipfile.BadZipFile, OSError, EOFError, zlib.error, RuntimeError, NotImplementedError)


class RootReached(Exception):
    """Raised by the prolog check once the root element starts: no declaration can follow."""


class NoRootElement(Exception):
    """What `probe_prolog` returns for a part that ends (or is empty) before its root element."""


class StopAtRoot:
    """A parser target that stops parsing at the root element."""

    def start(self, tag: str, attrs: dict[Any, Any]) -> None:
        """The root element begins: stop parsing (raises RootReached)."""
        raise RootReached

    def end(self, tag: str) -> None:
        """Ignored: parsing stops before any element ends."""
        return None

    def data(self, data: str) -> None:
        """Ignored: the prolog's text does not matter."""
        return None

    def close(self) -> None:
        """Nothing to hand back: the check only looks at the prolog."""
        return None


def describe_zip(path: Path) -> str:
    """What a zip-based file really is, by the parts it holds (for messages naming a mismatch)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for part, what in _MAIN_PARTS:
                if part in names:
                    return what
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return _MIMETYPES.get(mimetype, "an OpenDocument file" if "opendocument" in mimetype
                                      else "a zip archive")
    except ARCHIVE_DAMAGE:
        return "a damaged zip archive"
    return "a zip archive"


def probe_prolog(archive: zipfile.ZipFile, part: str) -> Exception | None:
    """What stands before a part's root element, reading no further than that element's start.

    None when the root element starts cleanly; else the problem: a DefusedXmlException for a document type
    declaration, a ParseError for XML damaged before its root (or declared in an encoding expat cannot read),
    NoRootElement for a part that ends before it.
    """
    parser = DefusedXMLParser(target=StopAtRoot(), forbid_dtd=True)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(64 * 1024):
                parser.feed(chunk)
    except RootReached:
        return None
    except (DefusedXmlException, ParseError) as err:
        return err
    except (ValueError, LookupError) as err:  # an encoding expat cannot read ("UTF-7", "Shift_JIS", unknown ones)
        return ParseError(f"the XML declares an encoding that cannot be read ({err})")
    return NoRootElement(part)


def has_doctype(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a part declares a document type before its root element (XML damaged otherwise is left to the
    reader of that part, if any)."""
    return isinstance(probe_prolog(archive, part), DefusedXmlException)


def check_zip(path: Path, required_part: str, what: str = "a Word document") -> None:
    """Refuse archives that are damaged, are not `what` they claim, would unpack to an absurd size, or hide
    entity declarations in their XML."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if required_part not in names:
                raise UnreadableFileError(f"{path.name} is really {describe_zip(path)}, not {what}. Check the "
                                          "file, or rename it.")
            unpacked = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
            if unpacked > MAX_UNPACKED_BYTES or (unpacked > 50 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
                raise UnreadableFileError(f"{path.name} would unpack to {unpacked // (1024 * 1024)} MB; it is "
                                          "refused as unsafe (a 'zip bomb').")
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES) and has_doctype(archive, info.filename):
                    raise UnreadableFileError(
                        f"{path.name} holds a document type declaration in {info.filename}, which office "
                        "programs never write and which can hide entity tricks (entity expansion or external "
                        "files); it is refused as unsafe. Open it in the program that made it, save it again, "
                        "and import the new copy."
                    )
    except ARCHIVE_DAMAGE as err:
        raise UnreadableFileError(f"{path.name} is damaged or not a complete file ({err}).") from err
