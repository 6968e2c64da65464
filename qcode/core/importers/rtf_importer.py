"""Rich Text (.rtf): the document's text in paragraphs, read by a small tokenizer of our own.

The reader is a loop over tokens with an explicit stack of group states (never recursion), so deeply nested
or huge files cannot exhaust Python's stack; groups nested deeper than MAX_DEPTH share the deepest state.
It understands control words and symbols, groups, \\par \\line \\tab, \\'hh bytes in the document's code
page (\\ansicpg, default cp1252, or the font's \\fcharset/\\cpg), \\uN with \\ucN fallback skipping (surrogate
pairs joined), \\binN data, hidden text (\\v), and \\outlinelevel (heading spans). Destinations that are not
body text are skipped: everything marked \\*, font/colour/style tables, document info, pictures, objects,
headers and footers, field instructions (the field's result is kept), list bullets, comments.

Footnotes (\\footnote) are handled as in the OpenDocument importer: a "[n]" marker where \\chftn cites the
note, and the notes after the main text under a paragraph "Notes", each with a "footnote" span.

A damaged file is read best-effort: groups left open at the end of a truncated file are closed, and a stray
closing brace does not end the document if text follows it. Such a source gets meta["unbalanced"] = True;
if nothing readable is left, the import fails with a message saying the file is incomplete.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import TextBuilder, speaker_turns
from qcode.core.progress import Progress

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?"  # 1, 2: control word with its parameter (a space delimiter is eaten)
    rb"|\\'([0-9a-fA-F]{2})"  # 3: a byte in the code page
    rb"|\\([^a-zA-Z'])"  # 4: control symbol
    rb"|([{}])"  # 5: group
    rb"|[\r\n]+"  # line ends mean nothing in RTF
    rb"|([^\\{}\r\n]+)"  # 6: text
    rb"|\\'?",  # a lone backslash at the very end, or a broken \'
    re.DOTALL,
)
MAX_DEPTH = 512
_SKIPPED = """
    colortbl stylesheet info pict object header headerl headerr headerf footer footerl footerr footerf fldinst
    themedata colorschememapping latentstyles datastore xmlnstbl listtable listoverridetable rsidtbl generator
    filetbl revtbl pgdsctbl listtext pntext pntxta pntxtb pn txe xe tc template nonshppict shp shpinst sp
    annotation atnid atnauthor atrfstart atrfend atndate atnref ftnsep ftnsepc ftncn aftnsep aftnsepc aftncn
    bkmkstart bkmkend userprops docvar private mmathPr wgrffmtfilter passwordhash objdata blipuid defchp defpap
    fontemb fontfile panose falt upr
"""
_SKIP_DESTINATIONS = frozenset(_SKIPPED.split())
_BREAKS = frozenset({"par", "sect", "page", "cell", "row", "nestcell", "nestrow"})
_CHARS = {
    "line": "\n", "tab": "\t", "emdash": "\u2014", "endash": "\u2013", "emspace": "\u2003", "enspace": "\u2002",
    "qmspace": "\u2005", "bullet": "\u2022", "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c",
    "rdblquote": "\u201d", "zwj": "\u200d", "zwnj": "\u200c", "ltrmark": "\u200e", "rtlmark": "\u200f",
    "zwbo": "\u200b",
}
_SYMBOLS = {b"~": "\u00a0", b"_": "\u2011", b"\t": "\t"}
_FONT_CHARSETS = {
    77: "mac_roman", 128: "cp932", 129: "cp949", 130: "johab", 134: "gbk", 136: "cp950", 161: "cp1253",
    162: "cp1254", 163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874",
    238: "cp1250", 254: "cp437", 255: "cp850",
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_STEP = 8192


def codepage(number: int | None, default: str = "cp1252") -> str:
    """A Windows code page number as a Python codec name; unknown ones fall back to `default`."""
    if number is None:
        return default
    name = {65001: "utf-8", 10000: "mac_roman", 20127: "ascii", 1200: default}.get(number, f"cp{number}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return default


@dataclass(slots=True)
class _State:
    """What a group sets: where its text goes, the \\uc skip count, the font and hidden text."""

    dest: str = "main"  # "main", "note", "fonttbl" or "skip"
    uc: int = 1
    font: int | None = None
    hidden: bool = False
    note: int = -1

    def copy(self) -> _State:
        return _State(self.dest, self.uc, self.font, self.hidden, self.note)


class _Sink:
    """Text being collected; bytes wait until their code page's characters are complete."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending = bytearray()
        self.codec = "cp1252"

    def add_bytes(self, data: bytes, codec: str) -> None:
        if codec != self.codec:
            self._flush()
            self.codec = codec
        self.pending += data

    def add(self, text: str) -> None:
        self._flush()
        self.parts.append(text)

    def _flush(self) -> None:
        if self.pending:
            self.parts.append(self.pending.decode(self.codec, errors="replace"))
            self.pending.clear()

    def take(self) -> str:
        """The text so far (surrogate pairs from \\u joined, control characters dropped), and start afresh."""
        self._flush()
        text = "".join(self.parts)
        self.parts = []
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")
        return _CONTROL_CHARS.sub("", text)


