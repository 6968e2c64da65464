"""Reading REFI-QDA files (.qdpx projects, .qdc codebooks) leniently, into a `RefiDocument`.

The XML is parsed with defusedxml, refusing any document type declaration (so no entity expansion and no
external entities), element by element so that a large project is never held whole. Element and attribute
names are matched without their namespace and in any case, since real files deviate from the schema. What
qcode cannot model (pictures, audio, video, PDF areas, links, graphs, code sets) is counted and reported in
`left_out`, and the rest comes in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from qcode.core.errors import ExchangeCancelled, ExchangeFileError, ImportError_
from qcode.core.importers.archives import ARCHIVE_DAMAGE
from qcode.core.importers.text import decode
from qcode.core.progress import Progress
from qcode.core.refi.archive import ExchangeArchive
from qcode.core.refi.document import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiDocument,
    RefiNote,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiValue,
    RefiVariable,
    VariableValue,
)
from qcode.core.refi.positions import CODE_POINTS, UTF16, choose_unit, position_map, strip_bom, utf16_length

_MEDIA = {"picturesource": "picture", "audiosource": "audio", "videosource": "video"}
_OTHER_SELECTIONS = {"pdfselection": "PDF area", "pictureselection": "picture area",
                     "audioselection": "audio clip", "videoselection": "video clip",
                     "transcriptselection": "transcript selection"}


@lru_cache(maxsize=512)
def local(tag: str) -> str:
    """An element's name without namespace, in lower case."""
    return tag.rsplit("}", 1)[-1].lower()


def attr(element: Element, name: str) -> str | None:
    """An attribute by name in any case (real files differ in casing)."""
    value = element.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, found in element.attrib.items():
        if local(key) == lowered:
            return found
    return None


def norm_guid(value: str | None) -> str | None:
    """A guid as qcode compares them: braces and white space removed, upper case; None for a missing or blank one."""
    return value.strip().strip("{}").upper() if value and value.strip() else None


def children(element: Element, name: str) -> Iterator[Element]:
    """The child elements with this local name (whatever namespace prefix the file uses)."""
    return (child for child in element if local(child.tag) == name)


def child_text(element: Element, name: str) -> str:
    """The text of the first child element with this local name; '' when there is none."""
    for child in children(element, name):
        return child.text or ""
    return ""


def refs(element: Element, name: str, attribute: str = "targetGUID") -> list[str]:
    """The guids (normalised) that the child elements with this name point to, in their `attribute`; blank ones skipped.
    """
    found = [norm_guid(attr(child, attribute)) for child in children(element, name)]
    return [g for g in found if g]


