"""Undo commands for cases, their members and their attributes (push them with `qcode.gui.commands.push`).

Deleting keeps a snapshot, so undo brings a case or attribute back with its id, members, values and memo;
later commands on the stack that name it by id keep working.
"""

from __future__ import annotations

from qcode.core.model import AttributeSnapshot, AttributeValue, CaseMember, CaseSnapshot
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand


class CreateCase(CoreCommand):
    def __init__(self, project: Project, name: str) -> None:
        super().__init__(f"Create case '{name.strip()}'")
        self.project = project
        self.name = name
        self.case_id: int | None = None
        self.snapshot: CaseSnapshot | None = None

    def apply(self) -> None:
        if self.snapshot is None:
            self.case_id = self.project.create_case(self.name).id
        else:
            self.project.restore_case(self.snapshot)

    def revert(self) -> None:
        assert self.case_id is not None
        self.snapshot = self.project.case_snapshot(self.case_id)
        self.project.delete_case(self.case_id)


class RenameCase(CoreCommand):
    def __init__(self, project: Project, case_id: int, name: str) -> None:
        self.old = project.case(case_id).name
        super().__init__(f"Rename case '{self.old}'")
        self.project = project
        self.case_id = case_id
        self.new = name

    def apply(self) -> None:
        self.project.rename_case(self.case_id, self.new)

    def revert(self) -> None:
        self.project.rename_case(self.case_id, self.old)


class DeleteCase(CoreCommand):
    def __init__(self, project: Project, case_id: int) -> None:
        self.snapshot = project.case_snapshot(case_id)
        super().__init__(f"Delete case '{self.snapshot.case.name}'")
        self.project = project
        self.case_id = case_id

    def apply(self) -> None:
        self.snapshot = self.project.case_snapshot(self.case_id)
        self.project.delete_case(self.case_id)

    def revert(self) -> None:
        self.project.restore_case(self.snapshot)


class SetAttributeValue(CoreCommand):
    """Set (or clear, with None) one case's or source's value of an attribute; the core checks the type."""

    def __init__(self, project: Project, attribute_id: int, owner_id: int, value: object, label: str) -> None:
        attribute = project.attribute(attribute_id)
        super().__init__(f"Set '{attribute.name}' of {label}")
        self.project = project
        self.attribute_id = attribute_id
        self.owner_id = owner_id
        self.new = value
        self.old: AttributeValue | None = project.values_of_attribute(attribute_id).get(owner_id)

    def apply(self) -> None:
        self.project.set_attribute_value(self.attribute_id, self.owner_id, self.new)

    def revert(self) -> None:
        self.project.set_attribute_value(self.attribute_id, self.owner_id, self.old)


class AddAttribute(CoreCommand):
    def __init__(self, project: Project, name: str, type_: str = "text", choices: tuple[str, ...] = (),
                 scope: str = "case") -> None:
        super().__init__(f"Add attribute '{name.strip()}'")
        self.project = project
        self.args = (name, type_, scope, tuple(choices))
        self.attribute_id: int | None = None
        self.snapshot: AttributeSnapshot | None = None

    def apply(self) -> None:
        if self.snapshot is None:
            name, type_, scope, choices = self.args
            self.attribute_id = self.project.create_attribute(name, type_, scope=scope, choices=choices).id
        else:
            self.project.restore_attribute(self.snapshot)

    def revert(self) -> None:
        assert self.attribute_id is not None
        self.snapshot = self.project.attribute_snapshot(self.attribute_id)
        self.project.delete_attribute(self.attribute_id)


class RenameAttribute(CoreCommand):
    def __init__(self, project: Project, attribute_id: int, name: str) -> None:
        self.old = project.attribute(attribute_id).name
        super().__init__(f"Rename attribute '{self.old}'")
        self.project = project
        self.attribute_id = attribute_id
        self.new = name

    def apply(self) -> None:
        self.project.rename_attribute(self.attribute_id, self.new)

    def revert(self) -> None:
        self.project.rename_attribute(self.attribute_id, self.old)


class DeleteAttribute(CoreCommand):
    def __init__(self, project: Project, attribute_id: int) -> None:
        self.snapshot = project.attribute_snapshot(attribute_id)
        super().__init__(f"Delete attribute '{self.snapshot.attribute.name}'")
        self.project = project
        self.attribute_id = attribute_id

    def apply(self) -> None:
        self.snapshot = self.project.attribute_snapshot(self.attribute_id)
        self.project.delete_attribute(self.attribute_id)

    def revert(self) -> None:
        self.project.restore_attribute(self.snapshot)


class AddCaseMember(CoreCommand):
    """Make a whole source (start and end None) or a range of it part of a case."""

    def __init__(self, project: Project, case_id: int, source_id: int, start: int | None = None,
                 end: int | None = None) -> None:
        what = "source" if start is None else "passage"
        super().__init__(f"Add {what} of '{project.source(source_id).name}' to case '{project.case(case_id).name}'")
        self.project = project
        self.args = (case_id, source_id, start, end)
        self.member: CaseMember | None = None

    def apply(self) -> None:
        if self.member is None:
            self.member = self.project.add_case_member(*self.args)
        else:
            self.project.restore_case_member(self.member)

    def revert(self) -> None:
        assert self.member is not None
        self.project.remove_case_member(self.member.id)


class RemoveCaseMember(CoreCommand):
    def __init__(self, project: Project, member: CaseMember) -> None:
        super().__init__(f"Remove '{project.source(member.source_id).name}' from case "
                         f"'{project.case(member.case_id).name}'")
        self.project = project
        self.member = member

    def apply(self) -> None:
        self.project.remove_case_member(self.member.id)

    def revert(self) -> None:
        self.project.restore_case_member(self.member)
