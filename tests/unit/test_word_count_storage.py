"""The word counts kept per source: the migration step that counts them in an older file, `qcode check`
recounting them, and word frequencies read from them equal to a count of the texts, for every kind of filter."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from qcode.cli import main
from qcode.core.analysis import words
from qcode.core.model import Filter
from qcode.core.project import Project
from qcode.core.store import migrations, word_counts
from qcode.core.tokens import WORD
from qcode.core.tokens import word_counts as recount
from tests.schema_versions import make_older, schema, schema_at
from tests.unit.analysis_fixture import Small, build_small

# fictional texts
TEXTS = {"Al": "Al: I keep it in. Mates help though. STRASSE and Straße, 😀 don't.",
         "Bo": "Bo: My mates' club; the club helps 2 of us. İstanbul, ΣΟΦΙΑΣ σοφιας."}


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Small]:
    built = build_small(tmp_path / "small.qcode")
    yield built
    built.project.close()


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def test_a_version_6_file_gets_its_word_counts_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "v6.qcode"
    with Project.create(path) as project:
        ids = {name: project.add_source(name, text).id for name, text in TEXTS.items()}
    make_older(path, 6)  # the file steps 1 to 6 made
    conn = sqlite3.connect(path)
    fresh = schema_at(6)
    assert schema(conn) == schema(fresh)
    fresh.close()
    conn.close()
    assert not {"word", "source_words"} & _tables(path)
    with Project.open(path) as project:
        assert project.check() == []  # the step counted every source, and the counts agree with a recount
        read = project._store.read
        for name, source_id in ids.items():
            assert word_counts.stored_counts(read, source_id) == recount(TEXTS[name])
        assert word_counts.stored_counts(read, ids["Al"])["strasse"] == 2  # STRASSE and Straße fold alike
        found = {w.word: (w.count, w.sources) for w in project.word_frequencies(limit=None)}
        assert found["mates"] == (2, 2)
        assert found["club"] == (2, 1)
        assert found["σοφιασ"] == (2, 1)  # ΣΟΦΙΑΣ and σοφιας fold alike (a final sigma folds to σ)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    conn.close()


def _damaged(path: Path, sql: str, *params: object) -> list[str]:
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()
    with Project.open(path, mode="read") as project:
        return project.check()


def _counts(*values: int) -> bytes:
    return np.array(values, dtype="<u4").tobytes()


@pytest.mark.parametrize(("what", "sql", "said"), [
    ("a count one too high", "UPDATE source_words SET counts = ? WHERE source_id = 1",
     "the stored word counts of 1 source are out of date ('Al')"),
    ("a source without counts", "DELETE FROM source_words WHERE source_id = 2",
     "the stored word counts of 1 source are out of date ('Bo')"),
    ("a damaged array", "UPDATE source_words SET word_ids = x'0102' WHERE source_id = 1",
     "the stored word counts of 1 source are out of date ('Al')"),
    ("a word's total", "UPDATE word SET count = count + 1 WHERE text = 'mates'",
     "the stored totals of 1 word are out of date"),
    ("a word of a deleted source left behind", "INSERT INTO word(text, count, sources) VALUES ('gone', 1, 1)",
     "the stored totals of 1 word are out of date"),
])
def test_check_finds_word_counts_out_of_date(tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str,
                                             sql: str, said: str) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as project:
        for name, text in TEXTS.items():
            project.add_source(name, text)
        assert project.check() == []
        stored = word_counts.stored_counts(project._store.read, 1)
    assert stored is not None
    params: tuple[object, ...] = ()
    if "?" in sql:
        tampered = list(stored.values())
        tampered[0] += 1
        params = (_counts(*tampered),)
    problems = _damaged(path, sql, *params)
    assert said in problems, (what, problems)
    assert main(["check", str(path)]) == 1
    assert said in capsys.readouterr().out


FILTERS = {
    "everything": lambda s: Filter(),
    "one source": lambda s: Filter(sources=(s.s2,)),
    "two of three sources": lambda s: Filter(sources=(s.s1, s.s3)),
    "a code": lambda s: Filter(codes=(s.peers,)),
    "a coder": lambda s: Filter(coders=(s.project.ensure_coder("Ana").id,)),
    "cases with passages": lambda s: Filter(cases=tuple(c.id for c in s.project.cases() if c.name != "Sam")),
    "every case": lambda s: Filter(cases=tuple(c.id for c in s.project.cases())),
    "a case value": lambda s: Filter(attributes=((s.project.find_attribute("Setting").id, "Online forum"),)),
    "a source value": lambda s: Filter(attributes=((s.project.find_attribute("Interview date").id, "2024-03-02"),)),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_word_tallies_from_the_stored_counts_equal_a_count_of_the_texts(small: Small, name: str) -> None:
    flt = FILTERS[name](small)
    read = small.project._store.read
    from_counts = words.word_tally(read, flt)
    assert from_counts == words.word_tally(read, flt, stored=False)
    assert from_counts.counts  # every filter here selects some text


@pytest.mark.parametrize("damage", ["DELETE FROM source_words WHERE source_id = ?",
                                    "UPDATE source_words SET counts = x'01' WHERE source_id = ?"])
def test_a_source_without_sound_stored_counts_is_counted_from_its_text(small: Small, damage: str) -> None:
    conn = sqlite3.connect(small.path)
    conn.execute(damage, (small.s2,))
    conn.commit()
    conn.close()
    read = small.project._store.read
    for flt in (Filter(), Filter(sources=(small.s2,)), Filter(sources=(small.s1, small.s2))):
        assert words.word_tally(read, flt) == words.word_tally(read, flt, stored=False)
    assert words.word_tally(read, Filter()).counts["mates"] == 3


def test_a_word_character_is_exactly_a_letter_or_digit_as_str_isalnum_says() -> None:
    # what lets the count take a piece of text between spaces as one word when `isalnum()` holds
    assert [c for c in map(chr, range(0x110000)) if bool(WORD.fullmatch(c)) != c.isalnum()] == []
    assert [c for c in map(chr, range(0x110000)) if c.isspace() and c.isalnum()] == []


def test_counts_of_texts_with_more_words_than_one_look_up_asks_for(tmp_path: Path) -> None:
    # more than 10,000 distinct words: the words' ids are read in one pass over the word list, not 500 at a time
    many = " ".join(f"w{i}x" for i in range(12_000))
    more = " ".join(f"w{i}x" for i in range(6_000, 18_000)) + " W6000X"
    with Project.create(tmp_path / "p.qcode") as project:
        first = project.add_source("First", many).id
        second = project.add_source("Second", more).id
        project.add_source("Third", "w1x only")
        read = project._store.read
        assert word_counts.stored_counts(read, second) == recount(more)
        assert word_counts.stale_sources(read) == []
        assert word_counts.stale_totals(read) == 0
        for flt in (Filter(), Filter(sources=(first,)), Filter(sources=(first, second))):
            assert words.word_tally(read, flt) == words.word_tally(read, flt, stored=False)
        tally = words.word_tally(read, Filter(sources=(second,)))
        assert tally.counts["w6000x"] == 2
        assert len(tally.counts) == 12_000
        project.delete_source(first)
        # the words First alone held (w0x, w2x ... w5999x) left with it; w1x stays with Third
        assert read.execute("SELECT count(*) FROM word").fetchone()[0] == 12_000 + 2
