"""Merging another coder's project into this one, with a report of every match, addition and conflict.

The rules, in the order they are applied (the README's "Merging projects" section states them for users):

1. Coders are matched by their identity (UUID), then by name; a coder found in neither way is added.
2. Sources are matched by content: the SHA-256 of their text. A new source is added with its structure, into a
   folder of the same path (created when missing), with its attribute values and memo; a name already taken
   there gets a number, as in 'Interview (2)'.
3. Codes are matched by identity (GUID), then by path (case ignored); a new code is added under its matched
   parent with its identity, colour and definitions. A code matched by identity keeps this project's name and
   place. For a matched code's definition, inclusion and exclusion criteria and example: an empty text takes the
   other's; equal texts stay; two different texts are a *conflict*.
4. Codings are added unless this project has one with the same identity, or the same code, coder and range of
   the same source. Each keeps its identity and date.
5. Memos of the project, sources, codes, cases and codings: an empty memo takes the other's, a different one
   gets the other's text appended under a line naming the other project. A memo on a passage is added unless
   the same passage has a memo with the same text.
6. Cases are matched by identity, then by name; their parts of sources are added when new. Attributes are
   matched by scope and name (a missing one is added). An attribute value this project lacks is taken; two
   different values are a *conflict*; a value that does not fit this project's attribute type is left out and
   noted.

A conflict is settled by `choices` (its key -> "ours" or "theirs"), else by `prefer` for every conflict; with
neither, it needs a choice and `merge` changes nothing (see `MergeReport.needs_choice`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.core.errors import InvalidRequestError, QcodeError
from qcode.core.model import Code, Memo

if TYPE_CHECKING:
    from qcode.core.project import Project

CODE_TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example")
PREFER = ("ours", "theirs")


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two different values of one thing; `key` names it for a choice."""

    key: str
    what: str  # "code" or "case" / "source" (attribute values)
    subject: str  # the code's path, or the case's or source's name
    field: str  # the code's field, or the attribute's name
    ours: str
    theirs: str
    resolution: str | None = None  # "ours" or "theirs" once chosen

    def describe(self) -> str:
        """The conflict in one line: what differs, both values (shortened), and which was kept or that it needs a
        choice."""
        kept = {"ours": "kept this project's", "theirs": "took the other's", None: "needs a choice"}[self.resolution]
        return (f"{self.what} '{self.subject}', {self.field}: this project has '{_short(self.ours)}', the other "
                f"'{_short(self.theirs)}' ({kept})")


@dataclass
class MergeRecord:
    """What a merge added and what it changed (with the values before), so that it can be taken back."""

    sources: list[int] = field(default_factory=list)
    folders: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)  # parents before children
    codings: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    members: list[int] = field(default_factory=list)
    attributes: list[int] = field(default_factory=list)
    range_memos: list[int] = field(default_factory=list)
    memos: list[tuple[str, int | None, Memo | None]] = field(default_factory=list)  # (kind, id, memo before)
    coders: list[int] = field(default_factory=list)
    code_fields: list[tuple[int, str, str]] = field(default_factory=list)  # (code, field, text before)
    values: list[tuple[int, int, object]] = field(default_factory=list)  # (attribute, owner, value before)


