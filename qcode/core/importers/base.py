"""What every importer returns, and the options it accepts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from qcode.core.model import Span
from qcode.core.progress import Progress

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RangeMemo:
    """A note on a range of the text, such as a Word comment."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class ParsedSource:
    """One source as an importer read it: plain text plus the structure over it.

    `attributes` are source attribute values by name (str, int, float, or an ISO date string); their types
    are declared in `ParseResult.attribute_types` under the key ("source", name).
    """

    name: str
    text: str
    kind: str = "text"
    spans: list[Span] = field(default_factory=list)
    meta: dict[Any, Any] = field(default_factory=dict)
    range_memos: list[RangeMemo] = field(default_factory=list)
    attributes: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class ParsedCase:
    """A case the file defines (a survey respondent, a speaker), with attribute values by name.

    `members` are (index into ParseResult.sources, start, end); start and end None mean the whole source.
    """

    name: str
    attributes: dict[str, object] = field(default_factory=dict)
    members: list[tuple[int, int | None, int | None]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ParsedCoding:
    """A coding the file brings with it: a code path ('Parent/Child') on a range of one of its sources."""

    source_index: int
    code_path: str
    start: int
    end: int


@dataclass(slots=True)
class ParseResult:
    """What an importer read from one file: its sources, and the cases, codings, attribute types and notes for the
    researcher that came with them."""

    sources: list[ParsedSource]
    cases: list[ParsedCase] = field(default_factory=list)
    codings: list[ParsedCoding] = field(default_factory=list)
    #: ("case" | "source", attribute name) -> "text" | "number" | "date" | "choice"
    attribute_types: dict[tuple[str, str], str] = field(default_factory=dict)
    #: what the researcher should know about an import that succeeded (an attachment not found, entries left out)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SurveyOptions:
    """Which columns of a survey spreadsheet are what (header name, column letter or 1-based index)."""

    id_column: str
    text_columns: tuple[str, ...]
    attribute_columns: tuple[str, ...] = ()
    sheet: str | None = None


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Choices a user can make about an import; importers ignore what does not concern them."""

    detect_speakers: bool = True
    keep_headers: bool = False  # PDF: keep running headers and footers
    attachments: bool = False  # reference libraries: import attached PDFs as the entry's text
    survey: SurveyOptions | None = None
    max_text_chars: int = 50 * 1024 * 1024
    max_file_bytes: int = MAX_FILE_BYTES


class Importer(Protocol):
    """A reader of one format family: recognises a file by its first bytes and parses it without side effects."""

    @property
    def name(self) -> str:
        """How messages name the format ("a Word", "a PDF" ...)."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The file endings it reads, lower case with the dot."""

    def sniff(self, head: bytes) -> bool:
        """True when the file's first bytes fit this format."""

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """Read the whole file or raise an ImportError_ subclass; never touches a project."""
