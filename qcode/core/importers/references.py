"""Reference libraries (.ris, .bib) as exported by Zotero, EndNote or Mendeley: one source per entry.

An entry becomes a source when it has something to code: an abstract or notes (or, with the
attachments option, a readable attached PDF). The source's text is the title (a level-1 heading), then
the abstract, then the notes, then the attached PDF's text; bibliographic details become source attributes.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.text import TextImporter, decode, normalise_newlines
from qcode.core.model import Span
from qcode.core.progress import Progress

MAX_NAME = 80
ATTRIBUTES = {"Authors": "text", "Year": "number", "Title": "text", "Journal": "text", "DOI": "text",
              "Keywords": "text"}
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?: (.*)|\s*)$")
_YEAR = re.compile(r"\d{4}")
_HTML_BREAK = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h\d)\s*>")
_HTML_TAG = re.compile(r"<[^<>]+>")


@dataclass(slots=True)
class Reference:
    """One library entry, format-neutral."""

    kind: str = ""
    key: str = ""
    authors: list[str] = field(default_factory=list)
    title: str = ""
    journal: str = ""
    year: str = ""
    doi: str = ""
    url: str = ""
    keywords: list[str] = field(default_factory=list)
    abstract: str = ""
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # attachment paths as the library gives them


# --- RIS -------------------------------------------------------------------------------------------------


def _first(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        for value in fields.get(tag, []):
            if value.strip():
                return value.strip()
    return ""


def parse_ris(text: str) -> list[Reference]:
    """Records from TY to ER; a line without a tag continues the field before it."""
    references: list[Reference] = []
    fields: dict[str, list[str]] = {}
    last: str | None = None

    def finish() -> None:
        if fields:
            references.append(_ris_reference(fields))
        fields.clear()

    for line in text.split("\n"):
        match = _RIS_LINE.match(line)
        if match is None:
            if last is not None and line.strip() and fields:
                fields[last][-1] = f"{fields[last][-1]} {line.strip()}".strip()
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            finish()
        if tag == "ER":
            finish()
            last = None
            continue
        fields.setdefault(tag, []).append(value)
        last = tag
    finish()
    return references


def _ris_reference(fields: dict[str, list[str]]) -> Reference:
    year = _YEAR.search(_first(fields, "PY", "Y1", "DA"))
    return Reference(
        kind=_first(fields, "TY"),
        key=_first(fields, "ID"),
        authors=[a.strip() for tag in ("AU", "A1") for a in fields.get(tag, []) if a.strip()],
        title=_first(fields, "TI", "T1"),
        journal=_first(fields, "T2", "JF", "JO", "JA"),
        year=year.group(0) if year else "",
        doi=_first(fields, "DO"),
        url=_first(fields, "UR"),
        keywords=[k.strip() for k in fields.get("KW", []) if k.strip()],
        abstract=_first(fields, "AB", "N2"),
        notes=[n for n in fields.get("N1", []) if n.strip()],
        files=[f.strip() for f in fields.get("L1", []) if f.strip()],
    )


# --- BibTeX ------------------------------------------------------------------------------------------------

_MONTHS = {m[:3].lower(): m for m in ("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December")}
_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_FIELD_NAME = re.compile(r"[A-Za-z0-9_.:+-]+")
_PLAIN_FIELDS = ("url", "doi", "file", "eprint")  # no TeX in these: '--' and '~' are meant literally
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
            "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_SYMBOL_ACCENT = re.compile(r"""\\(["'`^~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij]|[A-Za-z]))""")
_WORD_ACCENT = re.compile(r"\\([cvuHkrdb])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))")
_LETTERS = {"ss": "ß", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø",
            "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_LETTER = re.compile(r"\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])\s*")
_WORDS = {"textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textquoteleft": "‘",
          "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”", "textasciitilde": "~"}
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?\s*")
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


class _BibError(Exception):
    """A malformed entry; the parser skips to the next '@'."""


def _accent(match: re.Match[str]) -> str:
    letter = match.group(2) or match.group(3)
    return letter[-1] + _ACCENTS[match.group(1)]


