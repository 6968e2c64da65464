"""`qcode import` of files from other tools: a Qualtrics export named by its question texts, a library without
abstracts, a Web of Science export named .ris (refused with advice). All files are fictional and made here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qcode.core.project import Project
from tests.importers.test_references import SCHOLAR_BIB
from tests.importers.test_survey_exports import QUALTRICS, write_csv

QCODE = Path(sys.executable).parent / "qcode"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(QCODE), *args], capture_output=True, text=True, timeout=120)


def test_survey_export_and_library_from_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "p.qcode"
    Project.create(target).close()
    survey = write_csv(tmp_path / "qualtrics.csv", QUALTRICS)
    result = run("import", str(target), "--survey", str(survey), "--id-column", "ResponseId",
                 "--text-column", "Where do you meet others?", "--attribute-column", "Q1")
    assert result.returncode == 0, result.stderr
    assert "the first 3 rows are headers" in result.stdout
    library = tmp_path / "scholar.bib"
    library.write_text(SCHOLAR_BIB, encoding="utf-8")
    result = run("import", str(target), str(library))
    assert result.returncode == 0, result.stderr
    assert "4 entries: 0 with an abstract or notes, 4 with the citation only" in result.stdout
    with Project.open(target, mode="read") as project:
        names = [s.name for s in project.sources()]
        assert "Where do you meet others?" in names
        assert "Lind 2021 - Sheds, tools and talk" in names
        assert [a.name for a in project.attributes() if a.scope == "case"] == ["How old are you?"]


def test_web_of_science_export_is_refused_with_advice(tmp_path: Path) -> None:
    target = tmp_path / "p.qcode"
    Project.create(target).close()
    wos = tmp_path / "savedrecs.ris"
    wos.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Lind, R\nTI Sheds\nER\nEF\n",
                   encoding="utf-8")
    result = run("import", str(target), str(wos))
    assert result.returncode == 1
    assert "RIS (other reference software)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
