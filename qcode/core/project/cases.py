"""Cases (participants, sites, ...), their members, and typed attributes on cases and sources."""

from __future__ import annotations

import datetime as dt

from qcode.core.errors import (
    AmbiguousNameError,
    DuplicateNameError,
    InvalidAttributeValueError,
    InvalidOperationError,
    InvalidRequestError,
    NotFoundError,
)
from qcode.core.model import (
    ATTRIBUTE_SCOPES,
    ATTRIBUTE_TYPES,
    Attribute,
    AttributeSnapshot,
    AttributeValue,
    Case,
    CaseMember,
    CaseSnapshot,
)
from qcode.core.project.base import ProjectBase
from qcode.core.store import aggregates
from qcode.core.store import cases as case_store
from qcode.core.store import memos as memo_store
from qcode.core.store import sources as source_store


def coerce_value(attribute: Attribute, value: object) -> AttributeValue | None:
    """A value in the form its attribute's type stores (None or '' clears the value)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if attribute.type == "number":
        if isinstance(value, bool):
            raise InvalidAttributeValueError(f"'{attribute.name}' takes a number, not yes/no.")
        if isinstance(value, (int, float)):
            number = value
        else:
            text = str(value).strip().replace(",", ".") if str(value).count(",") == 1 and "." not in str(value) \
                else str(value).strip()
            try:
                number = float(text)
            except ValueError:
                raise InvalidAttributeValueError(
                    f"'{attribute.name}' takes a number; '{value}' is not one."
                ) from None
        return int(number) if float(number).is_integer() else float(number)
    if attribute.type == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
        except ValueError:
            raise InvalidAttributeValueError(
                f"'{attribute.name}' takes a date written as YYYY-MM-DD; '{value}' is not one."
            ) from None
    text = str(value).strip()
    if attribute.type == "choice" and attribute.choices and text not in attribute.choices:
        raise InvalidAttributeValueError(
            f"'{text}' is not one of the choices of '{attribute.name}': {', '.join(attribute.choices)}."
        )
    return text


class CasesMixin(ProjectBase):
    # --- cases -----------------------------------------------------------------------------------------

    """Cases and their members (whole sources or passages), and typed attributes of cases and sources with their values."""

    def cases(self) -> list[Case]:
        """Every case, by name."""
        return case_store.cases(self._store.read)

    def case(self, case_id: int) -> Case:
        """The case with this id; NotFoundError when there is none."""
        found = case_store.case_by_id(self._store.read, case_id)
        if found is None:
            raise NotFoundError("case", f"with id {case_id}")
        return found

    def find_case(self, ref: str | int) -> Case:
        """A case by id or by name (a name that is all digits may also be an id)."""
        if isinstance(ref, int):
            return self.case(ref)
        found = case_store.case_by_name(self._store.read, str(ref).strip())
        if found is not None:
            return found
        if str(ref).isdigit():
            return self.case(int(ref))
        raise NotFoundError("case", f"'{ref}'")

    def create_case(self, name: str, *, guid: str | None = None) -> Case:
        """A new case with a unique name, in one transaction."""
        name = self._clean_name(name, "case")
        if case_store.case_by_name(self._store.read, name):
            raise DuplicateNameError("case", name)
        with self._store.transaction() as tx:
            case_id = case_store.insert_case(tx, name, guid or self._store.new_guid())
        self._notify("case", "added", (case_id,))
        return self.case(case_id)

    def rename_case(self, case_id: int, name: str) -> Case:
        """Give a case another unique name."""
        self.case(case_id)
        name = self._clean_name(name, "case")
        other = case_store.case_by_name(self._store.read, name)
        if other and other.id != case_id:
            raise DuplicateNameError("case", name)
        with self._store.transaction() as tx:
            case_store.rename_case(tx, case_id, name)
        self._notify("case", "changed", (case_id,))
        return self.case(case_id)

    def delete_case(self, case_id: int) -> None:
        """Delete a case with its memberships, attribute values and memo (the sources stay)."""
        self.case(case_id)
        with self._store.transaction() as tx:
            case_store.delete_case(tx, case_id)
            aggregates.after_membership_change(tx, [case_id])
        self._notify("case", "removed", (case_id,))

    def add_case_member(
        self, case_id: int, source_id: int, start: int | None = None, end: int | None = None
    ) -> CaseMember:
        """Make a whole source (start and end None) or a range of it part of a case."""
        self.case(case_id)
        if (start is None) != (end is None):
            raise InvalidRequestError("Give both the start and the end of the range, or neither for the whole source.")
        if start is None or end is None:
            self._source(source_id)
        else:
            self._check_range(source_id, start, end)
        if case_store.find_member(self._store.read, case_id, source_id, start, end) is not None:
            raise InvalidOperationError("This is already part of the case.")
        with self._store.transaction() as tx:
            member_id = case_store.insert_member(tx, case_id, source_id, start, end)
            aggregates.after_membership_change(tx, [case_id])
        self._notify("case", "changed", (case_id,))
        return next(m for m in self.case_members(case_id) if m.id == member_id)

    def remove_case_member(self, member_id: int) -> CaseMember:
        """Take one member (a source or a passage) out of its case; returns it, so it can be put back."""
        found = [m for m in case_store.members(self._store.read) if m.id == member_id]
        if not found:
            raise NotFoundError("case member", f"with id {member_id}")
        with self._store.transaction() as tx:
            case_store.delete_member(tx, member_id)
            aggregates.after_membership_change(tx, [found[0].case_id])
        self._notify("case", "changed", (found[0].case_id,))
        return found[0]

    def restore_case_member(self, member: CaseMember) -> CaseMember:
        """Put back a removed membership under its old id (to undo `remove_case_member`)."""
        self.case(member.case_id)
        if member.start is None or member.end is None:
            self._source(member.source_id)
        else:
            self._check_range(member.source_id, member.start, member.end)
        read = self._store.read
        if any(m.id == member.id for m in case_store.members(read)) or case_store.find_member(
                read, member.case_id, member.source_id, member.start, member.end) is not None:
            raise InvalidOperationError("This is already part of the case.")
        with self._store.transaction() as tx:
            case_store.insert_member(tx, member.case_id, member.source_id, member.start, member.end, member.id)
            aggregates.after_membership_change(tx, [member.case_id])
        self._notify("case", "changed", (member.case_id,))
        return member

    def case_snapshot(self, case_id: int) -> CaseSnapshot:
        """The case, its members, its attribute values and its memo, as they are now."""
        case = self.case(case_id)
        read = self._store.read
        values = tuple(sorted(case_store.values_of(read, "case", case_id).items()))
        return CaseSnapshot(case, tuple(case_store.members(read, case_id)), values,  # type: ignore[arg-type]
                            memo_store.memo_for(read, "case", case_id))

    def restore_case(self, snapshot: CaseSnapshot) -> Case:
        """Undo a deletion: put a case back with its id, guid, members, values and memo.

        Members whose source and values whose attribute were deleted since are left out.
        """
        case = snapshot.case
        read = self._store.read
        if case_store.case_by_id(read, case.id) is not None:
            raise InvalidOperationError(f"There is already a case with id {case.id}.")
        if case_store.case_by_name(read, case.name) is not None:
            raise DuplicateNameError("case", case.name)
        with self._store.transaction() as tx:
            case_store.insert_case(tx, case.name, case.guid, case.id)
            for member in snapshot.members:
                if source_store.source_by_id(tx, member.source_id) is not None:
                    case_store.insert_member(tx, case.id, member.source_id, member.start, member.end, member.id)
            for attribute_id, value in snapshot.values:
                if case_store.attribute_by_id(tx, attribute_id) is not None:
                    case_store.set_value(tx, attribute_id, case.id, value)
            if snapshot.memo is not None:
                memo_store.restore_memo(tx, snapshot.memo)
            aggregates.after_membership_change(tx, [case.id])
        self._notify("case", "added", (case.id,))
        return self.case(case.id)

    def case_members(self, case_id: int | None = None, *, source_id: int | None = None) -> list[CaseMember]:
        """The members of one case and/or of one source, or every membership."""
        return case_store.members(self._store.read, case_id, source_id)

    # --- attributes ------------------------------------------------------------------------------------

    def attributes(self, scope: str | None = None) -> list[Attribute]:
        """Every attribute, or those of cases or of sources, in their order."""
        return case_store.attributes(self._store.read, scope)

    def attribute(self, attribute_id: int) -> Attribute:
        """The attribute with this id; NotFoundError when there is none."""
        found = case_store.attribute_by_id(self._store.read, attribute_id)
        if found is None:
            raise NotFoundError("attribute", f"with id {attribute_id}")
        return found

    def find_attribute(self, ref: str | int, *, scope: str | None = None) -> Attribute:
        """An attribute by id or name; a name used for both cases and sources needs `scope` (or 'case:'/'source:')."""
        if isinstance(ref, int):
            return self.attribute(ref)
        name = str(ref).strip()
        for prefix in ATTRIBUTE_SCOPES:
            if name.lower().startswith(prefix + ":"):
                scope, name = prefix, name[len(prefix) + 1:].strip()
        found = [a for a in case_store.attributes_by_name(self._store.read, name) if scope in (None, a.scope)]
        if not found:
            raise NotFoundError("attribute", f"'{ref}'")
        if len(found) > 1:
            raise AmbiguousNameError("attribute", name, [f"{a.scope}:{a.name}" for a in found])
        return found[0]

    def create_attribute(
        self, name: str, type: str = "text", *, scope: str = "case", choices: tuple[str, ...] | list[str] = ()
    ) -> Attribute:
        """A new attribute of cases or sources: text, number, date, or choice (from `choices`)."""
        name = self._clean_name(name, "attribute")
        if type not in ATTRIBUTE_TYPES:
            raise InvalidRequestError(f"An attribute's type is one of {', '.join(ATTRIBUTE_TYPES)}, not '{type}'.")
        if scope not in ATTRIBUTE_SCOPES:
            raise InvalidRequestError(f"An attribute belongs to cases or sources, not to '{scope}'.")
        if any(a.scope == scope for a in case_store.attributes_by_name(self._store.read, name)):
            raise DuplicateNameError(f"{scope} attribute", name)
        clean_choices = tuple(dict.fromkeys(str(c).strip() for c in choices if str(c).strip()))
        with self._store.transaction() as tx:
            attribute_id = case_store.insert_attribute(tx, name, type, scope, clean_choices)
        self._notify("attribute", "added", (attribute_id,))
        return self.attribute(attribute_id)

    def rename_attribute(self, attribute_id: int, name: str) -> Attribute:
        """Give an attribute another name, unique among the attributes of its scope."""
        attribute = self.attribute(attribute_id)
        name = self._clean_name(name, "attribute")
        clash = [a for a in case_store.attributes_by_name(self._store.read, name)
                 if a.scope == attribute.scope and a.id != attribute_id]
        if clash:
            raise DuplicateNameError(f"{attribute.scope} attribute", name)
        with self._store.transaction() as tx:
            case_store.update_attribute(tx, attribute_id, name=name, choices=attribute.choices)
        self._notify("attribute", "changed", (attribute_id,))
        return self.attribute(attribute_id)

    def delete_attribute(self, attribute_id: int) -> None:
        """Delete an attribute and every value it holds (`attribute_snapshot` first, to undo it)."""
        self.attribute(attribute_id)
        with self._store.transaction() as tx:
            case_store.delete_attribute(tx, attribute_id)
        self._notify("attribute", "removed", (attribute_id,))

    def attribute_snapshot(self, attribute_id: int) -> AttributeSnapshot:
        """The attribute, its position and all its values, as they are now."""
        attribute = self.attribute(attribute_id)
        read = self._store.read
        values = tuple(sorted(case_store.values_for_attribute(read, attribute_id).items()))
        return AttributeSnapshot(attribute, case_store.attribute_position(read, attribute_id),
                                 values)  # type: ignore[arg-type]

    def restore_attribute(self, snapshot: AttributeSnapshot) -> Attribute:
        """Undo a deletion: put an attribute back with its id, place and the values of owners that still exist."""
        attribute = snapshot.attribute
        read = self._store.read
        if case_store.attribute_by_id(read, attribute.id) is not None:
            raise InvalidOperationError(f"There is already an attribute with id {attribute.id}.")
        if any(a.scope == attribute.scope for a in case_store.attributes_by_name(read, attribute.name)):
            raise DuplicateNameError(f"{attribute.scope} attribute", attribute.name)
        exists = case_store.case_by_id if attribute.scope == "case" else source_store.source_by_id
        with self._store.transaction() as tx:
            case_store.insert_attribute(tx, attribute.name, attribute.type, attribute.scope, attribute.choices,
                                        attribute.id, snapshot.position)
            for owner_id, value in snapshot.values:
                if exists(tx, owner_id) is not None:
                    case_store.set_value(tx, attribute.id, owner_id, value)
        self._notify("attribute", "added", (attribute.id,))
        return self.attribute(attribute.id)

    def set_attribute_value(self, attribute_id: int, owner_id: int, value: object) -> AttributeValue | None:
        """Set a case's or source's value of an attribute (checked against its type); None clears it."""
        attribute = self.attribute(attribute_id)
        if attribute.scope == "case":
            self.case(owner_id)
        else:
            self._source(owner_id)
        stored = coerce_value(attribute, value)
        with self._store.transaction() as tx:
            case_store.set_value(tx, attribute_id, owner_id, stored)
        self._notify("attribute", "changed", (attribute_id,))
        return stored

    def attribute_values(self, scope: str, owner_id: int) -> dict[str, AttributeValue]:
        """A case's or source's attribute values by attribute name."""
        names = {a.id: a.name for a in self.attributes(scope)}
        values = case_store.values_of(self._store.read, scope, owner_id)
        return {names[aid]: value for aid, value in values.items()}  # type: ignore[misc]

    def values_of_attribute(self, attribute_id: int) -> dict[int, AttributeValue]:
        """owner id -> value, for one attribute."""
        self.attribute(attribute_id)
        return case_store.values_for_attribute(self._store.read, attribute_id)  # type: ignore[return-value]

