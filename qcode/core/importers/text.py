"""Plain text (.txt) and Markdown (.md): encoding detected, newlines normalised, paragraphs and turns kept."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from qcode.core.errors import EmptySourceError, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import paragraph_spans, speaker_turns
from qcode.core.model import Span
from qcode.core.progress import Progress

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then the best guess of charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(f"{name} does not look like a text file (it holds binary data).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return data.decode("cp1252", errors="replace")
    # among equally plausible single-byte encodings, Windows' Western European one is by far the most common
    for match in matches:
        tied = (match.percent_chaos, match.percent_coherence) == (best.percent_chaos, best.percent_coherence)
        if tied and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252")
    return str(best)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
    text = normalise_newlines(decode(data, path.name)).strip("\n")
    if not text.strip():
        raise EmptySourceError(f"{path.name} holds no text.")
    return text


class TextImporter:
    name = "a plain-text"
    suffixes = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        return not any(head.startswith(sig) for sig in (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf"))

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        text = read_text_file(path)
        spans = paragraph_spans(text)
        if options.detect_speakers:
            spans += speaker_turns(text, spans)
        return ParseResult([ParsedSource(name=path.stem, text=text, kind="text", spans=spans)])


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def strip_inline(line: str) -> str:
    line = _LINK.sub(r"\1", line)
    previous = None
    while previous != line:
        previous, line = line, _EMPHASIS.sub(r"\2", line)
    return line


class MarkdownImporter:
    name = "a Markdown"
    suffixes = (".md", ".markdown")

    def sniff(self, head: bytes) -> bool:
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        raw = read_text_file(path)
        out_lines: list[str] = []
        headings: list[tuple[int, int, str]] = []  # (line index, level, text)
        in_fence = False
        for line in raw.split("\n"):
            if line.strip().startswith("```"):
                in_fence = not in_fence
                continue
            if in_fence:
                out_lines.append(line)
                continue
            heading = _HEADING.match(line)
            if heading:
                headings.append((len(out_lines), len(heading.group(1)), ""))
                out_lines.append(strip_inline(heading.group(2)))
                continue
            stripped = re.sub(r"^\s{0,3}(?:[-*+]|\d+[.)]|>)\s+", "", line)
            out_lines.append(strip_inline(stripped))
        text = "\n".join(out_lines).strip("\n")
        lead = len("\n".join(out_lines)) - len("\n".join(out_lines).lstrip("\n"))
        starts = []
        position = -lead
        for line in out_lines:
            starts.append(position)
            position += len(line) + 1
        spans = paragraph_spans(text)
        for index, level, _ in headings:
            start = starts[index]
            if start >= 0:
                spans.append(Span("heading", start, start + len(out_lines[index]), str(level)))
        if options.detect_speakers:
            spans += speaker_turns(text, [s for s in spans if s.kind == "paragraph"])
        spans.sort(key=lambda s: (s.start, s.kind))
        return ParseResult([ParsedSource(name=path.stem, text=text, kind="markdown", spans=spans)])


register(TextImporter())
register(MarkdownImporter())
