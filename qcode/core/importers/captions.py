"""Caption transcripts: WebVTT (.vtt) and SubRip (.srt), as exported by Zoom, Teams, Otter or YouTube.

Cues are read into a transcript a researcher can code: consecutive cues of one speaker become one turn,
written as one paragraph "Name: words" (just the words when no speaker is known), with "paragraph", "turn"
and "timestamp" (the turn's start, HH:MM:SS) spans over it.

Decisions:
- The speaker comes from a voice tag (<v Name>, <v.loud Name>) or a leading "Name:" label of 1-4 words. As in
  plain-text transcripts, labels are used only when the file reads as a labelled transcript (the rules of
  `structure.choose_speakers`: a label used twice, a lower-case one three times), and only when
  `ImportOptions.detect_speakers` is on; voice tags are explicit and always used.
- A cue that names no speaker continues the turn before it (subtitles name a speaker when the speaker changes).
  Cues before any named speaker have no speaker; as one paragraph per file would hide the timing, they are
  grouped into paragraphs of a few sentences (a new one after a sentence ends past ~250 characters), each with
  its own timestamp.
- YouTube's automatic captions repeat the previous line at the top of each "rolling" cue; in files with inline
  word timestamps (<00:00:01.000>) a cue line equal to the line before it is dropped.
- A line holding "-->" (or the line after a cue number in SRT) that is not a valid timing line is an error
  naming its line number; a block of text without a timing line continues the cue before it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import Label, TextBuilder, choose_speakers
from qcode.core.importers.text import decode, normalise_newlines
from qcode.core.model import Span
from qcode.core.progress import Progress

_TIME = r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}(?:\s+.*)?$")
_LOOKS_LIKE_TIME = re.compile(r"^\s*\d{1,3}:\d")
_SRT_HEAD = re.compile(r"^\s*\d+[ \t]*\r?\n[ \t]*(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3}[ \t]*-->")
# (a voice or ruby text spans at most 1,000 characters: unclosed tags would otherwise cost quadratic time)
_VOICE = re.compile(r"<v(?:\.[^\s>.]{0,1000})*(?:[ \t]+([^>]{0,1000}))?>", re.IGNORECASE)
_INLINE_TIME = re.compile(r"<\d{1,3}(?::\d{2}){1,2}\.\d{3}>")
_RUBY_TEXT = re.compile(r"<rt(?:\.[^>]{0,1000})?>.{0,1000}?</rt>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<\d[\d:.]*>")
_ASS_OVERRIDE = re.compile(r"\{\\[^{}]*\}")  # {\an8} positioning codes some SRT files carry
_WHITESPACE = re.compile(r"\s+")
_LABEL = re.compile(r"^\s*([^\W\d_][\w.'’-]*(?:[ \t]+[\w.'’-]+){0,3})[ \t]*:[ \t]+(.*)$", re.DOTALL)
_STEP = 500
_SOFT_UNVOICED, _MAX_UNVOICED = 250, 1000
_SENTENCE_ENDS = (".", "?", "!", "…", "。", "？", "！", '."', '?"', '!"', ".”", "?”", "!”")


@dataclass(slots=True)
class _Segment:
    """A cue's words with its start time and speaker (from a voice tag, a label, or none)."""

    start: float
    text: str
    voice: str | None
    label: str | None = None


def _seconds(groups: tuple[str | None, ...], line_no: int, name: str, line: str) -> float:
    hours, minutes, seconds, fraction = groups
    if minutes is None or seconds is None:  # the pattern requires both
        raise _malformed(name, line_no, line)
    if int(minutes) >= 60 or int(seconds) >= 60:
        raise _malformed(name, line_no, line)
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int((fraction or "0").ljust(3, "0")) / 1000


def _malformed(name: str, line_no: int, line: str) -> UnreadableFileError:
    shown = line.strip()[:60]
    return UnreadableFileError(
        f"{name} has a malformed timing line at line {line_no} (\"{shown}\"); a timing line looks like "
        "00:00:01.000 --> 00:00:04.000, so correct that line or export the captions again."
    )


