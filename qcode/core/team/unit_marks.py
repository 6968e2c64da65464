"""Which coders coded which units, for every code at once: the bulk step of agreement at unit level.

A coding marks every unit it touches (any part of it). All units of all sources in scope lie on one line of
characters (each source after the one before), so two sorted searches find the units of every coding at once;
numpy does the searching, the marking and the counting in bulk, which keeps a project of 200,000 codings and
100,000 paragraphs well under a second. Each unit's coders are a bit mask (bit i: coder i, at most 8 coders).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

MAX_CODERS = 8


def count_units(
    rows: Sequence[tuple[int, int, int, int, int]],
    *,
    line_starts: Sequence[int],
    line_ends: Sequence[int],
    offset: dict[int, int],
    coders: dict[int, int],
    codes: set[int],
    parents: dict[int, int | None] | None = None,
) -> tuple[dict[int, Counter[int]], dict[int, Counter[int]] | None]:
    """Per code, how many units each set of coders coded (only sets with someone in them), from rows
    (code, source, coder id, start, end); with `parents`, also per code with its sub-codes (a unit is coded by
    a coder who coded it with the code or any of its sub-codes).

    `line_starts` and `line_ends` are the units on the line of characters (sorted, not overlapping), `offset`
    each source's first character on it; rows of other sources, codes or coders are left out.
    """
    if len(coders) > MAX_CODERS:
        raise ValueError("count_units compares at most 8 coders")
    total = len(line_starts)
    code_list = sorted(codes)
    if not rows or not code_list or total == 0:
        return {}, ({} if parents is not None else None)
    data = np.asarray(rows, dtype=np.int64)
    code, source, coder, start, end = (data[:, k] for k in range(5))
    position = {code_id: k for k, code_id in enumerate(code_list)}
    code_pos = _lookup(code, position)
    line = _lookup(source, offset)
    bit = _lookup(coder, {coder_id: 1 << k for coder_id, k in coders.items()})
    keep = (code_pos >= 0) & (line >= 0) & (bit > 0)
    code_pos, line, bit, start, end = code_pos[keep], line[keep], bit[keep], start[keep], end[keep]
    starts = np.asarray(line_starts, dtype=np.int64)
    ends = np.asarray(line_ends, dtype=np.int64)
    low, high = line + start, line + end
    first = np.searchsorted(starts, low, side="right") - 1
    first = first + ((first < 0) | (ends[np.maximum(first, 0)] <= low))  # the unit before ends before it
    last = np.searchsorted(starts, high, side="left")
    count = np.maximum(last - first, 0)
    pairs = int(count.sum())
    unit = np.repeat(first, count) + (np.arange(pairs) - np.repeat(np.cumsum(count) - count, count))
    keys, masks = _or_by_key(np.repeat(code_pos, count) * total + unit, np.repeat(bit, count))
    own = _counts(keys // total, masks, code_list)
    if parents is None:
        return own, None
    parent_pos = np.array([_position_of(parents.get(code_id), position) for code_id in code_list] + [-1],
                          dtype=np.int64)
    level_codes, level_units, level_masks = keys // total, keys % total, masks
    all_keys, all_masks = [keys], [masks]
    while True:  # each level up the tree, the units of the level below count for the parent too
        up = parent_pos[level_codes]
        chosen = up >= 0
        if not chosen.any():
            break
        level_codes, level_units, level_masks = up[chosen], level_units[chosen], level_masks[chosen]
        all_keys.append(level_codes * total + level_units)
        all_masks.append(level_masks)
    tree_keys, tree_masks = _or_by_key(np.concatenate(all_keys), np.concatenate(all_masks))
    return own, _counts(tree_keys // total, tree_masks, code_list)


def _lookup(values: np.ndarray, table: dict[int, int]) -> np.ndarray:
    """Each value's entry in `table`, -1 where it has none."""
    if not table:
        return np.full(len(values), -1, dtype=np.int64)
    top = max(int(values.max()), max(table)) + 1
    found = np.full(top, -1, dtype=np.int64)
    found[np.fromiter(table.keys(), dtype=np.int64, count=len(table))] = np.fromiter(
        table.values(), dtype=np.int64, count=len(table))
    return np.asarray(found[values], dtype=np.int64)


def _or_by_key(keys: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, each with the OR of its masks."""
    if len(keys) == 0:
        return keys, masks
    order = np.argsort(keys, kind="stable")
    keys, masks = keys[order], masks[order]
    firsts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[firsts], np.asarray(np.bitwise_or.reduceat(masks, firsts), dtype=np.int64)


def _position_of(code_id: int | None, position: dict[int, int]) -> int:
    return -1 if code_id is None else position.get(code_id, -1)


def _counts(code_index: np.ndarray, masks: np.ndarray, code_list: list[int]) -> dict[int, Counter[int]]:
    values, numbers = np.unique(code_index * 256 + masks, return_counts=True)
    out: dict[int, Counter[int]] = {}
    for value, number in zip(values.tolist(), numbers.tolist(), strict=True):
        out.setdefault(code_list[value >> 8], Counter())[value & 255] = number
    return out
