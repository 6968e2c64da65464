"""Structure shared by importers: laying out paragraphs with their spans, and finding paragraphs and turns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from qcode.core.model import Span

# "Interviewer:", "I:", "P1:", "Participant 3:", "JOHN:", "Dr Smith:", "מראיין:", "李：", "int:" at the start of a
# paragraph: a name starting with a letter, then a colon (full-width in CJK text, where no space need follow).
# Transcription services add the time: "Sam (00:01:23):", "Sam [01:23]:" or "[00:01:23] Sam:".
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = re.compile(
    rf"^\s*(?:[\[(]?({_TIME})[\])]?\s+)?"
    r"([^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}|\d+)"
    rf"(?:\s*[\[(]({_TIME})[\])])?"
    r"\s?(?::\s|：\s?)"
    rf"(?:\s*[\[(]({_TIME})[\])](?=\s))?"  # "Sam: [00:01:23] words" (Sonix)
)
# Layouts that put the name (and a time) on a line of its own, the words on the next lines:
# "Speaker 1  0:03" (Otter, Teams: two spaces or a tab before the time),
# (two spaces, then any more: ` {2,}\s*` would try every split of a long run of spaces, quadratic)
_LABEL_LINE = re.compile(rf"^\s*([^\W\d_][\w.'’-]*(?: [\w.'’-]+){{0,3}})(?: {{2}}|\t)\s*({_TIME})[ \t]*(?:\n|$)")
# "Sam (00:01:23)" or "Sam [01:23]" without a colon (Descript and other services),
_TIMED_LINE = re.compile(rf"^\s*([^\W\d_][\w.'’-]*(?: [\w.'’-]+){{0,3}})[ \t]*[\[(]({_TIME})[\])][ \t]*(?:\n|$)")
# "[Johnny Doe] 11:02:09" (Zoom's saved transcript: any name in square brackets, then a clock time),
_BRACKET_LINE = re.compile(rf"^\s*\[([^\]\n:]{{1,80}})\]\s+({_TIME})[ \t]*(?:\n|$)")
# "[00:00:05.12] - Speaker 1" (Happy Scribe: the time in brackets, a dash, the name), the words below,
_TIME_DASH_LINE = re.compile(rf"^\s*\[({_TIME})\][ \t]*-[ \t]*([^\W\d_][\w.'’-]*(?: [\w.'’-]+){{0,3}})[ \t]*(?:\n|$)")
# Labels followed by the words on the same line, in layouts a "Name:" label does not describe:
# "[Johnny Doe] 11:02:09 words" (Zoom's captions) and "11:02:09 From Johnny Doe to Everyone: words" (Zoom's chat)
_BRACKET_INLINE = re.compile(rf"^\s*\[([^\]\n:]{{1,80}})\]\s+({_TIME})[ \t]+(?=\S)")
_CHAT = re.compile(rf"^\s*({_TIME})[ \t]+From[ \t]+([^\n:]{{1,80}}?)(?:[ \t]+to[ \t]+[^\n:]{{1,80}}?)?[ \t]*:[ \t]*")
# "0:0:0.0 --> 0:0:4.910" then "Johnny Doe" (caption cues pasted into Word, as older Teams transcripts are);
# these two are used with .match(text, pos), so they carry no "^".
_CUE_TIME = r"\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_CUE_LINE = re.compile(rf"\s*({_CUE_TIME})\s*-->\s*{_CUE_TIME}[ \t]*(?:\n|$)")
_NAME_LINE = re.compile(r"\s*([^\W\d_][^\n:.?!]{0,59}?)[ \t]*(?:\n|$)")
_TIMED_NAME = re.compile(rf"^(.*?)\s*[\[(]({_TIME})[\])]$")  # a bold "Sam (00:01:23)" in Word
# f4transkript and MAXQDA close a paragraph with the time it ends: "B: Yes, every week. #00:01:23-4#"
_END_STAMP = re.compile(r"#(\d{1,2}:\d{2}:\d{2})(?:[-.,]\d{1,3})?#\s*$")
# Google Meet and others put a time on a line of its own every few minutes: the next turn starts then
_TIME_ONLY = re.compile(rf"\s*[\[(]?({_TIME})[\])]?\s*")
MIN_LABEL_REPEATS = 2
#: a label in lower case ("int:", "p1:") is a speaker once it opens this many paragraphs ("note:" twice is not)
MIN_LOWER_REPEATS = 3
#: a one-letter label ("I:", "X:") or one in lower case ("todo:") is a speaker only where labelled paragraphs
#: are this share of all of them, so that a legend line ("V: vegetarian") repeated in a menu, or "todo:" in
#: field notes, is not a person
WEAK_LABEL_SHARE = 0.4
MAX_NAME_WORDS = 4
PARAGRAPH_BREAK = "\n\n"


class TextBuilder:
    """A source's text laid out paragraph by paragraph, a blank line between them, with the spans over them.

    Every importer that builds its text from pieces (Word, OpenDocument, captions, web pages, surveys,
    reference libraries) adds paragraphs here, so offsets are counted in one place: each paragraph gets a
    "paragraph" span, and the spans named with it ("heading", "turn", "cell" ...) cover the same range.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.position = 0
        self.paragraphs: list[Span] = []
        self.spans: list[Span] = []

    def add(self, text: str, *, heading: str | None = None,
            spans: Iterable[tuple[str, str | None]] = ()) -> tuple[int, int] | None:
        """Append a paragraph (blank text is skipped: None) and return its (start, end).

        `heading` is the level of a heading span; `spans` are further (kind, value) spans over the paragraph.
        """
        if not text.strip():
            return None
        if self._parts:
            self._parts.append(PARAGRAPH_BREAK)
            self.position += len(PARAGRAPH_BREAK)
        start = self.position
        end = start + len(text)
        self._parts.append(text)
        self.position = end
        self.paragraphs.append(Span("paragraph", start, end))
        if heading:
            self.spans.append(Span("heading", start, end, heading))
        for kind, value in spans:
            self.spans.append(Span(kind, start, end, value))
        return start, end

    def text(self) -> str:
        """The text built so far: the paragraphs added, separated by blank lines."""
        return "".join(self._parts)

    def all_spans(self, extra: Iterable[Span] = ()) -> list[Span]:
        """The paragraph spans, the other spans and `extra`, in the order sources keep them."""
        spans = [*self.paragraphs, *self.spans, *extra]
        spans.sort(key=lambda s: (s.start, s.kind))
        return spans


