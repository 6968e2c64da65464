"""Archiving a project to move or keep it: one zip holding a consistent copy of the project and a manifest of
SHA-256 checksums, and the check that an archive arrived whole.

An archive holds three entries: the project file (a self-contained copy made with SQLite's backup API, so it
needs no WAL beside it), `manifest.json` (what qcode reads: each file's size and SHA-256, the project's name and
identity, when and by which qcode the archive was made) and `SHA256SUMS` (the same checksums in the format of
`sha256sum -c`, so an archive can be checked without qcode). `verify_archive` recomputes every checksum,
refuses anything the manifest does not list, and then checks the project inside as `qcode check` does.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO, Any

from qcode import __version__
from qcode.core.errors import QcodeError
from qcode.core.exporters.safety import atomic_output
from qcode.core.importers.archives import ARCHIVE_DAMAGE, MAX_RATIO, MAX_UNPACKED_BYTES
from qcode.core.project import Project

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
FORMAT = "qcode-archive/1"
_CHUNK = 1024 * 1024


class ArchiveError(QcodeError):
    """An archive that cannot be written, or read as one."""


@dataclass(frozen=True, slots=True)
class ArchiveReport:
    """What checking an archive found: the project file's name inside it, and every problem (none: it is whole
    and the project in it is sound)."""

    project_name: str
    problems: tuple[str, ...]


def _sha256(fh: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def write_archive(project: Project, target: Path) -> Path:
    """Write `project` to the zip `target` with its checksums; the project stays open and unchanged.

    The zip is written beside the target and moved into place when complete, so a failed archive leaves
    nothing behind and never replaces a project.
    """
    target = Path(target)
    name = f"{project.path.stem}.qcode"
    with tempfile.TemporaryDirectory(prefix="qcode-archive-") as folder:
        copy = project.save_copy(Path(folder) / name)
        with copy.open("rb") as fh:
            digest, size = _sha256(fh)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "project": {"file": name, "name": project.name, "guid": project.metadata().get("guid", "")},
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "created_with": f"qcode {__version__}",
            "files": {name: {"sha256": digest, "size": size}},
        }
        with atomic_output(target, suffix=".zip") as temp, \
                zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(copy, name)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            archive.writestr(SUMS, f"{digest}  {name}\n")
    return target


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name and ":" not in name


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise ArchiveError("This zip has no manifest.json: it is not a qcode archive.") from None
    if info.file_size > 1024 * 1024:
        raise ArchiveError("The archive's manifest is far too large to be a qcode manifest.")
    try:
        manifest = json.loads(archive.read(info).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise ArchiveError(f"The archive's manifest cannot be read ({err}).") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise ArchiveError("The archive's manifest is not one qcode writes: it is not a qcode archive.")
    return manifest


def verify_archive(path: Path) -> ArchiveReport:
    """Check an archive: every file the manifest lists is there with its size and SHA-256, nothing else is, and
    the project inside passes the integrity check. Raises ArchiveError when the file is no readable archive."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if any(not _safe_name(info.filename) for info in infos):
                raise ArchiveError("The archive holds a file whose path leads outside it; it is refused.")
            unpacked = sum(info.file_size for info in infos)
            packed = max(1, sum(info.compress_size for info in infos))
            if unpacked > MAX_UNPACKED_BYTES or (unpacked > 50 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
                raise ArchiveError("The archive would unpack to an unsafe size; it is refused.")
            manifest = _read_manifest(archive)
            listed: dict[str, Any] = manifest["files"]
            project_file = str(manifest.get("project", {}).get("file", ""))
            problems: list[str] = []
            present = {info.filename for info in infos} - {MANIFEST, SUMS}
            problems += [f"{name} is in the archive but not in its manifest" for name in sorted(present - set(listed))]
            problems += [f"{name} is listed in the manifest but missing" for name in sorted(set(listed) - present)]
            for name in sorted(set(listed) & present):
                with archive.open(name) as fh:
                    digest, size = _sha256(fh)
                expected = listed[name]
                if size != expected.get("size"):
                    problems.append(f"{name} has {size} bytes; the manifest says {expected.get('size')}")
                if digest != expected.get("sha256"):
                    problems.append(f"{name} does not match its SHA-256 checksum: it was changed or damaged")
            if project_file not in present:
                problems.append("the manifest names no project file that the archive holds")
            elif not problems:
                problems += _check_project(archive, project_file)
    except ARCHIVE_DAMAGE as err:
        raise ArchiveError(f"{path.name} is not a readable zip archive ({err}).") from err
    return ArchiveReport(project_file, tuple(problems))


def _check_project(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The integrity problems of the project inside (extracted to a private temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="qcode-check-") as folder:
        copy = Path(folder) / "project.qcode"
        with archive.open(name) as source, copy.open("wb") as out:
            while chunk := source.read(_CHUNK):
                out.write(chunk)
        try:
            with Project.open(copy, mode="read") as project:
                return [f"the project: {problem}" for problem in project.check()]
        except QcodeError as err:
            return [f"the project cannot be opened: {err.message}"]
