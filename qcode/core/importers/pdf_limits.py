"""Bounds on what a PDF may cost to read, around pdfminer.six: streams end where they really end, and
compressed content stops inflating at a limit.

Two kinds of hostile or broken file made pdfminer's work unbounded:

- A stream whose `/Length` is wrong. pdfminer trusts the length, then reads on line by line to the next
  `endstream`; when there is none after it, the object cannot be read, is never cached, and every page that
  draws it (a shared content stream) reads the rest of the file again: quadratic, with the text lost. Here
  a stream whose declared end is not followed by `endstream` ends at the first `endstream` after its start,
  found once, so the object reads (and is cached) like any other.
- A compression bomb: a small file whose streams inflate to gigabytes. Here Flate and LZW data are decoded
  in chunks against one budget per document (RunLength data is measured before it is decoded), and reading stops with one line once the document's content
  passes `MAX_CONTENT_BYTES`, or `RATIO_FLOOR_BYTES` at more than `MAX_RATIO` times the file's size.

`BoundedPDFParser` is given to `PDFDocument` in place of pdfminer's `PDFParser`; the streams it makes are
`BoundedPDFStream`s, whose `decode` mirrors pdfminer's filter chain with the Flate step bounded.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.ccitt import ccittfaxdecode
from pdfminer.lzw import LZWDecoder, lzwdecode
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.pdftypes import (
    LITERAL_CRYPT,
    LITERALS_ASCII85_DECODE,
    LITERALS_ASCIIHEX_DECODE,
    LITERALS_CCITTFAX_DECODE,
    LITERALS_DCT_DECODE,
    LITERALS_FLATE_DECODE,
    LITERALS_JBIG2_DECODE,
    LITERALS_JPX_DECODE,
    LITERALS_LZW_DECODE,
    LITERALS_RUNLENGTH_DECODE,
    PDFNotImplementedError,
    PDFStream,
    dict_value,
    int_value,
)
from pdfminer.psparser import PSEOF
from pdfminer.runlength import rldecode
from pdfminer.utils import apply_png_predictor, apply_tiff_predictor

from qcode.core.errors import FileTooLargeError

MB = 1024 * 1024
MAX_CONTENT_BYTES = 200 * MB
RATIO_FLOOR_BYTES = 50 * MB
MAX_RATIO = 200
CHUNK = 1 * MB
SEARCH_CHUNK = 1 * MB
_ENDSTREAM = b"endstream"
_SPACE = b"\x00\t\n\x0c\r "


class ContentBombError(FileTooLargeError):
    """The document's compressed content would inflate past the bounds."""


class InflateBudget:
    """How much one document's streams have inflated so far, against its bounds."""

    def __init__(self, name: str, file_size: int) -> None:
        self.name = name
        self.file_size = max(file_size, 1)
        self.used = 0

    @property
    def limit(self) -> int:
        """The most this document's streams may inflate to."""
        return min(MAX_CONTENT_BYTES, max(RATIO_FLOOR_BYTES, MAX_RATIO * self.file_size))

    def spend(self, count: int) -> None:
        """Count inflated bytes against the budget; raises ContentBombError once the document's streams pass its limit.
        """
        self.used += count
        if self.used > self.limit:
            raise ContentBombError(
                f"{self.name} would unpack to more than {self.limit / MB:.0f} MB of content from a "
                f"{self.file_size / MB:.1f} MB file; it is refused as unsafe (a 'decompression bomb'). If it is "
                "a genuine document, print it to a new PDF and import that."
            )


def bounded_inflate(data: bytes, budget: InflateBudget) -> bytes:
    """Flate data inflated chunk by chunk against the budget; a damaged stream keeps what inflated before it
    broke (pdfminer's own fallback reads corrupted data as far as it goes)."""
    inflater = zlib.decompressobj()
    chunks: list[bytes] = []
    pending = data
    try:
        while pending:
            chunk = inflater.decompress(pending, CHUNK)
            budget.spend(len(chunk))
            chunks.append(chunk)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            rest = inflater.flush()
            budget.spend(len(rest))
            chunks.append(rest)
    except zlib.error:
        pass
    return b"".join(chunks)


def bounded_lzw(data: bytes, budget: InflateBudget) -> bytes:
    """LZW data decoded code by code against the budget (one code may stand for thousands of bytes)."""
    chunks: list[bytes] = []
    pending = 0
    for piece in LZWDecoder(io.BytesIO(data)).run():
        chunks.append(piece)
        pending += len(piece)
        if pending >= CHUNK:
            budget.spend(pending)
            pending = 0
    budget.spend(pending)
    return b"".join(chunks)


def run_length_size(data: bytes) -> int:
    """How many bytes RunLength data decodes to, read from its length bytes alone."""
    size = index = 0
    while index < len(data):
        length = data[index]
        if length == 128:
            break
        if length < 128:
            size += length + 1
            index += length + 2
        else:
            size += 257 - length
            index += 2
    return size


