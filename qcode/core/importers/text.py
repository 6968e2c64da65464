"""Plain text (.txt): encoding detected, newlines normalised, paragraphs and turns kept."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from qcode.core.errors import EmptySourceError, UnreadableFileError
from qcode.core.importers import describe_signature, register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import paragraph_spans, speaker_turns
from qcode.core.progress import Progress

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


BINARY_SAMPLE = 64 * 1024
MAX_CONTROL_SHARE = 0.01
# C0 control bytes that text never holds (tab, line ends, form feed, the old end-of-file mark and ESC aside)
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\x0b\x0c\x1a\x1b") + b"\x7f"


def looks_binary(sample: bytes) -> bool:
    """A NUL byte, or more than 1% of control bytes: data no text encoding without a BOM produces."""
    if b"\x00" in sample[:4096]:
        return True
    return len(sample) - len(sample.translate(None, _CONTROL)) > MAX_CONTROL_SHARE * len(sample)


_EAST_ASIAN = frozenset({
    "big5", "big5hkscs", "cp950", "gb2312", "gbk", "gb18030", "hz", "shift_jis", "cp932", "shift_jis_2004",
    "shift_jisx0213", "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp", "euc_kr", "cp949", "johab",
    "iso2022_kr",
})
# what Western European text in cp1252 holds beyond ASCII: accented letters and typographic signs
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸ‘’‚“”„–—…€«»‹›°§£¡¿·•™©®"
    "½¼¾ªº´¨¸µ¶¢¥±²³¹×÷\u00a0"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{4,}")


def western_text(data: bytes) -> str | None:
    """The text read as cp1252 when it looks like Western European text: few, scattered accents and signs."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    outside = [c for c in text if ord(c) > 127]
    if (not outside or len(outside) > 0.2 * len(text) or any(c not in _WESTERN for c in outside)
            or _NON_ASCII_RUN.search(text)):
        return None
    return text


def decode(data: bytes, name: str) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then the best guess of charset-normalizer."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if looks_binary(data[:BINARY_SAMPLE]):
        raise UnreadableFileError(f"{name} does not look like a text file (it holds binary data). Check that "
                                  "it is the file you meant, or open it in its program and save it as text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding in _EAST_ASIAN:
        # a short Western text with a few accents fits a multi-byte East Asian encoding as well; read it as
        # such only when it does not read as Windows' Western European encoding
        western = western_text(data)
        if western is not None or best is None:
            return western if western is not None else data.decode("cp1252", errors="replace")
    # among equally plausible single-byte encodings, Windows' Western European one is by far the most common
    for match in matches:
        tied = (match.percent_chaos, match.percent_coherence) == (best.percent_chaos, best.percent_coherence)
        if tied and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252")
    return str(best)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text_file(path: Path, *, trim: bool = True) -> str:
    """A text file's content, decoded and with newlines normalised; refused when it holds no text.

    `trim` drops blank lines at the start and end; without it, line numbers stay those of the file.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
    text = decode(data, path.name)
    del data  # each step below may copy the text: never hold more than two copies of a large file at once
    text = normalise_newlines(text)
    if trim:
        text = text.strip("\n")
    if not text.strip():
        raise EmptySourceError(f"{path.name} holds no text.")
    return text


class TextImporter:
    name = "a plain-text"
    suffixes = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        return describe_signature(head) is None

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        text = read_text_file(path)
        spans = paragraph_spans(text)
        if options.detect_speakers:
            spans += speaker_turns(text, spans)
        return ParseResult([ParsedSource(name=path.stem, text=text, kind="text", spans=spans)])


register(TextImporter())
