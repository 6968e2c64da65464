"""An export never replaces or loses a project: the project itself, another project, the files beside one, or a
folder that holds one (CSV folders) are refused or left untouched, in the core, the command line and the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.errors import ExportError
from qcode.core.exporters import export
from qcode.core.project import Project


@pytest.fixture
def coded(project: Project) -> Project:
    source = project.add_source("Interview", "Al: mates at the club help.")
    code = project.create_code("Peer support")
    project.add_coding(source.id, code.id, 4, 27)
    return project


def _intact(path: Path) -> None:
    with Project.open(path, mode="read") as again:
        assert [s.name for s in again.sources()] == ["Interview"]
        assert again.check() == []


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_exporting_onto_the_project_itself_is_refused(coded: Project, fmt: str) -> None:
    before = coded.path.read_bytes()
    with pytest.raises(ExportError, match="never replaces a project"):
        export(coded, coded.path, fmt=fmt)
    assert coded.path.read_bytes() == before
    assert not [p for p in coded.path.parent.iterdir() if p.name.startswith(f".{coded.path.name}.")]


def test_the_project_through_another_path_or_a_link_is_refused(coded: Project, tmp_path: Path) -> None:
    roundabout = tmp_path / "sub" / ".." / coded.path.name
    (tmp_path / "sub").mkdir()
    link = tmp_path / "report.docx"
    link.symlink_to(coded.path)
    for target in (roundabout, link):
        with pytest.raises(ExportError, match="is a qcode project"):
            export(coded, target, fmt="docx")
    assert link.is_symlink()
    _intact(coded.path)


def test_another_project_and_the_files_beside_a_project_are_refused(coded: Project, tmp_path: Path) -> None:
    other = Project.create(tmp_path / "other.qcode")
    other.close()
    renamed = tmp_path / "other-copy.xlsx"  # a project under a misleading name is still a project
    renamed.write_bytes((tmp_path / "other.qcode").read_bytes())
    for target in (tmp_path / "other.qcode", renamed, Path(f"{coded.path}.lock"), Path(f"{coded.path}-wal")):
        existed = target.exists()
        before = target.read_bytes() if existed else None
        with pytest.raises(ExportError, match="qcode project"):
            export(coded, target, fmt="xlsx")
        assert target.exists() == existed
        if existed:
            assert target.read_bytes() == before


def test_a_plain_file_of_the_same_name_is_still_replaced(coded: Project, tmp_path: Path) -> None:
    target = tmp_path / "old.csv"
    target.write_text("an older export\n")
    export(coded, target, fmt="csv", what="excerpts")
    assert "Peer support" in target.read_text(encoding="utf-8-sig")


def test_csv_tables_into_a_folder_holding_other_work_leave_that_work_alone(coded: Project, tmp_path: Path) -> None:
    keep = tmp_path / "notes.txt"
    keep.write_text("field notes")
    (tmp_path / "chapter.old").mkdir()
    export(coded, tmp_path, fmt="csv", what="all")
    assert keep.read_text() == "field notes"
    assert (tmp_path / "chapter.old").is_dir()
    assert {"excerpts.csv", "frequencies.csv", "codebook.csv", "matrix.csv"} <= {p.name for p in tmp_path.iterdir()}
    _intact(coded.path)


def test_csv_table_named_like_a_project_in_the_folder_is_refused_before_any_file_moves(coded: Project,
                                                                                      tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    Project.create(folder / "matrix.csv").close()
    (folder / "excerpts.csv").write_text("older excerpts\n")
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(ExportError, match="qcode project"):
        export(coded, folder, fmt="csv", what="all")
    assert (folder / "excerpts.csv").read_text() == "older excerpts\n"
    assert sorted(p.name for p in folder.iterdir()) == before


def test_the_command_line_refuses_and_keeps_the_project(coded: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = coded.path
    coded.close()
    before = path.read_bytes()
    for fmt in ("docx", "xlsx"):
        code = main(["export", str(path), "--out", str(path), "--format", fmt])
        out, err = capsys.readouterr()
        assert code == 1
        assert "Exported" not in out
        assert "never replaces a project" in err
    assert path.read_bytes() == before
    _intact(path)
