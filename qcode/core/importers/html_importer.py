"""Web pages (.html, .htm): the visible text, in paragraphs, read with the standard library's HTML parser.

What is not shown as text by a browser is dropped: scripts, styles, templates, <noscript> fallbacks, the
<head> (its <title> is kept in meta["title"]; the source keeps the file's name), elements marked `hidden`,
drop-down lists, and the fallback content of frames, objects, drawings (svg) and formulas (math). An image's
alt text is kept where the image stands (it carries meaning in web captures), unless the image is hidden.
Every block element (p, div, li, h1-h6, blockquote, table cell, section ...) and every <br> starts a new
paragraph; table cells also get a "cell" span and h1-h6 a "heading" span. Whitespace is collapsed as a
browser does (kept inside <pre>, where blank lines separate paragraphs); entities are decoded.
"""

from __future__ import annotations

import codecs
import itertools
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.structure import TextBuilder, speaker_turns
from qcode.core.importers.text import TextImporter, checked_text, decode
from qcode.core.progress import Progress

_SKIP = {"script", "style", "template", "noscript", "title", "iframe", "object", "svg", "math", "select"}
_HEAD_CONTENT = {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
         "wbr", "keygen", "basefont", "frame"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "listing", "xmp", "plaintext", "textarea",
}
_PRE = {"pre", "listing", "textarea", "xmp", "plaintext"}
_HEADINGS = {"h1": "1", "h2": "2", "h3": "3", "h4": "4", "h5": "5", "h6": "6"}
# opening a key closes the open element of its set (with what is open inside it), as browsers do with optional
# end tags, looking down the open elements no further than one of the scope's containers
_IMPLIED_END = {
    "li": ({"li"}, {"ul", "ol", "menu"}), "dt": ({"dt", "dd"}, {"dl"}), "dd": ({"dt", "dd"}, {"dl"}),
    "tr": ({"tr", "td", "th"}, {"table", "thead", "tbody", "tfoot"}), "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}), "p": ({"p"}, set(_BLOCK) - {"p"}),
}
_SCOPE_LOOKUP = 64
_END_LOOKUP = 1000
_COLLAPSE = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_CHUNK = 256 * 1024


