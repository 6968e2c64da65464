"""Which sources a team query looks at: the shared filters (sources, folders, cases, attribute values)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qcode.core.errors import InvalidRequestError
from qcode.core.model import Filter

if TYPE_CHECKING:
    from qcode.core.project import Project


def sources_in_scope(project: Project, flt: Filter) -> list[int]:
    """The ids of the sources that pass `flt`, in the project's order; every source without a filter.

    Values of one field are alternatives and different fields must all hold, as in every query. A source passes
    `cases` when part or all of it belongs to one of the cases, and an attribute value when the source has it
    (source attributes) or belongs, in part or whole, to a case that has it (case attributes). Codes and coders
    are not a matter of sources: the caller handles them.
    """
    if flt.coders or flt.created_from or flt.created_to:
        raise InvalidRequestError("Coders and dates do not choose sources; name the coders to compare instead.")
    ids = [s.id for s in project.sources()]
    keep = set(ids)
    if flt.sources:
        keep &= set(flt.sources)
    if flt.folders:
        folders = _folder_subtree(project, flt.folders)
        keep &= {s.id for s in project.sources() if s.folder_id in folders}
    if flt.cases:
        keep &= {m.source_id for case_id in flt.cases for m in project.case_members(case_id)}
    by_attribute: dict[int, set[object]] = {}
    for attribute_id, value in flt.attributes:
        by_attribute.setdefault(attribute_id, set()).add(value)
    for attribute_id, wanted in by_attribute.items():
        attribute = project.attribute(attribute_id)
        owners = {owner for owner, value in project.values_of_attribute(attribute_id).items() if value in wanted}
        if attribute.scope == "source":
            keep &= owners
        else:
            keep &= {m.source_id for case_id in owners for m in project.case_members(case_id)}
    return [i for i in ids if i in keep]


def _folder_subtree(project: Project, folder_ids: tuple[int, ...]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for folder in project.folders():
        children.setdefault(folder.parent_id, []).append(folder.id)
    found: set[int] = set()
    todo = list(folder_ids)
    while todo:
        folder_id = todo.pop()
        if folder_id not in found:
            found.add(folder_id)
            todo += children.get(folder_id, [])
    return found