_BLANK_LINE = re.compile(r"(?:^|\n)[^\S\n]*\n")  # a whitespace-only line that is not the last one


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line, one at a time: a large text is never copied whole into a list of lines."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield start, text[start:end]
        start = end + 1
    yield start, text[start:]


def paragraph_spans(text: str, offset: int = 0) -> list[Span]:
    """Paragraphs separated by blank lines; in text without blank lines, every line is one."""
    has_blank = _BLANK_LINE.search(text) is not None
    spans: list[Span] = []
    block_start: int | None = None
    block_end = 0
    for line_start, line in _lines(text):
        line_end = line_start + len(line)
        if not line.strip():
            if block_start is not None:
                spans.append(Span("paragraph", offset + block_start, offset + block_end))
                block_start = None
            continue
        if block_start is None or not has_blank:
            if block_start is not None:
                spans.append(Span("paragraph", offset + block_start, offset + block_end))
            block_start = line_start + (len(line) - len(line.lstrip()))
        block_end = line_end - (len(line) - len(line.rstrip()))
    if block_start is not None:
        spans.append(Span("paragraph", offset + block_start, offset + block_end))
    return spans


def clock(raw: str | None) -> str | None:
    """'1:23' or '00:01:23.5' as HH:MM:SS, or None when it is no time of day in a recording."""
    if not raw:
        return None
    parts = [int(p) for p in re.split(r"[.,]", raw)[0].split(":")]
    hours, minutes, seconds = ([0] if len(parts) == 2 else []) + parts
    if minutes >= 60 or seconds >= 60:
        return None
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