class _Reader:
    """Reads the token stream into main-text paragraphs (with heading levels) and notes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.stack = [_State()]
        self.overflow = 0  # groups opened beyond MAX_DEPTH
        self.skip_left = 0  # characters still to skip after a \u
        self.doc_codec = "cp1252"
        self.font_codecs: dict[int, str | None] = {}
        self.table_font: int | None = None
        self.default_font: int | None = None
        self.main = _Sink()
        self.paragraphs: list[tuple[str, str | None]] = []
        self.level: str | None = None
        self.notes: list[_Sink] = []
        self.unbalanced = False

    def read(self, progress: Progress | None) -> None:
        data, pos, size, count = self.data, 0, len(self.data), 0
        while pos < size:
            match = _TOKEN.match(data, pos)
            assert match is not None  # every byte starts some alternative
            pos = match.end()
            count += 1
            if progress is not None and count % _STEP == 0:
                if progress.cancelled():
                    raise ImportError_("Import cancelled.")
                progress.step(pos, size, "text")
            if match.lastindex is None:  # line ends, broken escapes
                continue
            word, param, hexa, symbol, brace, text = match.groups()
            if brace is not None:
                self.skip_left = 0
                if brace == b"{":
                    self._open()
                elif self._close():
                    if not data[pos:].strip(b" \t\r\n\x00}"):
                        break
                    self.unbalanced = True  # a stray brace: text follows the end of the document
            elif word == b"bin" and param:
                pos = min(size, pos + max(0, int(param)))
            elif self.skip_left:
                if text is not None and len(text) > self.skip_left:
                    self._text(text[self.skip_left:])
                    self.skip_left = 0
                elif text is not None:
                    self.skip_left -= len(text)
                else:
                    self.skip_left -= 1
            elif word is not None:
                self._control(word.decode("ascii"), int(param) if param is not None else None)
            elif hexa is not None:
                self._text(bytes.fromhex(hexa.decode("ascii")))
            elif symbol is not None:
                self._symbol(symbol)
            elif text is not None:
                self._text(text)
        if len(self.stack) > 1 or self.overflow:
            self.unbalanced = True
        self._end_paragraph()

    # --- groups -----------------------------------------------------------------------------------------

    def _open(self) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.overflow += 1
        else:
            self.stack.append(self.stack[-1].copy())

    def _close(self) -> bool:
        """Close a group; True when it was the document's outermost one."""
        if self.overflow:
            self.overflow -= 1
        elif len(self.stack) > 2:
            self.stack.pop()
        elif len(self.stack) == 2:
            self.stack.pop()  # text after a stray brace is still read, in the outermost state
            return True
        else:
            self.unbalanced = True
        return False

    # --- content ----------------------------------------------------------------------------------------

    def _sink(self) -> _Sink | None:
        state = self.stack[-1]
        if state.hidden:
            return None
        if state.dest == "main":
            return self.main
        if state.dest == "note" and 0 <= state.note < len(self.notes):
            return self.notes[state.note]
        return None

    def _text(self, data: bytes) -> None:
        sink = self._sink()
        if sink is not None:
            font = self.stack[-1].font if self.stack[-1].font is not None else self.default_font
            codec = self.font_codecs.get(font) if font is not None else None
            sink.add_bytes(data, codec or self.doc_codec)

    def _add(self, text: str) -> None:
        sink = self._sink()
        if sink is not None:
            sink.add(text)

    def _end_paragraph(self) -> None:
        self.paragraphs.append((self.main.take(), self.level))

    def _symbol(self, symbol: bytes) -> None:
        if symbol == b"*":
            self.stack[-1].dest = "skip"
        elif symbol in (b"\\", b"{", b"}"):
            self._text(symbol)
        elif symbol in (b"\n", b"\r"):
            self._control("par", None)
        elif symbol in _SYMBOLS:
            self._add(_SYMBOLS[symbol])

    def _control(self, name: str, number: int | None) -> None:
        state = self.stack[-1]
        if name in _BREAKS:
            if state.dest == "note":
                self._add("\n")
            elif state.dest == "main":
                self._end_paragraph()
        elif name in _CHARS:
            self._add(_CHARS[name])
        elif name == "u" and number is not None:
            self._add(chr(number % 0x10000))  # a signed 16-bit number; surrogate halves are joined later
            self.skip_left = state.uc
        elif name == "uc" and number is not None:
            state.uc = max(0, min(number, 16))
        elif name in _SKIP_DESTINATIONS:
            state.dest = "skip"
        elif name == "fonttbl":
            state.dest = "fonttbl"
        elif name == "f" and number is not None:
            if state.dest == "fonttbl":
                self.table_font = number
                self.font_codecs.setdefault(number, None)
            else:
                state.font = number
        elif name == "fcharset" and state.dest == "fonttbl" and self.table_font is not None and number is not None:
            if self.font_codecs.get(self.table_font) is None:
                self.font_codecs[self.table_font] = _FONT_CHARSETS.get(number)
        elif name == "cpg" and state.dest == "fonttbl" and self.table_font is not None:
            self.font_codecs[self.table_font] = codepage(number, self.doc_codec)
        else:
            self._setting(name, number, state)

    def _setting(self, name: str, number: int | None, state: _State) -> None:
        if name == "ansicpg":
            self.doc_codec = codepage(number)
        elif name in ("mac", "pc", "pca"):
            self.doc_codec = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}[name]
        elif name == "deff":
            self.default_font = number
        elif name == "v":
            state.hidden = number != 0
        elif name == "plain":
            state.hidden = False
        elif name == "pard":
            self.level = None
        elif name == "outlinelevel" and number is not None:
            self.level = str(min(number + 1, 6)) if 0 <= number < 9 else None
        elif name == "footnote" and state.dest == "main":
            self.notes.append(_Sink())
            state.dest, state.note = "note", len(self.notes) - 1
        elif name == "chftn" and state.dest == "main":
            self._add(f"[{len(self.notes) + 1}]")


