"""Bounds on reading PDFs: a shared content stream with a wrong /Length, flate bombs, and pdfminer's
warnings kept off the terminal. The PDFs are written byte by byte in tests/importers/pdf_fixtures.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qcode.core.diagnostics import log_file
from qcode.core.importers import ImportOptions, find_importer, pdf_limits
from qcode.core.project import Project
from tests.importers.pdf_fixtures import (
    filtered_bomb_pdf,
    flate_bomb_pdf,
    lzw_repeated,
    run_length_repeated,
    shared_stream_pdf,
    text_pdf,
)

ROOT = Path(__file__).resolve().parents[2]


def parse(path: Path):
    return find_importer(path).parse(path, ImportOptions(), None)


@pytest.mark.parametrize("length_error", [-20, 5, 300, 10_000_000])
def test_a_shared_content_stream_with_a_wrong_length_is_read_once_for_every_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, length_error: int) -> None:
    searches = []
    real = pdf_limits.BoundedPDFParser._find_endstream
    monkeypatch.setattr(pdf_limits.BoundedPDFParser, "_find_endstream",
                        lambda self, start: searches.append(start) or real(self, start))
    for pages in (12, 48):
        searches.clear()
        path = shared_stream_pdf(tmp_path / f"shared-{pages}.pdf", pages, length_error=length_error)
        source = parse(path).sources[0]
        assert source.text.count("An invented line on every page.") == pages
        assert len([s for s in source.spans if s.kind == "page"]) == pages
        assert len(searches) == 1  # the stream's real end is looked for once, not once per page


def test_streams_with_a_correct_length_are_never_searched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_limits.BoundedPDFParser, "_find_endstream",
                        lambda self, start: pytest.fail("searched a stream whose length was right"))
    path = text_pdf(tmp_path / "plain.pdf", ["First invented page", "Second (invented) page"], compress=True)
    assert parse(path).sources[0].text == "First invented page\n\nSecond (invented) page"


def test_a_flate_bomb_is_refused_in_one_line_and_the_batch_goes_on(
        tmp_path: Path, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_limits, "MAX_CONTENT_BYTES", 8 * pdf_limits.MB)
    monkeypatch.setattr(pdf_limits, "RATIO_FLOOR_BYTES", 2 * pdf_limits.MB)
    bomb = flate_bomb_pdf(tmp_path / "bomb.pdf", 12)
    fine = text_pdf(tmp_path / "fine.pdf", ["An invented page that is fine"], compress=True)
    outcomes = project.import_paths([bomb, fine])
    assert [o.status for o in outcomes] == ["failed", "imported"]
    assert outcomes[0].reason.startswith("bomb.pdf would unpack to more than 2 MB of content from a 0.0 MB file; "
                                         "it is refused as unsafe (a 'decompression bomb').")
    assert [s.name for s in project.sources()] == ["fine"]


@pytest.mark.parametrize(("filter_name", "data"), [(b"LZWDecode", lzw_repeated(5000)),
                                                   (b"RunLengthDecode", run_length_repeated(40_000))])
def test_lzw_and_run_length_bombs_are_refused_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  filter_name: bytes, data: bytes) -> None:
    monkeypatch.setattr(pdf_limits, "MAX_CONTENT_BYTES", 4 * pdf_limits.MB)
    monkeypatch.setattr(pdf_limits, "RATIO_FLOOR_BYTES", 2 * pdf_limits.MB)
    monkeypatch.setattr(pdf_limits, "rldecode", lambda data: pytest.fail("decoded a RunLength bomb"))
    bomb = filtered_bomb_pdf(tmp_path / "bomb.pdf", filter_name, data)
    with pytest.raises(pdf_limits.ContentBombError, match=r"would unpack to more than \d MB of content"):
        parse(bomb)


def test_small_lzw_and_run_length_streams_still_read(tmp_path: Path) -> None:
    for filter_name, data in ((b"LZWDecode", lzw_repeated(100)), (b"RunLengthDecode", run_length_repeated(50))):
        path = filtered_bomb_pdf(tmp_path / "small.pdf", filter_name, data)
        with pytest.raises(Exception, match="no text"):  # the stream decodes (to spaces): nothing to read
            parse(path)


def test_the_bounds_follow_the_file_size() -> None:
    mb = pdf_limits.MB
    assert pdf_limits.InflateBudget("a.pdf", mb // 10).limit == 50 * mb  # small files: the floor
    assert pdf_limits.InflateBudget("b.pdf", mb // 2).limit == 100 * mb  # ratio 200 above the floor
    assert pdf_limits.InflateBudget("c.pdf", 10 * mb).limit == 200 * mb  # and never past 200 MB
    budget = pdf_limits.InflateBudget("d.pdf", mb // 10)
    budget.spend(50 * mb)
    with pytest.raises(pdf_limits.ContentBombError):
        budget.spend(1)


PROBE = """
import sys
from qcode.core.project import Project
from tests.importers.pdf_fixtures import flate_bomb_pdf
from pathlib import Path
path = flate_bomb_pdf(Path(sys.argv[1]) / "bomb.pdf", 300)
with Project.create(Path(sys.argv[1]) / "p.qcode") as project:
    outcome = project.import_file(path)
