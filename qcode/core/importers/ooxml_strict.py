"""Office documents saved as "Strict Open XML" (ISO/IEC 29500 Strict), read through a transitional copy.

Word and Excel can save in the Strict flavour of Office Open XML, which names its XML namespaces and
relationship types under http://purl.oclc.org/ooxml/ instead of http://schemas.openxmlformats.org/.../2006/.
python-docx and openpyxl know only the transitional names, so a Strict file looks to them like a package
without a document ("no relationship of type .../officeDocument"). The names are the only difference the
readers trip over, so a Strict package is copied with them rewritten, part by part, into a temporary file
of the same name that the readers then open. The original package goes through the same checks as every
package (`archives.check_zip`) before anything is copied, and the copy is read like any other file.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qcode.core.errors import UnreadableFileError
from qcode.core.importers.archives import ARCHIVE_DAMAGE

_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/([A-Za-z]+)/([A-Za-z]+)")
_RENAMED = {b"extendedProperties": b"extended-properties", b"customProperties": b"custom-properties"}
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MARKER = b"purl.oclc.org/ooxml/"
_PROBE_BYTES = 64 * 1024


def _transitional(match: re.Match[bytes]) -> bytes:
    area, name = match.group(1), match.group(2)
    return b"http://schemas.openxmlformats.org/" + area + b"/2006/" + _RENAMED.get(name, name)


def to_transitional(data: bytes) -> bytes:
    """An XML part with its Strict namespace and relationship names rewritten to the transitional ones."""
    return _STRICT.sub(_transitional, data)


def is_strict(path: Path) -> bool:
    """Whether a package's top-level relationships name its main part the Strict way."""
    try:
        with zipfile.ZipFile(path) as archive:
            if "_rels/.rels" not in archive.namelist():
                return False
            with archive.open("_rels/.rels") as stream:
                return _MARKER in stream.read(_PROBE_BYTES)
    except ARCHIVE_DAMAGE:
        return False


@contextmanager
def readable_package(path: Path) -> Iterator[Path]:
    """The path to give python-docx or openpyxl: the file itself, or a transitional copy of a Strict one.

    Call after `check_zip` has accepted the original. The copy keeps the file's name (in a temporary folder),
    so messages about it still name the researcher's file, and it is deleted on leaving the block.
    """
    if not is_strict(path):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="qcode-strict-") as folder:
        copy = Path(folder) / path.name
        try:
            with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    if info.filename.lower().endswith(_XML_SUFFIXES):
                        target.writestr(info.filename, to_transitional(source.read(info)))
                    else:
                        with source.open(info) as src, target.open(info.filename, "w") as dst:
                            shutil.copyfileobj(src, dst)
        except ARCHIVE_DAMAGE as err:
            raise UnreadableFileError(f"{path.name} is damaged and cannot be unpacked ({err}).") from err
        yield copy
