"""Per-source word counts, kept with each source's text, so that word frequencies over whole sources are sums.

`word` holds every case-folded word of the project's texts once, with its occurrences and the number of
sources holding it over all sources; `source_words` holds each source's counts as two arrays of unsigned 32-bit
integers (word ids and their counts, little-endian), which numpy sums for any set of sources without a row per
(source, word). Both are written in the transaction that inserts or deletes a source (`store_texts`, `forget`:
the store's source writers call them), and a word no source holds any more leaves the file with its last source.
`qcode check` recounts them from the texts (`stale_sources`, `stale_totals`).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable

import numpy as np
import numpy.typing as npt

from qcode.core.tokens import word_counts

_UINT = np.dtype("<u4")
_CHUNK = 500
#: a row of two arrays of the same length (any other is damage, which `stale_sources` reports: readers count such a
#: source from its text)
_SOUND = "typeof(word_ids) = 'blob' AND length(word_ids) = length(counts) AND length(word_ids) % 4 = 0"


def _marks(items: Collection[object]) -> str:
    return ",".join("?" * len(items))


def store_texts(conn: sqlite3.Connection, texts: Iterable[tuple[int, str]]) -> None:
    """Count and store the words of new sources' texts: (source id, text) pairs (the caller holds the write
    transaction that inserts the sources)."""
    store_counts(conn, [(source_id, word_counts(text)) for source_id, text in texts])


def store_counts(conn: sqlite3.Connection, per_source: list[tuple[int, Counter[str]]]) -> None:
    """Store the word counts of new sources (each a `tokens.word_counts` of its text) and add them to the
    project's totals."""
    if not per_source:
        return
    every: set[str] = set().union(*(counts.keys() for _, counts in per_source))
    ids = _ids_of(conn, list(every))
    known = len(ids)
    first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM word").fetchone()[0])
    new_words = [w for w in every if w not in ids]
    ids.update(zip(new_words, range(first, first + len(new_words)), strict=True))
    rows = []
    all_ids: list[npt.NDArray[np.uint32]] = []
    all_counts: list[npt.NDArray[np.uint32]] = []
    for source_id, counts in per_source:
        word_ids = np.array(list(map(ids.__getitem__, counts)), dtype=_UINT)
        occurrences = np.array(list(counts.values()), dtype=_UINT)
        all_ids.append(word_ids)
        all_counts.append(occurrences)
        rows.append((source_id, word_ids.tobytes(), occurrences.tobytes()))
    conn.executemany("INSERT INTO source_words(source_id, word_ids, counts) VALUES (?, ?, ?)", rows)
    word_ids = np.concatenate(all_ids).astype(np.int64)
    total = np.bincount(word_ids, weights=np.concatenate(all_counts)).astype(np.int64)
    held = np.bincount(word_ids)
    if known:
        old = np.array(sorted(ids[w] for w in every if ids[w] < first), dtype=np.int64)
        conn.executemany("UPDATE word SET count = count + ?, sources = sources + ? WHERE id = ?",
                         zip(total[old].tolist(), held[old].tolist(), old.tolist(), strict=True))
    conn.executemany("INSERT INTO word(id, text, count, sources) VALUES (?, ?, ?, ?)",
                     ((ids[w], w, int(total[ids[w]]), int(held[ids[w]])) for w in new_words))


def _ids_of(conn: sqlite3.Connection, words: list[str]) -> dict[str, int]:
    """word -> its id, for words that are in the `word` table."""
    found: dict[str, int] = {}
    if len(words) > 20 * _CHUNK:  # many words (a large import): one read of the whole list
        ids, texts, _, _ = _word_table(conn)
        wanted = set(words)
        found.update((text, word_id) for text, word_id in zip(texts, ids.tolist(), strict=True) if text in wanted)
        return found
    for first in range(0, len(words), _CHUNK):
        chunk = words[first:first + _CHUNK]
        found.update((text, word_id) for word_id, text in
                     conn.execute(f"SELECT id, text FROM word WHERE text IN ({_marks(chunk)})", chunk))
    return found


def forget(conn: sqlite3.Connection, source_ids: Collection[int]) -> None:
    """Take sources about to be deleted out of the totals, drop their counts, and drop the words no source
    holds any more (the caller deletes the sources in the same transaction)."""
    ids = sorted(set(source_ids))
    if not ids:
        return
    word_ids, counts = _arrays(conn, ids)
    if len(word_ids):
        occurrences = np.bincount(word_ids, weights=counts).astype(np.int64)
        holding = np.bincount(word_ids)
        touched = np.flatnonzero(holding)
        conn.executemany("UPDATE word SET count = count - ?, sources = sources - ? WHERE id = ?",
                         zip(occurrences[touched].tolist(), holding[touched].tolist(), touched.tolist(), strict=True))
        gone = touched.tolist()
        for first in range(0, len(gone), _CHUNK):
            chunk = gone[first:first + _CHUNK]
            conn.execute(f"DELETE FROM word WHERE sources <= 0 AND id IN ({_marks(chunk)})", chunk)
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first:first + _CHUNK]
        conn.execute(f"DELETE FROM source_words WHERE source_id IN ({_marks(chunk)})", chunk)


