"""Writing a `RefiDocument` into a project, inside the caller's one transaction.

What is already there is matched, never duplicated: coders by guid then name, codes by guid then name path,
sources by guid (when the text is the same) then by the SHA-256 of their text, cases by guid then name,
attributes by name within their scope. Codings that the project already has (same source, code, coder and
range) are not added twice, and memos already holding the text are left as they are.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from qcode.core.errors import ExchangeCancelled, InvalidAttributeValueError
from qcode.core.importers.structure import paragraph_spans, speaker_turns
from qcode.core.model import Attribute
from qcode.core.progress import Progress
from qcode.core.project.base import CODE_COLORS
from qcode.core.project.cases import coerce_value
from qcode.core.project.facade import CODER_COLORS
from qcode.core.project.sources import text_sha256
from qcode.core.refi.descriptions import read_attribute_description, unfold_code_fields
from qcode.core.refi.document import (
    ExchangeReport,
    ImportRecord,
    RefiCode,
    RefiDocument,
    RefiNote,
    RefiSource,
    RefiValue,
)
from qcode.core.store import aggregates, exchange, meta
from qcode.core.store import cases as case_store
from qcode.core.store import codes as code_store
from qcode.core.store import codings as coding_store
from qcode.core.store import memos as memo_store
from qcode.core.store import sources as source_store

_GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
_COLOR6 = re.compile(r"^#[0-9a-fA-F]{6}$")
_COLOR3 = re.compile(r"^#[0-9a-fA-F]{3}$")
#: a coding row to insert: (source_id, code_id, coder_id, start, end, created_at, guid)
CodingRow = tuple[int, int, int, int, int, str, str]
_TYPES = {"integer": "number", "float": "number", "date": "date", "boolean": "choice"}


@dataclass
class Changes:
    """What the import changed, for the project's notifications after the commit."""

    sources: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    codings: int = 0
    coding_sources: set[int] = field(default_factory=set)
    cases: bool = False
    memos: bool = False
    attributes: list[int] = field(default_factory=list)
    folders: list[int] = field(default_factory=list)
    coders: list[int] = field(default_factory=list)


def clean(name: str, fallback: str) -> str:
    """A name qcode accepts: whitespace collapsed, no '/' (it separates paths), never empty."""
    cleaned = " ".join(str(name).replace("/", "\u2215").split())
    return cleaned or fallback


def color_of(value: str | None) -> str | None:
    """A colour as qcode stores it ('#rrggbb'), from a file's '#rrggbb' or '#rgb'; None for anything else (the caller
    picks one)."""
    if value and _COLOR6.match(value.strip()):
        return value.strip()
    if value and _COLOR3.match(value.strip()):
        return "#" + "".join(ch * 2 for ch in value.strip()[1:])
    return None


