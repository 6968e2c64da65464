"""Reading reference libraries into format-neutral `Reference` values, with maintained parsers.

RIS goes through rispy (its tag mapping), BibTeX through bibtexparser (entries and fields, comments and
preambles, duplicate keys, co-authors split outside braces) and pylatexenc (LaTeX accents, letters and symbols
to Unicode). What the libraries leave to their callers is done here: RIS tags written with one space before
the dash, as some exporters do; BibTeX @string macros and month names, also joined with '#' ("Journal of " #
jis); crossref (a conference paper inheriting its proceedings' title, year and publisher); each piece of TeX
read on its own, which keeps long abstracts fast; "and others" as "et al."; a Web of Science "tagged" export
named .ris, which is refused with advice, as it is not RIS.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from qcode.core.errors import UnreadableFileError, UnsupportedFormatError

_YEAR = re.compile(r"\d{4}")
#: what the parsers raise on input they cannot make sense of (never for a well-formed library)
_PARSER_FAILURES = (KeyError, TypeError, AttributeError, ValueError, IndexError, RecursionError)
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])\s{1,2}-(?: (.*)|\s*)$")
_WOS_TAGGED = re.compile(r"^(?:FN |VR |PT [A-Z]\b)")
_KEYWORD_SPLIT = re.compile(r"[;,]")
_FILE_SPLIT = re.compile(r"(?<!\\);")
_NOTE_FIELDS = ("note", "annote", "annotation")
_KEEP_LINES = ("abstract", *_NOTE_FIELDS, "file")
_PLAIN_FIELDS = ("url", "doi", "file", "eprint")  # no TeX in these: '--' and '~' are meant literally
# fields a crossref'd entry hands down, and the child field its title becomes
_INHERITED = ("year", "date", "publisher", "editor", "volume", "series", "address", "organization", "journal",
              "journaltitle", "booktitle")
_PARENT_TITLE = {"proceedings": "booktitle", "book": "booktitle", "collection": "booktitle",
                 "mvbook": "booktitle", "periodical": "journal"}


@dataclass(slots=True)
class Reference:
    """One library entry, format-neutral."""

    kind: str = ""
    key: str = ""
    authors: list[str] = field(default_factory=list)
    title: str = ""
    journal: str = ""
    year: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    publisher: str = ""
    doi: str = ""
    url: str = ""
    keywords: list[str] = field(default_factory=list)
    abstract: str = ""
    notes: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # attachment paths as the library gives them


# --- RIS -------------------------------------------------------------------------------------------------


def _ris_parser() -> Any:
    import rispy

    class LenientRisParser(rispy.RisParser):  # type: ignore[misc]  # rispy has no type information
        """rispy's parser, also taking "TY - JOUR" (one space before the dash), a tag line's trailing blanks, and
        an untagged line at the start of a record (skipped, where rispy would look for the field before it)."""

        def parse_line(self, line: str) -> tuple[str | None, str]:
            match = _RIS_TAG.match(line.rstrip())
            if match:
                return match.group(1), (match.group(2) or "").strip()
            return None, line.strip()

        def _add_tag(self, record: dict[str, Any], tag: str, content: str, extend_multiline: bool = False) -> None:
            if extend_multiline and self.mapping.get(tag) not in record:
                return  # an untagged line with no field before it in this record: nothing to continue
            super()._add_tag(record, tag, content, extend_multiline)

        def _iter_till_start(self, lines: Iterator[str]) -> dict[str, Any]:
            while True:
                tag, content = self.parse_line(next(lines))
                if tag == self.START_TAG:
                    return {str(self.mapping[self.START_TAG]): content}

    return LenientRisParser


def is_wos_tagged(text: str) -> bool:
    """Whether a file is a Web of Science "tagged" export ("FN Clarivate ...", "PT J", "AU Name" lines)."""
    head = [line for line in text.split("\n", 40)[:40] if line.strip()]
    return bool(head) and sum(1 for line in head[:5] if _WOS_TAGGED.match(line)) >= 1 and not any(
        _RIS_TAG.match(line) for line in head)


def parse_ris(text: str, name: str = "the file") -> list[Reference]:
    """Records from TY to ER, read by rispy; a line without a tag continues the field before it."""
    if is_wos_tagged(text):
        raise UnsupportedFormatError(
            f"{name} is a Web of Science export in its own tagged format, not RIS. In Web of Science, export the "
            "records again choosing 'RIS (other reference software)', and import that file.")
    parser = _ris_parser()
    try:
        records: list[dict[str, Any]] = parser().parse(text)
    except _PARSER_FAILURES as err:  # rispy trips over a few malformed layouts (a field continued across records)
        raise UnreadableFileError(f"{name} is not a readable RIS file ({type(err).__name__}: {err}); export the "
                                  "library again as RIS.") from err
    return [_ris_reference(record) for record in records]


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value if v).strip()
    return str(value or "").strip()


def _texts(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if v and str(v).strip()]


def _first(record: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = _text(record.get(key))
        if value:
            return value
    return ""


def _ris_reference(record: dict[str, Any]) -> Reference:
    year = _YEAR.search(_first(record, "year", "publication_year", "date"))
    pages = "–".join(p for p in (_first(record, "start_page"), _first(record, "end_page")) if p)
    return Reference(
        kind=_first(record, "type_of_reference"),
        key=_first(record, "id"),
        authors=_texts(record.get("authors")) + _texts(record.get("first_authors")),
        title=_first(record, "title", "primary_title"),
        journal=_first(record, "secondary_title", "journal_name", "alternate_title3", "alternate_title2"),
        year=year.group(0) if year else "",
        volume=_first(record, "volume"),
        issue=_first(record, "number"),
        pages=pages,
        publisher=_first(record, "publisher"),
        doi=_first(record, "doi"),
        url=(_texts(record.get("urls")) or [""])[0],
        keywords=_texts(record.get("keywords")),
        abstract=_first(record, "abstract", "notes_abstract"),
        notes=_texts(record.get("notes")),
        files=_texts(record.get("file_attachments1")),
    )


# --- BibTeX ----------------------------------------------------------------------------------------------


_MONTHS = {m[:3].lower(): m for m in ("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December")}


def _pieces(value: str) -> list[str] | None:
    """A raw field value split at the '#' that join its parts (outside braces and quotes); None if unbalanced."""
    pieces, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "\\":
            continue
        if char == "{" and (index == 0 or value[index - 1] != "\\"):
            depth += 1
        elif char == "}" and (index == 0 or value[index - 1] != "\\"):
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append(value[start:index].strip())
            start = index + 1
    if depth or quoted:
        return None
    pieces.append(value[start:].strip())
    return pieces


def _resolve(value: str, macros: dict[str, str]) -> str | None:
    """A raw value with its macros expanded and its parts joined, as the text inside one pair of braces."""
    pieces = _pieces(value)
    if pieces is None or not all(pieces):
        return None
    out = []
    for piece in pieces:
        if piece[0] in "{\"" and piece[-1] == {"{": "}", '"': '"'}[piece[0]] and len(piece) >= 2:
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        else:
            out.append(macros.get(piece.lower(), piece))
    return "".join(out)


def _plainly_braced(value: str) -> bool:
    """A value in one pair of braces with no "#", quote or backslash in it: `_resolve` returns what is
    inside the braces, which the caller braces again, so the value stays as it is."""
    return (value[:1] == "{" and value[-1:] == "}" and "#" not in value and value == value.strip()
            and "\\" not in value and '"' not in value)


def _macro_middleware() -> Any:
    from bibtexparser.middlewares import LibraryMiddleware

    class ExpandMacros(LibraryMiddleware):
        """@string macros and month names expanded, and parts joined with '#' ("Journal of " # jis) joined.

        bibtexparser resolves a value that is a macro alone; this also joins concatenations. It runs
        before the enclosing braces and quotes are removed, and leaves each value braced.
        """

        @classmethod
        def metadata_key(cls) -> str:
            return "qcode_expand_macros"

        def transform(self, library: Any) -> Any:
            macros = dict(_MONTHS)
            for string in library.strings:
                resolved = _resolve(str(string.value), macros)
                macros[string.key.lower()] = resolved if resolved is not None else str(string.value)
            for entry in library.entries:
                for fld in entry.fields:
                    if isinstance(fld.value, str):
                        if _plainly_braced(fld.value):
                            continue  # what resolving gives back unchanged (nearly every value of a library)
                        resolved = _resolve(fld.value, macros)
                        if resolved is not None:
                            fld.value = "{" + resolved + "}"
            return library

    return ExpandMacros


def parse_bibtex(text: str, name: str = "the file") -> tuple[list[Reference], list[int]]:
    """The entries of a .bib file, and the line numbers of entries that could not be read (left out).

    An entry whose key repeats an earlier one is still read (libraries kept by hand often have such).
    """
    import bibtexparser
    from bibtexparser import middlewares
    from bibtexparser.model import DuplicateBlockKeyBlock, Entry

    try:
        library = bibtexparser.parse_string(text, parse_stack=[
            _macro_middleware()(), middlewares.RemoveEnclosingMiddleware(), middlewares.SeparateCoAuthors()])
    except _PARSER_FAILURES as err:
        raise UnreadableFileError(f"{name} is not a readable BibTeX file ({type(err).__name__}: {err}); export the "
                                  "library again as BibTeX.") from err
    failed: list[int] = []
    all_entries = list(library.entries)
    for block in library.failed_blocks:
        kept = block.ignore_error_block
        if isinstance(kept, Entry) and isinstance(block, DuplicateBlockKeyBlock):
            all_entries.append(kept)
        else:
            failed.append((block.start_line or 0) + 1)
    all_entries.sort(key=lambda e: e.start_line or 0)
    entries = {entry.key.casefold(): entry for entry in library.entries}
    references = []
    for entry in all_entries:
        fields = {f.key.lower(): f.value for f in entry.fields}
        parent_key = _text(fields.get("crossref")).casefold()
        parent = entries.get(parent_key) if parent_key else None
        if parent is not None and parent is not entry:
            inherited = {f.key.lower(): f.value for f in parent.fields}
            for name in _INHERITED:
                if name in inherited and name not in fields:
                    fields[name] = inherited[name]
            title_field = _PARENT_TITLE.get(parent.entry_type.lower())
            if title_field and title_field not in fields and inherited.get("title"):
                fields[title_field] = inherited["title"]
        references.append(_bib_reference(entry.entry_type.lower(), entry.key, fields))
    return references, sorted(failed)


_MARKUP = re.compile(r"[\\$]")
_SIMPLE = (("---", "—"), ("--", "–"), ("``", "“"), ("''", "”"), ("~", "\u00a0"), ("{", ""), ("}", ""))
_GROUP = r"\{(?:[^{}]|\{[^{}]*\})*\}"
# the pieces of a value that are TeX: math, a command word with its argument (a group, or one letter standing
# alone: "\c c"), a command symbol with its argument ("\'e", "\"{o}", "\'\i", "\&")
_ISLAND = re.compile(
    r"\$[^$]*\$"
    rf"|\\[A-Za-z]+\*?(?:[ \t]*(?:{_GROUP}|[A-Za-z](?![A-Za-z]))|[ \t]*)"  # the space after a word is eaten
    rf"|\\[^A-Za-z\s](?:{_GROUP}|\\[A-Za-z]+|[A-Za-z])?"
    r"|\\\s"
)
_decoder = None


def _simple(text: str) -> str:
    for tex, plain in _SIMPLE:
        text = text.replace(tex, plain)
    return text


@functools.lru_cache(maxsize=4096)
def _decode_island(island: str) -> str:
    """One piece of TeX as text, by pylatexenc (whose parser costs about half a millisecond a call)."""
    global _decoder
    if _decoder is None:
        from pylatexenc.latex2text import LatexNodes2Text

        _decoder = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)
    try:
        return str(_decoder.latex_to_text(island))
    except (ValueError, IndexError, KeyError, TypeError):  # markup pylatexenc cannot parse: kept as written
        return island


@functools.lru_cache(maxsize=4096)
def latex_to_text(value: str) -> str:
    """TeX markup to Unicode (accents, special letters, escapes, dashes, quotes; braces removed).

    Each piece of TeX in the value is read by pylatexenc on its own, and the text between them has only its
    braces, dashes and quotes replaced, as pylatexenc would: its parser's cost grows with the length of what it
    reads, so a long abstract with one accent would otherwise take many milliseconds.
    """
    if not _MARKUP.search(value):
        return _simple(value)
    out: list[str] = []
    position = 0
    for island in _ISLAND.finditer(value):
        out.append(_simple(value[position:island.start()]))
        out.append(_decode_island(island.group(0)))
        position = island.end()
    out.append(_simple(value[position:]))
    return unicodedata.normalize("NFC", "".join(out))


def _plain(value: str) -> str:
    """A field without TeX (url, doi, file): escapes and braces removed, '--' and '~' kept."""
    return re.sub(r"\\([&%$#_{}])", r"\1", value).replace("{", "").replace("}", "")


def _clean(name: str, value: object) -> str:
    text = value if isinstance(value, str) else _text(value)
    text = _plain(text) if name in _PLAIN_FIELDS else latex_to_text(text)
    return text.strip() if name in _KEEP_LINES else " ".join(text.split())


def _bib_reference(kind: str, key: str, raw: dict[str, object]) -> Reference:
    fields = {name: _clean(name, value) for name, value in raw.items() if name != "author"}
    names = [" ".join(latex_to_text(a).split()) for a in _texts(raw.get("author", []))]
    year = _YEAR.search(fields.get("year") or fields.get("date") or "")
    return Reference(
        kind=kind, key=key, authors=["et al." if n.lower() == "others" else n for n in names if n],
        title=fields.get("title", ""),
        journal=fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle") or "",
        year=year.group(0) if year else "", volume=fields.get("volume", ""),
        issue=fields.get("number", "") or fields.get("issue", ""),
        pages=fields.get("pages", ""),
        publisher=fields.get("publisher", "") or fields.get("institution", "") or fields.get("school", ""),
        doi=fields.get("doi", ""), url=fields.get("url", ""),
        keywords=[k.strip() for k in _KEYWORD_SPLIT.split(fields.get("keywords", "")) if k.strip()],
        abstract=fields.get("abstract", ""),
        notes=[fields[name] for name in _NOTE_FIELDS if fields.get(name, "").strip()],
        files=[f.strip() for f in _FILE_SPLIT.split(raw_text(raw.get("file"))) if f.strip()],
    )


def raw_text(value: object) -> str:
    """A field's value as one stripped text: a string as it is, a list's items joined with spaces."""
    return value if isinstance(value, str) else _text(value)