class BoundedPDFStream(PDFStream):
    """A stream whose Flate data inflates against the document's budget."""

    budget: InflateBudget | None = None

    def decode(self) -> None:
        """Decode the stream's filters as pdfminer does, with Flate and LZW data inflated within the document's budget.
        """
        data = self.rawdata or b""
        if self.decipher and self.objid is not None and self.genno is not None:
            data = self.decipher(self.objid, self.genno, data, self.attrs)
        for name, params in self.get_filters():
            size_in = len(data)
            if name in LITERALS_FLATE_DECODE:
                data = bounded_inflate(data, self.budget) if self.budget is not None else zlib.decompress(data)
            elif name in LITERALS_LZW_DECODE:
                data = bounded_lzw(data, self.budget) if self.budget is not None else lzwdecode(data)
            elif name in LITERALS_ASCII85_DECODE:
                data = ascii85decode(data)
            elif name in LITERALS_ASCIIHEX_DECODE:
                data = asciihexdecode(data)
            elif name in LITERALS_RUNLENGTH_DECODE:
                if self.budget is not None:
                    self.budget.spend(run_length_size(data))  # before decoding: up to 64 times the input
                data = rldecode(data)
            elif name in LITERALS_CCITTFAX_DECODE:
                data = ccittfaxdecode(data, params)
            elif name in LITERALS_DCT_DECODE or name in LITERALS_JBIG2_DECODE or name in LITERALS_JPX_DECODE:
                pass  # images, kept as they are
            elif name == LITERAL_CRYPT:
                raise PDFNotImplementedError("/Crypt filter is unsupported")
            else:
                raise PDFNotImplementedError(f"Unsupported filter: {name!r}")
            if self.budget is not None and not (name in LITERALS_FLATE_DECODE or name in LITERALS_LZW_DECODE
                                                or name in LITERALS_RUNLENGTH_DECODE):
                self.budget.spend(max(0, len(data) - size_in))  # the other filters never grow much
            data = _predicted(data, params)
        self.data = data
        self.rawdata = None


def _predicted(data: bytes, params: object) -> bytes:
    """Undo a PNG or TIFF predictor named in a filter's parameters."""
    if not isinstance(params, dict) or "Predictor" not in params:
        return data
    predictor = int_value(params["Predictor"])
    if predictor == 1:
        return data
    colors = int_value(params.get("Colors", 1))
    columns = int_value(params.get("Columns", 1))
    bits = int_value(params.get("BitsPerComponent", 8))
    if predictor == 2:
        return apply_tiff_predictor(colors, columns, bits, data)
    if predictor >= 10:
        return apply_png_predictor(predictor, colors, columns, bits, data)
    raise PDFNotImplementedError(f"Unsupported predictor: {predictor!r}")


class BoundedPDFParser(PDFParser):
    """pdfminer's parser, with streams that end at their real `endstream` and inflate within a budget."""

    def __init__(self, fp: BinaryIO, budget: InflateBudget) -> None:
        super().__init__(fp)
        self.budget = budget
        fp.seek(0, 2)
        self.file_size = fp.tell()
        fp.seek(0)

    def do_keyword(self, pos: int, token) -> None:  # type: ignore[no-untyped-def]
        """pdfminer's keyword handling, but a stream is read up to its real 'endstream' (a wrong /Length cannot make it
        swallow the file) and made a BoundedPDFStream."""
        if token is not self.KEYWORD_STREAM:
            super().do_keyword(pos, token)
            return
        popped = self.pop(1)
        try:
            ((_, dic),) = popped
        except ValueError as err:
            raise PDFSyntaxError(f"Invalid stream dictionary: {popped}") from err
        dic = dict_value(dic)
        declared = -1
        if not self.fallback:
            try:
                declared = int_value(dic.get("Length"))  # may resolve a reference elsewhere in the file
            except (TypeError, ValueError):
                declared = -1
        self.seek(pos)
        try:
            (_, line) = self.nextline()  # the line of the 'stream' keyword
        except PSEOF:
            return
        start = pos + len(line)
        data_end, endstream_at = self._stream_end(start, declared)
        self.fp.seek(start)
        data = self.fp.read(max(0, data_end - start))
        self.seek(endstream_at)
        assert self.doc is not None
        stream = BoundedPDFStream(dic, data, self.doc.decipher)
        stream.budget = self.budget
        self.push((pos, stream))

    def _stream_end(self, start: int, declared: int) -> tuple[int, int]:
        """Where a stream's data ends and where its `endstream` keyword starts."""
        if 0 <= declared <= self.file_size - start:
            self.fp.seek(start + declared)
            after = self.fp.read(64)
            keyword = len(after) - len(after.lstrip(_SPACE))
            if after[keyword:].startswith(_ENDSTREAM):
                return start + declared, start + declared + keyword
        found = self._find_endstream(start)
        if found is None:
            return self.file_size, self.file_size
        self.fp.seek(max(start, found - 2))
        before = self.fp.read(found - max(start, found - 2))
        end = found
        if before.endswith(b"\r\n"):
            end -= 2
        elif before.endswith((b"\n", b"\r")):
            end -= 1
        return end, found

    def _find_endstream(self, start: int) -> int | None:
        """The offset of the first `endstream` at or after `start`, read in chunks."""
        offset = start
        self.fp.seek(offset)
        carry = b""
        while chunk := self.fp.read(SEARCH_CHUNK):
            window = carry + chunk
            hit = window.find(_ENDSTREAM)
            if hit >= 0:
                return offset - len(carry) + hit
            carry = window[-(len(_ENDSTREAM) - 1):]
            offset += len(chunk)
        return None
