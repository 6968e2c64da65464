"""A plain-Python recount of frequencies from raw rows, to hold the core's numbers to."""

from __future__ import annotations

from qcode.core.model import Coding, Counts
from qcode.core.project import Project


def union(ranges: list[tuple[int, int]]) -> int:
    covered: set[int] = set()
    for start, end in ranges:
        covered.update(range(start, end))
    return len(covered)


def counts_for(project: Project, codings: list[Coding]) -> Counts:
    members = project.case_members()
    by_source: dict[int, list[tuple[int, int]]] = {}
    cases: set[int] = set()
    for coding in codings:
        by_source.setdefault(coding.source_id, []).append((coding.start, coding.end))
        for m in members:
            if m.source_id == coding.source_id and (
                m.start is None or (m.start < coding.end and m.end > coding.start)  # type: ignore[operator]
            ):
                cases.add(m.case_id)
    return Counts(len(codings), len(by_source), len(cases), sum(union(r) for r in by_source.values()))


def recount(project: Project) -> dict[int, tuple[Counts, Counts]]:
    """code id -> (own counts, counts with descendants)."""
    result = {}
    for code in project.codes():
        own = project.codings_for_code(code.id)
        total = project.codings_for_code(code.id, include_descendants=True)
        result[code.id] = (counts_for(project, own), counts_for(project, total))
    return result
