"""Structure found in plain text, shared by importers: paragraphs and speaker turns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from qcode.core.model import Span

# "Interviewer:", "I:", "P1:", "Participant 3:", "JOHN:", "Dr Smith:", "מראיין:", "李：" at the start of a
# paragraph: a name starting with a letter that is not lower-case (scripts without case count), then a colon
# (full-width in CJK text, where no space need follow). Transcription services add the time:
# "Sam (00:01:23):", "Sam [01:23]:" or "[00:01:23] Sam:".
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_LABEL = re.compile(
    rf"^\s*(?:[\[(]?({_TIME})[\])]?\s+)?"
    r"([^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}|\d+)"
    rf"(?:\s*[\[(]({_TIME})[\])])?"
    r"\s?(?::\s|：\s?)"
)
# "Speaker 1  0:03" on a line of its own (two spaces or a tab before the time), the words on the next lines
_LABEL_LINE = re.compile(rf"^\s*([^\W\d_][\w.'’-]*(?: [\w.'’-]+){{0,3}})(?: {{2,}}|\t)\s*({_TIME})[ \t]*(?:\n|$)")
_TIMED_NAME = re.compile(rf"^(.*?)\s*[\[(]({_TIME})[\])]$")  # a bold "Sam (00:01:23)" in Word
MIN_LABEL_REPEATS = 2


def paragraph_spans(text: str, offset: int = 0) -> list[Span]:
    """Paragraphs separated by blank lines; in text without blank lines, every line is one."""
    lines = text.split("\n")
    has_blank = any(not line.strip() for line in lines[:-1]) if len(lines) > 1 else False
    spans: list[Span] = []
    position = 0
    block_start: int | None = None
    block_end = 0
    for line in lines:
        line_start, line_end = position, position + len(line)
        position = line_end + 1
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


def _label(paragraph: str, hint: str | None) -> tuple[str | None, str | None]:
    """The speaker label opening a paragraph (or given as a hint) and the time written with it, if any."""
    if hint and hint.strip():
        timed = _TIMED_NAME.match(hint.strip())
        return (timed.group(1), clock(timed.group(2))) if timed and timed.group(1) else (hint.strip(), None)
    match = _LABEL.match(paragraph)
    if match and not match.group(2)[0].islower():
        return match.group(2).strip(), clock(match.group(1) or match.group(3))
    line = _LABEL_LINE.match(paragraph)
    if line and not line.group(1)[0].islower():
        return line.group(1).strip(), clock(line.group(2))
    return None, None


def speaker_turns(text: str, paragraphs: list[Span], hints: Sequence[str | None] | None = None) -> list[Span]:
    """Turn spans (value = speaker) for paragraphs that open with a speaker label used more than once.

    A paragraph without a label continues the turn before it. `hints`, parallel to `paragraphs`, are labels
    the format itself marks (such as a bold name opening a Word paragraph); where one is given it is used
    instead of a label read from the text. A turn whose label carries a time ("Sam (00:01:23):") also gets a
    "timestamp" span, so that excerpts cite it as in caption files.
    """
    labels: list[str | None] = []
    times: list[str | None] = []
    for index, span in enumerate(paragraphs):
        hint = hints[index] if hints is not None and index < len(hints) else None
        label, time = _label(text[span.start:span.end], hint)
        labels.append(label)
        times.append(time)
    counts = Counter(label for label in labels if label)
    speakers = {label for label, n in counts.items() if n >= MIN_LABEL_REPEATS}
    if not speakers:
        return []
    # once the text is a transcript, a speaker who talks only once is a speaker too
    speakers |= {label for label in counts if len(label.split()) <= 3}
    turns: list[Span] = []
    current: tuple[str, int, int, str | None] | None = None

    def close(turn: tuple[str, int, int, str | None]) -> None:
        turns.append(Span("turn", turn[1], turn[2], turn[0]))
        if turn[3]:
            turns.append(Span("timestamp", turn[1], turn[2], turn[3]))

    for span, label, time in zip(paragraphs, labels, times, strict=True):
        if label in speakers:
            if current:
                close(current)
            current = (label, span.start, span.end, time)
        elif current:
            current = (current[0], current[1], span.end, current[3])
    if current:
        close(current)
    return turns