class _Reader:
    def __init__(self, archive: ExchangeArchive | None, name: str, progress: Progress | None) -> None:
        self.archive = archive
        self.name = name
        self.progress = progress
        self.doc = RefiDocument(name="", origin="")
        self.skipped: Counter[str] = Counter()  # what is left out by the hundred: counted
        self.named: list[str] = []  # what is left out one by one (sources): named
        self.raw_positions: list[list[tuple[int, int]]] = []  # per source: selections as the file counts them
        self.raw_texts: list[str] = []
        self.pending: list[RefiSelection] = []  # the text selections of the source being read
        self.from_qcode = False  # qcode's own files: texts and positions exactly as stored, nothing normalised

    # --- top-level parts -----------------------------------------------------------------------------

    def code(self, element: Element) -> RefiCode:
        guid = norm_guid(attr(element, "guid")) or ""
        color = (attr(element, "color") or "").strip() or None
        return RefiCode(guid=guid, name=attr(element, "name") or "", color=color,
                        description=child_text(element, "description"),
                        children=[self.code(c) for c in children(element, "code")],
                        note_guids=refs(element, "noteref"))

    def codebook(self, element: Element) -> None:
        for codes in children(element, "codes"):
            self.doc.codes += [self.code(c) for c in children(codes, "code")]
        for sets in children(element, "sets"):  # a .qdc's code sets
            for found in children(sets, "set"):
                members = refs(found, "membercode", "guid") or refs(found, "membercode")
                if members:
                    self.skipped["code sets (qcode has no code sets; their codes came in)"] += 1

    def users(self, element: Element) -> None:
        for user in children(element, "user"):
            guid = norm_guid(attr(user, "guid"))
            if guid:
                name = (attr(user, "name") or attr(user, "id") or "").strip() or f"User {guid[:8]}"
                self.doc.users.append(RefiUser(guid, name))

    def variables(self, element: Element) -> None:
        for variable in children(element, "variable"):
            guid = norm_guid(attr(variable, "guid"))
            if guid:
                self.doc.variables.append(RefiVariable(guid, attr(variable, "name") or "", (
                    attr(variable, "typeOfVariable") or "Text").strip(), child_text(variable, "description")))

    def values(self, element: Element) -> list[RefiValue]:
        found = []
        for holder in children(element, "variablevalue"):
            target = next((norm_guid(attr(r, "targetGUID")) for r in children(holder, "variableref")), None)
            if not target:
                continue
            value: VariableValue = None
            for child in holder:
                kind, text = local(child.tag), (child.text or "").strip()
                if kind == "variableref" or not text:
                    continue
                if kind == "booleanvalue":
                    value = text.lower() in ("true", "1")
                elif kind == "integervalue":
                    value = _number(text, int)
                elif kind == "floatvalue":
                    value = _number(text, float)
                else:
                    value = text
            found.append(RefiValue(target, value))
        return found

    def cases(self, element: Element) -> None:
        for number, case in enumerate(children(element, "case"), start=1):
            guid = norm_guid(attr(case, "guid")) or ""
            if refs(case, "coderef"):
                self.skipped["codes linked to cases (qcode links codes to passages, not to cases)"] += len(
                    refs(case, "coderef"))
            self.doc.cases.append(RefiCase(
                guid=guid, name=(attr(case, "name") or "").strip() or f"Case {number}",
                description=child_text(case, "description"), values=self.values(case),
                source_guids=refs(case, "sourceref"), selection_guids=refs(case, "selectionref")))

    def notes(self, element: Element) -> None:
        for note in children(element, "note"):
            guid = norm_guid(attr(note, "guid")) or ""
            text = self.text_of(note, attr(note, "name") or "a note", required=False) or ""
            if not self.from_qcode:
                text = strip_bom(text).replace("\r\n", "\n")
            self.doc.notes.append(RefiNote(guid, attr(note, "name") or "", text, norm_guid(attr(note, "creatingUser")),
                                           attr(note, "modifiedDateTime") or attr(note, "creationDateTime")))

    def sets(self, element: Element) -> None:
        for found in children(element, "set"):
            guid = norm_guid(attr(found, "guid")) or ""
            self.doc.sets.append(RefiSet(guid, attr(found, "name") or "", refs(found, "membersource"),
                                         refs(found, "membercode"), refs(found, "membernote")))

    # --- sources ---------------------------------------------------------------------------------------

    def text_of(self, element: Element, label: str, *, required: bool = True) -> str | None:
        """The plain text of a TextSource-like element: inline, or the archive file its path names."""
        for content in children(element, "plaintextcontent"):
            return content.text or ""
        path = attr(element, "plainTextPath")
        if path is None:
            return None
        lowered = path.strip().lower()
        if lowered.startswith(("relative://", "absolute://")):
            self.named.append(f"the source '{label}': its text is stored outside the archive ({path}), which qcode "
                              "does not read")
            return None
        info = self.archive.find(path) if self.archive is not None else None
        if info is None:
            if not required:
                return None
            raise ExchangeFileError(
                f"{self.name} names the file '{path}' as the text of '{label}', but the archive does not hold it; "
                "nothing was imported. Export the project again from the program that made it."
            )
        assert self.archive is not None
        data = self.archive.read(info)
        try:
            if self.from_qcode:
                return data.decode("utf-8")  # exactly the stored text: qcode writes UTF-8 without a BOM
            return decode(data, info.filename) if data else ""
        except UnicodeDecodeError as err:
            raise ExchangeFileError(f"{self.name}: the text of '{label}' is not UTF-8 ({err.reason}).") from err
        except ImportError_ as err:
            raise ExchangeFileError(f"{self.name}: the text of '{label}' cannot be read. {err.message}") from err

    def coding(self, element: Element) -> RefiCoding | None:
        target = next((norm_guid(attr(r, "targetGUID")) for r in children(element, "coderef")), None)
        if not target:
            return None
        return RefiCoding(norm_guid(attr(element, "guid")) or "", target, norm_guid(attr(element, "creatingUser")),
                          attr(element, "creationDateTime"), refs(element, "noteref"))

    def text_source(self, element: Element, kind_label: str, holder: Element | None = None) -> None:
        holder = holder if holder is not None else element
        guid = norm_guid(attr(holder, "guid")) or norm_guid(attr(element, "guid"))
        name = (attr(holder, "name") or attr(element, "name") or "").strip()
        label = name or guid or "a source"
        text = self.text_of(element, label)
        if text is None or guid is None:
            if text is None and not attr(element, "plainTextPath"):
                self.named.append(f"the {kind_label} source '{label}': it has no plain-text version")
            return
        text = text if self.from_qcode else strip_bom(text)
        source = RefiSource(guid=guid, name=name, text=text, note_guids=refs(holder, "noteref"),
                            values=self.values(holder), created=attr(holder, "creationDateTime"),
                            kind="pdf" if kind_label == "PDF" else "text")
        source.selections = self.pending
        positions = [(sel.start, sel.end) for sel in self.pending]
        self.pending = []
        for parent in {id(element): element, id(holder): holder}.values():
            source.codings += [c for c in (self.coding(x) for x in children(parent, "coding")) if c]
        self.doc.sources.append(source)
        self.raw_texts.append(text)
        self.raw_positions.append(positions)

    def source(self, element: Element) -> None:
        kind = local(element.tag)
        label = (attr(element, "name") or "").strip() or norm_guid(attr(element, "guid")) or "unnamed"
        for child in element:
            other = _OTHER_SELECTIONS.get(local(child.tag))
            if other:
                self.skipped[f"{other}s (qcode codes text only)"] += 1
        if kind == "textsource":
            self.text_source(element, "text")
        elif kind == "pdfsource":
            representation = next(children(element, "representation"), None)
            if representation is None:
                self.named.append(f"the PDF source '{label}': it has no plain-text representation")
            else:
                self.text_source(representation, "PDF", holder=element)
        elif kind in _MEDIA:
            self.named.append(f"the {_MEDIA[kind]} source '{label}': qcode holds text sources only")
        else:
            self.named.append(f"the source '{label}': {local(element.tag)} is not a kind of source qcode knows")

    # --- the whole file --------------------------------------------------------------------------------

    def parse(self, stream: IO[bytes]) -> RefiDocument:
        target = _Target(self)
        parser = DefusedXMLParser(target=target, forbid_dtd=True)
        try:
            while chunk := stream.read(1024 * 1024):
                parser.feed(chunk)
            parser.close()
        except DefusedXmlException as err:
            raise ExchangeFileError(f"{self.name} declares a document type or entities, which REFI-QDA files never "
                                    "do and which can hide entity tricks; it is refused as unsafe.") from err
        except ParseError as err:
            raise ExchangeFileError(f"{self.name} is not well-formed XML ({err}); nothing was imported.") from err
        except ARCHIVE_DAMAGE as err:
            raise ExchangeFileError(f"{self.name} is damaged ({err}); nothing was imported.") from err
        root = target.root
        if root is None or local(root.tag) not in ("project", "codebook"):
            raise ExchangeFileError(f"{self.name} is not a REFI-QDA file: its root element is not a Project or "
                                    "a CodeBook.")
        self.convert_positions()
        self.doc.left_out = self.named + [f"{count} {what}" for what, count in sorted(self.skipped.items())]
        return self.doc

    def start_root(self, element: Element) -> None:
        self.doc.name = (attr(element, "name") or "").strip()
        self.doc.origin = (attr(element, "origin") or "").strip()
        self.from_qcode = self.doc.origin.startswith("qcode ")

    def project_part(self, name: str, element: Element, root: Element | None) -> None:
        handlers = {"users": self.users, "codebook": self.codebook, "variables": self.variables,
                    "cases": self.cases, "notes": self.notes, "sets": self.sets}
        if name in handlers:
            handlers[name](element)
            element.clear()
        elif name == "noteref":
            guid = norm_guid(attr(element, "targetGUID"))
            if guid:
                self.doc.project_note_guids.append(guid)
        elif name == "description":
            self.doc.description = element.text or ""
        elif name in ("links", "graphs"):
            self.skipped[f"{name} (qcode has no {name})"] += len(list(element))
            element.clear()

    def check_cancel(self) -> None:
        if self.progress is not None and self.progress.cancelled():
            raise ExchangeCancelled("The import")
        if self.progress is not None:
            self.progress.step(len(self.doc.sources), 0, "reading sources")

    def convert_positions(self) -> None:
        """Turn every selection into offsets of the stored text (see `positions`)."""
        unit = CODE_POINTS if self.from_qcode else choose_unit(
            self.doc.origin, zip(self.raw_texts, self.raw_positions, strict=True))
        self.unit = unit
        for source, raw in zip(self.doc.sources, self.raw_texts, strict=True):
            stored, to_stored = (raw, lambda offset: offset) if self.from_qcode else position_map(raw, unit)
            source.text = stored
            kept = []
            length = utf16_length(raw) if unit == UTF16 else len(raw)
            for selection in source.selections:
                if not 0 <= selection.start < selection.end <= length:
                    self.skipped["text selections outside their source's text or empty"] += 1
                    continue
                selection.start, selection.end = to_stored(selection.start), to_stored(selection.end)
                if selection.end <= selection.start:
                    self.skipped["text selections outside their source's text or empty"] += 1
                    continue
                kept.append(selection)
            source.selections = kept


