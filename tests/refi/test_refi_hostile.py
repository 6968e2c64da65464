"""A .qdpx is a zip from a stranger: unsafe archives are refused whole, and a failed import changes nothing."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from test_refi_traps import project_xml, qdpx, source_xml

from qcode.core.errors import ExchangeCancelled, ExchangeFileError
from qcode.core.project import Project

GOOD = project_xml("Tool", source_xml("internal://x.txt", [(0, 5)]))


def _unchanged(p: Project) -> tuple:
    return (len(p.sources()), len(p.codes()), p.coding_count(), len(p.coders()), len(p.memos()))


@pytest.fixture
def busy(project: Project) -> Project:
    source = project.add_source("Mine", "Some words of mine")
    code = project.create_code("Mine")
    project.add_coding(source.id, code.id, 0, 4)
    return project


@pytest.mark.parametrize("evil", ["../escape.txt", "/etc/evil.txt", "sources/../../x.txt", "C:/x.txt",
                                  "..\\win.txt"])
def test_entries_pointing_outside_refuse_the_whole_archive(busy: Project, tmp_path: Path, evil: str) -> None:
    before = _unchanged(busy)
    path = qdpx(tmp_path / "evil.qdpx", GOOD, {"sources/x.txt": b"Hello", evil: b"unreferenced"})
    with pytest.raises(ExchangeFileError, match="points outside"):
        busy.import_refi(path)
    assert _unchanged(busy) == before
    assert not (tmp_path.parent / "escape.txt").exists()


def test_a_zip_bomb_is_refused(busy: Project, tmp_path: Path) -> None:
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", GOOD)
        with archive.open("sources/x.txt", "w") as entry:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(60):
                entry.write(chunk)
    assert os.path.getsize(path) < 1024 * 1024
    before = _unchanged(busy)
    with pytest.raises(ExchangeFileError, match="zip bomb"):
        busy.import_refi(path)
    assert _unchanged(busy) == before


@pytest.mark.parametrize("prolog", [
    '<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE Project SYSTEM "http://example.invalid/project.dtd">',
])
def test_entities_and_document_types_are_refused(busy: Project, tmp_path: Path, prolog: str) -> None:
    qde = GOOD.replace("?>", "?>" + prolog, 1).replace('name="T"', 'name="&b;"' if "b " in prolog else 'name="T"')
    path = qdpx(tmp_path / "dtd.qdpx", qde, {"sources/x.txt": b"Hello"})
    before = _unchanged(busy)
    with pytest.raises(ExchangeFileError, match="refused as unsafe"):
        busy.import_refi(path)
    assert _unchanged(busy) == before


def test_a_missing_source_file_is_named(busy: Project, tmp_path: Path) -> None:
    path = qdpx(tmp_path / "missing.qdpx", GOOD, {})
    with pytest.raises(ExchangeFileError, match=r"internal://x\.txt.*does not hold it"):
        busy.import_refi(path)


@pytest.mark.parametrize(("content", "message"), [
    (b"not a zip at all", "not a REFI-QDA project file"),
    (None, "holds no project.qde"),
])
def test_other_files_are_refused_clearly(project: Project, tmp_path: Path, content: bytes | None,
                                         message: str) -> None:
    path = tmp_path / "x.qdpx"
    if content is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
    else:
        path.write_bytes(content)
    with pytest.raises(ExchangeFileError, match=message):
        project.import_refi(path)


def test_broken_xml_is_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(ExchangeFileError, match="not well-formed"):
        project.import_refi(qdpx(tmp_path / "b.qdpx", GOOD[:-20], {"sources/x.txt": b"Hello"}))


def test_a_failure_while_writing_rolls_everything_back(busy: Project, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.refi import merge

    def broken(self, placed):
        raise ExchangeCancelled("The import")

    monkeypatch.setattr(merge.Merger, "merge_codings", broken)
    before = _unchanged(busy)
    with pytest.raises(ExchangeCancelled):
        busy.import_refi(qdpx(tmp_path / "ok.qdpx", GOOD, {"sources/x.txt": b"Hello"}))
    assert _unchanged(busy) == before
    assert busy.check() == []


def test_cancelling_changes_nothing(busy: Project, tmp_path: Path) -> None:
    class Cancel:
        def step(self, done: int, total: int, text: str) -> None:
            return None

        def cancelled(self) -> bool:
            return True

    before = _unchanged(busy)
    with pytest.raises(ExchangeCancelled):
        busy.import_refi(qdpx(tmp_path / "ok.qdpx", GOOD, {"sources/x.txt": b"Hello"}), progress=Cancel())
    assert _unchanged(busy) == before
    target = tmp_path / "out.qdpx"
    with pytest.raises(ExchangeCancelled):
        busy.export_refi(target, progress=Cancel())
    assert not target.exists()
    assert list(tmp_path.glob(".out.qdpx*")) == []
