"""Opening a .qdpx from a stranger: a zip that is checked whole before anything in it is read.

Nothing is ever extracted to disk: entries are read from the archive in memory. Still, an archive holding any
entry with an absolute path or a `..` part (a "zip slip", referenced or not) is refused whole, and so is one
that would unpack to an unsafe size or ratio (a "zip bomb"). Entry names are matched the lenient way real
files need: the sources folder is `sources/` or `Sources/`, and the project XML may be named after the
project instead of `project.qde`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO

from qcode.core.errors import ExchangeFileError
from qcode.core.importers.archives import ARCHIVE_DAMAGE

MAX_UNPACKED_BYTES = 4 * 1024 * 1024 * 1024
MAX_ENTRY_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """An entry name that points outside the folder it would be unpacked into."""
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return True
    return any(part == ".." for part in re.split(r"[/\\]", name))


class ExchangeArchive:
    """A checked .qdpx: its project XML and the files its sources name."""

    def __init__(self, path: Path, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except ARCHIVE_DAMAGE as err:
            raise ExchangeFileError(f"{path.name} is not a REFI-QDA project file: it is damaged or not a zip "
                                    f"archive ({err}).") from err
        try:
            self._check(max_unpacked)
        except BaseException:
            self._zip.close()
            raise

    def _check(self, max_unpacked: int) -> None:
        infos = self._zip.infolist()
        for info in infos:
            if unsafe_name(info.filename):
                raise ExchangeFileError(
                    f"{self.path.name} holds an entry named '{info.filename}', which points outside the archive's "
                    "folder; the file is refused as unsafe and nothing was imported."
                )
        unpacked = sum(i.file_size for i in infos)
        packed = max(1, sum(i.compress_size for i in infos))
        worst = max((i.file_size / max(1, i.compress_size) for i in infos if i.file_size > 10 * 1024 * 1024),
                    default=0)
        too_big = unpacked > max_unpacked or any(i.file_size > MAX_ENTRY_BYTES for i in infos)
        if too_big or worst > MAX_RATIO or (unpacked > 50 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
            raise ExchangeFileError(f"{self.path.name} would unpack to {unpacked // (1024 * 1024):,} MB from "
                                    f"{packed // 1024:,} KB; it is refused as unsafe (a 'zip bomb').")
        self._entries = {i.filename.replace("\\", "/").lower(): i for i in infos if not i.is_dir()}
        roots = [i for i in infos if i.filename.lower().endswith(".qde") and "/" not in i.filename.strip("/")]
        named = [i for i in roots if i.filename.lower() == "project.qde"]
        if named:
            self.project_entry = named[0]
        elif len(roots) == 1:
            self.project_entry = roots[0]  # ATLAS.ti names it after the project
        elif roots:
            raise ExchangeFileError(f"{self.path.name} holds several project files "
                                    f"({', '.join(i.filename for i in roots)}); a .qdpx holds one.")
        else:
            raise ExchangeFileError(f"{self.path.name} holds no project.qde, so it is not a REFI-QDA project "
                                    "file. Export the project again from the program that made it.")

    def close(self) -> None:
        """Close the archive's file."""
        self._zip.close()

    def __enter__(self) -> ExchangeArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open_project(self) -> IO[bytes]:
        """The project's XML (project.qde, or the one .qde at the top) as a stream of bytes."""
        return self._zip.open(self.project_entry)

    def find(self, reference: str) -> zipfile.ZipInfo | None:
        """The entry a source's path names: `internal://x.txt`, a bare `x.txt` or a path, in `sources/` or at
        the top, folder names matched in any case."""
        name = re.sub(r"^internal://", "", reference.strip(), flags=re.IGNORECASE).replace("\\", "/").lstrip("/")
        if not name or unsafe_name(name):
            return None
        lowered = name.lower()
        for candidate in (f"sources/{lowered}", lowered):
            if candidate in self._entries:
                return self._entries[candidate]
        return None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The bytes of one entry; raises ExchangeFileError when the archive is damaged there."""
        try:
            return self._zip.read(info)
        except ARCHIVE_DAMAGE as err:
            raise ExchangeFileError(f"{self.path.name} is damaged: {info.filename} cannot be read ({err}).") from err
