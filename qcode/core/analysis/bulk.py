"""numpy helpers for counting over many aggregate rows at once: id lists travel from SQLite as text, one per group.

SQLite hands over one text per group ("3,17,42") far faster than one row per item; numpy parses them in one call
and counts over all groups together.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def parse_lists(texts: list[str]) -> Ints:
    """The numbers of comma-separated texts, one after another ("" for none)."""
    joined = ",".join(t for t in texts if t)
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")  # C-speed parsing


def pairs_of(owner: Ints, pairs: Ints) -> tuple[Ints, Ints]:
    """For items each owned by `owner[i]`, and (owner, value) `pairs` (n x 2, each pair once): (item, value) for
    every value of each item's owner, items in order."""
    top = max(int(owner.max()) if len(owner) else 0, int(pairs[:, 0].max()) if len(pairs) else 0) + 1
    order = np.argsort(pairs[:, 0], kind="stable")
    values = pairs[order, 1]
    per_owner = np.bincount(pairs[:, 0], minlength=top)
    first = np.concatenate(([0], np.cumsum(per_owner)[:-1]))
    repeat = per_owner[owner]
    item = np.repeat(np.arange(len(owner)), repeat)
    within = np.arange(len(item)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return item, values[first[owner[item]] + within]


def distinct_cases(source_lists: list[str], whole_members: list[tuple[int, int]],
                   more: Sequence[tuple[int, int]] = ()) -> list[int]:
    """For each group's list of source ids (each source once per group): how many different cases hold one of
    these sources whole, given every (source id, case id) of members that are whole sources, or are among the
    group's `more` cases (group index, case id: those met otherwise, such as through ranged members)."""
    sources = parse_lists(source_lists)
    sizes = np.array([t.count(",") + 1 if t else 0 for t in source_lists], dtype=np.int64)
    group = np.repeat(np.arange(len(source_lists)), sizes)
    pairs = np.array(sorted(set(whole_members)), dtype=np.int64).reshape(-1, 2)
    item, held = pairs_of(sources, pairs)  # the cases holding each source whole
    extra = np.array(list(more), dtype=np.int64).reshape(-1, 2)
    cases = np.concatenate((held, extra[:, 1]))
    owners = np.concatenate((group[item], extra[:, 0]))
    span = int(cases.max()) + 1 if len(cases) else 1
    distinct = np.unique(owners * span + cases)
    counts: list[int] = np.bincount(distinct // span, minlength=len(source_lists)).astype(np.int64).tolist()
    return counts
