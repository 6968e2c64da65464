"""The word counts a project keeps per source equal a recount of the texts after every way a source's text comes
or goes: adding sources one by one and many at once, deleting and undoing the delete, a REFI-QDA import and its
undo and redo, and merging another coder's project and taking the merge back. Random texts mix case pairs whose
folding is not one-to-one (ß/SS, İ, Σ/ς), emoji, apostrophes, digits and other scripts (all fictional)."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.core import tokens
from qcode.core.analysis import words
from qcode.core.importers.base import ParsedSource
from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.core.store import word_counts
from qcode.core.tokens import word_counts as recount

PIECES = ["Straße", "STRASSE", "strasse", "İstanbul", "ΣΟΦΙΑΣ", "σοφιας", "Ünal's", "don't", "men’s", "2nd", "42",
          "café", "CAFÉ", "😀", "👩🏽‍🔬", "help-seeking", "東京", "ﬁne", "_", " ", "\n\n", ", ", "Al: ", "Ελλάδα", "ß"]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=0, max_size=20).map("".join)


def exact(project: Project) -> None:
    """Every source's stored counts equal a recount of its text, the totals equal their sum, and the word table
    holds no word of a deleted source."""
    read = project._store.read
    texts = {s.id: project.source_text(s.id) for s in project.sources()}
    for source_id, text in texts.items():
        assert word_counts.stored_counts(read, source_id) == recount(text)
    assert word_counts.stale_sources(read) == []
    assert word_counts.stale_totals(read) == 0
    every: Counter[str] = Counter()
    holding: Counter[str] = Counter()
    for text in texts.values():
        every.update(recount(text))
        holding.update(recount(text).keys())
    stored = {w: (c, s) for w, c, s in read.execute("SELECT text, count, sources FROM word")}
    assert stored == {w: (every[w], holding[w]) for w in every}
    for flt in (Filter(), Filter(sources=tuple(texts)[:1])):
        assert words.word_tally(read, flt) == words.word_tally(read, flt, stored=False)


def _add_many(project: Project, texts: list[str]) -> None:
    """What an import of a file holding many sources does (a library of references): one statement for all."""
    with project._store.transaction() as tx:
        project._insert_many_parsed(tx, [ParsedSource(name=f"Many {i}", text=t, kind="text", spans=[], meta={})
                                         for i, t in enumerate(texts)], None, "library.bib", 0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_by_one=st.lists(TEXT, min_size=1, max_size=4), many=st.lists(TEXT, max_size=4),
       deleted=st.sets(st.integers(0, 7), max_size=4), theirs=st.lists(TEXT, min_size=1, max_size=3))
def test_stored_word_counts_equal_a_recount_after_every_change(one_by_one: list[str], many: list[str],
                                                               deleted: set[int], theirs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Project.create(folder / "ours.qcode") as project:
            for number, text in enumerate(one_by_one):
                project.add_source(f"Source {number}", text)
            _add_many(project, many)
            exact(project)
            ids = [s.id for s in project.sources()]
            gone = [ids[i] for i in sorted(deleted) if i < len(ids)]
            snapshots = [project.source_snapshot(i) for i in gone]
            project.delete_sources(gone)
            exact(project)
            project.restore_sources(snapshots)  # the app's undo of the delete
            exact(project)
            project.delete_sources(gone)  # and its redo
            exact(project)
            qdpx = project.export_refi(folder / "ours.qdpx")
        with Project.create(folder / "other.qcode") as other:
            other.use_coder("Bea")
            for number, text in enumerate(theirs):
                other.add_source(f"Theirs {number}", f"{text} Bea's note {number}")
            report = other.import_refi(qdpx)
            exact(other)
            assert report.record is not None
            undo = other.take_back_refi_import(report.record)
            exact(other)
            other.put_back_refi_import(undo)
            exact(other)
        with Project.open(folder / "ours.qcode") as project:
            merged = project.merge_project(folder / "other.qcode", prefer="ours")
            exact(project)
            project.unmerge(merged.record)
            exact(project)


@settings(max_examples=200, deadline=None)
@given(text=TEXT, piece=st.integers(1, 9))
def test_counting_a_text_a_piece_at_a_time_finds_its_words(text: str, piece: int) -> None:
    with mock.patch.object(tokens, "_PIECE", piece):  # pieces of a few characters, so that texts have many
        assert recount(text) == Counter(tokens.words_of(text))
