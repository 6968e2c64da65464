"""`qcode export --format qdpx|qdc`, `qcode import-project` and `qcode import-codebook`."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.project import Project


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcode"
    with Project.create(path, name="Study") as p:
        source = p.add_source("Ana", "Ana: I talk to my sister.\n\nAna: And I run.")
        parent = p.create_code("Coping", definition="How people deal")
        child = p.create_code("Talking", parent_id=parent.id)
        p.add_coding(source.id, child.id, 5, 25)
        case = p.create_case("Ana")
        p.add_case_member(case.id, source.id)
    return path


def test_export_and_import_a_project(capsys: pytest.CaptureFixture[str], study: Path, tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "export", str(study), "--out", str(tmp_path / "s.qdpx"))
    assert code == 0
    assert "Exported to" in out
    assert "project.qde" in zipfile.ZipFile(tmp_path / "s.qdpx").namelist()
    target = tmp_path / "copy.qcode"
    code, out, _ = cli(capsys, "import-project", str(target), str(tmp_path / "s.qdpx"), "--coder", "Me")
    assert code == 0
    assert out.splitlines()[:4] == [f"Created {target}", "sources: 1 added", "codes: 2 added", "codings: 1 added"]
    with Project.open(target) as p:
        assert p.name == "Study"
        assert [p.code_path(c.id) for c in p.codes()] == ["Coping", "Coping/Talking"]
    code, out, _ = cli(capsys, "import-project", str(target), str(tmp_path / "s.qdpx"), "--format", "json")
    rows = {row["what"]: row for row in json.loads(out)}
    code, out, err = cli(capsys, "import-project", str(tmp_path / "third.qcode"), str(tmp_path / "s.qdpx"),
                         "--format", "csv")
    assert out.startswith("what,added,already_there,reason\n")
    assert err.startswith("Created")
    assert rows["codings"] == {"what": "codings", "added": 0, "already_there": 1, "reason": ""}


def test_export_and_import_a_codebook(capsys: pytest.CaptureFixture[str], study: Path, tmp_path: Path) -> None:
    code, _, _ = cli(capsys, "export", str(study), "--format", "qdc", "--out", str(tmp_path / "codes.xml"))
    assert code == 0
    other = tmp_path / "other.qcode"
    Project.create(other).close()
    code, out, _ = cli(capsys, "import-codebook", str(other), str(tmp_path / "codes.xml"))
    assert code == 0
    assert out == "codes: 2 added\n"
    code, out, _ = cli(capsys, "import-codebook", str(other), str(tmp_path / "codes.xml"))
    assert out == "codes: 0 added, 2 already in the project\n"
    with Project.open(other) as p:
        assert [c.definition for c in p.codes()] == ["How people deal", ""]


@pytest.mark.parametrize("extra", [["--what", "codebook"], ["--code", "Coping"], ["--delimiter", ";"],
                                   ["--by", "source"]])
def test_options_that_do_not_apply_are_usage_errors(capsys: pytest.CaptureFixture[str], study: Path, tmp_path: Path,
                                                    extra: list[str]) -> None:
    code, _, err = cli(capsys, "export", str(study), "--out", str(tmp_path / "s.qdpx"), *extra)
    assert code == 2
    assert "does not apply" in err
    assert not (tmp_path / "s.qdpx").exists()


def test_a_bad_file_is_one_line_and_creates_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdpx"
    bad.write_text("hello")
    target = tmp_path / "new.qcode"
    code, _, err = cli(capsys, "import-project", str(target), str(bad))
    assert code == 1
    assert err.startswith("qcode: bad.qdpx is not a REFI-QDA project file")
    assert len(err.strip().splitlines()) == 1
    assert not target.exists()
    code, _, err = cli(capsys, "import-project", str(target), str(tmp_path / "codes.qdc"))
    assert code == 2
    assert "import-codebook" in err


def test_an_export_never_replaces_the_project(capsys: pytest.CaptureFixture[str], study: Path) -> None:
    before = study.read_bytes()
    code, _, err = cli(capsys, "export", str(study), "--format", "qdpx", "--out", str(study))
    assert code == 1
    assert "never replaces a project" in err
    assert study.read_bytes() == before


def test_the_source_import_points_to_the_exchange_commands(capsys: pytest.CaptureFixture[str], study: Path,
                                                           tmp_path: Path) -> None:
    (tmp_path / "other.qdpx").write_bytes(b"PK")
    code, out, _ = cli(capsys, "import", str(study), str(tmp_path / "other.qdpx"))
    assert code == 1
    assert "is a REFI-QDA project, not a source: bring it in with 'qcode import-project'" in out
