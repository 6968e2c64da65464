"""Plain text (.txt): encoding detected, newlines normalised, paragraphs and turns kept."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from qcode.core.errors import EmptySourceError, UnreadableFileError
from qcode.core.importers import describe_signature, register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import paragraph_spans, speaker_turns
from qcode.core.progress import Progress

_BOMS = (  # the UTF-32 marks before UTF-16's, which the little-endian one begins with (UTF-8's is read apart)
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
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


_NOT_TEXT = ("{name} does not look like a text file (it holds binary data). Check that it is the file you meant, "
             "or open it in its program and save it as text.")
_CONTROL_CHARS = dict.fromkeys(_CONTROL)  # the same bytes as characters (str.translate maps code points)
_NOTES: ContextVar[list[str] | None] = ContextVar("decoding_notes", default=None)


def text_looks_binary(text: str) -> bool:
    """The byte check, applied to characters: a NUL early on, or more than 1% of control characters."""
    sample = text[:BINARY_SAMPLE]
    if "\x00" in sample[:4096]:
        return True
    return len(sample) - len(sample.translate(_CONTROL_CHARS)) > MAX_CONTROL_SHARE * len(sample)


def checked_text(text: str, name: str) -> str:
    """Decoded text after the control-character check (whatever the encoding); stray NULs are dropped."""
    if text_looks_binary(text):
        raise UnreadableFileError(_NOT_TEXT.format(name=name))
    return text.replace("\x00", "") if "\x00" in text else text


@contextmanager
def decoding_notes() -> Iterator[list[str]]:
    """Collect what decoding had to guess while a file is parsed (this thread only), for the import report."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def _note(text: str) -> None:
    notes = _NOTES.get()
    if notes is not None and text not in notes:
        notes.append(text)


def decode(data: bytes, name: str) -> str:
    """Bytes to text: BOMs first, then strict UTF-8 (line by line when some lines are not), then the best
    guess of charset-normalizer; then the control-character check."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return checked_text(data.decode(encoding, errors="replace"), name)
    data = data.removeprefix(codecs.BOM_UTF8)  # then read as UTF-8 (line by line, if need be) like text without
    wide = bomless_utf16(data)
    if wide is not None:
        return checked_text(wide, name)
    if looks_binary(data[:BINARY_SAMPLE]):
        raise UnreadableFileError(_NOT_TEXT.format(name=name))
    try:
        return checked_text(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    mixed = mixed_utf8(data)
    if mixed is not None:
        text, odd, encoding = mixed
        shown = ", ".join(str(n) for n in odd[:10]) + (", ..." if len(odd) > 10 else "")
        _note(f"{name} is UTF-8 except {len(odd)} line{'s' if len(odd) != 1 else ''} ({shown}), read as "
              f"{encoding}; check {'them' if len(odd) != 1 else 'it'} for wrong characters")
        return checked_text(text, name)
    return checked_text(guess(data)[0], name)


def bomless_utf16(data: bytes) -> str | None:
    """UTF-16 text without a byte-order mark, told by its NUL high bytes (text in Latin scripts), or None."""
    sample = data[:BINARY_SAMPLE]
    if len(sample) < 8 or len(data) % 2:
        return None
    for encoding, low, high in (("utf-16-le", sample[0::2], sample[1::2]), ("utf-16-be", sample[1::2], sample[0::2])):
        if high.count(0) >= 0.9 * len(high) and low.count(0) <= MAX_CONTROL_SHARE * len(low):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def mixed_utf8(data: bytes) -> tuple[str, list[int], str] | None:
    """UTF-8 text with some lines in another encoding (pasted from elsewhere): the text, the 1-based numbers
    of the odd lines and the encoding they were read in; None when no line is UTF-8 beyond ASCII.

    The valid UTF-8 lines are kept as they are; the odd lines are decoded on their own, together, so that
    the guess of their encoding rests on all of them.
    """
    lines = data.split(b"\n")
    decoded: list[str | None] = []
    odd: list[int] = []
    utf8_beyond_ascii = False
    for index, line in enumerate(lines):
        try:
            decoded.append(line.decode("utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            decoded.append(None)
            odd.append(index)
    if not utf8_beyond_ascii or not odd:
        return None
    odd_text, encoding = guess(b"\n".join(lines[i] for i in odd))
    parts = odd_text.split("\n")
    if len(parts) != len(odd):  # an encoding that does not keep line ends apart: read each line alone
        encoding = "cp1252"
        parts = [lines[i].decode("cp1252", errors="replace") for i in odd]
    for index, part in zip(odd, parts, strict=True):
        decoded[index] = part
    return "\n".join(t or "" for t in decoded), [i + 1 for i in odd], encoding


def guess(data: bytes) -> tuple[str, str]:
    """Text in a single guessed encoding, with that encoding's name."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding in _EAST_ASIAN:
        # a short Western text with a few accents fits a multi-byte East Asian encoding as well; read it as
        # such only when it does not read as Windows' Western European encoding
        western = western_text(data)
        if western is not None or best is None:
            return (western, "cp1252") if western is not None else (data.decode("cp1252", errors="replace"),
                                                                    "cp1252")
    # among equally plausible single-byte encodings, Windows' Western European one is by far the most common
    for match in matches:
        tied = (match.percent_chaos, match.percent_coherence) == (best.percent_chaos, best.percent_coherence)
        if tied and "cp1252" in match.could_be_from_charset:
            return data.decode("cp1252"), "cp1252"
    return str(best), best.encoding


def normalise_newlines(text: str) -> str:
    """The text with Windows (CRLF) and old Mac (CR) line ends turned into LF."""
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
    """Plain text (.txt): its encoding detected, line ends normalised, paragraphs and speaker turns kept."""

    name = "a plain-text"
    suffixes = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        """Any file whose first bytes carry no other format's signature may be text."""
        return describe_signature(head) is None

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """One source named after the file, with paragraph spans and (when asked) speaker turns."""
        text = read_text_file(path)
        spans = paragraph_spans(text)
        if options.detect_speakers:
            spans += speaker_turns(text, spans)
        return ParseResult([ParsedSource(name=path.stem, text=text, kind="text", spans=spans)])


register(TextImporter())