def _blobs(conn: sqlite3.Connection, source_ids: list[int] | None) -> Iterable[tuple[int, bytes, bytes]]:
    """(source id, word ids, counts) of these sources (None: all) that have stored counts."""
    if source_ids is None:
        yield from conn.execute(f"SELECT source_id, word_ids, counts FROM source_words WHERE {_SOUND}")
        return
    for first in range(0, len(source_ids), _CHUNK):
        chunk = source_ids[first:first + _CHUNK]
        yield from conn.execute(f"SELECT source_id, word_ids, counts FROM source_words WHERE {_SOUND} "
                                f"AND source_id IN ({_marks(chunk)})", chunk)


def _arrays(conn: sqlite3.Connection,
            source_ids: list[int] | None) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The word ids and counts of these sources' stored counts (None: all), one source after the other."""
    ids: list[npt.NDArray[np.uint32]] = []
    counts: list[npt.NDArray[np.uint32]] = []
    for _, word_ids, occurrences in _blobs(conn, source_ids):
        ids.append(np.frombuffer(word_ids, dtype=_UINT))
        counts.append(np.frombuffer(occurrences, dtype=_UINT))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(ids).astype(np.int64), np.concatenate(counts).astype(np.int64)


def sums(conn: sqlite3.Connection, source_ids: Collection[int]) -> tuple[dict[str, int], dict[str, int], set[int]]:
    """The stored word counts of these whole sources added up: (word -> occurrences, word -> number of sources
    holding it, the ids among them that have no stored counts, to be counted from their text).

    Over every source the answer is the totals; over most sources, the totals less the other sources; over
    fewer, the sum of theirs. A source without stored counts (only in a damaged file) is left to the caller."""
    wanted = set(source_ids)
    stored = {int(r[0]) for r in conn.execute(f"SELECT source_id FROM source_words WHERE {_SOUND}")}
    missing = wanted - stored
    have = wanted & stored
    if not have:
        return {}, {}, missing
    rest = stored - have
    # the totals are the sum of every source's counts only while every source has its counts (always, but for
    # a damaged file, which `qcode check` reports)
    complete = len(stored) == conn.execute("SELECT count(*) FROM source").fetchone()[0]
    if complete and not rest:
        _, texts, total, held = _word_table(conn)
        return dict(zip(texts, total.tolist(), strict=True)), dict(zip(texts, held.tolist(), strict=True)), missing
    if complete and len(rest) < len(have):
        return (*_totals_less(conn, rest), missing)
    word_ids, occurrences = _arrays(conn, sorted(have))
    total = np.bincount(word_ids, weights=occurrences).astype(np.int64)
    held = np.bincount(word_ids)
    present = np.flatnonzero(held > 0)
    by_id = _texts_of(conn, present.tolist())
    words = [by_id[i] for i in present.tolist()]
    return (dict(zip(words, total[present].tolist(), strict=True)),
            dict(zip(words, held[present].tolist(), strict=True)), missing)


def _word_table(conn: sqlite3.Connection) -> tuple[npt.NDArray[np.int64], list[str], npt.NDArray[np.int64],
                                                  npt.NDArray[np.int64]]:
    """Every row of `word` as columns (ids, words, occurrences, sources), read as one text per column (the
    columns of one scan, so in the same order), which travels from SQLite far faster than a row per word. A word
    holds letters and digits only, so a space separates them."""
    ids, texts, counts, held = conn.execute(
        "SELECT group_concat(id), group_concat(text, ' '), group_concat(count), group_concat(sources) "
        "FROM word").fetchone()
    if ids is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, [], empty, empty
    return (np.array(ids.split(","), dtype=np.int64), texts.split(" "), np.array(counts.split(","), dtype=np.int64),
            np.array(held.split(","), dtype=np.int64))