@dataclass(frozen=True, slots=True)
class Label:
    """A speaker label opening a paragraph: the name, the time written with it, and whether the layout marks it
    beyond doubt (a time beside the name, brackets, a caption cue, a bold name in Word).
    """

    name: str | None
    time: str | None = None
    marked: bool = False


_NO_LABEL = Label(None)


def _label(paragraph: str, hint: str | None) -> Label:
    """The speaker label opening a paragraph (or given as a hint) and the time written with it, if any."""
    if hint and hint.strip():
        timed = _TIMED_NAME.match(hint.strip())
        if timed and timed.group(1):
            return Label(timed.group(1), clock(timed.group(2)), marked=True)
        return Label(hint.strip(), marked=True)
    chat = _CHAT.match(paragraph)  # before "Name:", which would take "10:03:30 From Sam :" for a label "From Sam"
    if chat and chat.group(2).strip():
        return Label(" ".join(chat.group(2).split()), clock(chat.group(1)), marked=True)
    match = _LABEL.match(paragraph)
    if match:
        time = clock(match.group(1) or match.group(3) or match.group(4))
        return Label(match.group(2).strip(), time, marked=time is not None)
    for layout in (_LABEL_LINE, _TIMED_LINE, _BRACKET_LINE):
        line = layout.match(paragraph)
        if line and line.group(1).strip() and not re.fullmatch(_TIME, line.group(1).strip()):
            return Label(" ".join(line.group(1).split()), clock(line.group(2)), marked=True)
    dashed = _TIME_DASH_LINE.match(paragraph)
    if dashed:
        return Label(" ".join(dashed.group(2).split()), clock(dashed.group(1)), marked=True)
    inline = _BRACKET_INLINE.match(paragraph)
    if inline and not re.fullmatch(_TIME, inline.group(1).strip()):
        return Label(" ".join(inline.group(1).split()), clock(inline.group(2)), marked=True)
    cue = _CUE_LINE.match(paragraph)
    if cue:
        name = _NAME_LINE.match(paragraph, cue.end())
        if name and len(name.group(1).split()) <= MAX_NAME_WORDS:
            return Label(name.group(1).strip(), clock(cue.group(1)), marked=True)
    return _NO_LABEL


def _cue_labels(text: str, paragraphs: list[Span], labels: list[Label]) -> None:
    """A caption cue's timing line as a paragraph of its own with the name in the next one (Word documents)."""
    for index in range(len(paragraphs) - 1):
        if labels[index].name is not None:
            continue
        this, following = paragraphs[index], paragraphs[index + 1]
        cue = _CUE_LINE.match(text, this.start, this.end)
        if cue is None or cue.end() < this.end:
            continue
        name = _NAME_LINE.match(text[following.start:following.end])
        if name and len(name.group(1).split()) <= MAX_NAME_WORDS and name.end() >= following.end - following.start:
            labels[index] = Label(name.group(1).strip(), clock(cue.group(1)), marked=True)
            labels[index + 1] = _NO_LABEL  # the name completes the cue's label: it starts no turn of its own


def _one_spelling(labels: list[Label]) -> list[Label]:
    """Labels typed with different capitals ("Interviewer:", "interviewer:") under their most used spelling."""
    spellings = Counter(label.name for label in labels if label.name)
    best: dict[str, str] = {}
    for name, _count in spellings.most_common():
        best.setdefault(name.casefold(), name)
    if len(best) == len(spellings):
        return labels
    return [replace(label, name=best[label.name.casefold()]) if label.name else label for label in labels]


def _one_letter(name: str) -> bool:
    """A single letter of a script with case ("X", "I"); a single Chinese character is a whole name."""
    return len(name) == 1 and name.lower() != name.upper()