def clock(seconds: float) -> str:
    """Seconds as HH:MM:SS, hours always shown, fractions dropped."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def clean_cue_text(raw: str) -> str:
    """Cue markup to plain words: tags and positioning codes removed, entities decoded, whitespace collapsed."""
    text = _RUBY_TEXT.sub("", raw)
    text = _TAG.sub("", _ASS_OVERRIDE.sub("", text))
    text = html.unescape(text)
    return _WHITESPACE.sub(" ", text).strip()


def _voice_parts(raw: str) -> list[tuple[str | None, str]]:
    """A cue's raw text split where voice tags start: (speaker or None, raw text)."""
    parts: list[tuple[str | None, str]] = []
    voice: str | None = None
    position = 0
    for match in _VOICE.finditer(raw):
        parts.append((voice, raw[position:match.start()]))
        name = clean_cue_text(match.group(1) or "")
        voice = name or None
        position = match.end()
    parts.append((voice, raw[position:]))
    return [(speaker, text) for speaker, text in parts if text.strip()]


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (1-based number of their first line, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _check(progress: Progress | None, done: int, total: int) -> None:
    if progress is None:
        return
    if progress.cancelled():
        raise ImportError_("Import cancelled.")
    progress.step(done, total, "captions")


def read_cues(text: str, name: str, vtt: bool, progress: Progress | None = None) -> list[tuple[float, list[str]]]:
    """(start seconds, raw text lines) per cue, in file order."""
    blocks = _blocks(text.split("\n"))
    if vtt and blocks and blocks[0][1][0].lstrip("\ufeff").startswith("WEBVTT"):
        first, header = blocks[0]
        timed = next((i for i, line in enumerate(header) if "-->" in line), None)
        # a cue written straight under the header, without the blank line, is still read
        blocks[0:1] = [(first + timed, header[timed:])] if timed else []
    cues: list[tuple[float, list[str]]] = []
    for index, (first, lines) in enumerate(blocks):
        if index % _STEP == 0:
            _check(progress, index, len(blocks))
        head = lines[0].strip()
        if vtt and re.match(r"^(NOTE|STYLE|REGION)(\s|$)", head):
            continue
        second = lines[1] if len(lines) > 1 else None
        timing_at = None
        if "-->" in lines[0]:
            timing_at = 0
        elif second is not None and "-->" in second:
            timing_at = 1
        elif _LOOKS_LIKE_TIME.match(lines[0]):
            timing_at = 0
        elif second is not None and (_LOOKS_LIKE_TIME.match(second) or (not vtt and head.isdigit())):
            timing_at = 1
        if timing_at is None:
            if cues:  # a blank line inside a cue's text
                cues[-1][1].extend(lines)
            continue
        line = lines[timing_at]
        match = _TIMING.match(line)
        if not match:
            raise _malformed(name, first + timing_at, line)
        _seconds(match.groups()[4:], first + timing_at, name, line)
        cues.append((_seconds(match.groups()[:4], first + timing_at, name, line), lines[timing_at + 1:]))
    return cues


def _segments(cues: list[tuple[float, list[str]]]) -> list[_Segment]:
    rolling = any(_INLINE_TIME.search(line) for _, lines in cues for line in lines)
    segments: list[_Segment] = []
    last_line = ""
    for start, lines in cues:
        kept: list[str] = []
        for line in lines:
            plain = clean_cue_text(line)
            if not plain or (rolling and plain == last_line):
                if _VOICE.search(line):  # a voice tag on a line of its own still names the speaker
                    kept.append(line)
                continue
            last_line = plain
            kept.append(line)
        for voice, raw in _voice_parts("\n".join(kept)):
            words = clean_cue_text(raw)
            if words:
                segments.append(_Segment(start, words, voice))
    return segments


def _apply_labels(segments: list[_Segment]) -> None:
    """Take "Name:" labels off unvoiced segments when the file reads as a labelled transcript (the rules of
    structure.choose_speakers: repeats, more of them for names in lower case and single letters)."""
    candidates: list[str | None] = []
    for segment in segments:
        match = None if segment.voice else _LABEL.match(segment.text)
        candidates.append(match.group(1).strip() if match else None)
    speakers = choose_speakers([Label(name) for name in candidates])
    for segment, label in zip(segments, candidates, strict=True):
        if label in speakers:
            words = _LABEL.match(segment.text).group(2).strip()  # type: ignore[union-attr]
            segment.label, segment.text = label, words


def _full_paragraph(words: list[str], length: int) -> bool:
    """Whether a paragraph without a speaker is long enough to end after its last sentence."""
    return length >= _MAX_UNVOICED or (length >= _SOFT_UNVOICED and words[-1].endswith(_SENTENCE_ENDS))


def build_transcript(segments: list[_Segment]) -> tuple[str, list[Span]]:
    """Merge segments into turns and lay them out as paragraphs with their spans."""
    turns: list[tuple[str | None, float, list[str]]] = []
    length = 0
    for segment in segments:
        speaker = segment.voice or segment.label or (turns[-1][0] if turns else None)
        if turns and speaker == turns[-1][0] and not (speaker is None and _full_paragraph(turns[-1][2], length)):
            turns[-1][2].append(segment.text)
            length += len(segment.text) + 1
        else:
            turns.append((speaker, segment.start, [segment.text]))
            length = len(segment.text)
    builder = TextBuilder()
    for speaker, start, words in turns:
        body = " ".join(words)
        paragraph = f"{speaker}: {body}".rstrip() if speaker else body
        extra = [("turn", speaker)] if speaker else []
        builder.add(paragraph, spans=[*extra, ("timestamp", clock(start))])
    return builder.text(), builder.all_spans()


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", 4), (b"\x00\x00\xfe\xff", "utf-32-be", 4),
              (b"\xff\xfe", "utf-16-le", 2), (b"\xfe\xff", "utf-16-be", 2))  # UTF-32 first: FF FE starts both