def _totals_less(conn: sqlite3.Connection, rest: set[int]) -> tuple[dict[str, int], dict[str, int]]:
    """The project's word totals less the counts of these sources."""
    ids, texts, total, held = _word_table(conn)
    if not texts:
        return {}, {}
    word_ids, occurrences = _arrays(conn, sorted(rest))
    place = np.full(int(max(ids.max(), word_ids.max(initial=0))) + 1, -1, dtype=np.int64)
    place[ids] = np.arange(len(ids))
    rows = place[word_ids]
    known = rows >= 0  # a word id without a row (only in a damaged file) has nothing to take from
    total -= np.bincount(rows[known], weights=occurrences[known], minlength=len(ids)).astype(np.int64)
    held -= np.bincount(rows[known], minlength=len(ids))
    present = np.flatnonzero(held > 0).tolist()
    words = [texts[i] for i in present]
    return (dict(zip(words, total[present].tolist(), strict=True)),
            dict(zip(words, held[present].tolist(), strict=True)))


def _texts_of(conn: sqlite3.Connection, word_ids: list[int]) -> dict[int, str]:
    """word id -> the word."""
    if len(word_ids) > 20 * _CHUNK:
        ids, texts, _, _ = _word_table(conn)
        return dict(zip(ids.tolist(), texts, strict=True))
    found: dict[int, str] = {}
    for first in range(0, len(word_ids), _CHUNK):
        chunk = word_ids[first:first + _CHUNK]
        found.update(conn.execute(f"SELECT id, text FROM word WHERE id IN ({_marks(chunk)})", chunk))
    return found


def stored_counts(conn: sqlite3.Connection, source_id: int) -> Counter[str] | None:
    """One source's stored word counts (None when it has none, or they are damaged)."""
    row = conn.execute(f"SELECT word_ids, counts FROM source_words WHERE source_id = ? AND {_SOUND}",
                       (source_id,)).fetchone()
    if row is None:
        return None
    word_ids = np.frombuffer(row[0], dtype=_UINT).tolist()
    texts = _texts_of(conn, word_ids)
    return Counter({texts.get(w, f"#{w}"): int(n)
                    for w, n in zip(word_ids, np.frombuffer(row[1], dtype=_UINT).tolist(), strict=True)})


def stale_sources(conn: sqlite3.Connection) -> list[str]:
    """The names of the sources whose stored word counts differ from a recount of their text (or are missing),
    in id order."""
    texts = dict(conn.execute("SELECT id, text FROM word"))
    stale: list[str] = []
    stored = {int(r[0]): (r[1], r[2]) for r in conn.execute("SELECT source_id, word_ids, counts FROM source_words")}
    for source_id, name, text in conn.execute("SELECT id, name, text FROM source ORDER BY id"):
        blobs = stored.pop(source_id, None)
        if blobs is None:
            stale.append(name)
            continue
        sound = all(isinstance(b, bytes) and len(b) % _UINT.itemsize == 0 for b in blobs)
        if not sound or len(blobs[0]) != len(blobs[1]):
            stale.append(name)  # not two arrays of the same length
            continue
        word_ids = np.frombuffer(blobs[0], dtype=_UINT).tolist()
        counts = np.frombuffer(blobs[1], dtype=_UINT).tolist()
        found = {texts.get(w, f"#{w}"): n for w, n in zip(word_ids, counts, strict=True)}
        if len(found) != len(word_ids) or found != word_counts(text or ""):
            stale.append(name)
    return stale + [f"#{source_id} (no longer in the project)" for source_id in sorted(stored)]


def stale_totals(conn: sqlite3.Connection) -> int:
    """How many words' stored totals (occurrences and sources over the whole project) differ from the sum of
    the per-source counts, counting words that no source holds any more."""
    word_ids, counts = _arrays(conn, None)
    size = int(word_ids.max()) + 1 if len(word_ids) else 0
    occurrences = np.bincount(word_ids, weights=counts, minlength=size).astype(np.int64)
    holding = np.bincount(word_ids, minlength=size)
    stored = {int(w): (int(c), int(s)) for w, c, s in conn.execute("SELECT id, count, sources FROM word")}
    fresh = {w: (int(occurrences[w]), int(holding[w])) for w in np.flatnonzero(holding).tolist()}
    return len({word_id for word_id, _ in set(stored.items()) ^ set(fresh.items())})


def rebuild(conn: sqlite3.Connection) -> None:
    """Recount every source's words from its text (to fill a file made before the counts were kept, or to
    repair)."""
    conn.execute("DELETE FROM source_words")
    conn.execute("DELETE FROM word")
    batch: list[tuple[int, str]] = []
    size = 0
    for source_id, text in conn.execute("SELECT id, text FROM source ORDER BY id"):
        batch.append((source_id, text or ""))
        size += len(text or "")
        if size > 20_000_000:
            store_texts(conn, batch)
            batch, size = [], 0
    store_texts(conn, batch)
