"""Fuzzing the importers: damaged copies of a small sound file of every format, made by a seeded mutator,
imported as one batch. Each file either imports or fails with one clear line naming it; the batch never
stops, and the project stays sound.

The number of mutants per format is CI-sized; set QCODE_FUZZ_MUTANTS (and QCODE_FUZZ_SEED) for a longer run.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import docx
import pytest

from qcode.core.project import Project
from tests.importers.pdf_fixtures import text_pdf
from tests.importers.test_odt_importer import make_odt

MUTANTS = int(os.environ.get("QCODE_FUZZ_MUTANTS", "10"))
SEED = int(os.environ.get("QCODE_FUZZ_SEED", "20261206"))

TEXTS = {
    ".txt": "Interviewer: How did the season go?\n\nTui: Wet. The river came up twice.\n\nInterviewer: And the "
            "crops?\n\nTui: We lost the lower paddock, but the kūmara survived.\n",
    ".md": "# Field notes\n\nA *fictional* visit to the **coast**, with [a link](http://example.invalid).\n\n"
           "- first point\n- second point\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    ".html": "<html><head><title>Invented</title><meta charset=\"utf-8\"></head><body><h1>Notes</h1>"
             "<p>Interviewer: A question?</p><p>Tui: An answer with café.</p><script>x()</script></body></html>",
    ".rtf": r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\f0 Interviewer: A question?\par Tui: An answer "
            r"with caf\'e9.\par{\footnote An invented note.}\par}",
    ".vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Tui>We went down to the river.\n\n"
            "00:00:05.000 --> 00:00:08.000\n<v Interviewer>What did you see?\n",
    ".srt": "1\n00:00:01,000 --> 00:00:04,000\nTui: We went down to the river.\n\n2\n00:00:05,000 --> "
            "00:00:08,000\nInterviewer: What did you see?\n",
    ".ris": "TY  - JOUR\nAU  - Invented, Author\nTI  - A fictional paper\nPY  - 2020\nAB  - An invented "
            "abstract.\nER  - \n",
    ".bib": "@article{key, author={Invented, Author}, title={A fictional paper}, year={2020}, "
            "abstract={An invented abstract.}}\n",
}


def seeds(folder: Path) -> dict[str, bytes]:
    """A small sound file of every format, as bytes by suffix."""
    made = {suffix: text.encode("utf-8") for suffix, text in TEXTS.items()}
    document = docx.Document()
    document.add_heading("Invented interview", 1)
    document.add_paragraph("Interviewer: A fictional question?")
    document.add_paragraph("Tui: A fictional answer.")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "a cell"
    buffer = io.BytesIO()
    document.save(buffer)
    made[".docx"] = buffer.getvalue()
    made[".odt"] = make_odt(folder / "seed.odt", "<text:p>Interviewer: A question?</text:p><text:p>Tui: An "
                                                 "answer.</text:p>").read_bytes()
    made[".pdf"] = text_pdf(folder / "seed.pdf", ["First invented page", "Second invented page"],
                            compress=True).read_bytes()
    return made


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three damages: flipped bytes, a cut, inserted noise, a repeated or removed slice."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if not out:
            out += bytes(rng.randrange(256) for _ in range(8))
        kind = rng.randrange(6)
        at = rng.randrange(len(out))
        if kind == 0:
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == 1:
            del out[rng.randint(at, len(out)):]
        elif kind == 2:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 3:
            end = min(len(out), at + rng.randint(1, 256))
            out[at:at] = out[at:end] * rng.randint(2, 20)
        elif kind == 4:
            del out[at:at + rng.randint(1, 128)]
        else:
            out[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x1b[31m", b"\r", b"<", b"{",
                                     b"%PDF", b"endstream", b"\\u", b"@", b"-->"])
    return bytes(out)


def mutate_package(data: bytes, rng: random.Random) -> bytes:
    """A zip package with one of its XML parts damaged, packed again (the damage reaches the XML readers)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    xml = [name for name in parts if name.endswith(".xml")]
    target = rng.choice(xml)
    parts[target] = mutate(parts[target], rng)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def test_damaged_files_of_every_format_each_import_or_fail_in_one_line(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    folder = tmp_path / "mutants"
    folder.mkdir()
    made = seeds(tmp_path)
    names: list[str] = []
    for suffix, data in sorted(made.items()):
        for number in range(MUTANTS):
            package = suffix in (".docx", ".odt") and number % 2 == 0
            mutant = mutate_package(data, rng) if package else mutate(data, rng)
            name = f"{suffix[1:]}-{number:03d}{suffix}"
            (folder / name).write_bytes(mutant)
            names.append(name)
    with Project.create(tmp_path / "fuzz.qcode") as project:
        outcomes = project.import_paths([folder])
        assert sorted(Path(o.path).name for o in outcomes) == sorted(names)  # the batch went through every file
        for outcome in outcomes:
            name = Path(outcome.path).name
            assert outcome.status in ("imported", "duplicate", "failed"), name
            if outcome.status == "failed":
                assert outcome.reason, name
                assert "\n" not in outcome.reason, (name, outcome.reason)
                assert "Traceback" not in outcome.reason
                assert name in outcome.reason, (name, outcome.reason)
        imported = [o for o in outcomes if o.status == "imported"]
        for outcome in imported:
            for source_id in outcome.source_ids:
                assert "\x00" not in project.source_text(source_id)
        assert project.check() == []
    assert any(o.status == "failed" for o in outcomes)
    assert any(o.status == "imported" for o in outcomes)


@pytest.mark.parametrize("suffix", sorted([*TEXTS, ".docx", ".odt", ".pdf"]))
def test_every_seed_imports(tmp_path: Path, suffix: str) -> None:
    """The mutants start from files that import, so a failure among them is the damage's doing."""
    path = tmp_path / f"seed-copy{suffix}"
    path.write_bytes(seeds(tmp_path)[suffix])
    with Project.create(tmp_path / "seed.qcode") as project:
        outcome = project.import_file(path)
    assert outcome.status == "imported", outcome.reason


def survey_seeds() -> dict[str, bytes]:
    import openpyxl

    rows = [["ID", "Age", "Answer"], ["R1", 34, "We talk at the club."], ["R2", 51, "Mostly to my sister, café nights."]]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    csv_text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    return {".csv": csv_text.encode("utf-8"), ".xlsx": buffer.getvalue()}


def test_damaged_survey_files_each_import_or_fail_in_one_line(tmp_path: Path) -> None:
    from qcode.core.importers import ImportOptions, SurveyOptions

    rng = random.Random(SEED + 1)
    paths: list[Path] = []
    for suffix, data in sorted(survey_seeds().items()):
        for number in range(MUTANTS):
            package = suffix == ".xlsx" and number % 2 == 0
            path = tmp_path / f"survey-{number:03d}{suffix}"
            path.write_bytes(mutate_package(data, rng) if package else mutate(data, rng))
            paths.append(path)
    options = ImportOptions(survey=SurveyOptions("ID", ("Answer",), ("Age",)))
    with Project.create(tmp_path / "surveys.qcode") as project:
        outcomes = project.import_paths(paths, options=options)
        assert [Path(o.path).name for o in outcomes] == [p.name for p in paths]
        for outcome in outcomes:
            if outcome.status == "failed":
                assert "\n" not in outcome.reason
                assert Path(outcome.path).name in outcome.reason, outcome.reason
        assert project.check() == []
