"""Structure found in plain text, shared by importers: paragraphs and speaker turns."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from qcode.core.model import Span

# "Interviewer:", "I:", "P1:", "Participant 3:", "JOHN:", "Dr Smith:", "מראיין:", "李：" at the start of a
# paragraph: a name starting with a letter that is not lower-case (scripts without case count), then a colon
# (full-width in CJK text, where no space need follow)
_LABEL = re.compile(r"^\s*([^\W\d_][\w.'’-]*(?: [\w.'’-]+){0,3}|\d+)\s?(?::\s|：\s?)")
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


def speaker_turns(text: str, paragraphs: list[Span], hints: Sequence[str | None] | None = None) -> list[Span]:
    """Turn spans (value = speaker) for paragraphs that open with a speaker label used more than once.

    A paragraph without a label continues the turn before it. `hints`, parallel to `paragraphs`, are labels
    the format itself marks (such as a bold name opening a Word paragraph); where one is given it is used
    instead of a label read from the text.
    """
    labels: list[str | None] = []
    for index, span in enumerate(paragraphs):
        hint = hints[index] if hints is not None and index < len(hints) else None
        if hint and hint.strip():
            labels.append(hint.strip())
            continue
        match = _LABEL.match(text[span.start:span.end])
        labels.append(match.group(1).strip() if match and not match.group(1)[0].islower() else None)
    counts = Counter(label for label in labels if label)
    speakers = {label for label, n in counts.items() if n >= MIN_LABEL_REPEATS}
    if not speakers:
        return []
    # once the text is a transcript, a speaker who talks only once is a speaker too
    speakers |= {label for label in counts if len(label.split()) <= 3}
    turns: list[Span] = []
    current: tuple[str, int, int] | None = None
    for span, label in zip(paragraphs, labels, strict=True):
        if label in speakers:
            if current:
                turns.append(Span("turn", current[1], current[2], current[0]))
            current = (label, span.start, span.end)  # type: ignore[assignment]
        elif current:
            current = (current[0], current[1], span.end)
    if current:
        turns.append(Span("turn", current[1], current[2], current[0]))
    return turns
