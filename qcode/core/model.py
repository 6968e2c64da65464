"""Plain values the core hands to its faces: no behaviour, no database handles.

Offsets (`start`, `end`) are always code-point offsets into a source's plain text, half-open `[start, end)`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

SOURCE_KINDS = ("text", "markdown", "docx", "pdf", "odt", "rtf", "html", "captions", "survey", "reference")
SPAN_KINDS = ("paragraph", "heading", "page", "turn", "timestamp", "footnote", "cell", "line")
ATTRIBUTE_TYPES = ("text", "number", "date", "choice")
ATTRIBUTE_SCOPES = ("case", "source")
MEMO_TARGETS = ("project", "source", "code", "coding", "case", "range")


@dataclass(frozen=True, slots=True)
class Coder:
    """A person who codes, with the colour their codings show in."""

    id: int
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class Folder:
    """A folder of sources; `parent_id` None is the top level."""

    id: int
    parent_id: int | None
    name: str
    position: int


@dataclass(frozen=True, slots=True)
class Source:
    """A document in the project, without its text (ask `Project.source_text`)."""

    id: int
    name: str
    kind: str
    folder_id: int | None
    length: int
    sha256: str
    original_name: str
    imported_at: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Span:
    """Structure over a source's text: a paragraph, heading, page, speaker turn, timestamp, ..."""

    kind: str
    start: int
    end: int
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Code:
    """A code of the codebook with its definition, inclusion and exclusion criteria and example; `parent_id` None is a
    top-level code, `guid` its stable identity across exports."""

    id: int
    parent_id: int | None
    name: str
    color: str
    definition: str
    inclusion: str
    exclusion: str
    example: str
    position: int
    guid: str


@dataclass(frozen=True, slots=True)
class Coding:
    """One application of a code to a range of a source by a coder."""

    id: int
    source_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    created_at: str
    guid: str


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A coding with its text and a human-readable location, as reports and exports show it."""

    coding: Coding
    text: str
    source_name: str
    location: str


@dataclass(frozen=True, slots=True)
class Memo:
    """A memo: on the project, a source, code, coding or case (`target_kind`, `target_id`), or on a passage
    (`target_kind` 'range' with `source_id`, `start`, `end`)."""

    id: int
    target_kind: str
    target_id: int | None
    source_id: int | None
    start: int | None
    end: int | None
    text: str
    updated_at: str
    coder_id: int | None


@dataclass(frozen=True, slots=True)
class Case:
    """A case (a participant, site, ...): sources or parts of sources grouped under one name, with attributes."""

    id: int
    name: str
    guid: str


@dataclass(frozen=True, slots=True)
class CaseMember:
    """A case's share of a source: the whole source when `start` and `end` are None."""

    id: int
    case_id: int
    source_id: int
    start: int | None
    end: int | None


@dataclass(frozen=True, slots=True)
class Attribute:
    """A typed attribute of cases or of sources (`scope`); a choice attribute lists its `choices` in their order."""

    id: int
    name: str
    type: str
    scope: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Filter:
    """Which codings a query looks at; every field left empty means 'all'.

    `attributes` holds (attribute id, value) pairs: a coding passes when, for each attribute, it lies in a
    source with that value (source attributes) or overlaps a case with that value (case attributes).
    `created_from`/`created_to` are ISO dates or timestamps, inclusive.
    """

    codes: tuple[int, ...] = ()
    sources: tuple[int, ...] = ()
    folders: tuple[int, ...] = ()
    cases: tuple[int, ...] = ()
    coders: tuple[int, ...] = ()
    attributes: tuple[tuple[int, object], ...] = ()
    created_from: str | None = None
    created_to: str | None = None

    def is_empty(self) -> bool:
        """Whether the filter selects everything."""
        return not (
            self.codes or self.sources or self.folders or self.cases or self.coders or self.attributes
            or self.created_from or self.created_to
        )


@dataclass(frozen=True, slots=True)
class Counts:
    """Excerpts (coding rows), distinct sources, distinct cases, and coded characters (union of ranges)."""

    excerpts: int = 0
    sources: int = 0
    cases: int = 0
    characters: int = 0


@dataclass(frozen=True, slots=True)
class FrequencyRow:
    """One code's counts, on its own (`own`) and with all its descendants (`total`), in one group."""

    code_id: int
    path: str
    depth: int
    own: Counts
    total: Counts
    group: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One hit of a text search: where it is and the words around it on one line."""

    source_id: int
    source_name: str
    start: int
    end: int
    context: str


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What happened to one file of a batch import."""

    path: str
    status: str  # "imported", "duplicate" or "failed"
    reason: str = ""
    source_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """An entry of the name register: a term (a person, place, organisation ...) and the pseudonym that a
    pseudonymised export writes instead; `enabled` False keeps the entry without applying it."""

    id: int
    term: str
    pseudonym: str
    enabled: bool = True


# --- values the Project API hands out for exact undo and previews ---------------------------------

@dataclass(frozen=True)
class CodeSnapshot:
    """Everything deleting a code takes with it, so that the deletion can be undone exactly."""

    codes: list[Code]  # parents before children
    codings: list[Coding]
    memos: list[Memo]
    created_at: dict[int, str] = field(default_factory=dict)  # per code id


