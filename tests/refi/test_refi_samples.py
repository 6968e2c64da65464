"""Real files written by NVivo, ATLAS.ti, MAXQDA, qc and Taguette import with the counts their README lists."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from refi_helpers import sample

from qcode.core.project import Project

# sources, codes, codings, cases, variables, coders (the README of the samples lists these)
COUNTS = {
    "nvivo-win-12.6_oltas0517.qdpx": (2, 152, 303, 0, 0, 2),
    "nvivo-mac-12.7_oltas-szkepticizmus-17june.qdpx": (2, 152, 297, 0, 0, 2),
    "nvivo-mac-15.0_qc-project.qdpx": (2, 262, 0, 0, 0, 2),
    "atlasti-win-23.2_target-atlas-project.qdpx": (0, 3, 0, 0, 0, 2),
    "atlasti-win-23.2_blank-atlas-project.qdpx": (0, 0, 0, 0, 0, 2),
    "maxqda-24.7_icls-themes_rezipped.qdpx": (10, 307, 0, 0, 0, 1),
    "qc-1.3.2_demo.qdpx": (2, 262, 205, 0, 0, 1),
    "taguette-1.4.1_codebook.qdc": (0, 3, 0, 0, 0, 0),
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_sample_imports_with_its_counts(name: str, tmp_path: Path) -> None:
    path = sample(name)
    with Project.create(tmp_path / "p.qcode") as p:
        p.name_coder("Importer")
        report = p.import_refi(path)
        coders = [c for c in p.coders() if c.name != "Importer"]
        found = (len(p.sources()), len(p.codes()), p.coding_count(), len(p.cases()), len(p.attributes()), len(coders))
        assert found == COUNTS[name]
        assert p.check() == []
        assert report.left_out == ()


def _coded_texts(path: Path, tmp_path: Path) -> Counter:
    with Project.create(tmp_path / f"{path.stem}.qcode") as p:
        p.import_refi(path)
        return Counter((p.code_path(c.code_id), p.source_slice(s.id, c.start, c.end))
                       for s in p.sources() for c in p.codings_for_source(s.id))


def test_nvivo_positions_land_on_the_words_nvivo_meant(tmp_path: Path) -> None:
    """NVivo counts UTF-16 units against CRLF text (Windows) or LF text (Mac): both exports of one project
    must give the same coded passages, emoji and all."""
    windows = _coded_texts(sample("nvivo-win-12.6_oltas0517.qdpx"), tmp_path)
    mac = _coded_texts(sample("nvivo-mac-12.7_oltas-szkepticizmus-17june.qdpx"), tmp_path)
    assert sum(mac.values()) == 297
    assert mac - windows == Counter()
    with_emoji = [text for _, text in mac if any(ord(ch) > 0xFFFF for ch in text)]
    assert len(with_emoji) >= 20


def test_qc_selections_are_whole_lines(tmp_path: Path) -> None:
    texts = _coded_texts(sample("qc-1.3.2_demo.qdpx"), tmp_path)
    assert texts
    assert all(text.endswith("\n") and "\n" not in text[:-1] for _, text in texts)


def test_maxqda_sets_become_folders_and_colours_are_kept(tmp_path: Path) -> None:
    with Project.create(tmp_path / "m.qcode") as p:
        p.import_refi(sample("maxqda-24.7_icls-themes_rezipped.qdpx"))
        assert len(p.folders()) == 2
        assert all(s.folder_id is not None for s in p.sources())
        assert len({c.color for c in p.codes()}) > 1
        assert all(c.definition for c in p.codes())


def test_importing_into_an_existing_project_merges_the_codebook(tmp_path: Path) -> None:
    with Project.create(tmp_path / "m.qcode") as p:
        p.import_refi(sample("nvivo-win-12.6_oltas0517.qdpx"))
        report = p.import_refi(sample("nvivo-mac-12.7_oltas-szkepticizmus-17june.qdpx"))
        assert len(p.codes()) == 152  # the same codes by guid: never duplicated
        assert report.matched["codes"] == 152
        p.import_refi(sample("nvivo-win-12.6_oltas0517.qdpx"))
        assert p.coding_count() == 303 + 297
        assert len(p.sources()) == 4
