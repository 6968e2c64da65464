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
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "paragraph", "--format", "json",
                       "--pairs",
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
    (("--coders", "Ana", "Ben", "--unit", "sentence", "--uncoded-as-missing", "--coder", "x"), 2, "does not apply"),
])
def test_agreement_refusals(capsys, coded: Path, args, status, message) -> None:
    code, _out, err = cli(capsys, "agreement", str(coded), *args, *(() if "--unit" in args else ("--unit", "turn")))
    assert code == status
    assert message in err
    assert "Traceback" not in err


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "ana.qcode", tmp_path / "ben.qcode"
    for path, who, definition in ((first, "Ana", "Trust in peers."), (second, "Ben", "Confiding in others.")):
        with Project.create(path) as project:
            project.use_coder(who)
            source = project.add_source("Interview", "We talk at the club.\n\nNot with my father.")
            code = project.create_code("Trust", definition=definition)
            project.add_coding(source.id, code.id, 0, 20)
    return first, second


def test_merge_needs_a_choice_then_takes_a_rule(capsys, copies) -> None:
    first, second = copies
    code, out, _ = cli(capsys, "merge", str(first), str(second))
    assert code == 1
    assert "conflict: code 'Trust', definition" in out
    assert "nothing was merged" in out
    with Project.open(first, mode="read") as project:
        assert len(project.codings()) == 1
    code, out, _ = cli(capsys, "merge", str(first), str(second), "--prefer", "theirs", "--dry-run")
    assert code == 0
    assert out.startswith("Would merge")
    with Project.open(first, mode="read") as project:
        assert len(project.codings()) == 1
        assert [c.name for c in project.coders()] == ["Ana"]
    code, out, _ = cli(capsys, "merge", str(first), str(second), "--prefer", "theirs")
    assert code == 0
    assert "codings: 1 added, 0 already here" in out
    with Project.open(first, mode="read") as project:
        assert len(project.codings()) == 2
        assert project.find_code("Trust").definition == "Confiding in others."
    code, out, _ = cli(capsys, "agreement", str(first), "--coders", "Ana", "Ben", "--unit", "paragraph",
                       "--format", "csv")
    assert code == 0
    assert "Trust,paragraph,2,1,100,1,1,1\n" in out


def test_merge_refusals(capsys, copies, tmp_path: Path) -> None:
    first, _ = copies
    code, _out, err = cli(capsys, "merge", str(first), str(first))
    assert code == 1
    assert "cannot be merged into itself" in err
    code, _out, err = cli(capsys, "merge", str(first), str(tmp_path / "missing.qcode"))
    assert code == 1
    assert "Traceback" not in err
    code, _out, err = cli(capsys, "merge", str(first), str(first), "--prefer", "both")
    assert code == 2


def test_coders_rename_and_blind(capsys, coded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_CODER", "Ben")  # in blind coding, the listing counts only Ben's codings
    code, out, _ = cli(capsys, "coders", str(coded), "--rename", "ana", "Ana Silva", "--blind", "on", "--format",
                       "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["name"], r["codings"]) for r in rows] == [("Ana Silva", ""), ("Ben", "3")]
    assert all(len(r["guid"]) == 36 for r in rows)
    with Project.open(coded, mode="read") as project:
        assert project.blind_coding
    code, _out, err = cli(capsys, "coders", str(coded), "--rename", "Zed", "Z")
    assert code == 1
    assert "no coder 'Zed'" in err
    code, _out, err = cli(capsys, "coders", str(coded), "--rename", "Ben", "ana silva")
    assert code == 1
    assert "already a coder" in err


def test_agreement_saved_to_excel_and_word(capsys, coded: Path, tmp_path: Path) -> None:
    import docx
    from openpyxl import load_workbook

    xlsx, word = tmp_path / "agreement.xlsx", tmp_path / "agreement.docx"
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "paragraph",
                       "--min-share", "50", "--out", str(xlsx))
    assert code == 0
    assert "Saved" in out
    ws = load_workbook(xlsx).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    method = cells[2][0]
    assert "unit: paragraph" in method
    assert "at least 50% of its characters" in method
    assert "Cohen's kappa" in method
    header = cells.index(["Code", "Unit", "Units", "Coded units", "Agreement %", "Cohen's kappa",
                          "Brennan-Prediger", "Krippendorff's alpha"])
    trust = cells[header + 1]
    assert trust[:4] == ["Trust", "paragraph", 10, 4]
    assert trust[4] == pytest.approx(80.0)
    assert trust[5] == pytest.approx(0.524, abs=1e-3)
    assert cells[header + 2][5] is None  # 'Unused': undefined, so empty
    code, _out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "paragraph", "--out",
                        str(word))
    assert code == 0
    document = docx.Document(str(word))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Method" in text
    assert "Krippendorff's alpha (nominal" in text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Code", "Unit"]
    assert [c.text for c in table.rows[1].cells][:4] == ["Trust", "paragraph", "10", "4"]
    # the percentage with one decimal, the coefficients with three, as the method's precision says
    assert [c.text for c in table.rows[1].cells][4:] == ["80.0", "0.524", "0.600", "0.548"]  # alpha: 1 - 19 * 4 / 168
    code, _out, err = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "source", "--out",
                          str(tmp_path / "a.pdf"))
    assert code == 2
    assert ".xlsx or .docx" in err


def test_agreement_with_uncoded_sources_as_missing(capsys, coded: Path) -> None:
    with Project.open(coded) as project:
        extra = project.add_source("Notes", "One.\n\nTwo.")
        project.add_coding(extra.id, project.find_code("Trust").id, 0, 4, coder_id=project.coders()[0].id)
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "paragraph", "--format",
                       "csv", "--uncoded-as-missing")
    assert code == 0
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["Trust"]["units"] == "10"  # Ben coded nothing in the notes: their two paragraphs are left out
    code, out, _ = cli(capsys, "agreement", str(coded), "--coders", "Ana", "Ben", "--unit", "paragraph", "--format",
                       "csv")
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["Trust"]["units"] == "12"


def test_a_refused_rename_leaves_blind_coding_as_it_was(capsys, coded: Path) -> None:
    code, _out, _err = cli(capsys, "coders", str(coded), "--blind", "on", "--rename", "Zed", "Z")
    assert code == 1
    with Project.open(coded, mode="read") as project:
        assert not project.blind_coding


def test_a_coefficient_a_hair_below_zero_is_written_as_zero(tmp_path: Path) -> None:
    import docx

    from qcode.core.exporters.word import WordDocument
    from qcode.core.team.agreement import AgreementRow
    from qcode.core.team.agreement_export import row_cells
    from qcode.core.team.statistics import Figures

    cells = row_cells(AgreementRow(1, "Trust", Figures(100, 3, 99.5, -0.0002, 0.99, -0.0001)), "paragraph")
    assert cells[5] == 0.0
    assert str(cells[5]) == "0.0"
    word = WordDocument(title="t", subject="t")
    word.table(("a", "b"), [(-0.0004, -0.4)], places=(3, 1))
    saved = word.save(tmp_path / "t.docx")
    assert [c.text for c in docx.Document(str(saved)).tables[0].rows[1].cells] == ["0.000", "-0.4"]
