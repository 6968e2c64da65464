"""What every importer returns, and the options it accepts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

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
    """One source as an importer read it: plain text plus the structure over it."""

    name: str
    text: str
    kind: str = "text"
    spans: list[Span] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    range_memos: list[RangeMemo] = field(default_factory=list)


@dataclass(slots=True)
class ParseResult:
    sources: list[ParsedSource]


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Choices a user can make about an import; importers ignore what does not concern them."""

    detect_speakers: bool = True


class Importer(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """True when the file's first bytes fit this format."""

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """Read the whole file or raise an ImportError_ subclass; never touches a project."""
