"""Writing a project as REFI-QDA: the codebook (.qdc) and the whole project (.qdpx).

A `.qdpx` is a zip holding `project.qde` and one `sources/<guid>.txt` per source: the source's text as qcode
stores it, UTF-8 without a byte-order mark, with LF line ends. Selection positions are 0-based, end-exclusive
code-point offsets into that file, as the standard says. Every object keeps the guid stored with it, so that
exporting twice writes the same identities; `fresh_guids` replaces all of them consistently (for a
pseudonymised copy that must never map onto the original). Written from a pseudonymised view (see
`qcode.core.privacy`), every text is pseudonymised, positions follow the replaced text, and the guids are
always fresh.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from qcode import __version__
from qcode.core.errors import ExchangeCancelled
from qcode.core.exporters.safety import atomic_output, refuse_project_target
from qcode.core.model import Attribute, AttributeValue, CaseMember, Code, Memo
from qcode.core.privacy.pseudonymise import Pseudonymiser
from qcode.core.privacy.view import PseudonymisedView
from qcode.core.progress import Progress
from qcode.core.project import Project
from qcode.core.refi.descriptions import attribute_description, fold_code_fields
from qcode.core.refi.xmlout import XmlWriter

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"qcode {__version__}"
#: derived identifiers (the Coding inside a selection, a case member's selection) come from this namespace
DERIVED = uuid.UUID("6d1c6f5e-3a52-4c1e-9a57-2f0c3f1e9b21")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def derived_guid(*parts: object) -> str:
    """A name-based (version 5) UUID in DERIVED's namespace, computed without the uuid module's overhead."""
    digest = bytearray(hashlib.sha1(DERIVED.bytes + "|".join(str(p) for p in parts).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    h = digest.hex().upper()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _when(value: str | None) -> str | None:
    return value if value and _DATETIME.match(value) else None


class _Guids:
    """The guid written for a stored one: itself, or a fresh one that stays the same within one export."""

    def __init__(self, fresh: bool) -> None:
        self._salt = uuid.uuid4() if fresh else None

    def __call__(self, guid: str) -> str:
        if self._salt is None:
            return guid
        return str(uuid.uuid5(self._salt, guid.upper())).upper()


def _check(progress: Progress | None, done: int, total: int, text: str) -> None:
    if progress is None:
        return
    if progress.cancelled():
        raise ExchangeCancelled("The export")
    progress.step(done, total, text)


def _code_tree(codes: list[Code]) -> dict[int | None, list[Code]]:
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:  # parents before children, siblings in their order
        children[code.parent_id].append(code)
    return children


def _write_codes(xml: XmlWriter, children: dict[int | None, list[Code]], parent: int | None, g: _Guids,
                 note_of: Callable[[int], str | None] | None) -> None:
    for code in children.get(parent, []):
        description = fold_code_fields(code.definition, code.inclusion, code.exclusion, code.example)
        note = note_of(code.id) if note_of else None
        attrs = {"guid": g(code.guid), "name": code.name, "isCodable": "true", "color": code.color.upper()}
        if not (description or note or children.get(code.id)):
            xml.empty("Code", **attrs)
            continue
        xml.start("Code", **attrs)
        if description:
            xml.text("Description", description)
        if note:
            xml.empty("NoteRef", targetGUID=g(note))
        _write_codes(xml, children, code.id, g, note_of)
        xml.end("Code")


def write_codebook(project: Project, target: str | Path, *, fresh_guids: bool = False) -> Path:
    """The codebook as a REFI-QDA codebook file (.qdc)."""
    target = Path(target)
    refuse_project_target(target, project.path)
    g = _Guids(fresh_guids or isinstance(project, PseudonymisedView))
    codes = project.codes()
    with atomic_output(target, suffix=".qdc") as temp, temp.open("w", encoding="utf-8", newline="\n") as fh:
        xml = XmlWriter(fh)
        xml.start("CodeBook", xmlns=CODEBOOK_NS, origin=ORIGIN)
        if codes:
            xml.start("Codes")
            _write_codes(xml, _code_tree(codes), None, g, None)
            xml.end("Codes")
        xml.end("CodeBook")
    return target


def _variable_type(attribute: Attribute, values: list[object]) -> str:
    if attribute.type == "number":
        return "Integer" if all(isinstance(v, int) for v in values) else "Float"
    return "Date" if attribute.type == "date" else "Text"


def _value_element(kind: str, value: object) -> tuple[str, str]:
    if kind == "Integer":
        return "IntegerValue", str(int(value))  # type: ignore[call-overload]
    if kind == "Float":
        return "FloatValue", format(Decimal(repr(float(value))), "f")  # type: ignore[arg-type]
    if kind == "Date":
        return "DateValue", str(value)[:10]
    return "TextValue", str(value)


class _ProjectWriter:
    """One export of a project: the identities and lookups its parts share."""

    def __init__(self, project: Project, fresh_guids: bool) -> None:
        self.p = project
        #: set when writing from a pseudonymised view: texts are replaced, so positions are carried over
        self.pseudonymiser: Pseudonymiser | None = (
            project.pseudonymiser if isinstance(project, PseudonymisedView) else None)
        # a pseudonymised export must never map onto the original project's objects
        self.g = _Guids(fresh_guids or self.pseudonymiser is not None)
        self.coder_guids = project.exchange_guids("coder")
        self.source_guids = project.exchange_guids("source")
        self.memo_guids = project.exchange_guids("memo")
        self.memos = project.memos()
        self.memo_on: dict[tuple[str, int | None], Memo] = {
            (m.target_kind, m.target_id): m for m in self.memos if m.target_kind != "range"}
        self.range_memos: dict[int, list[Memo]] = defaultdict(list)
        for memo in self.memos:
            if memo.target_kind == "range" and memo.source_id is not None:
                self.range_memos[memo.source_id].append(memo)
        self.attributes = project.attributes()
        self.values: dict[int, dict[int, AttributeValue]] = {
            a.id: project.values_of_attribute(a.id) for a in self.attributes}
        self.types = {a.id: _variable_type(a, list(self.values[a.id].values())) for a in self.attributes}
        self.attribute_guids = project.exchange_guids("attribute")
        self.cases = project.cases()
        self.case_guids = {c.id: c.guid for c in self.cases}
        self.members = project.all_case_members()
        self.members_by_source: dict[int, list[CaseMember]] = defaultdict(list)
        for member in self.members:
            self.members_by_source[member.source_id].append(member)
        self.code_guids: dict[int, str] = {}

    def user(self, coder_id: int | None) -> str | None:
        guid = self.coder_guids.get(coder_id) if coder_id is not None else None
        return self.g(guid) if guid else None

    def note(self, kind: str, target_id: int | None) -> str | None:
        memo = self.memo_on.get((kind, target_id))
        return self.g(self.memo_guids[memo.id]) if memo is not None and memo.text else None

    def member_selection(self, case_id: int, source_id: int, start: int, end: int) -> str:
        return self.g(derived_guid("member", self.case_guids[case_id], self.source_guids[source_id], start, end))

    def range_selection(self, memo: Memo) -> str:
        return self.g(derived_guid("range", self.memo_guids[memo.id]))

    # --- the parts of project.qde, in the schema's order ----------------------------------------------

    def users(self, xml: XmlWriter) -> None:
        coders = self.p.coders()
        if coders:
            xml.start("Users")
            for coder in coders:
                xml.empty("User", guid=self.g(self.coder_guids[coder.id]), name=coder.name)
            xml.end("Users")

    def codebook(self, xml: XmlWriter) -> None:
        codes = self.p.codes()
        if codes:
            xml.start("CodeBook")
            xml.start("Codes")
            _write_codes(xml, _code_tree(codes), None, self.g, lambda code_id: self.note_guid("code", code_id))
            xml.end("Codes")
            xml.end("CodeBook")

    def note_guid(self, kind: str, target_id: int) -> str | None:
        memo = self.memo_on.get((kind, target_id))
        return self.memo_guids[memo.id] if memo is not None and memo.text else None

    def variables(self, xml: XmlWriter) -> None:
        if not self.attributes:
            return
        xml.start("Variables")
        for attribute in self.attributes:
            xml.start("Variable", guid=self.g(self.attribute_guids[attribute.id]), name=attribute.name,
                      typeOfVariable=self.types[attribute.id])
            choices = attribute.choices if attribute.type == "choice" else ()
            xml.text("Description", attribute_description(attribute.scope, choices or ()))
            xml.end("Variable")
        xml.end("Variables")

    def variable_values(self, xml: XmlWriter, scope: str, owner_id: int) -> None:
        for attribute in self.attributes:
            if attribute.scope != scope or owner_id not in self.values[attribute.id]:
                continue
            tag, text = _value_element(self.types[attribute.id], self.values[attribute.id][owner_id])
            xml.start("VariableValue")
            xml.empty("VariableRef", targetGUID=self.g(self.attribute_guids[attribute.id]))
            xml.text(tag, text)
            xml.end("VariableValue")

    def cases_part(self, xml: XmlWriter) -> None:
        if not self.cases:
            return
        by_case: dict[int, list[CaseMember]] = defaultdict(list)
        for member in self.members:
            by_case[member.case_id].append(member)
        xml.start("Cases")
        for case in self.cases:
            xml.start("Case", guid=self.g(case.guid), name=case.name)
            memo = self.memo_on.get(("case", case.id))
            if memo is not None and memo.text:
                xml.text("Description", memo.text)
            self.variable_values(xml, "case", case.id)
            for member in by_case[case.id]:
                if member.start is None:
                    xml.empty("SourceRef", targetGUID=self.g(self.source_guids[member.source_id]))
            for member in by_case[case.id]:
                if member.start is not None and member.end is not None:
                    xml.empty("SelectionRef", targetGUID=self.member_selection(
                        case.id, member.source_id, member.start, member.end))
            xml.end("Case")
        xml.end("Cases")

    def text_of(self, source_id: int) -> tuple[str, Callable[[int, int], tuple[int, int]]]:
        """The text written for a source, and where a range of the stored text lies in it."""
        if self.pseudonymiser is None:
            return self.p.source_text(source_id), lambda start, end: (start, end)
        replaced = self.pseudonymiser.replace(self.p.project.source_text(source_id))  # type: ignore[attr-defined]
        return replaced.text, lambda start, end: (replaced.map_start(start), replaced.map_end(end))

    def source(self, xml: XmlWriter, source_id: int, name: str, imported_at: str,
               move: Callable[[int, int], tuple[int, int]]) -> None:
        guid = self.g(self.source_guids[source_id])
        xml.start("TextSource", guid=guid, name=name, plainTextPath=f"internal://{guid}.txt",
                  creationDateTime=_when(imported_at))
        codings = self.p.codings_for_source(source_id)
        members = [m for m in self.members_by_source.get(source_id, []) if m.start is not None]
        memos = self.range_memos.get(source_id, [])
        order = sorted([(*move(c.start, c.end), 0, i) for i, c in enumerate(codings)]
                       + [(*move(m.start or 0, m.end or 0), 1, i) for i, m in enumerate(members)]
                       + [(*move(m.start or 0, m.end or 0), 2, i) for i, m in enumerate(memos)])
        pad = "  " * xml.depth
        lines: list[str] = []
        for start, end, kind, index in order:
            if kind == 0:
                coding = codings[index]
                user = self.user(coding.coder_id)
                when = _when(coding.created_at)
                who = (f' creatingUser="{user}"' if user else "") + (f' creationDateTime="{when}"' if when else "")
                note = self.note("coding", coding.id)
                noted = f'{pad}      <NoteRef targetGUID="{note}"/>\n' if note else ""
                lines.append(
                    f'{pad}<PlainTextSelection guid="{self.g(coding.guid)}" startPosition="{start}" '
                    f'endPosition="{end}"{who}>\n{pad}  <Coding guid="{self.g(derived_guid("coding", coding.guid))}"'
                    f'{who}>\n{pad}    <CodeRef targetGUID="{self.g(self.code_guids[coding.code_id])}"/>\n{noted}'
                    f"{pad}  </Coding>\n{pad}</PlainTextSelection>\n")
                continue
            if lines:
                xml.raw("".join(lines))
                lines = []
            if kind == 1:
                xml.empty("PlainTextSelection", guid=self.member_selection(members[index].case_id, source_id, start,
                                                                           end), startPosition=start, endPosition=end)
            else:
                memo = memos[index]
                xml.start("PlainTextSelection", guid=self.range_selection(memo), startPosition=start,
                          endPosition=end, creatingUser=self.user(memo.coder_id),
                          creationDateTime=_when(memo.updated_at))
                xml.empty("NoteRef", targetGUID=self.g(self.memo_guids[memo.id]))
                xml.end("PlainTextSelection")
        xml.raw("".join(lines))
        note = self.note("source", source_id)
        if note:
            xml.empty("NoteRef", targetGUID=note)
        self.variable_values(xml, "source", source_id)
        xml.end("TextSource")

    def notes(self, xml: XmlWriter) -> None:
        written = [m for m in self.memos if m.text and m.target_kind != "case"]
        if not written:
            return
        xml.start("Notes")
        for memo in written:
            xml.start("Note", guid=self.g(self.memo_guids[memo.id]), name=self.note_name(memo),
                      creatingUser=self.user(memo.coder_id), creationDateTime=_when(memo.updated_at),
                      modifiedDateTime=_when(memo.updated_at))
            xml.text("PlainTextContent", memo.text)
            xml.end("Note")
        xml.end("Notes")

    def note_name(self, memo: Memo) -> str:
        if memo.target_kind == "project":
            return "Project journal"
        if memo.target_kind == "code" and memo.target_id is not None:
            return f"Memo on the code {self.p.code_path(memo.target_id)}"
        if memo.target_kind == "source" and memo.target_id is not None:
            return f"Memo on the source {self.p.source(memo.target_id).name}"
        if memo.target_kind == "coding":
            return "Memo on a coding"
        return "Memo on a passage"

    def sets(self, xml: XmlWriter, sources_by_folder: dict[int, list[int]]) -> None:
        folders = self.p.folders()
        if not folders:
            return
        guids = self.p.exchange_guids("folder")
        xml.start("Sets")
        for folder in folders:
            members = sources_by_folder.get(folder.id, [])
            attrs = {"guid": self.g(guids[folder.id]), "name": self.p.folder_path(folder.id)}
            if not members:
                xml.empty("Set", **attrs)
                continue
            xml.start("Set", **attrs)
            for source_id in members:
                xml.empty("MemberSource", targetGUID=self.g(self.source_guids[source_id]))
            xml.end("Set")
        xml.end("Sets")

    def write(self, target: Path, progress: Progress | None) -> None:
        sources = self.p.sources()
        self.code_guids = {c.id: c.guid for c in self.p.codes()}
        sources_by_folder: dict[int, list[int]] = defaultdict(list)
        for source in sources:
            if source.folder_id is not None:
                sources_by_folder[source.folder_id].append(source.id)
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=target.parent) as qde, \
                zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                                compresslevel=1) as archive:
            xml = XmlWriter(qde)
            xml.start("Project", xmlns=PROJECT_NS, name=self.p.name, origin=ORIGIN,
                      creationDateTime=_when(self.p.metadata().get("created_at")))
            self.users(xml)
            self.codebook(xml)
            self.variables(xml)
            self.cases_part(xml)
            if sources:
                xml.start("Sources")
                for index, source in enumerate(sources):
                    _check(progress, index, len(sources), source.name)
                    guid = self.g(self.source_guids[source.id])
                    text, move = self.text_of(source.id)
                    archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
                    self.source(xml, source.id, source.name, source.imported_at, move)
                xml.end("Sources")
            self.notes(xml)
            self.sets(xml, sources_by_folder)
            journal = self.note("project", None)
            if journal:
                xml.empty("NoteRef", targetGUID=journal)
            xml.end("Project")
            qde.seek(0)
            with archive.open("project.qde", "w", force_zip64=True) as entry:
                while chunk := qde.read(1024 * 1024):
                    entry.write(chunk.encode("utf-8"))
        _check(progress, len(sources), len(sources), "")


def write_project(project: Project, target: str | Path, *, fresh_guids: bool = False,
                  progress: Progress | None = None) -> Path:
    """The whole project as a REFI-QDA project file (.qdpx); cancelling leaves no file behind."""
    target = Path(target)
    refuse_project_target(target, project.path)
    with atomic_output(target, suffix=".qdpx") as temp:
        _ProjectWriter(project, fresh_guids).write(temp, progress)
    return target


__all__ = ["ORIGIN", "derived_guid", "write_codebook", "write_project"]
