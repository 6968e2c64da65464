"""Small PDFs written byte by byte for the robustness tests and the benchmark: a shared content stream whose
/Length is wrong, and a flate bomb. Every text in them is invented."""

from __future__ import annotations

import zlib
from pathlib import Path


def write_pdf(path: Path, objects: list[bytes], page_ids: list[int]) -> Path:
    """Objects 3.. as given (1 is the catalog, 2 the page tree), with a correct cross-reference table."""
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    all_objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids), *objects]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(all_objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(all_objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(all_objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _page(content_id: int) -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % content_id)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def shared_stream_pdf(path: Path, pages: int, *, length_error: int = 10_000_000) -> Path:
    """`pages` pages drawing one shared content stream whose /Length overshoots by `length_error` bytes."""
    content = b"BT /F1 12 Tf 72 720 Td (An invented line on every page.) Tj ET"
    stream = b"<< /Length %d >>\nstream\n" % (len(content) + length_error) + content + b"\nendstream"
    objects = [FONT, stream] + [_page(4) for _ in range(pages)]
    return write_pdf(path, objects, list(range(5, 5 + pages)))


def text_pdf(path: Path, lines: list[str], *, before: bytes = b"", compress: bool = False) -> Path:
    """One page per line, each with its own correct content stream (`before` goes ahead of the text;
    `compress` packs the stream with Flate)."""
    objects = [FONT]
    page_ids = []
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        content = before + b"BT /F1 12 Tf 72 720 Td (" + escaped + b") Tj ET"
        flate = b""
        if compress:
            content, flate = zlib.compress(content), b" /Filter /FlateDecode"
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(content), flate) + content + b"\nendstream")
        objects.append(_page(3 + len(objects) - 1))
        page_ids.append(3 + len(objects) - 1)
    return write_pdf(path, objects, page_ids)


def flate_bomb_pdf(path: Path, inflated_mb: int) -> Path:
    """One page whose content stream inflates to `inflated_mb` MB of spaces after a line of text."""
    squeezer = zlib.compressobj(9)
    head = b"BT /F1 12 Tf 72 720 Td (An invented line before the padding.) Tj ET\n"
    packed = [squeezer.compress(head)]
    block = b" " * (1024 * 1024)
    for _ in range(inflated_mb):
        packed.append(squeezer.compress(block))
    packed.append(squeezer.flush())
    data = b"".join(packed)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return write_pdf(path, [FONT, stream, _page(4)], [5])


def lzw_repeated(count: int) -> bytes:
    """LZW codes (as PDF's LZWDecode reads them) for a long run of one byte: `count` codes, each standing for
    a longer run than the one before, up to the longest the table holds, which is then repeated."""
    codes = [256, ord(" ")]
    table_length, width, widths = 258, 9, [9, 9]
    for _ in range(count):
        code = min(table_length, 4094)
        codes.append(code)
        widths.append(width)
        table_length += 1
        width = {511: 10, 1023: 11, 2047: 12}.get(table_length, width)
    codes.append(257)
    widths.append(width)
    bits = "".join(format(code, f"0{w}b") for code, w in zip(codes, widths, strict=True))
    bits += "0" * (-len(bits) % 8)
    return int(bits, 2).to_bytes(len(bits) // 8, "big")


def run_length_repeated(runs: int) -> bytes:
    """RunLength data of `runs` runs of 128 spaces (two bytes each), then the end mark."""
    return b"\x81 " * runs + b"\x80"


def filtered_bomb_pdf(path: Path, filter_name: bytes, data: bytes) -> Path:
    """One page whose content stream, under `filter_name`, decodes from `data` to a long run after a line."""
    stream = b"<< /Length %d /Filter /%s >>\nstream\n" % (len(data), filter_name) + data + b"\nendstream"
    return write_pdf(path, [FONT, stream, _page(4)], [5])
