"""Markdown (.md): the text as it reads once rendered, with headings as heading spans.

What is markup is removed: heading marks (# and underlined "Setext" headings), emphasis, strikethrough,
inline code marks, links and images (their text stays), autolinks (the address stays), inline HTML tags,
list bullets and numbers, quote marks, horizontal rules, table pipes and separator rows (a row's cells are
kept on one line, separated by tabs), and backslash escapes (the escaped character stays). Entities such as
&amp; are decoded. Code blocks are kept as they are, without their fences. Several blank lines read as one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import paragraph_spans, speaker_turns
from qcode.core.importers.text import TextImporter, read_text_file
from qcode.core.model import Span
from qcode.core.progress import Progress

# Every pattern reads in linear time, however long a line: an inline construct (a link, emphasis, a tag)
# spans at most MAX_INLINE characters, and no two adjacent parts of a pattern can take the same characters
# (`\s*\|?\s*` would try every split of a long run of spaces).
MAX_INLINE = 1000
MAX_NESTING = 8  # levels of emphasis taken off one line
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*))?$")  # the closing #s are taken off in heading_title()
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_BLOCK_MARK = re.compile(r"^\s{0,3}(?:>\s?|[-*+]\s+|\d{1,9}[.)]\s+)")
_TABLE_SEPARATOR = re.compile(r"^\s*(?:\|\s*)?:?-+:?\s*(?:\|\s*:?-+:?\s*)*(?:\|\s*)?$")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_LINK = re.compile(rf"!?\[([^\]]{{0,{MAX_INLINE}}})\]\([^)]{{0,{MAX_INLINE}}}\)")
_REFERENCE_LINK = re.compile(rf"!?\[([^\]]{{1,{MAX_INLINE}}})\]\[[^\]]{{0,{MAX_INLINE}}}\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>")
_TAG = re.compile(rf"</?[A-Za-z][\w-]*(?:\s[^<>]{{0,{MAX_INLINE}}})?/?>")
_EMPHASIS = re.compile(rf"(\*\*|~~|\*|`)(?=\S)(.{{1,{MAX_INLINE}}}?)(?<=\S)\1")
_UNDERSCORES = re.compile(rf"(?<!\w)(__|_)(?=\S)(.{{1,{MAX_INLINE}}}?)(?<=\S)\1(?!\w)")  # snake_case stays
_PLACEHOLDER = 0xF0000  # escaped characters hide in a private-use plane while emphasis is removed


def strip_inline(line: str) -> str:
    """A line's text without inline markup."""
    line = _ESCAPE.sub(lambda m: chr(_PLACEHOLDER + ord(m.group(1))), line)
    line = _LINK.sub(r"\1", line)
    line = _REFERENCE_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _TAG.sub("", line)
    previous = None
    for _ in range(MAX_NESTING):
        if previous == line:
            break
        previous, line = line, _UNDERSCORES.sub(r"\2", _EMPHASIS.sub(r"\2", line))
    line = "".join(chr(ord(c) - _PLACEHOLDER) if _PLACEHOLDER <= ord(c) < _PLACEHOLDER + 128 else c
                   for c in line)
    return html.unescape(line)


def heading_title(content: str | None) -> str:
    """An ATX heading's text without its optional closing sequence of #s (`# Title ##`)."""
    title = (content or "").rstrip()
    bare = title.rstrip("#")
    if bare != title and bare and bare[-1].isspace():
        title = bare.rstrip()
    return title


def _table_row(line: str) -> str | None:
    """A table row's cells separated by tabs, or None when the line is no table row."""
    stripped = line.strip()
    if not (stripped.startswith("|") or stripped.endswith("|")) or stripped.count("|") < 2:
        return None
    cells = re.split(r"(?<!\\)\|", stripped.strip("|"))
    return "\t".join(strip_inline(cell.strip()) for cell in cells)


class MarkdownImporter:
    """Markdown (.md): the text as rendered, markup removed, with heading spans."""

    name = "a Markdown"
    suffixes = (".md", ".markdown")

    def sniff(self, head: bytes) -> bool:
        """A Markdown file looks like text; its ending picks this importer."""
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """The rendered text of the file, with paragraph, heading and (when asked) speaker-turn spans."""
        raw = read_text_file(path)
        out: list[str] = []
        headings: list[tuple[int, int]] = []  # (index into out, level)
        fence: str | None = None
        paragraph_line = False  # the line before was plain paragraph text (may be a Setext heading)

        def blank() -> None:
            if out and out[-1] != "":
                out.append("")

        for line in raw.split("\n"):
            if fence is not None:
                if line.strip().startswith(fence):
                    fence = None
                    blank()
                else:
                    out.append(line)
                continue
            opening = _FENCE.match(line)
            if opening:
                fence = opening.group(1)
                blank()
                paragraph_line = False
                continue
            setext = _SETEXT.match(line)
            if setext and paragraph_line:
                headings.append((len(out) - 1, 1 if setext.group(1)[0] == "=" else 2))
                paragraph_line = False
                continue
            if not line.strip() or _RULE.match(line):
                blank()
                paragraph_line = False
                continue
            heading = _HEADING.match(line)
            if heading:
                headings.append((len(out), len(heading.group(1))))
                out.append(strip_inline(heading_title(heading.group(2))))
                paragraph_line = False
                continue
            if _TABLE_SEPARATOR.match(line) and "-" in line and "|" in line:
                continue
            row = _table_row(line)
            if row is not None:
                out.append(row)
                paragraph_line = False
                continue
            stripped = line
            while (marked := _BLOCK_MARK.sub("", stripped, count=1)) != stripped:
                stripped = marked
            paragraph_line = stripped == line
            out.append(strip_inline(stripped))
        joined = "\n".join(out)
        text = joined.strip("\n")
        lead = len(joined) - len(joined.lstrip("\n"))
        starts = []
        position = -lead
        for line in out:
            starts.append(position)
            position += len(line) + 1
        spans = paragraph_spans(text)
        for index, level in headings:
            start = starts[index]
            if start >= 0 and out[index]:
                spans.append(Span("heading", start, start + len(out[index]), str(level)))
        if options.detect_speakers:
            spans += speaker_turns(text, [s for s in spans if s.kind == "paragraph"])
        spans.sort(key=lambda s: (s.start, s.kind))
        return ParseResult([ParsedSource(name=path.stem, text=text, kind="markdown", spans=spans)])


register(MarkdownImporter())