class RtfImporter:
    """Rich Text (.rtf): paragraphs, headings and footnotes, read by qcode's own tokenizer."""

    name = "a Rich Text (.rtf)"
    suffixes = (".rtf",)

    def sniff(self, head: bytes) -> bool:
        """A Rich Text file starts with '{\\rtf' (after a byte order mark or white space)."""
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf")

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """The document's text with paragraph, heading, footnote and (when asked) speaker-turn spans; a damaged file is
        read as far as it goes. Raises UnreadableFileError when the file is not RTF, EmptySourceError when it holds
        no text."""
        try:
            data = path.read_bytes()
        except OSError as err:
            raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
        data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not data.startswith(b"{\\rtf"):
            raise UnreadableFileError(f"{path.name} is not a Rich Text document (it should start with {{\\rtf).")
        reader = _Reader(data)
        reader.read(progress)
        builder = TextBuilder()
        for text, level in reader.paragraphs:
            builder.add(text.strip(" \t\n"), heading=level)
        main_paragraphs = list(builder.paragraphs)
        notes = [(str(n), sink.take().strip(" \t\n")) for n, sink in enumerate(reader.notes, start=1)]
        notes = [(label, text) for label, text in notes if text]
        if notes and builder.paragraphs:
            builder.add("Notes")
            for label, text in notes:
                builder.add(f"[{label}] {text}", spans=[("footnote", label)])
        full = builder.text()
        if not full.strip():
            if reader.unbalanced:
                raise UnreadableFileError(f"{path.name} is incomplete (it looks cut short) and no text could be "
                                          "recovered from it; save it again and import the new file.")
            raise EmptySourceError(f"{path.name} holds no text.")
        spans = builder.all_spans(speaker_turns(full, main_paragraphs) if options.detect_speakers else [])
        meta = {"unbalanced": True} if reader.unbalanced else {}
        return ParseResult([ParsedSource(name=path.stem, text=full, kind="rtf", spans=spans, meta=meta)])


register(RtfImporter())
