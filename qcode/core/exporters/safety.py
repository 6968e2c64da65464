"""Making exported files safe and whole: no formulas from text, no forbidden characters, no half files."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from qcode.core.errors import ExportError
from qcode.core.store.connection import belongs_to_project

EXCEL_CELL_LIMIT = 32_767
TRUNCATION_MARKER = " […truncated by qcode: the full text is longer than a spreadsheet cell can hold]"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and U+FFFE/U+FFFF
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Text without the control characters XML (and so .docx/.xlsx) cannot hold."""
    return _XML_FORBIDDEN.sub("", text)


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def fit_cell(text: str) -> str:
    """Text cut to a spreadsheet cell's limit, with a visible marker when cut.

    Excel counts UTF-16 units, so a character outside the Basic Multilingual Plane (an emoji) counts twice.
    """
    if len(text) <= EXCEL_CELL_LIMIT // 2 or _utf16_length(text) <= EXCEL_CELL_LIMIT:
        return text
    room = EXCEL_CELL_LIMIT - _utf16_length(TRUNCATION_MARKER)
    kept = text[:room]
    while _utf16_length(kept) > room:
        kept = kept[: len(kept) - max(1, (_utf16_length(kept) - room) // 2)]
    return kept + TRUNCATION_MARKER


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """A CSV value that Excel and LibreOffice show as text, never run as a formula."""
    if isinstance(value, str):
        value = xml_safe(value)
        if looks_like_formula(value):
            return "'" + value
    return value


def _give_usual_mode(temp: Path, target: Path, full: int) -> None:
    """The permissions a plainly saved file would get (temporary files are private to their owner)."""
    try:
        mode = target.stat().st_mode & 0o777  # replacing a file keeps its permissions
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        mode = full & ~mask
    os.chmod(temp, mode)


def refuse_project_target(target: Path, project_path: Path | None = None) -> None:
    """Refuse to write an export over a qcode project, or over a file that belongs to one (its WAL, its lock).

    `project_path` is the project being exported: the same file reached through another path or a link is refused
    too, even where it cannot be read. Every export checks this before it writes anything, in every face.
    """
    target = Path(target)
    same = False
    if project_path is not None:
        try:
            same = target.exists() and os.path.samefile(target, project_path)
        except OSError:
            same = False
    if same or belongs_to_project(target):
        raise ExportError(
            f"{target} is a qcode project; an export never replaces a project. Choose another file name "
            "(for example one ending in .docx, .xlsx or .csv)."
        )


@contextmanager
def atomic_output(target: Path, *, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside `target` that replaces it only when the block finishes without error.

    A target that is a qcode project (or a file belonging to one) is refused before anything is written.
    """
    target = Path(target)
    refuse_project_target(target)
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist. Choose another place to save the export.")
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".partial", dir=target.parent)
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        _give_usual_mode(temp, target, 0o666)
        os.replace(temp, target)
    except PermissionError as err:
        raise ExportError(f"{target} cannot be written ({err.strerror}). Is it open in another program?") from err
    except OSError as err:
        raise ExportError(f"{target} could not be written ({err.strerror or err}); nothing was saved.") from err
    finally:
        if temp.exists():
            temp.unlink()


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Like `atomic_output`, for an export that is a folder of files.

    A new folder appears whole or not at all. Into an existing folder only the export's own files are moved (each
    replacing its namesake); nothing else in the folder is touched, so choosing a folder that holds other work
    (the project itself, say) never loses it.
    """
    import shutil

    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} exists and is not a folder. Choose another name for the CSV folder.")
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist. Choose another place to save the export.")
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield temp
        if not target.exists():
            _give_usual_mode(temp, target, 0o777)
            os.replace(temp, target)
            return
        written = sorted(temp.iterdir())
        for file in written:
            refuse_project_target(target / file.name)
        for file in written:
            os.replace(file, target / file.name)
    except OSError as err:
        raise ExportError(f"{target} could not be written ({err.strerror or err}); nothing was saved.") from err
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
