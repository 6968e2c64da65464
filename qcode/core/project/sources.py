"""Sources and folders: add, import, rename, move, delete, read."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from typing import Any

from qcode.core.analysis.grouping import source_paths
from qcode.core.errors import (
    DuplicateNameError,
    InvalidOperationError,
    InvalidRangeError,
    NotFoundError,
    TreeCycleError,
)
from qcode.core.importers import ParsedSource
from qcode.core.importers.structure import paragraph_spans, speaker_turns
from qcode.core.model import SOURCE_KINDS, Folder, Source, Span
from qcode.core.project.base import ProjectBase, resolve_path
from qcode.core.store import aggregates, queries
from qcode.core.store import cases as case_store
from qcode.core.store import codings as coding_store
from qcode.core.store import memos as memo_store
from qcode.core.store import sources as source_store
from qcode.core.text_rules import storable, storable_text, without_surrogates


def text_sha256(text: str) -> str:
    """The SHA-256 of a text as UTF-8, hex: how a source's stored text is fingerprinted (duplicates, merges)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _storable_span(span: Span) -> Span:
    if isinstance(span.value, str) and storable_text(span.value) is not span.value:
        return Span(span.kind, span.start, span.end, storable_text(span.value))
    return span


class SourcesMixin(ProjectBase):
    # --- folders ---------------------------------------------------------------------------------------

    """Sources and folders: reading them and their text and spans, renaming, moving, deleting."""

    def folders(self) -> list[Folder]:
        """Every folder, in display order."""
        return source_store.folders(self._store.read)

    def folder(self, folder_id: int) -> Folder:
        """The folder with this id; NotFoundError when there is none."""
        found = source_store.folder_by_id(self._store.read, folder_id)
        if found is None:
            raise NotFoundError("folder", f"with id {folder_id}")
        return found

    def folder_path(self, folder_id: int | None) -> str:
        """A folder's path from the top ('Interviews/Round 2'); empty for None (the top level)."""
        parts: list[str] = []
        while folder_id is not None:
            folder = self.folder(folder_id)
            parts.append(folder.name)
            folder_id = folder.parent_id
        return "/".join(reversed(parts))

    def create_folder(self, name: str, *, parent_id: int | None = None) -> Folder:
        """A new folder with a name unique among its siblings."""
        name = self._clean_name(name, "folder")
        if parent_id is not None:
            self.folder(parent_id)
        if source_store.folder_by_name(self._store.read, parent_id, name):
            raise DuplicateNameError("folder", name, "here")
        with self._store.transaction() as tx:
            folder_id = source_store.insert_folder(tx, parent_id, name, guid=self._store.new_guid())
        self._notify("folder", "added", (folder_id,))
        return self.folder(folder_id)

    def ensure_folder_path(self, path: str) -> Folder:
        """The folder at 'A/B/C', creating the missing ones."""
        parent: int | None = None
        folder: Folder | None = None
        for part in [p for p in path.split("/") if p.strip()]:
            folder = source_store.folder_by_name(self._store.read, parent, part.strip())
            if folder is None:
                folder = self.create_folder(part, parent_id=parent)
            parent = folder.id
        if folder is None:
            raise NotFoundError("folder", f"'{path}'")
        return folder

    def rename_folder(self, folder_id: int, name: str) -> Folder:
        """Give a folder a name unique among its siblings."""
        folder = self.folder(folder_id)
        name = self._clean_name(name, "folder")
        other = source_store.folder_by_name(self._store.read, folder.parent_id, name)
        if other and other.id != folder_id:
            raise DuplicateNameError("folder", name, "here")
        with self._store.transaction() as tx:
            source_store.update_folder(tx, folder_id, parent_id=folder.parent_id, name=name)
        self._notify("folder", "changed", (folder_id,))
        return self.folder(folder_id)

    def move_folder(self, folder_id: int, parent_id: int | None) -> Folder:
        """Move a folder under another (None: the top level); refuses moving it into itself or onto a name already there."""
        folder = self.folder(folder_id)
        if parent_id is not None:
            self.folder(parent_id)
            if parent_id in source_store.folder_subtree(self._store.read, [folder_id]):
                raise TreeCycleError(folder.name)
        other = source_store.folder_by_name(self._store.read, parent_id, folder.name)
        if other and other.id != folder_id:
            raise DuplicateNameError("folder", folder.name, "there")
        with self._store.transaction() as tx:
            source_store.update_folder(tx, folder_id, parent_id=parent_id, name=folder.name)
        self._notify("folder", "changed", (folder_id,))
        return self.folder(folder_id)

    def delete_folder(self, folder_id: int, *, recursive: bool = False) -> None:
        """Delete a folder; with `recursive`, also its subfolders and their sources (with their codings)."""
        folder = self.folder(folder_id)
        read = self._store.read
        if not recursive and not source_store.folder_is_empty(read, folder_id):
            raise InvalidOperationError(
                f"The folder '{folder.name}' is not empty. Move or delete what it holds first, "
                "or delete it with everything in it."
            )
        source_ids = source_store.source_ids_in_folders(read, [folder_id])
        with self._store.transaction() as tx:
            for source_id in source_ids:
                self._delete_source_in(tx, source_id)
            source_store.delete_folder(tx, folder_id)
        if source_ids:
            self._notify("source", "removed", tuple(source_ids))
        self._notify("folder", "removed", (folder_id,))

    # --- sources ---------------------------------------------------------------------------------------

    def sources(self) -> list[Source]:
        """Every source (without its text), in display order."""
        return source_store.sources(self._store.read)

    def source(self, source_id: int) -> Source:
        """The source with this id (without its text); NotFoundError when there is none."""
        return self._source(source_id)

    def source_text(self, source_id: int) -> str:
        """A source's whole plain text, which never changes after import."""
        self._source(source_id)
        return source_store.source_text(self._store.read, source_id) or ""

    def source_slice(self, source_id: int, start: int, end: int) -> str:
        """The text of [start, end) of a source, in code points; the range must lie inside the text."""
        self._check_range(source_id, start, end)
        return source_store.source_slice(self._store.read, source_id, start, end)

    def spans(self, source_id: int, kind: str | None = None) -> list[Span]:
        """A source's structure spans (paragraphs, headings, pages, turns ...), all or of one kind, in text order."""
        self._source(source_id)
        return source_store.spans(self._store.read, source_id, kind)

    def source_path(self, source_id: int) -> str:
        """A source's path with its folders ('Interviews/Interview 01 - Marcus')."""
        source = self._source(source_id)
        prefix = self.folder_path(source.folder_id)
        return f"{prefix}/{source.name}" if prefix else source.name

    def source_paths(self) -> dict[int, str]:
        """Every source's path with its folders (as `source_path` says it), read at once."""
        return source_paths(self._store.read)

    def coding_counts_by_source(self, source_ids: tuple[int, ...] | None = None) -> dict[int, int]:
        """Number of codings per source (of these sources only, when given)."""
        return queries.coding_counts_by_source(self._store.read, source_ids, self.visible_filter().coders)

    def find_source(self, ref: str | int) -> Source:
        """A source by id or by path ('Folder/Name'); a bare name must be unique."""
        if isinstance(ref, int):
            return self._source(ref)
        read = self._store.read
        by_id = source_store.source_by_id(read, int(ref)) if str(ref).strip().isdigit() else None

        def lookup(parts: list[str]) -> Source | None:
            parent: int | None = None
            for part in parts[:-1]:
                folder = source_store.folder_by_name(read, parent, part)
                if folder is None:
                    return None
                parent = folder.id
            return source_store.source_by_name_in(read, parent, parts[-1])

        return resolve_path(
            "source", str(ref), source_store.sources_by_name(read, str(ref).strip()), lookup,
            lambda s: f"{self.source_path(s.id)} (id {s.id})", by_id,
        )

    def find_folder(self, ref: str | int) -> Folder:
        """A folder by id or by path from the top ('Interviews/Round 2')."""
        if isinstance(ref, int) or str(ref).isdigit():
            return self.folder(int(ref))
        parent: int | None = None
        folder: Folder | None = None
        for part in [p.strip() for p in str(ref).split("/") if p.strip()]:
            folder = source_store.folder_by_name(self._store.read, parent, part)
            if folder is None:
                raise NotFoundError("folder", f"'{ref}'")
            parent = folder.id
        if folder is None:
            raise NotFoundError("folder", f"'{ref}'")
        return folder

    def _unique_source_name(self, folder_id: int | None, name: str) -> str:
        candidate, number = name, 2
        while source_store.source_by_name_in(self._store.read, folder_id, candidate):
            candidate = f"{name} ({number})"
            number += 1
        return candidate

    def add_source(
        self,
        name: str,
        text: str,
        *,
        kind: str = "text",
        spans: Iterable[Span] | None = None,
        folder_id: int | None = None,
        original_name: str = "",
        meta: dict[Any, Any] | None = None,
    ) -> Source:
        """Add a source from its plain text; a name taken in the folder gets a number, as in 'Name (2)'.

        Without `spans`, paragraphs (blank-line separated) and speaker turns are found in the text.
        """
        if spans is None:
            paragraphs = paragraph_spans(text)
            spans = paragraphs + speaker_turns(text, paragraphs)
        parsed = ParsedSource(name=name, text=text, kind=kind, spans=list(spans), meta=dict(meta or {}))
        with self._store.transaction() as tx:
            source_id = self._insert_parsed(tx, parsed, folder_id, original_name)
        self._notify("source", "added", (source_id,))
        return self._source(source_id)

    def _insert_parsed(self, tx: sqlite3.Connection, parsed: ParsedSource, folder_id: int | None, original_name: str,
                       position: int | None = None) -> int:
        if parsed.kind not in SOURCE_KINDS:
            raise ValueError(f"unknown source kind {parsed.kind!r}")
        name = self._unique_source_name(folder_id, self._clean_name(parsed.name.replace("/", "-"), "source"))
        if folder_id is not None:
            self.folder(folder_id)
        text = storable_text(parsed.text)
        for span in parsed.spans:
            if span.start < 0 or span.end > len(text) or span.end < span.start:
                raise InvalidRangeError(span.start, span.end, len(text))
        source_id = source_store.insert_source(
            tx, name=name, kind=parsed.kind, text=text, sha256=text_sha256(text),
            original_name=without_surrogates(original_name), imported_at=self._store.now(), folder_id=folder_id,
            meta=storable(parsed.meta), position=position, guid=self._store.new_guid(),
        )
        source_store.insert_spans(tx, source_id, [_storable_span(s) for s in parsed.spans])
        coder_id = self.current_coder.id if parsed.range_memos else None
        for memo in parsed.range_memos:
            memo_store.insert_range_memo(tx, source_id, memo.start, memo.end, storable_text(memo.text),
                                         self._store.now(), coder_id, self._store.new_guid())
        return source_id

    def _insert_many_parsed(self, tx: sqlite3.Connection, items: list[ParsedSource], folder_id: int | None,
                            original_name: str, first_position: int) -> list[int]:
        """`_insert_parsed` for the many sources of one file (a library of 50,000 references), with one statement
        for all the source rows and one for all their spans; names taken get numbers in the same way."""
        if folder_id is not None:
            self.folder(folder_id)
        taken = {source_store.nocase(n) for n in source_store.source_names_in(tx, folder_id)}
        rows = []
        for k, parsed in enumerate(items):
            if parsed.kind not in SOURCE_KINDS:
                raise ValueError(f"unknown source kind {parsed.kind!r}")
            base = self._clean_name(parsed.name.replace("/", "-"), "source")
            name, number = base, 2
            while source_store.nocase(name) in taken:
                name, number = f"{base} ({number})", number + 1
            taken.add(source_store.nocase(name))
            text = storable_text(parsed.text)
            for span in parsed.spans:
                if span.start < 0 or span.end > len(text) or span.end < span.start:
                    raise InvalidRangeError(span.start, span.end, len(text))
            rows.append((name, parsed.kind, text, text_sha256(text), without_surrogates(original_name),
                         self._store.now(), folder_id, first_position + k, storable(parsed.meta),
                         self._store.new_guid()))
        ids = source_store.insert_sources(tx, rows)
        source_store.insert_spans_of(tx, ((source_id, _storable_span(span)) for source_id, parsed in
                                          zip(ids, items, strict=True) for span in parsed.spans))
        for source_id, parsed in zip(ids, items, strict=True):
            coder_id = self.current_coder.id if parsed.range_memos else None
            for memo in parsed.range_memos:
                memo_store.insert_range_memo(tx, source_id, memo.start, memo.end, storable_text(memo.text),
                                             self._store.now(), coder_id, self._store.new_guid())
        return ids

    def rename_source(self, source_id: int, name: str) -> Source:
        """Give a source a name unique in its folder."""
        source = self._source(source_id)
        name = self._clean_name(name, "source")
        other = source_store.source_by_name_in(self._store.read, source.folder_id, name)
        if other and other.id != source_id:
            raise DuplicateNameError("source", name, "in this folder")
        with self._store.transaction() as tx:
            source_store.update_source(tx, source_id, name=name, folder_id=source.folder_id)
        self._notify("source", "changed", (source_id,))
        return self._source(source_id)

    def move_source(self, source_id: int, folder_id: int | None) -> Source:
        """Move a source to another folder (None: the top level); refuses a name already there."""
        source = self._source(source_id)
        if folder_id is not None:
            self.folder(folder_id)
        other = source_store.source_by_name_in(self._store.read, folder_id, source.name)
        if other and other.id != source_id:
            raise DuplicateNameError("source", source.name, "in that folder")
        with self._store.transaction() as tx:
            source_store.update_source(tx, source_id, name=source.name, folder_id=folder_id)
        self._notify("source", "changed", (source_id,))
        return self._source(source_id)

    def move_sources(self, source_ids: Iterable[int], folder_id: int | None) -> None:
        """Move several sources into a folder (None: the top level), all or none."""
        ids = list(dict.fromkeys(source_ids))
        sources = [self._source(sid) for sid in ids]
        if folder_id is not None:
            self.folder(folder_id)
        names = [s.name for s in sources]
        for source in sources:
            other = source_store.source_by_name_in(self._store.read, folder_id, source.name)
            if (other and other.id not in ids) or names.count(source.name) > 1:
                raise DuplicateNameError("source", source.name, "in that folder")
        with self._store.transaction() as tx:
            for source in sources:
                source_store.update_source(tx, source.id, name=source.name, folder_id=folder_id)
        self._notify("source", "changed", tuple(ids))

    def delete_source(self, source_id: int) -> None:
        """Delete a source with its spans, codings, memos and case memberships."""
        self.delete_sources([source_id])

    def delete_sources(self, source_ids: Iterable[int]) -> None:
        """Delete several sources in one transaction."""
        ids = list(dict.fromkeys(source_ids))
        for source_id in ids:
            self._source(source_id)
        with self._store.transaction() as tx:
            for source_id in ids:
                self._delete_source_in(tx, source_id)
        self._notify("source", "removed", tuple(ids))

    def _delete_source_in(self, tx: sqlite3.Connection, source_id: int) -> None:
        code_ids = coding_store.code_ids_in_source(tx, source_id)
        case_ids = [m.case_id for m in case_store.members(tx, source_id=source_id)]
        source_store.delete_source(tx, source_id)
        aggregates.after_source_removed(tx, code_ids, case_ids)