print(outcome.status, int(peak_mb()))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="peak memory read as Linux reports it")
def test_a_flate_bomb_is_stopped_with_bounded_memory(tmp_path: Path) -> None:
    from tests.benchmarks.peak import PEAK_MB_SOURCE  # the probe's own peak (ru_maxrss counts the test run's)

    done = subprocess.run([sys.executable, "-c", PEAK_MB_SOURCE + PROBE, str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
    status, peak_mb = done.stdout.split()
    assert status == "failed"
    assert int(peak_mb) < 500  # the 300 MB inside are never held at once
    assert done.stderr == ""


def test_pdfminer_warnings_go_to_the_log_not_the_terminal(tmp_path: Path) -> None:
    pages = [f"Invented page {n}" for n in range(1, 4)]
    path = text_pdf(tmp_path / "odd.pdf", pages, before=b"/NotANumber w ")  # pdfminer warns on every page
    project = tmp_path / "p.qcode"
    Project.create(project).close()
    done = subprocess.run([sys.executable, "-m", "qcode", "import", str(project), str(path)], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("imported\t")
    log = log_file().read_text(encoding="utf-8")
    assert "3 warnings from the PDF reader while reading odd.pdf" in log
    assert "Cannot set line width" in log


def test_a_page_tree_holding_a_keyword_is_a_damaged_pdf_and_the_batch_goes_on(
        tmp_path: Path, project: Project) -> None:
    broken = text_pdf(tmp_path / "tree.pdf", ["An invented page"])
    data = broken.read_bytes()
    assert b"/Kids [5 0 R]" in data
    broken.write_bytes(data.replace(b"/Kids [5 0 R]", b"/Kids [5 0 R /Foo]"))
    fine = text_pdf(tmp_path / "fine.pdf", ["Another invented page"])
    outcomes = project.import_paths([broken, fine])
    assert [o.status for o in outcomes] == ["failed", "imported"]
    assert outcomes[0].reason.startswith("tree.pdf is damaged or incomplete and cannot be read as a PDF.")


def test_running_header_detection_compares_each_box_with_a_bounded_number_of_candidates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.importers import pdf_importer

    calls = []
    real = pdf_importer.similar
    monkeypatch.setattr(pdf_importer, "similar", lambda a, b: calls.append(1) or real(a, b))
    import random

    rng = random.Random(3)
    words = ["river", "harvest", "market", "school", "coast", "garden", "weather", "council", "village", "family"]
    pages = 150
    lines = [" ".join(rng.choice(words) for _ in range(6)) for _ in range(pages)]
    source = parse(text_pdf(tmp_path / "distinct.pdf", lines)).sources[0]
    assert source.text.split("\n\n") == lines  # nothing taken for a running header
    assert len(calls) <= pages * 2 * pdf_importer.MAX_FUZZY_CLUSTERS  # not one comparison per earlier box
