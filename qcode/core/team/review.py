"""Reviewing disagreements: where coders coded a passage differently, and what resolving one changes.

A *disagreement* is a stretch of a source where some, but not all, of the compared coders coded it with a code.
Resolving it is one of:

- accept a coder's version: every other coder's coding of the stretch becomes that coder's (their codings are
  trimmed out of the stretch, or the stretch is added for them when that coder coded it);
- remove: nobody's coding of the code covers the stretch any more (codings reaching beyond it are trimmed);
- keep both: nothing changes (the difference stays, as a deliberate one).

A trimmed coding is removed and the parts of it outside the stretch are added back as codings of the same coder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qcode.core.errors import InvalidRequestError
from qcode.core.model import Coding, Filter, NewCoding

if TYPE_CHECKING:
    from qcode.core.project import Project


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A stretch of a source that some, but not all, of the compared coders coded with a code (`coders` are the ones who
    did)."""

    source_id: int
    code_id: int
    start: int
    end: int
    coders: tuple[int, ...]  # the coders who coded the stretch (some, not all, of those compared)


@dataclass(frozen=True)
class Resolution:
    """The codings to remove and the ones to add (in one step) to resolve a disagreement."""

    remove: tuple[Coding, ...]
    add: tuple[NewCoding, ...]

    @property
    def changes_nothing(self) -> bool:
        """Whether resolving removes and adds nothing (keep both, or the coders already agree)."""
        return not self.remove and not self.add


def _stretches(codings: Iterable[Coding], order: dict[int, int]) -> list[tuple[int, int, int]]:
    """(start, end, mask) of the stretches where the set of coders (bit per coder) stays the same and is not empty."""
    events: list[tuple[int, int, int]] = []
    for coding in codings:
        bit = order[coding.coder_id]
        events.append((coding.start, 1, bit))
        events.append((coding.end, -1, bit))
    events.sort()
    depth = [0] * len(order)
    out: list[tuple[int, int, int]] = []
    previous = None
    for position, change, bit in events:
        if previous is not None and position > previous:
            mask = sum(1 << i for i, d in enumerate(depth) if d > 0)
            if mask:
                if out and out[-1][1] == previous and out[-1][2] == mask:
                    out[-1] = (out[-1][0], position, mask)
                else:
                    out.append((previous, position, mask))
        depth[bit] += change
        previous = position
    return out


def coverage(project: Project, coder_ids: Iterable[int], *, source_ids: Iterable[int] | None = None,
             code_ids: Iterable[int] | None = None) -> list[Disagreement]:
    """Every stretch that some of the coders coded, with who did: agreements (all of them) and disagreements,
    by source (in the project's order), position and code."""
    coders = tuple(dict.fromkeys(coder_ids))
    if len(coders) < 2:
        raise InvalidRequestError("Comparing needs at least two coders.")
    project.refuse_if_blind("reviewing disagreements")
    order = {coder_id: i for i, coder_id in enumerate(coders)}
    flt = Filter(coders=coders, sources=tuple(source_ids or ()))
    codes = set(code_ids) if code_ids is not None else None
    grouped: dict[tuple[int, int], list[Coding]] = {}
    for coding in project.codings(flt):
        if codes is None or coding.code_id in codes:
            grouped.setdefault((coding.source_id, coding.code_id), []).append(coding)
    rank = {source.id: i for i, source in enumerate(project.sources())}
    found = [Disagreement(source_id, code_id, start, end, tuple(c for c in coders if mask & (1 << order[c])))
             for (source_id, code_id), codings in grouped.items()
             for start, end, mask in _stretches(codings, order)]
    found.sort(key=lambda d: (rank.get(d.source_id, 0), d.start, d.end, d.code_id))
    return found


def disagreements(project: Project, coder_ids: Iterable[int], *, source_ids: Iterable[int] | None = None,
                  code_ids: Iterable[int] | None = None) -> list[Disagreement]:
    """Every disagreement between the coders, by source (in the project's order), position and code."""
    coders = tuple(dict.fromkeys(coder_ids))
    return [d for d in coverage(project, coders, source_ids=source_ids, code_ids=code_ids)
            if len(d.coders) < len(coders)]


def resolution(project: Project, disagreement: Disagreement, action: str, *, coder_ids: Iterable[int],
               accept: int | None = None) -> Resolution:
    """What resolving a disagreement by `action` ("accept", "remove" or "keep") changes."""
    d = disagreement
    coders = tuple(coder_ids)
    project.refuse_if_blind("resolving disagreements")
    if action == "keep":
        return Resolution((), ())
    if action not in ("accept", "remove"):
        raise InvalidRequestError(f"A disagreement is resolved by accepting a version, removing or keeping both, "
                                  f"not by '{action}'.")
    if action == "accept" and accept not in coders:
        raise InvalidRequestError("Choose which of the compared coders' version to accept.")
    if action == "accept":
        others = [c for c in coders if c != accept]
        trim = [c for c in others if c in d.coders] if accept not in d.coders else []
        extend = [c for c in others if c not in d.coders] if accept in d.coders else []
    else:
        trim, extend = list(d.coders), []
    remove: list[Coding] = []
    add: list[NewCoding] = []
    for coding in project.codings_for_source(d.source_id):
        if coding.code_id != d.code_id or coding.coder_id not in trim:
            continue
        if coding.end <= d.start or coding.start >= d.end:
            continue
        remove.append(coding)
        if coding.start < d.start:
            add.append(NewCoding(d.source_id, d.code_id, coding.start, d.start, coding.coder_id))
        if coding.end > d.end:
            add.append(NewCoding(d.source_id, d.code_id, d.end, coding.end, coding.coder_id))
    for coder_id in extend:
        add.append(NewCoding(d.source_id, d.code_id, d.start, d.end, coder_id))
    return Resolution(tuple(remove), tuple(add))
