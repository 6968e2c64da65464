"""`qcode archive` packs a project with SHA-256 checksums; `qcode check` on the zip finds every change."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.archive import ArchiveError, verify_archive, write_archive
from qcode.core.errors import ExportError
from qcode.core.project import Project


@pytest.fixture
def study(project: Project) -> Project:
    source = project.add_source("Interview 01", "Interviewer: How do you cope?\n\nAl: Mates at the club help.")
    code = project.create_code("Peer support")
    project.add_coding(source.id, code.id, 35, 57)
    project.set_memo("code", code.id, "Support from friends and teammates.")
    return project


def _rewrite(archive: Path, change) -> None:
    """Rewrite the zip with `change(name, data) -> data | None` applied to each entry (None drops it)."""
    with zipfile.ZipFile(archive) as old:
        entries = [(info.filename, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(archive, "w") as new:
        for name, data in entries:
            changed = change(name, data)
            if changed is not None:
                new.writestr(name, changed)


def test_an_archive_holds_the_project_and_its_checksums(study: Project, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "study.zip"
    assert main(["archive", str(study.path), str(out)]) == 0  # the project may stay open in the app meanwhile
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["SHA256SUMS", "manifest.json", "test.qcode"]
        data = archive.read("test.qcode")
        manifest = json.loads(archive.read("manifest.json"))
        sums = archive.read("SHA256SUMS").decode()
    digest = hashlib.sha256(data).hexdigest()
    assert manifest["files"] == {"test.qcode": {"sha256": digest, "size": len(data)}}
    assert manifest["project"]["file"] == "test.qcode"
    assert sums == f"{digest}  test.qcode\n"  # the format of `sha256sum -c`
    copy = tmp_path / "copy.qcode"
    copy.write_bytes(data)
    with Project.open(copy, mode="read") as again:  # self-contained: no WAL needed beside it
        assert again.source_text(again.sources()[0].id).endswith("Mates at the club help.")
        assert len(again.codings_for_source(again.sources()[0].id)) == 1
    capsys.readouterr()
    assert main(["check", str(out)]) == 0
    assert "ok: the archive is whole" in capsys.readouterr().out


def test_check_finds_a_changed_project(study: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = write_archive(study, tmp_path / "study.zip")

    def flip(name: str, data: bytes) -> bytes:
        if name != "test.qcode":
            return data
        changed = bytearray(data)
        changed[-100] ^= 0xFF
        return bytes(changed)

    _rewrite(out, flip)
    assert main(["check", str(out)]) == 1
    assert "does not match its SHA-256 checksum" in capsys.readouterr().out


def test_check_finds_added_and_missing_files(study: Project, tmp_path: Path) -> None:
    out = write_archive(study, tmp_path / "study.zip")
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("notes.txt", "added later")
    assert verify_archive(out).problems == ("notes.txt is in the archive but not in its manifest",)
    _rewrite(out, lambda name, data: None if name == "test.qcode" else data)
    problems = verify_archive(out).problems
    assert "test.qcode is listed in the manifest but missing" in problems


def test_check_opens_the_project_inside(study: Project, tmp_path: Path) -> None:
    out = write_archive(study, tmp_path / "study.zip")
    garbage = b"not a database at all" * 100
    digest = hashlib.sha256(garbage).hexdigest()

    def swap(name: str, data: bytes) -> bytes:
        if name == "test.qcode":
            return garbage
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["test.qcode"] = {"sha256": digest, "size": len(garbage)}
            return json.dumps(manifest).encode()
        return data

    _rewrite(out, swap)
    problems = verify_archive(out).problems
    assert len(problems) == 1
    assert problems[0].startswith("the project cannot be opened")


def test_what_is_not_an_archive_is_refused(study: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ArchiveError, match="no manifest"):
        verify_archive(plain)
    escaping = tmp_path / "escaping.zip"
    with zipfile.ZipFile(escaping, "w") as archive:
        archive.writestr("../outside.txt", "x")
        archive.writestr("manifest.json", "{}")
    assert main(["check", str(escaping)]) == 1
    assert "leads outside it" in capsys.readouterr().err


def test_an_archive_never_replaces_a_project(study: Project) -> None:
    before = study.path.read_bytes()
    with pytest.raises(ExportError, match="never replaces a project"):
        write_archive(study, study.path)
    assert study.path.read_bytes() == before
