"""What an export's filter selects beyond the codings: the codes a table lists, the sources (and so the
characters) a coverage is measured against, and the memos a memo report holds.

The codings themselves are selected by the core's query `Filter`; this module answers the questions a table
around them asks, so that every format lists the same rows and divides by the same number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from qcode.core.analysis.frequencies import Grouping
from qcode.core.model import CaseMember, Filter, Memo
from qcode.core.project import Project


def codes_in_scope(project: Project, flt: Filter) -> set[int] | None:
    """The codes a --code filter chose, with their sub-codes; None when every code is listed."""
    if not flt.codes:
        return None
    return {code_id for chosen in flt.codes for code_id in project.descendants(chosen)}


def _same(a: object, b: object) -> bool:
    """Attribute values compared as a filter does: 30 matches 30.0 and '30'."""
    return a == b or str(a) == str(b)


def _folder_tree(project: Project, roots: tuple[int, ...]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for folder in project.folders():
        children[folder.parent_id].append(folder.id)
    found, todo = set(), list(roots)
    while todo:
        folder_id = todo.pop()
        if folder_id not in found:
            found.add(folder_id)
            todo.extend(children.get(folder_id, ()))
    return found


def _sources_of_cases(project: Project, case_ids: set[int]) -> set[int]:
    return {m.source_id for m in project.case_members() if m.case_id in case_ids}


def sources_in_scope(project: Project, flt: Filter) -> dict[int, int]:
    """The sources a filter lets codings come from, with their lengths in characters.

    Sources and folders (with their subfolders) narrow them; so do cases and attribute values, through the
    sources the chosen cases are part of. Codes and coders do not: they choose codings, not text.
    """
    sources = project.sources()
    keep = {s.id for s in sources}
    if flt.sources or flt.folders:
        folders = _folder_tree(project, flt.folders)
        keep &= {s.id for s in sources if s.id in flt.sources or s.folder_id in folders}
    if flt.cases:
        keep &= _sources_of_cases(project, set(flt.cases))
    wanted: dict[int, list[object]] = defaultdict(list)
    clean = getattr(project, "clean", None)  # a pseudonymised view shows values with its register applied
    for attribute_id, value in flt.attributes:
        wanted[attribute_id].append(value)
        if callable(clean):
            wanted[attribute_id].append(clean(value))
    for attribute in project.attributes():
        if attribute.id not in wanted:
            continue
        owners = {owner for owner, value in project.values_of_attribute(attribute.id).items()
                  if any(_same(value, w) for w in wanted[attribute.id])}
        keep &= owners if attribute.scope == "source" else _sources_of_cases(project, owners)
    return {s.id: s.length for s in sources if s.id in keep}


def characters_by_group(project: Project, flt: Filter, grouping: Grouping) -> dict[str, int]:
    """For a grouped table, the characters of the sources in scope that belong to each group (by its label)."""
    scope = sources_in_scope(project, flt)
    total = sum(scope.values())
    groups: dict[str, set[int]] = defaultdict(set)
    if grouping.kind == "source":
        for source_id in scope:
            groups[project.source_path(source_id)].add(source_id)
    elif grouping.kind == "case":
        names = {c.id: c.name for c in project.cases()}
        for member in project.case_members():
            groups[names[member.case_id]].add(member.source_id)
    elif grouping.kind == "coder":  # a coder may code any source: all of them in scope
        return {coder.name: total for coder in project.coders()}
    elif grouping.attribute_id is not None:
        attribute = project.attribute(grouping.attribute_id)
        members: dict[int, set[int]] = defaultdict(set)
        for member in project.case_members():
            members[member.case_id].add(member.source_id)
        for owner, value in project.values_of_attribute(attribute.id).items():
            groups[str(value)] |= {owner} if attribute.scope == "source" else members.get(owner, set())
    return {label: sum(scope.get(s, 0) for s in ids) for label, ids in groups.items()}


def coverage(characters: int, of: int) -> float:
    """Coded characters as a percentage of `of` characters, to two decimals (0 when there is no text)."""
    return round(100 * characters / of, 2) if of else 0.0


@dataclass(frozen=True)
class MemoScope:
    """Which memos a filter selects: each flag that is set must hold, as for codings.

    A memo belongs to a code when it is on the code or on one of its codings; to a source when it is on the
    source, on a passage of it or on a coding in it; to a case when it is on the case or on a coding that
    overlaps one of the case's parts; to a coder when that coder wrote it. The project journal belongs to
    none of them, so any filter leaves it out.
    """

    project: Project
    flt: Filter

    def select(self, memos: list[Memo]) -> list[Memo]:
        """The memos the filter selects, in the order given."""
        if self.flt.is_empty():
            return memos
        codes = codes_in_scope(self.project, self.flt)
        sources = set(sources_in_scope(self.project, self.flt)) if (self.flt.sources or self.flt.folders) else None
        cases_of = self.project.cases_of_codings() if self.flt.cases else {}
        case_sources = _sources_of_cases(self.project, set(self.flt.cases))
        chosen_cases = set(self.flt.cases)
        members = [m for m in self.project.case_members() if m.case_id in chosen_cases]
        kept = []
        for memo in memos:
            coding = self.project.coding(memo.target_id or 0) if memo.target_kind == "coding" else None
            source_id = coding.source_id if coding else memo.target_id if memo.target_kind == "source" \
                else memo.source_id
            if self.flt.coders and memo.coder_id not in self.flt.coders:
                continue
            if codes is not None:
                code_id = coding.code_id if coding else memo.target_id if memo.target_kind == "code" else None
                if code_id not in codes:
                    continue
            if sources is not None and source_id not in sources:
                continue
            if chosen_cases:
                if memo.target_kind == "case":
                    if memo.target_id not in chosen_cases:
                        continue
                elif coding is not None:
                    if not chosen_cases & set(cases_of.get(coding.id, ())):
                        continue
                elif memo.target_kind == "source":
                    if source_id not in case_sources:
                        continue
                elif memo.target_kind == "range":
                    if not any(_overlaps(m, memo.source_id, memo.start, memo.end) for m in members):
                        continue
                else:
                    continue
            if memo.target_kind == "project":
                continue
            kept.append(memo)
        return kept


def _overlaps(member: CaseMember, source_id: int | None, start: int | None, end: int | None) -> bool:
    if member.source_id != source_id:
        return False
    if member.start is None or member.end is None or start is None or end is None:
        return True
    return member.start < max(end, start + 1) and member.end > start


def coders_in(project: Project, flt: Filter) -> list[str]:
    """The names of the coders whose codings the filter lets through, by name (a title page's "Coders")."""
    rows = project.frequencies(flt, group_by=Grouping("coder"))
    return sorted({str(r.group) for r in rows if r.group is not None and r.own.excerpts}, key=str.casefold)
