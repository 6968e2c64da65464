"""The analysis commands through the real entry point: headers, formats, filters, listings and errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qcode.core.project import Project
from tests.unit.analysis_fixture import build_small

QCODE = Path(sys.executable).parent / ("qcode.exe" if os.name == "nt" else "qcode")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(QCODE), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def small_file(tmp_path: Path) -> str:
    built = build_small(tmp_path / "small.qcode")
    built.project.close()
    return str(built.path)


def rows_of(out: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(out)))


def test_matrix_csv_header_totals_and_filters(small_file):
    done = run("matrix", small_file, "--columns", "case", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = rows_of(done.stdout)
    assert rows[0] == ["code", "Kim", "Lee", "Sam", "total"]
    assert rows[-1] == ["total", "3", "2", "5", "9"]
    assert ["Barriers", "1", "2", "1", "3"] in rows
    by = run("matrix", small_file, "--by", "attribute:Setting", "--format", "csv", "--coder", "Ana")
    assert rows_of(by.stdout)[0] == ["code", "Sports club", "Online forum", "total"]
    assert rows_of(by.stdout)[-1] == ["total", "2", "2", "4"]
    chars = run("matrix", small_file, "--columns", "coder", "--cell", "sources", "--percent", "row", "--format", "json")
    data = json.loads(chars.stdout)
    assert data[-1] == {"code": "total", "Ana": 100.0, "Tester": 100.0, "total": 100.0}
    table = run("matrix", small_file)
    assert "less than the sum of its cells" in table.stdout


def test_matrix_list_cell(small_file):
    done = run("matrix", small_file, "--list-cell", "Barriers", "Lee", "--format", "csv")
    rows = rows_of(done.stdout)
    assert rows[0] == ["code", "source", "source_id", "coder", "start", "end", "location", "text"]
    assert [r[7] for r in rows[1:]] == ["Lee: We never talk.\n\nKim: Mates matter. Dad too.", "We never talk."]
    missing = run("matrix", small_file, "--list-cell", "Barriers", "Nobody")
    assert missing.returncode == 1
    assert "Kim, Lee, Sam" in missing.stderr


def test_cooccur_and_listing(small_file):
    done = run("cooccur", small_file, "--format", "csv", "--mode", "paragraph")
    rows = rows_of(done.stdout)
    assert rows[0] == ["code_a", "code_b", "count", "jaccard"]
    assert [r[:3] for r in rows[1:]] == [["Barriers", "Support/Peers", "3"], ["Support/Family", "Support/Peers", "1"]]
    pairs = rows_of(run("cooccur", small_file, "--list-pair", "Support/Family", "Support/Peers", "--mode", "near:5",
                        "--format", "csv").stdout)
    assert [(r[0], r[1], r[8]) for r in pairs[1:]] == [("1", "Support/Family", "My dad helps."),
                                                      ("1", "Support/Peers", "Mates help too.")]
    bad = run("cooccur", small_file, "--mode", "near")
    assert bad.returncode == 1
    assert "near:N" in bad.stderr


def test_query_lists_passages_and_saves_them_as_a_code(small_file):
    done = run("query", small_file, '"Support/Peers"@Ana AND "Barriers"', "--format", "csv")
    rows = rows_of(done.stdout)
    assert rows[0] == ["source", "source_id", "start", "end", "location", "text"]
    assert [r[5] for r in rows[1:]] == ["the club.", "Mates matter."]
    behind = rows_of(run("query", small_file, '"Support/Peers"@Ana AND "Barriers"', "--excerpts", "--format",
                         "csv").stdout)
    assert behind[0] == ["passage", "code", "source", "source_id", "coder", "start", "end", "location", "text"]
    assert [(r[0], r[1], r[4]) for r in behind[1:]] == [("1", "Support/Peers", "Ana"), ("1", "Barriers", "Tester"),
                                                       ("2", "Barriers", "Ana"), ("2", "Support/Peers", "Ana")]
    saved = run("query", small_file, '"Support/Peers" AND "Barriers"', "--save-as", "Combined/Peer barriers")
    assert saved.returncode == 0, saved.stderr
    assert "Coded 2 passages with Combined/Peer barriers" in saved.stdout
    with Project.open(small_file, mode="read") as project:
        code = project.find_code("Combined/Peer barriers")
        assert len(project.codings_for_code(code.id)) == 2


@pytest.mark.parametrize(("args", "status", "message"), [
    (("query", '"Barriers" AND'), 1, "character 15"),
    (("query", '"Nope"'), 1, "Nope"),
    (("matrix", "--columns", "attribute:Nope"), 1, "Nope"),
    (("matrix", "--columns", "folder"), 2, "--columns takes"),
    (("saturation", "--order", "size"), 2, "--order takes"),
    (("saturation", "--order", "attribute:Nope"), 1, "Nope"),
    (("words", "--min-length", "0"), 2, "--min-length"),
    (("kwic", "two words"), 1, "one word"),
    (("matrix", "--cell", "words"), 2, "invalid choice"),
])
def test_errors_are_one_line(small_file, args, status, message):
    done = run(args[0], small_file, *args[1:])
    assert done.returncode == status
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_words_kwic_and_saturation(small_file, tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("# our own\nclub\n", encoding="utf-8")
    words = rows_of(run("words", small_file, "--code", "Support/Peers", "--stop-words", str(stop), "--format",
                        "csv").stdout)
    assert words[0] == ["word", "count", "sources"]
    assert words[1:] == [["mates", "3", "2"], ["help", "1", "1"], ["matter", "1", "1"], ["talk", "1", "1"]]
    with Project.open(small_file) as project:
        project.set_stop_words(["talk"])  # the project's own stop list, kept by the app
    kept = rows_of(run("words", small_file, "--code", "Support/Peers", "--format", "csv").stdout)
    assert "talk" not in [r[0] for r in kept]
    counted = rows_of(run("words", small_file, "--code", "Support/Peers", "--no-project-stop-words", "--format",
                          "csv").stdout)
    assert ["talk", "1", "1"] in counted
    kwic = rows_of(run("kwic", small_file, "mates", "--code", "Support/Peers", "--width", "5", "--format",
                       "csv").stdout)
    assert kwic[0] == ["source", "location", "left", "word", "right"]
    assert kwic[1] == ["Interview A", "¶ 1, Sam", "o my ", "mates", " 😀 at"]
    table = run("kwic", small_file, "mates", "--width", "5")
    assert "[mates]" in table.stdout
    saturation = rows_of(run("saturation", small_file, "--order", "attribute:Interview date", "--format", "csv").stdout)
    assert saturation == [["position", "source", "new_codes", "cumulative_codes", "new_code_names"],
                          ["1", "Focus group", "2", "2", "Support/Peers; Barriers"],
                          ["2", "Interview A", "1", "3", "Support/Family"],
                          ["3", "Notes", "0", "3", ""]]
    behind = rows_of(run("saturation", small_file, "--order", "name", "--list-source", "Focus group", "--format",
                         "csv").stdout)
    assert [(r[0], r[6]) for r in behind[1:]] == [("Barriers", "¶ 1, Lee"), ("Barriers", "¶ 1, Lee"),
                                                 ("Support/Peers", "¶ 2, Kim")]
