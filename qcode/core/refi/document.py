"""An exchange file's content as plain values, between the XML and the project.

The reader turns a `.qdpx` or `.qdc` into a `RefiDocument`; the project's import writes it. Offsets in
`RefiSelection` are already qcode's: code points into the source's stored text (BOM gone, line ends as LF).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: a variable's value as the file types it: str, int, float, bool or None (an empty element)
VariableValue = str | int | float | bool | None


@dataclass(slots=True)
class RefiUser:
    """A user of the exchange file (a coder in qcode)."""

    guid: str
    name: str


@dataclass(slots=True)
class RefiCode:
    """A code of the file's codebook with its sub-codes; `description` may carry qcode's definition, inclusion,
    exclusion and example folded into one text."""

    guid: str
    name: str
    color: str | None
    description: str
    children: list[RefiCode] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiVariable:
    """A variable of the file (an attribute in qcode); `type` is the standard's type name."""

    guid: str
    name: str
    type: str  # Text, Boolean, Integer, Float, Date, DateTime
    description: str


@dataclass(slots=True)
class RefiValue:
    """A case's or source's value of a variable."""

    variable_guid: str
    value: VariableValue


@dataclass(slots=True)
class RefiCoding:
    """A code applied to a selection (or to a whole source), by a user, with the notes on that coding."""

    guid: str
    code_guid: str
    user_guid: str | None
    created: str | None
    note_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSelection:
    """A passage of a source (code points into its text) with the codings on it and the notes linked to it."""

    guid: str
    start: int
    end: int
    user_guid: str | None
    created: str | None
    codings: list[RefiCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiSource:
    """A text source of the file: its text (as qcode stores it), passages, whole-source codings, notes and values."""

    guid: str
    name: str
    text: str
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # of the whole source
    note_guids: list[str] = field(default_factory=list)
    values: list[RefiValue] = field(default_factory=list)
    created: str | None = None
    kind: str = "text"


@dataclass(slots=True)
class RefiCase:
    """A case of the file: its description, values, and member sources and passages (by guid)."""

    guid: str
    name: str
    description: str
    values: list[RefiValue] = field(default_factory=list)
    source_guids: list[str] = field(default_factory=list)
    selection_guids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RefiNote:
    """A note of the file: a memo in qcode on whatever links to it, or in the project journal when nothing does."""

    guid: str
    name: str
    text: str
    user_guid: str | None
    modified: str | None


@dataclass(slots=True)
class RefiSet:
    """A set of the file: a set of sources becomes a folder; qcode has no sets of codes or notes."""

    guid: str
    name: str
    source_guids: list[str] = field(default_factory=list)
    code_guids: list[str] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)


@dataclass
class RefiDocument:
    """Everything qcode takes from an exchange file, and what it left out (with the reasons)."""

    name: str
    origin: str
    users: list[RefiUser] = field(default_factory=list)
    codes: list[RefiCode] = field(default_factory=list)  # top level; children inside
    variables: list[RefiVariable] = field(default_factory=list)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    project_note_guids: list[str] = field(default_factory=list)
    description: str = ""
    left_out: list[str] = field(default_factory=list)


#: the value of an attribute for an owner before an import set it (None: it had none)
ValueBefore = tuple[int, int, object]
#: a memo's (text, updated_at, coder_id)
MemoState = tuple[str, str, int | None]


@dataclass
class ImportRecord:
    """Everything one import changed in a project, so that it can be taken back exactly (the GUI's undo)."""

    new_ids: dict[str, list[int]] = field(default_factory=dict)  # by table, the rows it added
    values: list[tuple[int, int, object]] = field(default_factory=list)  # (attribute, owner, value before)
    memos: list[tuple[int, MemoState]] = field(default_factory=list)  # memos it changed, as they were
    choices: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)  # attributes' choices before


@dataclass
class ImportUndo:
    """An import taken back: its rows and what it had set, to put it back exactly (the GUI's redo)."""

    rows: dict[str, tuple[tuple[str, ...], list[tuple[object, ...]]]]
    spans: list[tuple[object, ...]]
    closure: list[tuple[int, int, int]]
    values: list[tuple[int, int, object]]  # (attribute, owner, value the import had set)
    memos: list[tuple[int, MemoState]]
    choices: list[tuple[int, tuple[str, ...]]]
    record: ImportRecord


@dataclass(frozen=True)
class ExchangeReport:
    """What an import brought in (counts by kind) and each thing it left out, with the reason."""

    added: dict[str, int]
    matched: dict[str, int]
    left_out: tuple[str, ...]
    origin: str = ""
    #: ids of what the import created, by kind (codes, sources, cases, attributes, folders, coders)
    created: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: what the import changed, to take it back (see `Project.take_back_refi_import`)
    record: ImportRecord | None = None

    def lines(self) -> list[str]:
        """The report as a researcher reads it: one line per kind, then each thing left out."""
        kinds = ("sources", "codes", "codings", "cases", "variables", "memos", "coders", "folders")
        out = []
        for kind in kinds:
            added, matched = self.added.get(kind, 0), self.matched.get(kind, 0)
            if added or matched:
                line = f"{kind}: {added} added"
                if matched:
                    line += f", {matched} already in the project"
                out.append(line)
        out += [f"left out: {reason}" for reason in self.left_out]
        return out