def latex_to_text(value: str) -> str:
    """TeX markup to Unicode: accents in their common forms, special letters, escapes, dashes; braces removed."""
    value = value.replace("\\\\", " ")
    value = _ESCAPED.sub(lambda m: {"{": "\ue000", "}": "\ue001"}.get(m.group(1), m.group(1)), value)
    value = _SYMBOL_ACCENT.sub(_accent, value)
    value = _WORD_ACCENT.sub(_accent, value)
    value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
    value = _COMMAND.sub(lambda m: _WORDS.get(m.group(1), ""), value)
    value = value.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”").replace("~", " ")
    value = value.replace("{", "").replace("}", "").replace("\ue000", "{").replace("\ue001", "}")
    return unicodedata.normalize("NFC", value)


def _plain(value: str) -> str:
    return " ".join(_ESCAPED.sub(r"\1", value).replace("{", "").replace("}", "").split())


def _closing(text: str, start: int) -> int:
    """The index of the brace that closes the one at `start` (escaped braces do not count)."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise _BibError("unbalanced braces")


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _value(text: str, pos: int, macros: dict[str, str]) -> tuple[str, int]:
    """A field value: {braced}, "quoted", a number or a macro, joined by '#'; inner braces kept."""
    pieces: list[str] = []
    while True:
        pos = _skip_ws(text, pos)
        char = text[pos] if pos < len(text) else ""
        if char == "{":
            end = _closing(text, pos)
            pieces.append(text[pos + 1:end])
            pos = end + 1
        elif char == '"':
            end, depth = pos + 1, 0
            while end < len(text) and not (text[end] == '"' and depth == 0 and text[end - 1] != "\\"):
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            if end >= len(text):
                raise _BibError("unterminated quote")
            pieces.append(text[pos + 1:end])
            pos = end + 1
        else:
            word = _FIELD_NAME.match(text, pos)
            if word is None:
                raise _BibError("missing value")
            name = word.group(0)
            pieces.append(name if name.isdigit() else macros.get(name.lower(), name))
            pos = word.end()
        pos = _skip_ws(text, pos)
        if pos < len(text) and text[pos] == "#":
            pos += 1
            continue
        return "".join(pieces), pos


def _entry(text: str, pos: int, close: str, macros: dict[str, str],
           keyed: bool = True) -> tuple[str, dict[str, str], int]:
    """Key and raw fields of an entry whose opening bracket ends just before `pos` (@string has no key)."""
    key_end = pos
    while keyed and key_end < len(text) and text[key_end] not in ",}" + close:
        key_end += 1
    key, pos = text[pos:key_end].strip(), key_end
    fields: dict[str, str] = {}
    while pos < len(text):
        pos = _skip_ws(text, pos)
        if text[pos] == close:
            return key, fields, pos + 1
        if text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            if pos < len(text) and text[pos] == close:
                return key, fields, pos + 1
        name = _FIELD_NAME.match(text, pos)
        if name is None:
            raise _BibError("missing field name")
        pos = _skip_ws(text, name.end())
        if pos >= len(text) or text[pos] != "=":
            raise _BibError("missing '='")
        value, pos = _value(text, pos + 1, macros)
        fields[name.group(0).lower()] = value
    raise _BibError("unterminated entry")


def split_authors(raw: str) -> list[str]:
    """'A and B and {C and D}' -> ['A', 'B', 'C and D'] ('and' inside braces does not split)."""
    names, start = [], 0
    for match in _AND.finditer(raw):
        prefix = raw[start:match.start()]
        if prefix.count("{") == prefix.count("}"):
            names.append(prefix)
            start = match.end()
    names.append(raw[start:])
    cleaned = [" ".join(latex_to_text(n).split()) for n in names]
    return ["et al." if n.lower() == "others" else n for n in cleaned if n]


def parse_bibtex(text: str) -> list[Reference]:
    """Entries of a .bib file; @string macros expand, @comment and @preamble are skipped."""
    macros = dict(_MONTHS)
    references: list[Reference] = []
    pos = 0
    while (at := text.find("@", pos)) >= 0:
        match = _ENTRY_START.match(text, at)
        if match is None:
            pos = at + 1
            continue
        kind, close = match.group(1).lower(), "}" if match.group(2) == "{" else ")"
        try:
            if kind in ("comment", "preamble"):
                pos = _closing(text, match.end() - 1) + 1 if close == "}" else text.index(")", match.end()) + 1
            elif kind == "string":
                _, fields, pos = _entry(text, match.end(), close, macros, keyed=False)
                macros.update(fields)
            else:
                key, fields, pos = _entry(text, match.end(), close, macros)
                references.append(_bib_reference(kind, key, fields))
        except (_BibError, ValueError, IndexError):
            pos = match.end()
    return references


def _bib_reference(kind: str, key: str, raw: dict[str, str]) -> Reference:
    fields = {name: (_plain(value) if name in _PLAIN_FIELDS else latex_to_text(value)) for name, value in raw.items()}
    fields = {name: value if name in ("abstract", "note", "annote", "annotation", "file") else " ".join(value.split())
              for name, value in fields.items()}
    year = _YEAR.search(fields.get("year") or fields.get("date") or "")
    notes = [fields[name] for name in ("note", "annote", "annotation") if fields.get(name, "").strip()]
    return Reference(
        kind=kind, key=key, authors=split_authors(raw.get("author", "")), title=fields.get("title", ""),
        journal=fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle") or "",
        year=year.group(0) if year else "", doi=fields.get("doi", ""), url=fields.get("url", ""),
        keywords=[k.strip() for k in re.split(r"[;,]", fields.get("keywords", "")) if k.strip()],
        abstract=fields.get("abstract", ""), notes=notes,
        files=[f.strip() for f in re.split(r"(?<!\\);", raw.get("file", "")) if f.strip()],
    )


# --- attachments -------------------------------------------------------------------------------------------


def attachment_candidates(entry: str) -> list[str]:
    """Paths an attachment entry may mean: 'path', 'path:mime', 'Title:path:mime' or a file:// URL."""
    entry = entry.strip().replace("$\\backslash$:", "\x00").replace("\\:", "\x00")  # escaped colons
    entry = entry.replace("$\\backslash$", "\\").replace("\\_", "_")
    parts = entry.split(":")
    candidates = [entry]
    if len(parts) >= 3 and not entry.lower().startswith("file:"):
        candidates.insert(0, ":".join(parts[1:-1]))
    elif len(parts) == 2:
        candidates.insert(0, parts[0])
    paths = []
    for candidate in candidates:
        candidate = candidate.replace("\x00", ":").strip()
        if candidate.lower().startswith("file:"):
            candidate = unquote(urlparse(candidate).path)
            if re.match(r"^/[A-Za-z]:[\\/]", candidate):  # file:///C:/... on Windows
                candidate = candidate[1:]
        paths.append(candidate)
    return paths