@dataclass(frozen=True)
class MergeSnapshot:
    """The merged code's subtree and the target's own codings and memos, as they were before a merge."""

    merged: CodeSnapshot
    target: Code
    target_codings: list[Coding]
    target_memos: list[Memo]


@dataclass(frozen=True)
class CodeOrder:
    """(code id, parent id, position) of some codes, as they were before a move."""

    places: tuple[tuple[int, int | None, int], ...]


AttributeValue = str | int | float


@dataclass(frozen=True)
class CaseSnapshot:
    """Everything deleting a case takes with it (members, attribute values, memo), to undo the deletion."""

    case: Case
    members: tuple[CaseMember, ...]
    values: tuple[tuple[int, AttributeValue], ...]  # (attribute id, value)
    memo: Memo | None


@dataclass(frozen=True)
class AttributeSnapshot:
    """An attribute with its place among the others and every value it holds, to undo its deletion."""

    attribute: Attribute
    position: int
    values: tuple[tuple[int, AttributeValue], ...]  # (owner id, value)


@dataclass(frozen=True)
class SourceSnapshot:
    """A source as it is now: its text, structure, codings, memos, case memberships and attribute values."""

    source: Source
    text: str
    position: int
    spans: list[Span]
    codings: list[Coding]
    memos: list[Memo]  # on the source, on its passages, and on its codings
    members: list[CaseMember]
    values: dict[int, object]  # source attribute id -> value


@dataclass(frozen=True)
class FolderSnapshot:
    """A folder with its subfolders (parents first) and every source in them."""

    folders: list[Folder]
    sources: list[SourceSnapshot]


@dataclass(frozen=True, slots=True)
class NewCoding:
    """One coding of a batch (`add_codings`); coder_id None means the current coder."""

    source_id: int
    code_id: int
    start: int
    end: int
    coder_id: int | None = None


#: a passage of a source: (source id, start, end) in code points
Range = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Passage:
    """A range as a preview lists it: where it is, (the start of) its text on one line, and the words around it."""

    source_id: int
    start: int
    end: int
    source_name: str
    location: str
    text: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, when it was made, why (before an upgrade, on opening ...) and its size in bytes."""

    path: Path
    created: datetime
    reason: str  # "open", "before-upgrade", "manual" ...
    size: int


# --- analysis results ------------------------------------------------------------------------------------

MATRIX_CELLS = ("excerpts", "sources", "cases", "characters")


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    """One group of a matrix: `key` is the source, case or coder id, or the attribute value; `label` its name."""

    key: object
    label: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One code of a matrix: a number per column, and the row's total counted without double counting."""

    code_id: int
    path: str
    depth: int
    cells: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class Matrix:
    """Codes by groups: `cell` says what each number counts (excerpts, sources, cases or characters).

    `column_totals` is the last row, `total`: each column counted over all codes in scope without double
    counting, as `grand_total` is the whole table; so a total may be less than the sum of its cells.
    """

    cell: str
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    column_totals: tuple[int, ...]
    grand_total: int

    def totals_below_sum(self) -> bool:
        """True when some total is less than the sum of its cells (a coding counted in two places)."""
        if any(row.total < sum(row.cells) for row in self.rows):
            return True
        if any(total < sum(row.cells[i] for row in self.rows) for i, total in enumerate(self.column_totals)):
            return True
        return self.grand_total < sum(self.column_totals)

    @property
    def note(self) -> str:
        """The sentence a table shows under it when a total is less than the sum of its cells."""
        if not self.totals_below_sum():
            return ""
        counted = {"excerpts": "each coding", "sources": "each source", "cases": "each case",
                   "characters": "each coded character"}[self.cell]
        return (f"Totals count {counted} once, so a total can be less than the sum of its cells (a code "
                "includes its sub-codes, and one coding can fall in two columns).")


@dataclass(frozen=True, slots=True)
class CooccurrenceRow:
    """Two codes, A before B by path: how many pairs of their codings co-occur, and the Jaccard index of
    their coded characters (characters coded A and B over characters coded A or B)."""

    code_a: int
    code_b: int
    path_a: str
    path_b: str
    count: int
    jaccard: float


@dataclass(frozen=True, slots=True)
class WordCount:
    """A word (case-folded), how often it occurs in the text looked at, and in how many sources."""

    word: str
    count: int
    sources: int


@dataclass(frozen=True)
class WordTally:
    """Every word of the text in scope (case-folded) with its number of occurrences and of sources holding it,
    before any word is left out: what the most frequent words are chosen from, so that changing the stop words,
    the shortest length or the number listed needs no new count."""

    counts: dict[str, int]
    sources: dict[str, int]


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One occurrence of a word with the text around it (whitespace runs shown as one space)."""

    source_id: int
    source_name: str
    start: int
    location: str
    left: str
    word: str
    right: str


@dataclass(frozen=True, slots=True)
class SaturationRow:
    """One source in the chosen order: the codes first applied in it, and how many codes have been seen so far."""

    position: int
    source_id: int
    source_name: str
    new_codes: tuple[str, ...]
    cumulative_codes: int
    new_code_ids: tuple[int, ...] = ()
    #: ordered by an attribute: the value that placed the source (None when it has none, or for other orders)
    order_value: object = None
