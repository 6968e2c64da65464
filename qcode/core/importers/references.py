"""Reference libraries (.ris, .bib) from Zotero, EndNote, Mendeley, Google Scholar or publishers: one source per entry.

Every entry becomes a source, as a literature review starts from the whole library. The source's text is
the formatted citation (authors, year, title, venue: a level-1 heading), then the abstract, then the notes,
then (with the attachments option) the attached PDF's text; bibliographic details become source attributes.
The files are read by maintained parsers (reference_formats.py: rispy, bibtexparser).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlparse

from qcode.core.errors import EmptySourceError, ImportError_, UnreadableFileError
from qcode.core.importers import register
from qcode.core.importers.base import ImportOptions, ParsedSource, ParseResult
from qcode.core.importers.reference_formats import Reference, parse_bibtex, parse_ris
from qcode.core.importers.structure import TextBuilder
from qcode.core.importers.text import TextImporter, decode, normalise_newlines
from qcode.core.model import Span
from qcode.core.progress import Progress

MAX_NAME = 80
ATTRIBUTES = {"Authors": "text", "Year": "number", "Title": "text", "Journal": "text", "DOI": "text",
              "Keywords": "text"}
_HTML_BREAK = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h\d)\s*>")
_HTML_TAG = re.compile(r"<[^<>]+>")


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
    """An author's surname, from 'Surname, Given' or 'Given Surname' ('' for a blank name)."""
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
    """A text's paragraphs (separated by blank lines), each with its white space collapsed; blank ones dropped."""
    blocks = re.split(r"\n\s*\n", normalise_newlines(text))
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!", "…")) else f"{text}."


def citation(ref: Reference) -> str:
    """The entry as one line a reader recognises: "Authors (Year). Title. Venue, volume(issue), pages." """
    authors = "; ".join(ref.authors)
    head = f"{authors} ({ref.year})" if authors and ref.year else authors or (f"({ref.year})" if ref.year else "")
    title = " ".join(ref.title.split())
    venue = ref.journal
    if ref.volume:
        venue = f"{venue}, {ref.volume}" if venue else ref.volume
        if ref.issue:
            venue += f"({ref.issue})"
    if ref.pages:
        venue = f"{venue}, {ref.pages}" if venue else ref.pages
    if ref.publisher and not ref.journal:
        venue = f"{venue}, {ref.publisher}" if venue else ref.publisher
    return " ".join(_sentence(part) for part in (head, title, venue) if part.strip())


def has_text(ref: Reference) -> bool:
    """Whether the entry has an abstract or notes to code beyond its citation."""
    return bool(paragraphs(ref.abstract) or any(paragraphs(note_text(n)) for n in ref.notes))


def build_source(ref: Reference, attachment: ParsedSource | None) -> ParsedSource:
    """The source of one entry: its citation as a heading, then its abstract and notes as paragraphs, then the attached
    file's text when there is one; authors, year, title, journal, DOI and keywords as source attributes."""
    title = " ".join(ref.title.split())
    builder = TextBuilder()
    builder.add(citation(ref) or source_name(ref), heading="1")
    for block in paragraphs(ref.abstract):
        builder.add(block)
    for note in ref.notes:
        for block in paragraphs(note_text(note)):
            builder.add(block)
    spans = builder.all_spans()
    text = builder.text()
    if attachment is not None:
        offset = len(text) + 2
        text = f"{text}\n\n{attachment.text}"
        spans += [Span(s.kind, s.start + offset, s.end + offset, s.value) for s in attachment.spans]
    spans.sort(key=lambda s: (s.start, s.kind))
    attributes: dict[str, object] = {}
    for name, value in (("Authors", "; ".join(ref.authors)), ("Year", int(ref.year) if ref.year else None),
                        ("Title", title), ("Journal", ref.journal), ("DOI", ref.doi),
                        ("Keywords", "; ".join(ref.keywords))):
        if value not in (None, ""):
            attributes[name] = value
    meta = {k: v for k, v in (("reference_type", ref.kind), ("key", ref.key), ("url", ref.url)) if v}
    return ParsedSource(name=source_name(ref), text=text, kind="reference", spans=spans, meta=meta,
                        attributes=attributes)