@dataclass
class MergeReport:
    """What merging another coder's project did (or would do): what was matched and added, the conflicts with their
    choices, notes, and the record to take it back."""

    other: str
    applied: bool = False
    coders_matched: list[str] = field(default_factory=list)
    coders_added: list[str] = field(default_factory=list)
    sources_matched: int = 0
    sources_added: list[str] = field(default_factory=list)
    codes_matched: int = 0
    codes_added: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    memos_appended: int = 0
    cases_matched: int = 0
    cases_added: list[str] = field(default_factory=list)
    members_added: int = 0
    values_taken: int = 0
    notes: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    record: MergeRecord = field(default_factory=MergeRecord)

    @property
    def needs_choice(self) -> list[Conflict]:
        """The conflicts nobody chose a side for yet: the merge is not applied while there are any."""
        return [c for c in self.conflicts if c.resolution is None]

    def lines(self, *, how_to_choose: str = "Choose with --prefer ours|theirs, or in the app (File > Merge "
              "project).") -> list[str]:
        """The report as lines of text, as the command prints it and the app shows it."""
        verb = "Merged" if self.applied else "Would merge"
        out = [
            f"{verb} {self.other}",
            f"coders: {len(self.coders_matched)} matched, {len(self.coders_added)} added"
            + (f" ({', '.join(self.coders_added)})" if self.coders_added else ""),
            f"sources: {self.sources_matched} matched by content, {len(self.sources_added)} added",
            f"codes: {self.codes_matched} matched, {len(self.codes_added)} added",
            f"codings: {self.codings_added} added, {self.codings_present} already here",
            f"memos: {self.memos_added} added, {self.memos_appended} appended to existing memos",
            f"cases: {self.cases_matched} matched, {len(self.cases_added)} added, {self.members_added} parts added, "
            f"{self.values_taken} attribute values taken",
        ]
        out += [f"added source: {name}" for name in self.sources_added]
        out += [f"added code: {path}" for path in self.codes_added]
        out += [f"note: {note}" for note in self.notes]
        out += [f"conflict: {c.describe()}" for c in self.conflicts]
        if self.needs_choice:
            out.append(f"{len(self.needs_choice)} conflicts need a choice: nothing was merged. {how_to_choose}")
        return out


class _Rollback(Exception):
    """Raised inside the merge's transaction to leave the project as it was (dry run, open conflicts)."""


def merge_project(
    project: Project,
    other_path: str | os.PathLike[str],
    *,
    prefer: str | None = None,
    choices: Mapping[str, str] | None = None,
    dry_run: bool = False,
) -> MergeReport:
    """Merge the project file at `other_path` into `project`, in one transaction; the report says what it did.

    Nothing is changed on a dry run, or when a conflict is left without a choice.
    """
    from qcode.core.project import Project

    if prefer is not None and prefer not in PREFER:
        raise InvalidRequestError(f"A conflict is settled with 'ours' or 'theirs', not '{prefer}'.")
    other_path = Path(other_path)
    if other_path.resolve() == project.path.resolve():
        raise InvalidRequestError("A project cannot be merged into itself. Choose the other coder's copy.")
    if project.readonly:
        raise InvalidRequestError("This project is open read-only here, so nothing can be merged into it.")
    with Project.open(other_path, mode="read") as other:
        report = MergeReport(other=str(other_path))
        merger = _Merger(project, other, report, prefer, dict(choices or {}))
        try:
            with project.changes_summarised(), project.atomic():
                merger.run()
                if dry_run or report.needs_choice:
                    raise _Rollback()
        except _Rollback:
            project.forget_rolled_back_coder()
            report.record = MergeRecord()
            return report
    report.applied = True
    return report