class _Target:
    """Parser callbacks: text selections (nearly all of a large project) are read straight from the parser's
    events; everything else is built as small element trees, handed over and cleared part by part."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.builder = TreeBuilder()
        self.stack: list[str] = []
        self.root: Element | None = None
        self.selection: RefiSelection | None = None
        self.coding: RefiCoding | None = None
        self.depth_in_selection = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = local(tag)
        stack = self.stack
        if self.selection is not None:
            self.depth_in_selection += 1
            if name == "coding":
                self.coding = RefiCoding(norm_guid(_get(attrs, "guid")) or "", "",
                                         norm_guid(_get(attrs, "creatingUser")), _get(attrs, "creationDateTime"))
            elif name == "coderef" and self.coding is not None:
                self.coding.code_guid = norm_guid(_get(attrs, "targetGUID")) or ""
            elif name == "noteref":
                guid = norm_guid(_get(attrs, "targetGUID"))
                if guid:
                    (self.coding.note_guids if self.coding is not None else self.selection.note_guids).append(guid)
            return
        if name == "plaintextselection" and len(stack) >= 3:
            try:
                start, end = int(_get(attrs, "startPosition") or ""), int(_get(attrs, "endPosition") or "")
            except ValueError:
                self.reader.skipped["text selections without valid positions"] += 1
                start = end = -1
            self.selection = RefiSelection(norm_guid(_get(attrs, "guid")) or "", start, end,
                                           norm_guid(_get(attrs, "creatingUser")), _get(attrs, "creationDateTime"))
            self.depth_in_selection = 1
            return
        element = self.builder.start(tag, attrs)
        if self.root is None:
            self.root = element
            self.reader.start_root(element)
        stack.append(name)

    def end(self, tag: str) -> None:
        if self.selection is not None:
            self.depth_in_selection -= 1
            name = local(tag)
            if self.depth_in_selection == 0:
                if self.selection.start >= 0:
                    self.reader.pending.append(self.selection)
                self.selection = None
            elif name == "coding" and self.coding is not None:
                if self.coding.code_guid:
                    self.selection.codings.append(self.coding)
                self.coding = None
            return
        element = self.builder.end(tag)
        name = self.stack.pop()
        depth = len(self.stack)
        parent = self.stack[-1] if self.stack else None
        reader = self.reader
        if depth == 1 and parent == "project":
            reader.project_part(name, element, self.root)
        elif depth == 2 and parent == "sources":
            reader.check_cancel()
            reader.source(element)
            reader.pending = []
            element.clear()
        elif depth == 0 and name == "codebook":
            reader.codebook(element)

    def data(self, text: str) -> None:
        if self.selection is None:
            self.builder.data(text)

    def close(self) -> Element | None:
        return self.root


def _get(attrs: dict[str, str], name: str) -> str | None:
    value = attrs.get(name)
    if value is None:
        lowered = name.lower()
        for key, found in attrs.items():
            if local(key) == lowered:
                return found
    return value


def _number(text: str, kind: type) -> int | float | str:
    try:
        return kind(text) if kind is int else float(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def read_qdpx(path: str | Path, *, progress: Progress | None = None) -> RefiDocument:
    """A .qdpx project file's content; ExchangeFileError when it is damaged, unsafe or not one."""
    path = Path(path)
    if not path.is_file():
        raise ExchangeFileError(f"There is no file at {path}.")
    with ExchangeArchive(path) as archive, archive.open_project() as stream:
        doc = _Reader(archive, path.name, progress).parse(stream)
    if not doc.name:
        doc.name = path.stem
    return doc


def read_qdc(path: str | Path) -> RefiDocument:
    """A .qdc codebook file's content (a .qdpx is read for its codebook too)."""
    path = Path(path)
    if not path.is_file():
        raise ExchangeFileError(f"There is no file at {path}.")
    if path.suffix.lower() == ".qdpx":
        doc = read_qdpx(path)
        return RefiDocument(name=doc.name, origin=doc.origin, codes=doc.codes)
    try:
        with path.open("rb") as stream:
            doc = _Reader(None, path.name, None).parse(stream)
    except OSError as err:
        raise ExchangeFileError(f"{path.name} cannot be read: {err.strerror or err}.") from err
    if doc.sources or doc.cases:
        doc = RefiDocument(name=doc.name, origin=doc.origin, codes=doc.codes, left_out=doc.left_out)
    return doc