def _head_text(head: bytes) -> str:
    for bom, encoding, width in _WIDE_BOMS:
        if head.startswith(bom):
            body = head[len(bom):]
            return body[:len(body) - len(body) % width].decode(encoding, "replace")
    return head.decode("utf-8", "replace").lstrip("\ufeff")


class _CaptionImporter:
    vtt = True
    format_name = "WebVTT"

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
        text = normalise_newlines(decode(data, path.name)).lstrip("\ufeff")
        if self.vtt and text.strip() and not text.startswith("WEBVTT"):
            raise UnreadableFileError(f"{path.name} is not a WebVTT file (it should start with WEBVTT).")
        cues = read_cues(text, path.name, self.vtt, progress)
        segments = _segments(cues)
        if options.detect_speakers:
            _apply_labels(segments)
        full, spans = build_transcript(segments)
        if not full.strip():
            raise EmptySourceError(f"{path.name} holds no captions with text.")
        meta = {"format": self.format_name, "cues": len(cues)}
        if self.vtt:
            language = re.search(r"^Language:\s*(\S+)", text.split("\n\n", 1)[0], re.MULTILINE)
            if language:
                meta["language"] = language.group(1)
        return ParseResult([ParsedSource(name=path.stem, text=full, kind="captions", spans=spans, meta=meta)])


class VttImporter(_CaptionImporter):
    """WebVTT captions (.vtt): the cues as a transcript of turns with their start times."""

    name = "a WebVTT caption"
    suffixes = (".vtt",)

    def sniff(self, head: bytes) -> bool:
        """A WebVTT file starts with 'WEBVTT' (an empty file is let through, to be refused as empty)."""
        text = _head_text(head)
        return text.startswith("WEBVTT") or not text.strip()


class SrtImporter(_CaptionImporter):
    """SubRip captions (.srt): the cues as a transcript of turns with their start times."""

    name = "a SubRip (.srt) caption"
    suffixes = (".srt",)
    vtt = False
    format_name = "SubRip"

    def sniff(self, head: bytes) -> bool:
        """A SubRip file starts with a cue number and a time line (an empty file is let through, to be refused as
        empty)."""
        text = _head_text(head)
        return bool(_SRT_HEAD.match(text)) or not text.strip()


register(VttImporter())
register(SrtImporter())
