"""One `qcode import` of every format a researcher brings, each with its structure (the importers' acceptance)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from qcode.core.project import Project
from tests.importers.test_odt_importer import make_odt

QCODE = Path(sys.executable).parent / "qcode"


def make_corpus(folder: Path) -> list[Path]:
    files = []
    document = docx.Document()
    document.add_heading("Interview A", level=1)
    for line in ("Interviewer: How do you cope?", "Sam: I walk with the lads.", "Interviewer: Often?",
                 "Sam: Every Thursday."):
        document.add_paragraph(line)
    document.save(str(folder / "a.docx"))
    files.append(folder / "a.docx")
    pdf = canvas.Canvas(str(folder / "b.pdf"), pagesize=A4)
    for page in (1, 2):
        pdf.drawString(72, 750, f"Page {page} of a short article about peer support in sheds.")
        pdf.showPage()
    pdf.save()
    files.append(folder / "b.pdf")
    (folder / "c.vtt").write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>Hello everyone.\n\n"
        "00:12:31.500 --> 00:12:35.000\n<v Ben>I found the group online.\n", encoding="utf-8")
    (folder / "d.srt").write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nAna: First line.\n\n2\n00:00:04,000 --> 00:00:06,000\n"
        "Ben: Reply here.\n\n3\n00:00:07,000 --> 00:00:09,000\nAna: Closing.\n", encoding="utf-8")
    make_odt(folder / "e.odt", '<text:h text:outline-level="1">Notes from the shed</text:h>'
             "<text:p>Men meet on Tuesdays.</text:p>")
    (folder / "f.rtf").write_text(r"{\rtf1\ansi\deff0 {\fonttbl{\f0 Arial;}}\f0 Caf\'e9 group.\par Second.\par}",
                                  encoding="ascii")
    (folder / "g.html").write_text("<html><head><title>Forum</title><script>x()</script></head><body>"
                                   "<h1>Thread</h1><p>Anonymous &amp; safe.</p></body></html>", encoding="utf-8")
    (folder / "h.md").write_text("# Memo\n\nSome **field** notes.\n", encoding="utf-8")
    (folder / "i.txt").write_text("Plain notes.\n\nSecond paragraph.\n", encoding="utf-8")
    files += [folder / name for name in ("c.vtt", "d.srt", "e.odt", "f.rtf", "g.html", "h.md", "i.txt")]
    return files


def test_every_format_imports_with_its_structure(tmp_path: Path) -> None:
    material = tmp_path / "material"
    material.mkdir()
    files = make_corpus(material)
    project = tmp_path / "p.qcode"
    Project.create(project).close()
    result = subprocess.run([str(QCODE), "import", str(project), *map(str, files), "--format", "json"],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    outcomes = json.loads(result.stdout)
    assert [o["status"] for o in outcomes] == ["imported"] * 9
    with Project.open(project, mode="read") as p:
        kinds = {s.name: s.kind for s in p.sources()}
        assert kinds == {"a": "docx", "b": "pdf", "c": "captions", "d": "captions", "e": "odt", "f": "rtf",
                         "g": "html", "h": "markdown", "i": "text"}
        by_name = {s.name: s for s in p.sources()}
        assert [t.value for t in p.spans(by_name["a"].id, "turn")] == ["Interviewer", "Sam", "Interviewer", "Sam"]
        assert [s.value for s in p.spans(by_name["b"].id, "page")] == ["1", "2"]
        vtt = by_name["c"]
        text = p.source_text(vtt.id)
        assert p.describe_location(vtt.id, text.index("I found")) == "00:12:31, Ben"
        assert [t.value for t in p.spans(by_name["d"].id, "turn")] == ["Ana", "Ben", "Ana"]
        assert p.spans(by_name["e"].id, "heading")
        assert p.source_text(by_name["f"].id).startswith("Café group.")
        assert "x()" not in p.source_text(by_name["g"].id)
        assert p.source_text(by_name["h"].id) == "Memo\n\nSome field notes."


def test_survey_and_reference_imports_through_the_command(tmp_path: Path) -> None:
    survey = tmp_path / "answers.csv"
    survey.write_text("ID;Age;Q1 Who do you talk to?\nR1;34;My brother\nR2;51;\"Nobody,\nreally\"\n",
                      encoding="utf-8")
    refs = tmp_path / "refs.ris"
    refs.write_text("TY  - JOUR\nAU  - Invented, Alex\nTI  - A made-up study\nPY  - 2020\n"
                    "AB  - An invented abstract about peers.\nER  - \n", encoding="utf-8")
    project = tmp_path / "p.qcode"
    Project.create(project).close()
    result = subprocess.run([str(QCODE), "import", str(project), str(refs), "--survey", str(survey),
                             "--id-column", "ID", "--text-column", "3", "--attribute-column", "Age"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    with Project.open(project, mode="read") as p:
        assert sorted(c.name for c in p.cases()) == ["R1", "R2"]
        r2 = p.find_case("R2")
        assert p.attribute_values("case", r2.id) == {"Age": 51}
        question = next(s for s in p.sources() if s.kind == "survey")
        member = p.case_members(r2.id)[0]
        assert p.source_slice(question.id, member.start, member.end) == "Nobody,\nreally"
        reference = next(s for s in p.sources() if s.kind == "reference")
        assert p.attribute_values("source", reference.id)["Year"] == 2020