def find_attachment(files: list[str], library: Path) -> tuple[Path | None, str]:
    """The first attached PDF that exists (absolute, or relative to the library file), or why there is none."""
    missing = ""
    for entry in files:
        for candidate in attachment_candidates(entry):
            if not candidate.lower().endswith(".pdf"):
                continue
            path = Path(candidate).expanduser()
            if not path.is_absolute():
                path = library.parent / path
            try:
                if path.is_file():
                    return path, ""
            except OSError:
                pass
            missing = missing or candidate
    if missing:
        return None, f"the attached PDF {missing} was not found (looked next to {library.name} and at that path)"
    return None, ""


def read_attachment(pdf: Path, options: ImportOptions) -> tuple[ParsedSource | None, str]:
    """The attached PDF parsed by the registered PDF importer, or why it could not be."""
    from qcode.core.importers import find_importer

    try:
        importer = find_importer(pdf, max_bytes=options.max_file_bytes)
        result = importer.parse(pdf, replace(options, attachments=False), None)
    except ImportError_ as err:
        return None, err.message
    except Exception as err:  # a PDF the reader chokes on is that attachment's problem, not the library's
        from qcode.core.diagnostics import log_exception

        log_exception(f"reading the attachment {pdf} failed", err)
        return None, f"{pdf.name} could not be read ({type(err).__name__}; details are in the log)"
    if not result.sources or not result.sources[0].text.strip():
        return None, f"{pdf.name} holds no text"
    return result.sources[0], ""


# --- building sources -------------------------------------------------------------------------------------


def surname(author: str) -> str:
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    words = author.split()
    return words[-1] if words else ""


def source_name(ref: Reference) -> str:
    """'FirstAuthorSurname Year - Short title', at most about 80 characters."""
    head = " ".join(p for p in (surname(ref.authors[0]) if ref.authors else "", ref.year) if p)
    title = " ".join(ref.title.split()) or ref.key or "Untitled"
    name = f"{head} - {title}" if head else title
    if len(name) > MAX_NAME:
        cut = name[: MAX_NAME - 1]
        if " " in cut[len(head) + 3:]:
            cut = cut[: cut.rfind(" ")]
        name = cut.rstrip(" -:,;.") + "…"
    return name


