"""Importers: one module per format family, found through a registry keyed by file suffix.

Binary formats are checked by their signature, so a file whose content does not match its suffix is
refused with a message naming what it really is.
"""

from __future__ import annotations

from pathlib import Path

from qcode.core.errors import EmptySourceError, FileTooLargeError, UnreadableFileError, UnsupportedFormatError
from qcode.core.importers.archives import describe_zip
from qcode.core.importers.base import (
    MAX_FILE_BYTES,
    Importer,
    ImportOptions,
    ParsedCase,
    ParsedCoding,
    ParsedSource,
    ParseResult,
    RangeMemo,
    SurveyOptions,
)

REGISTRY: dict[str, Importer] = {}

# signatures of formats a user may hand us under a wrong name
_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (such as a .docx, .xlsx or .odt file)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc or .xls)"),
    (b"{\\rtf", "a Rich Text (.rtf) document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"SQLite format 3", "a database file"),
    (b"\x1f\x8b", "a compressed (.gz) file"),
    (b"7z\xbc\xaf\x27\x1c", "a compressed (.7z) archive"),
    (b"Rar!\x1a\x07", "a compressed (.rar) archive"),
    (b"ID3\x02\x00", "an audio recording (.mp3)"),
    (b"ID3\x03\x00", "an audio recording (.mp3)"),
    (b"ID3\x04\x00", "an audio recording (.mp3)"),
    (b"OggS", "an audio or video recording (.ogg)"),
    (b"fLaC", "an audio recording (.flac)"),
    (b"\x1aE\xdf\xa3", "a video recording (.webm or .mkv)"),
    (b"\x7fELF", "a program"),
    (b"MZ\x90\x00", "a Windows program"),
)
# signatures that sit a few bytes into the file: (offset, bytes, what)
_INNER_SIGNATURES = (
    (8, b"WAVE", "an audio recording (.wav)"),
    (8, b"AVI ", "a video recording (.avi)"),
    (8, b"WEBP", "a WebP image"),
    (4, b"ftyp", "an audio or video recording (.mp4, .m4a or .mov)"),
)
# zip-based formats that arrive as an OLE compound file when encrypted with a password (or really old files)
_OLE = b"\xd0\xcf\x11\xe0"
_PACKAGE_APPS = {".docx": "Word or LibreOffice", ".xlsx": "Excel or LibreOffice", ".odt": "LibreOffice"}


def register(importer: Importer) -> Importer:
    """Make an importer available for its suffixes (built-ins register the same way as plug-ins)."""
    for suffix in importer.suffixes:
        REGISTRY[suffix.lower()] = importer
    return importer


# formats researchers often have that qcode refuses with advice: (what it is, where to open it, what to save as)
_SAVE_AS = {
    ".doc": ("an old Word (.doc)", "Word or LibreOffice", ".docx"),
    ".xls": ("an old Excel (.xls)", "Excel or LibreOffice", ".xlsx"),
}


def importable_suffixes() -> set[str]:
    """The file endings some registered importer reads (lower case, with the dot), the built-in importers loaded first.
    """
    _load_builtins()
    return set(REGISTRY)


def recognised_suffixes() -> set[str]:
    """Suffixes a folder import takes up: the importable ones, and those refused with advice (.doc ...)."""
    return importable_suffixes() | set(_SAVE_AS)


def describe_signature(head: bytes) -> str | None:
    """What a file's first bytes say it is, for the binary formats a user may hand us under a wrong name."""
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            return what
    for offset, signature, what in _INNER_SIGNATURES:
        if head[offset:offset + len(signature)] == signature and (offset != 8 or head.startswith(b"RIFF")):
            return what
    return None


def find_importer(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Importer:
    """The importer for a file, after checking that its content fits its name."""
    _load_builtins()
    suffix = path.suffix.lower()
    if suffix in (".qdpx", ".qdc"):  # a whole project or a codebook from another QDA program, not a source
        command = "import-project" if suffix == ".qdpx" else "import-codebook"
        raise UnsupportedFormatError(f"{path.name} is a REFI-QDA {'project' if suffix == '.qdpx' else 'codebook'}, "
                                     f"not a source: bring it in with 'qcode {command}' (in the app, File > Import "
                                     "a REFI-QDA ...).")
    if suffix in _SAVE_AS:
        what, program, better = _SAVE_AS[suffix]
        raise UnsupportedFormatError(
            f"{path.name} is {what} file, which qcode cannot read. Open it in {program}, save it as {better}, "
            "and import that."
        )
    importer = REGISTRY.get(suffix)
    if importer is None:
        known = ", ".join(sorted(REGISTRY))
        raise UnsupportedFormatError(f"qcode cannot import {suffix or 'files without an extension'} files "
                                     f"({path.name}). It reads: {known}.")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError as err:
        raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
    if size == 0:
        raise EmptySourceError(f"{path.name} is empty (0 bytes), so there is nothing to import. Check that the "
                               "file was saved or copied completely.")
    if size > max_bytes:
        raise FileTooLargeError(
            f"{path.name} is {size / (1024 * 1024):.0f} MB; the import limit is {max_bytes / (1024 * 1024):.0f} MB "
            "(raise it with --max-size)."
        )
    if not importer.sniff(head):
        if suffix in _PACKAGE_APPS and head.startswith(_OLE):
            raise UnreadableFileError(
                f"{path.name} is password-protected, or is an old-format Office file renamed to {suffix}, so qcode "
                f"cannot read it. Open it in {_PACKAGE_APPS[suffix]}, remove the password if it has one, save it as "
                f"an unprotected {suffix} file and import that copy."
            )
        actual = describe_zip(path) if head.startswith(b"PK\x03\x04") else describe_signature(head)
        what = f"it is really {actual}" if actual else "its content does not match that format"
        raise UnsupportedFormatError(
            f"{path.name} is named like {importer.name} file, but {what}. Check the file, or rename it."
        )
    return importer


_loaded = False


def _load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from qcode.core.importers import (  # noqa: F401  (they register themselves)
        captions,
        docx_importer,
        html_importer,
        markdown_importer,
        odt_importer,
        pdf_importer,
        references,
        rtf_importer,
        survey,
        text,
    )


__all__ = [
    "REGISTRY",
    "ImportOptions",
    "Importer",
    "ParseResult",
    "ParsedCase",
    "ParsedCoding",
    "ParsedSource",
    "RangeMemo",
    "SurveyOptions",
    "describe_signature",
    "find_importer",
    "importable_suffixes",
    "recognised_suffixes",
    "register",
]
