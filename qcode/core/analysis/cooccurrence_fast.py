"""Co-occurrence by overlap or nearness, counted with numpy over every coding at once.

What `cooccurrence` counts pair by pair in Python, done in bulk: the codings (one item per code a coding counts
for) sorted by source and start, each item's partners are the items after it that start before its end (plus the
allowed distance), found with one binary search for all items; each code's coded characters are its ranges merged
per source, and the characters two codes share are the overlaps of their merged pieces (pieces of one code never
overlap, so the overlaps of pieces add up to the intersection). A pair that shares characters in a source has
codings that overlap there, so for overlap and nearness the shared characters over all sources are those of the
sources where the pair is counted. Tests hold it to the pair-by-pair count.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def _forward_pairs(keys: Ints, limits: Ints) -> tuple[Ints, Ints]:
    """Index pairs (i, j), i < j, with keys[j] < limits[i]; `keys` ascending and limits[i] >= keys[i]."""
    ends = np.searchsorted(keys, limits, side="left")
    counts = np.maximum(ends - np.arange(len(keys)) - 1, 0)
    total = int(counts.sum())
    first = np.repeat(np.arange(len(keys)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + (np.arange(total) - starts)
    return first, second


def coded_arrays(per_code: list[tuple[int, str]]) -> tuple[Ints, Ints, Ints, Ints]:
    """(source, start, end, code) arrays from each code's ranges as text ("source,start,end,source,...")."""
    if not per_code:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    numbers = np.fromstring(",".join(text for _, text in per_code), dtype=np.int64, sep=",")  # C-speed parsing
    lengths = np.array([text.count(",") // 3 + 1 for _, text in per_code], dtype=np.int64)
    code = np.repeat(np.array([c for c, _ in per_code], dtype=np.int64), lengths)
    table = numbers.reshape(-1, 3)
    return table[:, 0], table[:, 1], table[:, 2], code


def pair_counts(source: Ints, start: Ints, end: Ints, code: Ints, counted: dict[int, tuple[int, ...]],
                rank: dict[int, int], related: set[tuple[int, int]], distance: int, strict: bool,
                ) -> tuple[list[tuple[int, int, int, int]], list[int]]:
    """From every coding's (source, start, end, code): [(rank a, rank b, count, shared characters)] for each pair
    of ranks a < b counted at least once, and each rank's coded characters.

    `counted` gives the codes a coding's code counts for; `related` holds the rank pairs never paired (a code
    and one above it). Two items pair when they overlap (`strict`) or lie within `distance` characters."""
    size = len(rank)
    if not len(code) or not size:
        return [], [0] * size
    # each coding once per code it counts for
    top = max(int(max(counted, default=0)), int(code.max())) + 1
    widths = np.zeros(top, dtype=np.int64)
    offsets = np.zeros(top, dtype=np.int64)
    flat: list[int] = []
    for code_id, ups in counted.items():
        offsets[code_id] = len(flat)
        widths[code_id] = len(ups)
        flat.extend(rank[u] for u in ups)
    repeat = widths[code]
    order = np.repeat(np.arange(len(code)), repeat)
    if not len(order):
        return [], [0] * size
    within = np.arange(len(order)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    ranks = np.array(flat, dtype=np.int64)[offsets[code[order]] + within]
    source, start, end = source[order], start[order], end[order]
    in_text = np.lexsort((end, start, source))
    source, start, end, ranks = source[in_text], start[in_text], end[in_text], ranks[in_text]

    slack = 0 if strict else distance + 1
    band = int(end.max()) + slack + 1  # one band of offsets per source, so no pair crosses sources
    base = source * band
    first, second = _forward_pairs(base + start, base + end + slack)
    a, b = ranks[first], ranks[second]
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    if related:
        blocked = np.zeros(size * size, dtype=bool)
        blocked[[x * size + y for x, y in related]] = True
        keep &= ~blocked[low * size + high]
    counts = np.bincount(low[keep] * size + high[keep], minlength=size * size)

    # each code's ranges merged per source: a piece starts where a range begins past all earlier ones' reach
    by_code = np.lexsort((start, ranks, source))
    source, start, end, ranks = source[by_code], start[by_code], end[by_code], ranks[by_code]
    group = np.concatenate(([True], (source[1:] != source[:-1]) | (ranks[1:] != ranks[:-1])))
    lift = (np.cumsum(group) - 1) * band
    reach = np.maximum.accumulate(end + lift) - lift  # the furthest end so far within the (source, code)
    opens = group.copy()
    opens[1:] |= start[1:] > reach[:-1]
    last = np.concatenate((opens[1:], [True]))
    piece_source, piece_rank, piece_start, piece_end = source[opens], ranks[opens], start[opens], reach[last]
    coded = np.bincount(piece_rank, weights=piece_end - piece_start, minlength=size)

    # overlaps of pieces of two different codes, in text order
    in_text = np.lexsort((piece_start, piece_source))
    piece_source, piece_rank = piece_source[in_text], piece_rank[in_text]
    piece_start, piece_end = piece_start[in_text], piece_end[in_text]
    piece_base = piece_source * band
    p, q = _forward_pairs(piece_base + piece_start, piece_base + piece_end)
    overlap = np.minimum(piece_end[p], piece_end[q]) - piece_start[q]
    pa, pb = piece_rank[p], piece_rank[q]
    shared = np.bincount(np.minimum(pa, pb) * size + np.maximum(pa, pb), weights=overlap, minlength=size * size)

    found = np.nonzero(counts)[0]
    pairs = list(zip((found // size).tolist(), (found % size).tolist(), counts[found].tolist(),
                     shared[found].astype(np.int64).tolist(), strict=True))
    return pairs, coded.astype(np.int64).tolist()
