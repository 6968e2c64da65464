"""`qcode agreement` and `qcode merge` through the command's entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.project import Project

HEADER = "code,unit,units,coded_units,percent_agreement,cohen_kappa,brennan_prediger,krippendorff_alpha"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    path = tmp_path / "team.qcode"
    with Project.create(path) as project:
        text = "\n\n".join(f"Paragraph {i}." for i in range(10))
        source = project.add_source("Interview", text)
        paragraphs = project.spans(source.id, "paragraph")
        trust = project.create_code("Trust")
        project.create_code("Unused")
        ana, ben = project.ensure_coder("Ana"), project.ensure_coder("Ben")
        for coder, chosen in ((ana, (1, 2, 3)), (ben, (2, 3, 4))):
            for i in chosen:
                project.add_coding(source.id, trust.id, paragraphs[i].start, paragraphs[i].end, coder_id=coder.id)
    return path


def test_agreement_csv(capsys, coded: Path) -> None:
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "paragraph",
                       "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == HEADER
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert list(rows) == ["Trust", "Unused", "(all codes)"]
    assert rows["Trust"]["units"] == "10"
    assert rows["Trust"]["coded_units"] == "4"
    assert float(rows["Trust"]["percent_agreement"]) == pytest.approx(80.0)
    assert float(rows["Trust"]["cohen_kappa"]) == pytest.approx(0.22 / 0.42, abs=1e-6)
    # nobody used "Unused": kappa and alpha are undefined, so empty
    assert rows["Unused"]["cohen_kappa"] == ""
    assert rows["Unused"]["krippendorff_alpha"] == ""
    assert rows["Unused"]["percent_agreement"] == "100"
    assert rows["(all codes)"]["units"] == "20"


def test_agreement_json_pairs_and_table(capsys, coded: Path) -> None:
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--format", "json", "--pairs",
                       "--coded-units-only", "--code", "Trust")
    assert code == 0
    data = json.loads(out)
    assert [r["code"] for r in data["all"]] == ["Trust", "(all codes)"]
    assert data["all"][0]["units"] == 4
    assert data["pairs"][0]["coders"] == ["Ana", "Ben"]
    assert "Cohen's kappa" in data["method"]
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "character")
    assert code == 0
    assert out.splitlines()[0].split() == HEADER.split(",")


@pytest.mark.parametrize(("args", "status", "message"), [
    (("--coders", "Ana"), 2, "at least two"),
    (("--coders", "Ana", "Ana"), 2, "once"),
    (("--coders", "Ana", "Zed"), 1, "no coder 'Zed'"),
    (("--coders", "Ana", "Ben", "--unit", "character", "--min-share", "50"), 2, "not characters"),
    (("--coders", "Ana", "Ben", "--min-share", "120"), 2, "percentage"),
    (("--coders", "Ana", "Ben", "--coder", "Ana"), 2, "--coder does not apply"),
    (("--coders", "Ana", "Ben", "--unit", "page"), 2, "invalid choice"),
])
def test_agreement_refusals(capsys, coded: Path, args, status, message) -> None:
    code, _out, err = cli(capsys, "agreement", str(coded), *args)
    assert code == status
    assert message in err
    assert "Traceback" not in err