class Merger:
    """One import of a `RefiDocument` into a project, on the caller's write connection (its one transaction): `run()`
    merges users, codes, sources, codings, variables, cases and notes in that order, matching what the project holds,
    and counts what was added, matched and left out."""

    def __init__(self, tx: sqlite3.Connection, doc: RefiDocument, *, now: Callable[[], str],
                 new_guid: Callable[[], str], coder_name: str, file_name: str, progress: Progress | None,
                 codebook_only: bool = False) -> None:
        self.tx, self.doc, self.now, self.new_guid = tx, doc, now, new_guid
        self.coder_name, self.file_name, self.progress = coder_name, file_name, progress
        self.codebook_only = codebook_only
        self.added: Counter[str] = Counter()
        self.matched: Counter[str] = Counter()
        self.left_out: Counter[str] = Counter()
        self.changes = Changes()
        self.users: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.sources: dict[str, int] = {}
        self.selections: dict[str, tuple[int, int, int]] = {}
        self.notes: dict[str, RefiNote] = {n.guid: n for n in doc.notes}
        self.used_notes: set[str] = set()
        self._default_coder: int | None = None
        self.memo_guids: dict[str, int] = {}
        self.added_ranges: set[tuple[int, int, int, str]] = set()
        self.record = ImportRecord()
        #: the highest id of each table before the import: every row above it is the import's
        self.before = {table: exchange.max_id(tx, table) for table in exchange.RESTORE_ORDER}

    def guid_for(self, kind: str, wanted: str | None, taken: dict[str, int]) -> str:
        """The file's guid when it is a valid, unused one; a new guid otherwise."""
        if wanted and _GUID.match(wanted) and wanted not in taken:
            return wanted
        return self.new_guid()

    # --- coders and codes ------------------------------------------------------------------------------

    def default_coder(self) -> int:
        """The coder that codings and notes of no known user are credited to: the importing coder, added on first use
        when the project lacks them."""
        if self._default_coder is None:
            found = meta.coder_by_name(self.tx, self.coder_name)
            if found is None:
                self._default_coder = self.insert_coder(self.coder_name, None)
            else:
                self._default_coder = found.id
        return self._default_coder

    def insert_coder(self, name: str, guid: str | None) -> int:
        """Add a coder (with the next coder colour and the file's guid when it is valid and unused) and count it;
        returns its id."""
        taken = exchange.ids_by_guid(self.tx, "coder")
        color = CODER_COLORS[len(taken) % len(CODER_COLORS)]
        coder_id = exchange.insert_coder(self.tx, name, color, self.guid_for("coder", guid, taken))
        self.changes.coders.append(coder_id)
        self.added["coders"] += 1
        return coder_id

    def coder_of(self, *guids: str | None) -> int:
        """The project's coder of the first of these user guids the file defined, else the default coder."""
        for guid in guids:
            if guid and guid in self.users:
                return self.users[guid]
        return self.default_coder()

    def merge_users(self) -> None:
        """Map each user of the file to a coder: the same guid, else the same name, else a new coder."""
        by_guid = exchange.ids_by_guid(self.tx, "coder")
        for user in self.doc.users:
            if user.guid in by_guid:
                self.users[user.guid] = by_guid[user.guid]
                self.matched["coders"] += 1
                continue
            name = clean(user.name, "Coder")
            found = meta.coder_by_name(self.tx, name)
            if found is not None:
                self.users[user.guid] = found.id
                self.matched["coders"] += 1
            else:
                self.users[user.guid] = self.insert_coder(name, user.guid)

    def merge_codes(self) -> None:
        """Map each code of the file to a code: the same guid, else the same name under the same parent, else a new code
        with the file's colour and description fields; the codes' notes become their memos."""
        by_guid = exchange.ids_by_guid(self.tx, "code")
        count = code_store.count_codes(self.tx)

        def visit(code: RefiCode, parent: int | None) -> None:
            nonlocal count
            name = clean(code.name, "Unnamed code")
            if "/" in code.name:
                self.left_out["code names changed: '/' separates code paths, so it became '\u2215'"] += 1
            code_id = by_guid.get(code.guid)
            if code_id is None:
                found = code_store.code_by_name_in(self.tx, parent, name)
                code_id = found.id if found else None
            if code_id is not None:
                self.matched["codes"] += 1
            else:
                fields = unfold_code_fields(code.description)
                color = color_of(code.color) or CODE_COLORS[count % len(CODE_COLORS)]
                guid = self.guid_for("code", code.guid, by_guid)
                code_id = code_store.insert_code(
                    self.tx, parent_id=parent, name=name, color=color, definition=fields["definition"],
                    inclusion=fields["inclusion"], exclusion=fields["exclusion"], example=fields["example"],
                    position=code_store.next_position(self.tx, parent), guid=guid, created_at=self.now())
                by_guid[guid] = code_id
                count += 1
                self.added["codes"] += 1
                self.changes.codes.append(code_id)
            if code.guid:
                self.codes[code.guid] = code_id
            for note in [] if self.codebook_only else code.note_guids:
                self.memo_on("code", code_id, note)
            for child in code.children:
                visit(child, code_id)

        for top in self.doc.codes:
            visit(top, None)
        if self.changes.codes:
            aggregates.after_tree_change(self.tx, self.changes.codes)

    # --- folders and sources ---------------------------------------------------------------------------

    def folder_for_path(self, path: str, guid: str) -> int | None:
        """The folder of a set's name read as a '/'-separated path, each missing folder created (the last one taking the
        set's guid when it is free); returns the folder id."""
        parent: int | None = None
        parts = [clean(p, "Folder") for p in path.split("/") if p.strip()] or ["Set"]
        for index, part in enumerate(parts):
            found = source_store.folder_by_name(self.tx, parent, part)
            if found is not None:
                parent = found.id
                continue
            parent = source_store.insert_folder(self.tx, parent, part)
            if index == len(parts) - 1 and guid:
                taken = exchange.ids_by_guid(self.tx, "folder")
                if guid not in taken and _GUID.match(guid):
                    exchange.set_guid(self.tx, "folder", parent, guid)
            self.changes.folders.append(parent)
            self.added["folders"] += 1
        return parent

    def source_folders(self) -> dict[str, int]:
        """The folder of each source guid, from the file's sets (a source in several sets goes to the first); counts the
        sets of codes and notes, which qcode has no place for."""
        placed: dict[str, int] = {}
        twice = 0
        for found in self.doc.sets:
            if found.code_guids:
                self.left_out["code sets (qcode has no code sets; their codes came in)"] += 1
            if found.note_guids:
                self.left_out["notes in sets (the notes came in, the sets of notes did not)"] += 1
            if not found.source_guids and (found.code_guids or found.note_guids):
                continue
            folder = self.folder_for_path(found.name, found.guid)
            for guid in found.source_guids:
                if guid in placed:
                    twice += 1
                elif folder is not None:
                    placed[guid] = folder
        if twice:
            self.left_out["memberships of sources in a second set (a source lies in one folder: its first "
                          "set's)"] += twice
        return placed

    def unique_name(self, folder_id: int | None, name: str) -> str:
        """A source name not yet used in the folder: the name itself, else the name with ' (2)', ' (3)' ..."""
        candidate, number = name, 2
        while source_store.source_by_name_in(self.tx, folder_id, candidate) is not None:
            candidate, number = f"{name} ({number})", number + 1
        return candidate

    def merge_sources(self) -> list[tuple[RefiSource, int, bool]]:
        """Map each source of the file to a source: the same guid with the same text, else the same text (SHA-256), else
        a new source with paragraph and speaker-turn spans. Returns (file's source, source id, whether it matched an
        existing one), in the file's order."""
        by_guid = exchange.ids_by_guid(self.tx, "source")
        hashes = exchange.source_hashes(self.tx)
        sha_of = dict(hashes)
        unmatched: dict[str, list[int]] = defaultdict(list)
        for existing_id, sha in hashes:
            unmatched[sha].append(existing_id)
        folders = self.source_folders()
        placed: list[tuple[RefiSource, int, bool]] = []
        total = len(self.doc.sources)
        for index, source in enumerate(self.doc.sources):
            self.step(index, total, source.name or "source")
            sha = text_sha256(source.text)
            found = by_guid.get(source.guid)
            if found is not None and sha_of.get(found) != sha:
                found = None  # the same identifier with another text: a different source
            if found is None and unmatched.get(sha):
                found = unmatched[sha][0]
            if found is not None:
                source_id = found
                if source_id in unmatched.get(sha, []):
                    unmatched[sha].remove(source_id)
                self.matched["sources"] += 1
                placed.append((source, source_id, True))
            else:
                folder_id = folders.get(source.guid)
                name = self.unique_name(folder_id, clean(source.name, f"Source {index + 1}"))
                source_id = source_store.insert_source(
                    self.tx, name=name, kind=source.kind, text=source.text, sha256=sha,
                    original_name=self.file_name, imported_at=self.now(), folder_id=folder_id,
                    meta={"refi_origin": self.doc.origin} if self.doc.origin else {})
                guid = self.guid_for("source", source.guid, by_guid)
                exchange.set_guid(self.tx, "source", source_id, guid)
                by_guid[guid] = source_id
                spans = paragraph_spans(source.text)
                source_store.insert_spans(self.tx, source_id, spans + speaker_turns(source.text, spans))
                self.added["sources"] += 1
                self.changes.sources.append(source_id)
                placed.append((source, source_id, False))
            self.sources[source.guid] = source_id
            for selection in source.selections:
                if selection.guid:
                    self.selections[selection.guid] = (source_id, selection.start, selection.end)
            for note in source.note_guids:
                self.memo_on("source", source_id, note)
        return placed

    # --- codings ---------------------------------------------------------------------------------------

    def merge_codings(self, placed: list[tuple[RefiSource, int, bool]]) -> None:
        """Add the codings of the file's selections (and the whole-source codings) that the project lacks (same source,
        code, coder and range), keeping valid unused guids; notes on a selection with one coding become that coding's
        memo, on other selections a memo on the passage."""
        existing = exchange.coding_keys(self.tx, [sid for _, sid, matched in placed if matched])
        taken = set(exchange.ids_by_guid(self.tx, "coding"))
        rows: list[CodingRow] = []
        noted: list[tuple[CodingRow, list[str]]] = []
        unknown = 0
        for source, source_id, _ in placed:
            items = [(sel.start, sel.end, sel.user_guid, sel.created, sel.guid, sel.codings, sel.note_guids)
                     for sel in source.selections]
            if source.codings and source.text:
                items.append((0, len(source.text), None, None, "", source.codings, []))
            for start, end, user, created, sel_guid, codings, sel_notes in items:
                if len(codings) != 1 and sel_notes:
                    for note in sel_notes:
                        self.range_memo(source_id, start, end, note)
                for coding in codings:
                    code_id = self.codes.get(coding.code_guid)
                    if code_id is None:
                        unknown += 1
                        continue
                    coder_id = self.coder_of(coding.user_guid, user)
                    key = (source_id, code_id, coder_id, start, end)
                    notes = coding.note_guids + (sel_notes if len(codings) == 1 else [])
                    if key in existing:
                        self.matched["codings"] += 1
                        if notes:
                            found = coding_store.find_coding(self.tx, source_id=source_id, code_id=code_id,
                                                              coder_id=coder_id, start=start, end=end)
                            for note in notes:
                                self.memo_on("coding", found.id if found else None, note)
                        continue
                    existing.add(key)
                    wanted = sel_guid if len(codings) == 1 and sel_guid else coding.guid
                    guid = wanted if wanted and _GUID.match(wanted) and wanted not in taken else self.new_guid()
                    taken.add(guid)
                    row = (source_id, code_id, coder_id, start, end, coding.created or created or self.now(), guid)
                    if notes:
                        noted.append((row, notes))
                    else:
                        rows.append(row)
                    self.changes.coding_sources.add(source_id)
        if unknown:
            self.left_out["codings of codes the file does not define"] += unknown
        exchange.insert_codings_with_guids(self.tx, rows)
        for row, notes in noted:
            coding_id = exchange.insert_coding_row(self.tx, row)
            for note in notes:
                self.memo_on("coding", coding_id, note)
        self.changes.codings = len(rows) + len(noted)
        self.added["codings"] += self.changes.codings

    # --- variables and cases ---------------------------------------------------------------------------

    def merge_variables(self) -> dict[tuple[str, str], Attribute]:
        """The attribute each variable lands in, by (variable guid, scope)."""
        used: dict[str, set[str]] = defaultdict(set)
        for case in self.doc.cases:
            for value in case.values:
                used[value.variable_guid].add("case")
        for source in self.doc.sources:
            for value in source.values:
                used[value.variable_guid].add("source")
        by_guid = exchange.ids_by_guid(self.tx, "attribute")
        found: dict[tuple[str, str], Attribute] = {}
        for variable in self.doc.variables:
            hinted, choices = read_attribute_description(variable.description)
            scopes = sorted(used.get(variable.guid) or {hinted or "case"})
            kind = _TYPES.get(variable.type.lower(), "text")
            if choices is not None and kind == "text":
                kind = "choice"
            if variable.type.lower() == "boolean":
                choices = ("false", "true")
            for scope in scopes:
                name = clean(variable.name, "Variable")
                existing = next((a for a in case_store.attributes_by_name(self.tx, name) if a.scope == scope), None)
                if existing is not None:
                    self.matched["variables"] += 1
                    found[(variable.guid, scope)] = existing
                    continue
                attribute_id = case_store.insert_attribute(self.tx, name, kind, scope, tuple(choices or ()))
                guid = self.guid_for("attribute", variable.guid, by_guid)
                exchange.set_guid(self.tx, "attribute", attribute_id, guid)
                by_guid[guid] = attribute_id
                attribute = case_store.attribute_by_id(self.tx, attribute_id)
                assert attribute is not None
                found[(variable.guid, scope)] = attribute
                self.changes.attributes.append(attribute_id)
                self.added["variables"] += 1
        return found

    def set_values(self, attributes: dict[tuple[str, str], Attribute], scope: str, owner_id: int,
                   values: list[RefiValue]) -> None:
        """Set an owner's (a case's or a source's) values of the file's variables; a value outside a choice attribute's
        choices adds the choice, a value that does not fit its type is left out and counted."""
        for value in values:
            attribute = attributes.get((value.variable_guid, scope))
            if attribute is None:
                self.left_out["values of variables the file does not define"] += 1
                continue
            raw = value.value
            if isinstance(raw, bool):
                raw = "true" if raw else "false"
            if attribute.type == "choice" and raw is not None and str(raw).strip() not in attribute.choices:
                self.record.choices.append((attribute.id, attribute.choices))
                attribute = Attribute(attribute.id, attribute.name, attribute.type, attribute.scope,
                                      (*attribute.choices, str(raw).strip()))
                case_store.update_attribute(self.tx, attribute.id, name=attribute.name, choices=attribute.choices)
                attributes[(value.variable_guid, scope)] = attribute
            try:
                coerced = coerce_value(attribute, raw)
            except InvalidAttributeValueError:
                self.left_out[f"values that do not fit their variable's type ({attribute.type})"] += 1
                continue
            if coerced is not None:
                self.record.values.append((attribute.id, owner_id, exchange.value_of(self.tx, attribute.id, owner_id)))
                case_store.set_value(self.tx, attribute.id, owner_id, coerced)

    def merge_cases(self, attributes: dict[tuple[str, str], Attribute]) -> None:
        """Map each case of the file to a case (the same guid, else the same name, else a new one), add its sources and
        passages as members, its description to its memo, and set its values."""
        by_guid = exchange.ids_by_guid(self.tx, "case")
        for case in self.doc.cases:
            name = clean(case.name, "Case")
            case_id = by_guid.get(case.guid)
            if case_id is None:
                existing = case_store.case_by_name(self.tx, name)
                case_id = existing.id if existing else None
            if case_id is None:
                guid = self.guid_for("case", case.guid, by_guid)
                case_id = case_store.insert_case(self.tx, name, guid)
                by_guid[guid] = case_id
                self.added["cases"] += 1
            else:
                self.matched["cases"] += 1
            self.changes.cases = True
            members: list[tuple[int, int | None, int | None]] = [
                (self.sources[g], None, None) for g in case.source_guids if g in self.sources]
            members += [self.selections[g] for g in case.selection_guids if g in self.selections]
            missing = len(case.source_guids) + len(case.selection_guids) - len(members)
            if missing:
                self.left_out["case members the file does not hold (or that were left out)"] += missing
            for source_id, start, end in members:
                if case_store.find_member(self.tx, case_id, source_id, start, end) is None:
                    case_store.insert_member(self.tx, case_id, source_id, start, end)
            if case.description.strip():
                self.memo_text("case", case_id, case.description, None, None)
            self.set_values(attributes, "case", case_id, case.values)

    # --- memos -----------------------------------------------------------------------------------------

    def memo_text(self, kind: str, target_id: int | None, text: str, coder_id: int | None, when: str | None,
                  guid: str | None = None) -> None:
        """Put a note's text in the memo of a target (a code, source, coding, case or the project): appended to a memo
        that does not hold it yet (its old text recorded for restoring), or a new memo."""
        existing = memo_store.memo_for(self.tx, kind, target_id)
        if existing is not None:
            if text in existing.text:
                return
            text = f"{existing.text}\n\n{text}" if existing.text else text
            self.record.memos.append((existing.id, (existing.text, existing.updated_at, existing.coder_id)))
            memo_store.upsert_memo(self.tx, kind, target_id, text, when or self.now(), coder_id)
        else:
            exchange.insert_memo(self.tx, target_kind=kind, target_id=target_id, source_id=None, start=None,
                                 end=None, text=text, updated_at=when or self.now(), coder_id=coder_id,
                                 guid=self.memo_guid(guid))
        self.added["memos"] += 1
        self.changes.memos = True

    def memo_guid(self, wanted: str | None) -> str:
        """The guid of a new memo: the file's when it is valid and unused in the project, else a new one."""
        if not self.memo_guids:
            self.memo_guids = exchange.ids_by_guid(self.tx, "memo") or {"": 0}
        guid = self.guid_for("memo", wanted, self.memo_guids)
        self.memo_guids[guid] = 0
        return guid

    def memo_on(self, kind: str, target_id: int | None, note_guid: str) -> None:
        """Put the text of the file's note `note_guid` in the memo of a target; a link to a note the file lacks is
        counted as left out."""
        note = self.notes.get(note_guid)
        if note is None:
            self.left_out["links to notes the file does not hold"] += 1
            return
        self.used_notes.add(note_guid)
        if note.text:
            self.memo_text(kind, target_id, note.text, self.coder_of(note.user_guid) if note.user_guid else None,
                           note.modified, note.guid)

    def range_memo(self, source_id: int, start: int, end: int, note_guid: str) -> None:
        """Add the file's note `note_guid` as a memo on a passage, unless the project holds one with the same range and
        text (the same file imported again)."""
        note = self.notes.get(note_guid)
        if note is None:
            self.left_out["links to notes the file does not hold"] += 1
            return
        self.used_notes.add(note_guid)
        key = (source_id, start, end, note.text)
        if not note.text or (key not in self.added_ranges
                             and exchange.range_memo_exists(self.tx, source_id, start, end, note.text)):
            return  # the project had this memo already (the same file imported again)
        self.added_ranges.add(key)
        exchange.insert_memo(self.tx, target_kind="range", target_id=None, source_id=source_id, start=start,
                             end=end, text=note.text, updated_at=note.modified or self.now(),
                             coder_id=self.coder_of(note.user_guid) if note.user_guid else None,
                             guid=self.memo_guid(note.guid))
        self.added["memos"] += 1
        self.changes.memos = True

    # --- the whole document ----------------------------------------------------------------------------

    def step(self, done: int, total: int, text: str) -> None:
        """Report progress; raises ExchangeCancelled when the user cancelled (the caller's transaction then rolls back).
        """
        if self.progress is None:
            return
        if self.progress.cancelled():
            raise ExchangeCancelled("The import")
        self.progress.step(done, total, text)

    def run(self) -> ExchangeReport:
        """Merge the whole document (only its codes when `codebook_only`), rebuild the coding aggregates when codings or
        cases came in, and return the report: counts added and matched, what was left out and why, the ids created,
        and the record that undoing the import needs."""
        if not self.codebook_only:
            self.merge_users()
        self.merge_codes()
        if not self.codebook_only:
            placed = self.merge_sources()
            self.merge_codings(placed)
            attributes = self.merge_variables()
            for source, source_id, _ in placed:
                self.set_values(attributes, "source", source_id, source.values)
            self.merge_cases(attributes)
            for note in self.doc.project_note_guids:
                self.memo_on("project", None, note)
            loose = [n for n in self.doc.notes if n.guid not in self.used_notes and n.text]
            for loose_note in loose:  # notes linked to nothing: kept in the journal rather than lost
                heading = f"{loose_note.name}:\n" if loose_note.name else ""
                self.memo_text("project", None, heading + loose_note.text, None, loose_note.modified)
            if self.changes.codings or self.changes.cases:
                self.step(len(self.doc.sources), len(self.doc.sources), "counting")
                exchange.rebuild_aggregates(self.tx)
        left = Counter({**{k: 0 for k in self.left_out}})
        left.update(self.left_out)
        lines = list(self.doc.left_out) + [f"{count} {what}" for what, count in sorted(left.items())]
        self.record.new_ids = {table: exchange.ids_above(self.tx, table, self.before[table])
                               for table in exchange.RESTORE_ORDER}
        created = {"codes": tuple(self.changes.codes), "sources": tuple(self.changes.sources),
                   "attributes": tuple(self.changes.attributes), "folders": tuple(self.changes.folders),
                   "coders": tuple(self.changes.coders)}
        return ExchangeReport(dict(self.added), dict(self.matched), tuple(lines), self.doc.origin, created,
                              self.record)
