"""Blind coding on the command line: listings, counts, analyses and exports are the current coder's
($QCODE_CODER, else the user name); an option that would show another coder's codings is a usage error."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.project import Project

# fictional interview text, written for these tests
TEXT = "We meet at the club.\n\nMy father never said a word about it.\n\nFriends help me, honestly."


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def blind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "team.qcode"
    with Project.create(path) as project:
        source = project.add_source("Interview", TEXT)
        paragraphs = project.spans(source.id, "paragraph")
        support = project.create_code("Support")
        ana, ben = project.ensure_coder("Ana"), project.ensure_coder("Ben")
        for coder, chosen in ((ana, (0, 2)), (ben, (0, 1))):
            for i in chosen:
                project.add_coding(source.id, support.id, paragraphs[i].start, paragraphs[i].end, coder_id=coder.id)
    monkeypatch.setenv("QCODE_CODER", "Ana")
    assert main(["coders", str(path), "--blind", "on"]) == 0
    return path


def test_listings_count_only_the_current_coders_codings(capsys, blind: Path) -> None:
    capsys.readouterr()
    code, out, _ = cli(capsys, "stats", str(blind), "--format", "csv")
    assert code == 0
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["excerpts"] == "2"
    code, out, _ = cli(capsys, "sources", str(blind), "--format", "csv")
    assert next(csv.DictReader(io.StringIO(out)))["codings"] == "2"
    code, out, _ = cli(capsys, "query", str(blind), '"Support"', "--format", "csv")
    assert code == 0
    assert "club" in out
    assert "Friends" in out
    assert "father" not in out
    code, out, _ = cli(capsys, "coders", str(blind), "--format", "csv")
    counts = {r["name"]: r["codings"] for r in csv.DictReader(io.StringIO(out))}
    assert counts == {"Ana": "2", "Ben": ""}


def test_another_coder_sees_their_own(capsys, blind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_CODER", "Ben")
    code, _out, err = cli(capsys, "export", str(blind), "--out", str(blind.parent / "ben.csv"))
    assert code == 0
    assert "blind coding is on, so the export holds only Ben's codings" in err
    with open(blind.parent / "ben.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["coder"] for r in rows] == ["Ben", "Ben"]
    assert "father" in rows[1]["excerpt"]
    code, _out, err = cli(capsys, "export", str(blind), "--out", str(blind.parent / "ben.qdpx"))
    assert code == 0
    assert "only Ben's codings" in err
    with zipfile.ZipFile(blind.parent / "ben.qdpx") as archive:
        assert archive.read("project.qde").decode("utf-8").count("<Coding ") == 2


@pytest.mark.parametrize("args", [
    ("stats", "--coder", "Ben"),
    ("export", "--out", "x.csv", "--coder", "Ana", "--coder", "Ben"),
    ("query", '"Support"@Ben'),
    ("agreement", "--coders", "Ana", "Ben", "--unit", "paragraph"),
    ("matrix", "--coder", "Ben"),
])
def test_revealing_another_coder_is_a_usage_error(capsys, blind: Path, args: tuple[str, ...]) -> None:
    capsys.readouterr()
    command, *rest = args
    rest = [str(blind.parent / r) if r.endswith(".csv") else r for r in rest]
    code, out, err = cli(capsys, command, str(blind), *rest)
    assert code == 2
    assert out == ""
    assert "Blind coding is on: Ana sees only their own codings" in err
    assert f"qcode coders {blind} --blind off" in err
    assert "$QCODE_CODER" in err
    assert not (blind.parent / "x.csv").exists()


def test_ending_blind_coding_shows_every_coder(capsys, blind: Path) -> None:
    assert main(["coders", str(blind), "--blind", "off"]) == 0
    capsys.readouterr()
    code, out, _ = cli(capsys, "stats", str(blind), "--format", "csv")
    assert next(csv.DictReader(io.StringIO(out)))["excerpts"] == "4"
    code, out, _ = cli(capsys, "stats", str(blind), "--coder", "Ben", "--format", "csv")
    assert code == 0
    assert next(csv.DictReader(io.StringIO(out)))["excerpts"] == "2"


def test_a_pseudonymised_export_holds_only_the_current_coders_codings(capsys, blind: Path) -> None:
    target = blind.parent / "ana.csv"
    assert main(["names", str(blind), "add", "club", "--as", "place"]) == 0
    code, _out, err = cli(capsys, "export", str(blind), "--out", str(target), "--pseudonymise", "--confirm-names")
    assert code == 0, err
    assert "only Ana's codings" in err
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["coder"] for r in rows] == ["Ana", "Ana"]
    assert "club" not in rows[0]["excerpt"]