def build_result(path: Path, references: list[Reference], options: ImportOptions,
                 progress: Progress | None, *, unreadable: Sequence[int] = ()) -> ParseResult:
    """A source per entry (entries with nothing to name them by are left out), and a report of what they hold.

    `unreadable` are the line numbers of entries the parser had to leave out.
    """
    if not references:
        raise UnreadableFileError(f"{path.name} holds no references; check that it is a {path.suffix} export.")
    sources: list[ParsedSource] = []
    notes: list[str] = []
    with_text = empty = 0
    for done, ref in enumerate(references):
        if progress is not None:
            if progress.cancelled():
                raise ImportError_("Import cancelled.")
            progress.step(done, len(references), ref.title[:60])
        if not (ref.title.strip() or ref.authors or has_text(ref)):
            empty += 1
            continue
        attachment, problem, attached = None, "", None
        if options.attachments and ref.files:
            pdf, problem = find_attachment(ref.files, path)
            if pdf is not None:
                attachment, problem = read_attachment(pdf, options)
                attached = pdf.resolve() if attachment is not None else None
        with_text += has_text(ref)
        source = build_source(ref, attachment)
        if problem:
            source.meta["attachment_error"] = problem
            notes.append(f"{source.name}: {problem}")
        if attached is not None:  # the path may lead anywhere on disk: the report names what was read
            source.meta["attachment"] = str(attached)
            notes.append(f"{source.name}: added the text of the attached file {attached}")
        sources.append(source)
    if not sources:
        raise EmptySourceError(f"The entries of {path.name} have no title, authors, abstract or notes, so there is "
                               "nothing to import.")
    citation_only = len(sources) - with_text
    if citation_only:
        notes.insert(0, f"{len(sources)} entries: {with_text} with an abstract or notes, {citation_only} with "
                        "the citation only")
    left_out = []
    if empty:
        left_out.append(f"{empty} without title, authors, abstract or notes")
    if unreadable:
        lines = ", ".join(map(str, unreadable[:5])) + (" ..." if len(unreadable) > 5 else "")
        left_out.append(f"{len(unreadable)} that could not be read (starting on line {lines})")
    if left_out:
        notes.append("left out: " + "; ".join(left_out))
    used = {name for source in sources for name in source.attributes}
    return ParseResult(sources, attribute_types={("source", n): kind for n, kind in ATTRIBUTES.items() if n in used},
                       notes=notes)


def read_library(path: Path) -> str:
    """A reference library's text (its encoding detected, line ends as LF, no BOM); raises UnreadableFileError when the
    file cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
    return normalise_newlines(decode(data, path.name)).lstrip("\ufeff")


class RisImporter:
    """A RIS export of a reference manager (Zotero, EndNote, Mendeley): a source per entry."""

    name = "a RIS reference library"
    suffixes = (".ris",)

    def sniff(self, head: bytes) -> bool:
        """A RIS library looks like text; its `.ris` ending picks this importer."""
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """A source per entry of the library, with its attached PDF's text when the options ask for attachments."""
        return build_result(path, parse_ris(read_library(path), path.name), options, progress)


class BibtexImporter:
    """A BibTeX library: a source per entry."""

    name = "a BibTeX reference library"
    suffixes = (".bib",)

    def sniff(self, head: bytes) -> bool:
        """A BibTeX library looks like text; its `.bib` ending picks this importer."""
        return TextImporter().sniff(head)

    def parse(self, path: Path, options: ImportOptions, progress: Progress | None) -> ParseResult:
        """A source per readable entry of the library; the report names the lines of entries that could not be read."""
        references, unreadable = parse_bibtex(read_library(path), path.name)
        return build_result(path, references, options, progress, unreadable=unreadable)


register(RisImporter())
register(BibtexImporter())
