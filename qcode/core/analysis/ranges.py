"""Half-open ranges `[start, end)` of one source: merging, length, intersection, difference, distance.

Every analysis that counts characters or combines passages goes through these few functions, so that
"the union of coded ranges" means the same thing in the matrix, co-occurrence, coding queries and word counts.
A merged list is sorted, and its ranges neither overlap nor touch.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

Ranges = list[tuple[int, int]]


def merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    """The union of ranges as a sorted list of disjoint ranges (touching ranges are joined)."""
    merged: Ranges = []
    for start, end in sorted(ranges):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def length(merged: Ranges) -> int:
    """Characters covered by a merged list."""
    return sum(end - start for start, end in merged)


def union_length(ranges: Iterable[tuple[int, int]]) -> int:
    """Characters covered by any ranges, overlaps counted once."""
    return length(merge(ranges))


def intersect(a: Ranges, b: Ranges) -> Ranges:
    """The characters in both of two merged lists, as a merged list."""
    result: Ranges = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def intersection_length(a: Ranges, b: Ranges) -> int:
    """Characters in both of two merged lists (what `length(intersect(a, b))` gives, without the list)."""
    total = 0
    i = j = 0
    len_a, len_b = len(a), len(b)
    while i < len_a and j < len_b:
        a_start, a_end = a[i]
        b_start, b_end = b[j]
        if a_start < b_end and b_start < a_end:
            total += (a_end if a_end < b_end else b_end) - (a_start if a_start > b_start else b_start)
        if a_end < b_end:
            i += 1
        else:
            j += 1
    return total


def subtract(a: Ranges, b: Ranges) -> Ranges:
    """The characters of merged list `a` that are not in merged list `b`."""
    result: Ranges = []
    j = 0
    for start, end in a:
        position = start
        while j < len(b) and b[j][1] <= position:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > position:
                result.append((position, b[k][0]))
            position = max(position, b[k][1])
            if position >= end:
                break
            k += 1
        if position < end:
            result.append((position, end))
    return result


def gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters between two ranges: negative when they overlap, 0 when they touch."""
    return max(a[0], b[0]) - min(a[1], b[1])


class UnitIndex:
    """The units (paragraphs or speaker turns) of one source, to ask which units a range touches."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted((s, e) for s, e in spans if e > s)
        self._starts = [s for s, _ in ordered]
        self._spans = ordered
        # the furthest end among the units up to each position, so overlapping units are found too
        self._reach: list[int] = []
        reach = -1
        for _, end in ordered:
            reach = max(reach, end)
            self._reach.append(reach)

    def touching(self, start: int, end: int) -> set[int]:
        """Indexes of the units sharing at least one character with `[start, end)`."""
        last = bisect_left(self._starts, end)  # units starting before `end`
        first = bisect_right(self._reach, start)  # units (and all before them) ending at or before `start` skipped
        return {i for i in range(first, last) if self._spans[i][1] > start}