def choose_speakers(labels: Sequence[Label]) -> set[str]:
    """The label names that are speakers, from the labels opening each paragraph of one text.

    A name is a speaker once it opens two paragraphs; a name in lower case needs three; and a name in lower
    case or a single letter counts only where labelled paragraphs make up a good share of the text. Once the text reads as a
    transcript, a capitalised name of up to three words used once is a speaker too. Labels the layout marks
    (times, brackets, cues, bold names) need only the two uses.
    """
    counts = Counter(label.name for label in labels if label.name)
    marked = {label.name for label in labels if label.name and label.marked}

    def repeated(name: str) -> bool:
        if name in marked:
            return counts[name] >= MIN_LABEL_REPEATS
        if name[0].islower():
            return counts[name] >= MIN_LOWER_REPEATS and len(name.split()) <= 2
        return counts[name] >= MIN_LABEL_REPEATS

    speakers = {name for name in counts if repeated(name)}
    if not speakers:
        return set()
    labelled = sum(counts[name] for name in speakers)
    if labelled < WEAK_LABEL_SHARE * len(labels):
        speakers = {name for name in speakers if name in marked or not (_one_letter(name) or name[0].islower())}
        if not speakers:
            return set()
    # once the text is a transcript, a speaker who talks only once is a speaker too
    speakers |= {name for name in counts if len(name.split()) <= 3 and not name[0].islower()
                 and not _one_letter(name)}
    return speakers


def speaker_turns(text: str, paragraphs: list[Span], hints: Sequence[str | None] | None = None) -> list[Span]:
    """Turn spans (value = speaker) for paragraphs that open with a speaker label used more than once.

    A paragraph without a label continues the turn before it. `hints`, parallel to `paragraphs`, are labels
    the format itself marks (such as a bold name opening a Word paragraph); where one is given it is used
    instead of a label read from the text. A turn whose label carries a time ("Sam (00:01:23):") also gets a
    "timestamp" span, so that excerpts cite it as in caption files; in transcripts that close each paragraph
    with its end time ("#00:01:23-4#", f4transkript and MAXQDA), a turn starts at the time the one before ended,
    and a time on a paragraph of its own (Google Meet) is the time of the turn after it.
    """
    shared: dict[Label, Label] = {}  # one object per distinct label: a long transcript repeats a few names
    labels = [shared.setdefault(label, label) for label in (
        _label(text[span.start:span.end], hints[index] if hints is not None and index < len(hints) else None)
        for index, span in enumerate(paragraphs))]
    del shared
    _cue_labels(text, paragraphs, labels)
    labels = _one_spelling(labels)
    speakers = choose_speakers(labels)
    if not speakers:
        return []
    turns: list[Span] = []
    current: tuple[str, int, int, str | None] | None = None

    def close(turn: tuple[str, int, int, str | None]) -> None:
        turns.append(Span("turn", turn[1], turn[2], turn[0]))
        if turn[3]:
            turns.append(Span("timestamp", turn[1], turn[2], turn[3]))

    ended: str | None = None  # the time the paragraph before ended at, in transcripts that write it there
    for span, label in zip(paragraphs, labels, strict=True):
        if label.name is not None and label.name in speakers:
            if current:
                close(current)
            current = (label.name, span.start, span.end, label.time or ended)
        elif current:
            current = (current[0], current[1], span.end, current[3])
        stamp = _END_STAMP.search(text, max(span.start, span.end - 40), span.end) or (
            _TIME_ONLY.fullmatch(text, span.start, span.end) if span.end - span.start < 20 else None)
        ended = clock(stamp.group(1)) if stamp else None
    if current:
        close(current)
    return turns


def label_line_end(text: str, start: int, end: int) -> int | None:
    """Where the words of a turn begin when its label is a line of its own ("[Sam] 11:02:09", "Speaker 1  0:03",
    a caption cue and name) or a layout other than "Name:" ("[Sam] 11:02:09 words", a chat's "11:02:09 From Sam
    to Everyone: words"); None for other turns."""
    head = text[start:min(end, start + 200)]
    for layout in (_LABEL_LINE, _TIMED_LINE, _BRACKET_LINE, _TIME_DASH_LINE, _BRACKET_INLINE, _CHAT):
        line = layout.match(head)
        if line:
            return _next_line(text, start + line.end(), end)
    cue = _CUE_LINE.match(head)
    if cue:
        name = _NAME_LINE.match(text, start + cue.end(), end)
        if name:
            return _next_line(text, name.end(), end)
    return None


def _next_line(text: str, at: int, end: int) -> int:
    while at < end and text[at].isspace():
        at += 1
    return at