def unmerge(project: Project, record: MergeRecord) -> None:
    """Take back what a merge did (the undo of the app's File > Merge project), in one transaction.

    The coders it added go too (their codings went with it), unless they have coded or written a memo here
    since; memos it wrote or appended to are as they were
    (text, date and author).
    """
    with project.changes_summarised(), project.atomic():
        for memo_id in record.range_memos:
            project.delete_memo(memo_id)
        for kind, target_id, before in reversed(record.memos):
            if before is None:
                project.set_memo(kind, target_id, "")
            else:
                project.put_back_memo(before)
        project.remove_many_codings(record.codings)  # those still here (a source's removal takes its own)
        for code_id, field_name, text in reversed(record.code_fields):
            project.update_code(code_id, **{field_name: text})
        for attribute_id, owner_id, value in reversed(record.values):
            project.set_attribute_value(attribute_id, owner_id, value)
        for member_id in reversed(record.members):
            project.remove_case_member(member_id)
        for case_id in reversed(record.cases):
            project.delete_case(case_id)
        if record.sources:
            project.delete_sources(record.sources)
        for attribute_id in reversed(record.attributes):
            project.delete_attribute(attribute_id)
        for code_id in reversed(record.codes):
            project.delete_code(code_id)
        for folder_id in reversed(record.folders):
            project.delete_folder(folder_id)
        for coder_id in reversed(record.coders):
            if not project.coder_in_use(coder_id):  # one who has coded or written here since stays
                project.remove_coder(coder_id)


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class _Merger:
    def __init__(self, project: Project, other: Project, report: MergeReport, prefer: str | None,
                 choices: dict[str, str]) -> None:
        self.project, self.other, self.report = project, other, report
        self.prefer, self.choices = prefer, choices
        self.record = report.record
        self.label = f"From {other.name} ({other.path.name}):"
        self.coders: dict[int, int] = {}
        self.sources: dict[int, int] = {}
        self.codes: dict[int, int] = {}
        self.cases: dict[int, int] = {}
        self.codings: dict[int, int] = {}

    def run(self) -> None:
        self._coders()
        self._sources()
        self._codes()
        self._codings()
        self._cases()
        self._memos()

    # --- conflicts -------------------------------------------------------------------------------------

    def _settle(self, key: str, what: str, subject: str, name: str, ours: str, theirs: str) -> str | None:
        choice = self.choices.get(key, self.prefer)
        if choice is not None and choice not in PREFER:
            raise InvalidRequestError(f"A conflict is settled with 'ours' or 'theirs', not '{choice}'.")
        self.report.conflicts.append(Conflict(key, what, subject, name, ours, theirs, choice))
        return choice

    # --- coders ----------------------------------------------------------------------------------------

    def _coders(self) -> None:
        mine = self.project.coders()
        my_guids = self.project.coder_guids()
        by_guid = {my_guids[c.id]: c for c in mine if my_guids.get(c.id)}
        by_name = {c.name.casefold(): c for c in mine}
        their_guids = self.other.coder_guids()
        for coder in self.other.coders():
            guid = their_guids.get(coder.id, "")
            found = by_guid.get(guid) if guid else None
            if found is None:
                found = by_name.get(coder.name.casefold())
                if found is not None and guid and my_guids.get(found.id) != guid:
                    self.report.notes.append(f"coder '{coder.name}' was matched by name (their identities differ)")
            elif found.name != coder.name:
                self.report.notes.append(f"coder '{coder.name}' is '{found.name}' here (same identity); "
                                         "this project's name is kept")
            if found is None:
                found = self.project.add_coder(coder.name, color=coder.color, guid=guid or None)
                self.record.coders.append(found.id)
                self.report.coders_added.append(coder.name)
                by_name[found.name.casefold()] = found
            else:
                self.report.coders_matched.append(coder.name)
            self.coders[coder.id] = found.id

    # --- sources ---------------------------------------------------------------------------------------

    def _folder(self, path: str) -> int | None:
        if not path:
            return None
        parent: int | None = None
        for part in path.split("/"):
            found = [f for f in self.project.folders() if f.parent_id == parent and f.name.casefold() == part.casefold()]
            if found:
                parent = found[0].id
            else:
                parent = self.project.create_folder(part, parent_id=parent).id
                self.record.folders.append(parent)
        return parent

    def _sources(self) -> None:
        by_sha: dict[str, int] = {}
        for source in self.project.sources():
            by_sha.setdefault(source.sha256, source.id)
        for source in self.other.sources():
            if source.sha256 in by_sha:
                target = by_sha[source.sha256]
                self.sources[source.id] = target
                self.report.sources_matched += 1
                mine = self.project.source(target)
                if mine.name != source.name:
                    self.report.notes.append(f"source '{source.name}' has the same text as '{mine.name}' here")
                self._values("source", source.id, target, source.name)
                continue
            folder_id = self._folder(self.other.folder_path(source.folder_id))
            added = self.project.add_source(
                source.name, self.other.source_text(source.id), kind=source.kind, spans=self.other.spans(source.id),
                folder_id=folder_id, original_name=source.original_name, meta=source.meta,
            )
            by_sha[source.sha256] = added.id
            self.sources[source.id] = added.id
            self.record.sources.append(added.id)
            self.report.sources_added.append(self.project.source_path(added.id))
            self._values("source", source.id, added.id, source.name, new_owner=True)

    # --- codes -----------------------------------------------------------------------------------------

    def _codes(self) -> None:
        mine = self.project.codes()
        by_guid = {c.guid: c for c in mine}
        by_path = {row.path.casefold(): row.code_id for row in self.project.frequencies()}
        others = {c.id: c for c in self.other.codes()}
        for row in self.other.frequencies():  # parents before children
            code = others[row.code_id]
            found: Code | None = by_guid.get(code.guid)
            if found is None and row.path.casefold() in by_path:
                found = self.project.code(by_path[row.path.casefold()])
            if found is not None:
                self.codes[code.id] = found.id
                self.report.codes_matched += 1
                here = self.project.code_path(found.id)
                if here != row.path:
                    self.report.notes.append(f"code '{row.path}' is '{here}' here (same identity); this project's "
                                             "name and place are kept")
                self._code_fields(found, code, here)
                continue
            parent = self.codes.get(code.parent_id) if code.parent_id is not None else None
            guid = code.guid if code.guid not in by_guid else None
            added = self.project.create_code(
                code.name, parent_id=parent, color=code.color, definition=code.definition,
                inclusion=code.inclusion, exclusion=code.exclusion, example=code.example, guid=guid,
            )
            by_guid[added.guid] = added
            self.codes[code.id] = added.id
            self.record.codes.append(added.id)
            self.report.codes_added.append(self.project.code_path(added.id))

    def _code_fields(self, mine: Code, theirs: Code, path: str) -> None:
        for name in CODE_TEXT_FIELDS:
            ours_text, their_text = getattr(mine, name), getattr(theirs, name)
            if not their_text.strip() or ours_text.strip() == their_text.strip():
                continue
            if not ours_text.strip():
                take = True
            else:
                take = self._settle(f"code:{mine.id}:{name}", "code", path, name, ours_text, their_text) == "theirs"
            if take:
                self.record.code_fields.append((mine.id, name, ours_text))
                self.project.update_code(mine.id, **{name: their_text})

    # --- codings ---------------------------------------------------------------------------------------

    def _codings(self) -> None:
        present = self.project.coding_identities()
        rows = []
        for coding_id, source_id, code_id, coder_id, start, end, created_at, guid in self.other.coding_records():
            key = (self.sources[source_id], self.codes[code_id], self.coders[coder_id], start, end)
            if guid in present.guids or key in present.keys:
                found = present.guids.get(guid) or present.keys.get(key)
                self.codings[coding_id] = found  # type: ignore[assignment]
                self.report.codings_present += 1
                continue
            present.keys[key] = -1
            rows.append((coding_id, (*key, created_at, guid)))
        added = self.project.insert_codings([row for _, row in rows])
        for (other_id, _), coding_id in zip(rows, added, strict=True):
            self.codings[other_id] = coding_id
        self.record.codings += added
        self.report.codings_added = len(added)

    # --- cases and attributes --------------------------------------------------------------------------

    def _attribute(self, other_attribute_id: int) -> int | None:
        theirs = self.other.attribute(other_attribute_id)
        for attribute in self.project.attributes(theirs.scope):
            if attribute.name.casefold() == theirs.name.casefold():
                if attribute.type != theirs.type:
                    self.report.notes.append(f"{theirs.scope} attribute '{theirs.name}' is of type {attribute.type} "
                                             f"here and {theirs.type} there; values are read as {attribute.type}")
                return attribute.id
        added = self.project.create_attribute(theirs.name, theirs.type, scope=theirs.scope, choices=theirs.choices)
        self.record.attributes.append(added.id)
        return added.id

    def _values(self, scope: str, other_owner: int, owner: int, subject: str, *, new_owner: bool = False) -> None:
        from qcode.core.project.cases import coerce_value

        theirs = {a.id: a for a in self.other.attributes(scope)}
        values = self.other.attribute_values(scope, other_owner)
        by_name = {a.name: a.id for a in theirs.values()}
        for name, value in values.items():
            attribute_id = self._attribute(by_name[name])
            if attribute_id is None:
                continue
            attribute = self.project.attribute(attribute_id)
            try:
                coerced = coerce_value(attribute, value)
            except QcodeError:
                self.report.notes.append(f"{scope} '{subject}': the value '{value}' of '{name}' does not fit this "
                                         "project's attribute and was left out")
                continue
            if coerced is None:
                continue
            ours = None if new_owner else self.project.values_of_attribute(attribute_id).get(owner)
            if ours is not None and str(ours) == str(coerced):
                continue
            if ours is not None:
                key = f"value:{attribute_id}:{owner}"
                if self._settle(key, scope, subject, name, str(ours), str(coerced)) != "theirs":
                    continue
            self.record.values.append((attribute_id, owner, ours))
            self.project.set_attribute_value(attribute_id, owner, coerced)
            self.report.values_taken += 1

    def _cases(self) -> None:
        mine = self.project.cases()
        by_guid = {c.guid: c for c in mine}
        by_name = {c.name.casefold(): c for c in mine}
        for case in self.other.cases():
            found = by_guid.get(case.guid) or by_name.get(case.name.casefold())
            if found is None:
                guid = case.guid if case.guid not in by_guid else None
                found = self.project.create_case(case.name, guid=guid)
                self.record.cases.append(found.id)
                self.report.cases_added.append(found.name)
            else:
                self.report.cases_matched += 1
            self.cases[case.id] = found.id
            have = {(m.source_id, m.start, m.end) for m in self.project.case_members(found.id)}
            for member in self.other.case_members(case.id):
                key = (self.sources[member.source_id], member.start, member.end)
                if key in have:
                    continue
                have.add(key)
                added = self.project.add_case_member(found.id, *key)
                self.report.members_added += 1
                if found.id not in self.record.cases:
                    self.record.members.append(added.id)
            self._values("case", case.id, found.id, found.name, new_owner=found.id in self.record.cases)

    # --- memos -----------------------------------------------------------------------------------------

    def _memos(self) -> None:
        targets = {"source": self.sources, "code": self.codes, "case": self.cases, "coding": self.codings}
        ranges: dict[int, set[tuple[int | None, int | None, str]]] = {}
        # every memo here, blind coding or not: a merge reads and writes for the whole team
        mine = {(m.target_kind, m.target_id): m for m in self.project.memos(everyone=True) if m.target_kind != "range"}
        for memo in self.other.memos(everyone=True):
            if memo.target_kind == "range":
                source_id = self.sources[memo.source_id]  # type: ignore[index]
                if source_id not in ranges:
                    ranges[source_id] = {(m.start, m.end, m.text.strip()) for m in self.project.range_memos(source_id)}
                key = (memo.start, memo.end, memo.text.strip())
                if key in ranges[source_id]:
                    continue
                ranges[source_id].add(key)
                added = self.project.add_range_memo(source_id, memo.start, memo.end, memo.text,  # type: ignore[arg-type]
                                                    coder_id=self._author(memo))
                self.record.range_memos.append(added.id)
                self.report.memos_added += 1
                continue
            if memo.target_kind == "project":
                target_id = None
            else:
                target_id = targets[memo.target_kind].get(memo.target_id)  # type: ignore[arg-type]
                if target_id is None or target_id < 0:  # a coding the other project holds twice
                    continue
            existing = mine.get((memo.target_kind, target_id))
            before = existing.text if existing else ""
            if before.strip() == memo.text.strip() or not memo.text.strip():
                continue
            if before.strip():
                if memo.text.strip() in before:  # appended by an earlier merge
                    continue
                text = f"{before.rstrip()}\n\n{self.label}\n{memo.text.strip()}"
                self.report.memos_appended += 1
            else:
                text = memo.text
                self.report.memos_added += 1
            self.record.memos.append((memo.target_kind, target_id, existing))
            # a memo keeps its author: the one who wrote it here, or the other project's writer for a new one
            author = existing.coder_id if existing is not None and existing.coder_id else self._author(memo)
            written = self.project.set_memo(memo.target_kind, target_id, text, coder_id=author)
            if written is not None:
                mine[(memo.target_kind, target_id)] = written

    def _author(self, memo: Memo) -> int | None:
        """The coder here who wrote another project's memo (None: unknown, so this session's coder)."""
        return self.coders.get(memo.coder_id) if memo.coder_id is not None else None
