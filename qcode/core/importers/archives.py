"""Checks on zip-based files (docx, xlsx, odt) before any parser sees them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from qcode.core.errors import UnreadableFileError

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path, required_part: str, what: str = "a Word document") -> None:
    """Refuse archives that are damaged, are not `what` they claim, or would unpack to an absurd size."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError) as err:
        raise UnreadableFileError(f"{path.name} is damaged or not a complete file ({err}).") from err
    if required_part not in names:
        raise UnreadableFileError(f"{path.name} is a zip archive but not {what}.")
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > 50 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise UnreadableFileError(f"{path.name} would unpack to {unpacked // (1024 * 1024)} MB; it is refused "
                                  "as unsafe (a 'zip bomb').")