class _Extractor(HTMLParser):
    """Collects (text, heading level, in a cell, preformatted) blocks while the parser walks the page.

    Open elements are kept on a list with counts beside it, so deeply nested or unclosed markup costs no
    recursion and no repeated scans.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str | None, bool, bool]] = []
        self.title: str | None = None
        self._pieces: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self._open: Counter[str] = Counter()
        self._headings: list[str] = []
        self._pre = 0  # open elements that keep white space
        self._skip = 0
        self._hiders: list[int] = []  # where the open elements that hide their content sit on the stack
        self._in_head = False
        self._title_parts: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_head and tag not in _HEAD_CONTENT:
            self._in_head = False
        if tag == "head":
            self._in_head = True
            return
        if tag in _VOID:
            if tag in ("br", "hr") and not self._skip:
                self._flush()
            elif tag == "img" and not self._skip and not self._in_head:
                self._alt_text(attrs)
            return
        if tag in _BLOCK:
            self._close_implied(*_IMPLIED_END["p"])
        implied = _IMPLIED_END.get(tag)
        if implied and tag != "p":
            self._close_implied(*implied)
        if tag in _BLOCK and not self._skip:
            self._flush()
        hides = tag in _SKIP or any(name == "hidden" for name, _ in attrs)
        if hides:
            self._hiders.append(len(self._stack))
        self._stack.append((tag, hides))
        self._open[tag] += 1
        self._pre += tag in _PRE
        if tag in _HEADINGS:
            self._headings.append(_HEADINGS[tag])
        if hides:
            self._skip += 1
            if tag == "title" and self._skip == 1 and self.title is None and self._title_parts is None:
                self._title_parts = []

    def _alt_text(self, attrs: list[tuple[str, str | None]]) -> None:
        """An image's alt text, which carries meaning in web captures, read where the image stands."""
        values = dict(attrs)
        alt = _COLLAPSE.sub(" ", values.get("alt") or "").strip()
        if alt and "hidden" not in values and (values.get("aria-hidden") or "").lower() != "true":
            self._pieces.append(f" {alt} ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and tag != "head":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False
        elif self._open[tag] and self._closable(tag):
            self._close(tag)
        elif (tag in _BLOCK or tag == "br") and not self._skip:  # a stray </p> or </br> still breaks the line
            self._flush()

    def _closable(self, tag: str) -> bool:
        """Inside hidden content, only what was opened there can be closed (as with a <template>)."""
        if not self._hiders:
            return True
        inside = self._stack[self._hiders[-1]:][-_END_LOOKUP:]
        return any(open_tag == tag for open_tag, _ in inside)

    def _close_implied(self, closes: set[str], scope: set[str]) -> None:
        target = None
        for tag, hides in reversed(self._stack[-_SCOPE_LOOKUP:]):
            if tag in closes:
                target = tag
            elif tag in scope or hides:
                break
        if target:
            self._close(target)

    def _close(self, tag: str) -> None:
        """Close the innermost open `tag` and everything left open inside it."""
        while self._stack:
            if self._stack[-1][0] in _BLOCK and not self._skip:
                self._flush()
            open_tag, hides = self._stack.pop()
            self._open[open_tag] -= 1
            self._pre -= open_tag in _PRE
            if open_tag in _HEADINGS:
                self._headings.pop()
            if hides:
                self._skip -= 1
                self._hiders.pop()
                if open_tag == "title" and self._title_parts is not None:
                    self.title = _COLLAPSE.sub(" ", "".join(self._title_parts)).strip() or None
                    self._title_parts = None
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._title_parts is not None:
            self._title_parts.append(data)
        elif self._skip or self._in_head:
            return
        elif self._pre:
            self._pieces.append(data.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            self._pieces.append(_COLLAPSE.sub(" ", data))

    def _flush(self) -> None:
        if not self._pieces:
            return
        text = "".join(self._pieces)
        self._pieces = []
        cell = bool(self._open["td"] or self._open["th"])
        self.blocks.append((text, self._headings[-1] if self._headings else None, cell, self._pre > 0))

    def close(self) -> None:
        super().close()
        self._flush()


def _decode_html(data: bytes, name: str) -> str:
    """Bytes to text: a BOM, else a <meta charset> declaration, else the guess text files get."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = codecs.lookup(declared.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                encoding = None
            if encoding and not encoding.startswith("utf-16"):
                if b"\x00" in data[:4096]:
                    raise UnreadableFileError(f"{name} does not look like a web page (it holds binary data).")
                if encoding in ("latin-1", "iso8859-1", "ascii"):
                    encoding = "cp1252"  # what browsers do with these labels
                return checked_text(data.decode(encoding, errors="replace"), name)
    return decode(data, name)


def _paragraphs(blocks: list[tuple[str, str | None, bool, bool]]) -> list[tuple[str, str | None, bool]]:
    """Blocks trimmed as a browser shows them; preformatted blocks split at blank lines."""
    out: list[tuple[str, str | None, bool]] = []
    for text, level, cell, pre in blocks:
        if pre:
            pieces = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", text)]
            pieces = [p.rstrip() for p in pieces]
        else:
            pieces = [_COLLAPSE.sub(" ", text).strip(" ")]
        out.extend((piece, level, cell) for piece in pieces if piece.strip())
    return out


MAX_UNCLOSED = 16
_OPENER = re.compile(r"<[A-Za-z!?/]")


def cut_unclosed(source: str) -> str:
    """The page without a run of comments or tags that never close, which browsers drop with the rest of the
    page after them; Python's HTML parser would rescan the rest of the page for each (quadratic time).

    A few stray openers (a `<!--` written inside a script) are left to the parser, which copes with them.
    """
    end = source.rfind("-->")
    after = end + 3 if end >= 0 else 0
    if source.count("<!--", after) > MAX_UNCLOSED:
        source = source[:source.find("<!--", after)]
    last = source.rfind(">")
    openers = _OPENER.finditer(source, last + 1)
    first = next(openers, None)
    if first is not None and sum(1 for _ in itertools.islice(openers, MAX_UNCLOSED)) >= MAX_UNCLOSED:
        source = source[:first.start()]
    return source


class HtmlImporter:
    """Web pages (.html, .htm): the text a browser shows, in paragraphs, with heading and cell spans."""

    name = "a web page (HTML)"
    suffixes = (".html", ".htm")

    def sniff(self, head: bytes) -> bool:
        """A web page looks like text; its ending picks this importer."""
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """The visible text of the page (its encoding from the page's declaration or detected). Raises EmptySourceError
        when it shows no text, UnreadableFileError when the markup cannot be read."""
        try:
            data = path.read_bytes()
        except OSError as err:
            raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
        source = cut_unclosed(_decode_html(data, path.name).lstrip("\ufeff"))
        extractor = _Extractor()
        try:
            for done in range(0, len(source), _CHUNK):
                if progress is not None:
                    if progress.cancelled():
                        raise ImportError_("Import cancelled.")
                    progress.step(done, len(source), "web page")
                extractor.feed(source[done:done + _CHUNK])
            extractor.close()
        except (AssertionError, ValueError) as err:  # the parser's few complaints about broken markup
            raise UnreadableFileError(f"{path.name} is not a readable web page ({err}).") from err
        builder = TextBuilder()
        for text, level, cell in _paragraphs(extractor.blocks):
            builder.add(text, heading=level, spans=[("cell", None)] if cell else [])
        full = builder.text()
        if not full.strip():
            raise EmptySourceError(f"{path.name} holds no visible text.")
        spans = builder.all_spans(speaker_turns(full, builder.paragraphs) if options.detect_speakers else [])
        meta = {"title": extractor.title} if extractor.title else {}
        return ParseResult([ParsedSource(name=path.stem, text=full, kind="html", spans=spans, meta=meta)])


register(HtmlImporter())