def note_text(note: str) -> str:
    """A note as plain text; Zotero exports notes as HTML."""
    if _HTML_TAG.search(note):
        note = html.unescape(_HTML_TAG.sub("", _HTML_BREAK.sub("\n\n", note)))
    return note


def paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", normalise_newlines(text))
    return [" ".join(b.split()) for b in blocks if b.strip()]


def build_source(ref: Reference, attachment: ParsedSource | None) -> ParsedSource:
    title = " ".join(ref.title.split()) or source_name(ref)
    blocks = [title, *paragraphs(ref.abstract)]
    for note in ref.notes:
        blocks += paragraphs(note_text(note))
    text = "\n\n".join(blocks)
    spans = [Span("heading", 0, len(title), "1")]
    position = 0
    for block in blocks:
        spans.append(Span("paragraph", position, position + len(block)))
        position += len(block) + 2
    if attachment is not None:
        offset = len(text) + 2
        text = f"{text}\n\n{attachment.text}"
        spans += [Span(s.kind, s.start + offset, s.end + offset, s.value) for s in attachment.spans]
    spans.sort(key=lambda s: (s.start, s.kind))
    attributes: dict[str, object] = {}
    for name, value in (("Authors", "; ".join(ref.authors)), ("Year", int(ref.year) if ref.year else None),
                        ("Title", title if ref.title else ""), ("Journal", ref.journal), ("DOI", ref.doi),
                        ("Keywords", "; ".join(ref.keywords))):
        if value not in (None, ""):
            attributes[name] = value
    meta = {k: v for k, v in (("reference_type", ref.kind), ("key", ref.key), ("url", ref.url)) if v}
    return ParsedSource(name=source_name(ref), text=text, kind="reference", spans=spans, meta=meta,
                        attributes=attributes)


def build_result(path: Path, references: list[Reference], options: ImportOptions,
                 progress: Progress | None) -> ParseResult:
    if not references:
        raise UnreadableFileError(f"{path.name} holds no references; check that it is a {path.suffix} export.")
    sources: list[ParsedSource] = []
    notes: list[str] = []
    left_out = 0
    for done, ref in enumerate(references):
        if progress is not None:
            if progress.cancelled():
                raise ImportError_("Import cancelled.")
            progress.step(done, len(references), ref.title[:60])
        attachment, problem, attached = None, "", None
        if options.attachments and ref.files:
            pdf, problem = find_attachment(ref.files, path)
            if pdf is not None:
                attachment, problem = read_attachment(pdf, options)
                attached = pdf.resolve() if attachment is not None else None
        has_notes = any(paragraphs(note_text(n)) for n in ref.notes)
        if not (paragraphs(ref.abstract) or has_notes or attachment):
            left_out += 1
            continue
        source = build_source(ref, attachment)
        if problem:
            source.meta["attachment_error"] = problem
            notes.append(f"{source.name}: {problem}")
        if attached is not None:  # the path may lead anywhere on disk: the report names what was read
            source.meta["attachment"] = str(attached)
            notes.append(f"{source.name}: added the text of the attached file {attached}")
        sources.append(source)
    if not sources:
        extra = " (nor a readable attached PDF)" if options.attachments else ""
        raise EmptySourceError(f"No entry in {path.name} has an abstract or notes{extra}, so there is no text to "
                               "import. Export the library with abstracts and notes included.")
    if left_out:
        notes.insert(0, f"{left_out} of {len(references)} entries have no abstract or notes and were left out")
    used = {name for source in sources for name in source.attributes}
    return ParseResult(sources, attribute_types={("source", n): kind for n, kind in ATTRIBUTES.items() if n in used},
                       notes=notes)


def read_library(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
    return normalise_newlines(decode(data, path.name)).lstrip("\ufeff")


class RisImporter:
    name = "a RIS reference library"
    suffixes = (".ris",)

    def sniff(self, head: bytes) -> bool:
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        return build_result(path, parse_ris(read_library(path)), options, progress)


class BibtexImporter:
    name = "a BibTeX reference library"
    suffixes = (".bib",)

    def sniff(self, head: bytes) -> bool:
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        return build_result(path, parse_bibtex(read_library(path)), options, progress)


register(RisImporter())
register(BibtexImporter())
