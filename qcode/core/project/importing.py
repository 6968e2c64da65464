"""Importing files and folders: parse outside any transaction, then write each file in one transaction.

Besides sources with their spans and range memos, an importer may bring cases (with attribute values and
member ranges), source attribute values and codings; all of a file lands together or not at all.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from qcode.core.diagnostics import unexpected_failure
from qcode.core.errors import ImportError_, ProjectFileError, QcodeError
from qcode.core.importers import ImportOptions, ParseResult, find_importer, recognised_suffixes
from qcode.core.importers.speakers import SPEAKER_CODE_COLOR, apply_speaker_options
from qcode.core.importers.text import decoding_notes
from qcode.core.model import Attribute, ImportOutcome
from qcode.core.progress import Progress
from qcode.core.project.base import ProjectBase
from qcode.core.project.cases import coerce_value
from qcode.core.project.sources import text_sha256
from qcode.core.store import aggregates
from qcode.core.store import cases as case_store
from qcode.core.store import codings as coding_store
from qcode.core.store import sources as source_store
from qcode.core.text_rules import storable_text, without_surrogates

#: a file bringing more sources than this (a reference library) has them written in one statement
MANY_SOURCES = 50


def _outcome(path: Path, status: str, reason: str, source_ids: tuple[int, ...] = (), *,
             file_at_fault: bool = True) -> ImportOutcome:
    """A line of the import report, printable whatever bytes the file's name holds; a failure that is the file's
    names it (a message from deeper down, such as a value that does not fit an attribute, may not), while one
    that is the project's (a full disk, a read-only file) reads as that message alone."""
    name = without_surrogates(path.name)
    reason = " ".join(without_surrogates(reason).splitlines())  # a library's message may span lines
    if status == "failed" and file_at_fault and name not in reason:
        reason = f"{name}: {reason}"
    return ImportOutcome(without_surrogates(str(path)), status, reason, source_ids)


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file as it was imported, read in chunks so that large files cost no memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


class ImportMixin(ProjectBase):
    """The part of `Project` that imports files: each file parsed whole by its importer before anything is written, then
    stored in one transaction (or refused as a duplicate, with the reason)."""

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        folder_id: int | None = None,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
        speaker_cases: bool = False,
        autocode_speakers: bool = False,
        subfolders: Sequence[str] = (),
    ) -> ImportOutcome:
        """Import one file in one transaction; sources whose text is already in the project are skipped.

        `subfolders` names folders below `folder_id` to put the sources in; the missing ones are created in
        the same transaction, so a file that fails leaves no empty folder behind.
        """
        path = Path(path)
        options = options or ImportOptions()
        try:
            importer = find_importer(path, max_bytes=options.max_file_bytes)
            with decoding_notes() as guessed:
                result = importer.parse(path, options, progress)
            result.notes.extend(note for note in guessed if note not in result.notes)
            for parsed in result.sources:
                if len(parsed.text) > options.max_text_chars:
                    raise ImportError_(
                        f"{path.name} holds {len(parsed.text):,} characters of text, more than the limit of "
                        f"{options.max_text_chars:,} per source. Split the file into smaller parts."
                    )
        except ImportError_ as err:
            return _outcome(path, "failed", err.message)
        except Exception as err:  # whatever a library raises on one file is that file's failure
            return _outcome(path, "failed", unexpected_failure(path, err))
        for parsed in result.sources:
            parsed.text = storable_text(parsed.text)
        try:
            digest = file_sha256(path)
        except OSError as err:
            return _outcome(path, "failed", f"{path.name} cannot be read: {err.strerror or err}.")
        for parsed in result.sources:
            parsed.meta.setdefault("file_sha256", digest)  # the stored text has its own hash in the source row
        apply_speaker_options(result, cases=speaker_cases, autocode=autocode_speakers)
        read = self._store.read
        fresh = [i for i, p in enumerate(result.sources) if not source_store.source_by_sha(read, text_sha256(p.text))]
        if not fresh:
            return _outcome(path, "duplicate", "the same text is already in the project")
        new_folders: list[int] = []
        try:
            with self._store.transaction() as tx:
                if folder_id is not None:
                    self.folder(folder_id)
                target = folder_id
                for name in subfolders:
                    found = source_store.folder_by_name(tx, target, self._clean_name(name, "folder"))
                    if found is None:
                        new_folders.append(source_store.insert_folder(tx, target, self._clean_name(name, "folder"),
                                                                      guid=self._store.new_guid()))
                        target = new_folders[-1]
                    else:
                        target = found.id
                first = source_store.next_source_position(tx, target)
                if len(fresh) > MANY_SOURCES:
                    ids = dict(zip(fresh, self._insert_many_parsed(tx, [result.sources[i] for i in fresh], target,
                                                                   path.name, first), strict=True))
                else:
                    ids = {i: self._insert_parsed(tx, result.sources[i], target, path.name, first + k)
                           for k, i in enumerate(fresh)}
                self._write_attributes_and_cases(tx, result, ids)
                self._write_codings(tx, result, ids)
        except QcodeError as err:
            return _outcome(path, "failed", err.message, file_at_fault=not isinstance(err, ProjectFileError))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeError, OverflowError,
                sqlite3.IntegrityError, sqlite3.DataError) as err:
            # what the importer handed over cannot be stored (the transaction was rolled back); a full disk or a
            # damaged project (other database errors) is no file's fault and goes up
            return _outcome(path, "failed", unexpected_failure(path, err))
        if new_folders:
            self._notify("folder", "added", tuple(new_folders))
        self._notify("source", "added", tuple(ids.values()))
        if result.cases:
            self._notify("case", "added")
        return _outcome(path, "imported", "; ".join(result.notes), tuple(ids.values()))

    def import_paths(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        folder_id: int | None = None,
        options: ImportOptions | None = None,
        progress: Progress | None = None,
        speaker_cases: bool = False,
        autocode_speakers: bool = False,
    ) -> list[ImportOutcome]:
        """Import files and folders (recursively, subfolders becoming project folders), one file at a time.

        Each file is all-or-nothing; a failure is reported and the batch goes on. Cancelling stops before
        the next file and keeps the files already done.
        """
        plan: list[tuple[Path, tuple[str, ...]]] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for file in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                    if file.suffix.lower() in recognised_suffixes():  # an old .doc is reported, not skipped
                        plan.append((file, (path.name, *file.relative_to(path).parent.parts)))
            else:
                plan.append((path, ()))
        outcomes: list[ImportOutcome] = []
        for index, (file, folders) in enumerate(plan):
            if progress is not None:
                if progress.cancelled():
                    break
                progress.step(index, len(plan), file.name)
            if not file.exists():
                outcomes.append(_outcome(file, "failed", "the file does not exist"))
                continue
            try:
                outcomes.append(self.import_file(file, folder_id=folder_id, options=options, subfolders=folders,
                                                 speaker_cases=speaker_cases, autocode_speakers=autocode_speakers))
            except QcodeError as err:
                outcomes.append(_outcome(file, "failed", err.message,
                                         file_at_fault=not isinstance(err, ProjectFileError)))
            except sqlite3.DatabaseError:
                raise  # the project itself is in trouble (a full disk, a damaged file): no file is to blame
            except Exception as err:  # one file's failure never stops the batch
                outcomes.append(_outcome(file, "failed", unexpected_failure(file, err)))
        if progress is not None:
            progress.step(len(plan), len(plan), "")
        return outcomes

    # --- writing what a file brings besides its sources ---------------------------------------------------

    def _attribute_for(self, tx: sqlite3.Connection, scope: str, name: str, result: ParseResult, values: list[object]) -> Attribute:
        """The project's attribute of that name, created with the importer's declared type when new."""
        for attribute in case_store.attributes_by_name(tx, name):
            if attribute.scope == scope:
                return attribute
        kind = result.attribute_types.get((scope, name), "text")
        choices: tuple[str, ...] = ()
        if kind == "choice":
            choices = tuple(sorted({str(v) for v in values if v not in (None, "")}, key=str.casefold))
        attribute_id = case_store.insert_attribute(tx, self._clean_name(name, "attribute"), kind, scope, choices,
                                                   guid=self._store.new_guid())
        found = case_store.attribute_by_id(tx, attribute_id)
        assert found is not None
        return found

    def _set_value(self, tx: sqlite3.Connection, attribute: Attribute, owner_id: int, value: object) -> Attribute:
        """Set one value; returns the attribute as it now is (a choice may have gained the value)."""
        if attribute.type == "choice" and attribute.choices and str(value) not in attribute.choices:
            attribute = Attribute(attribute.id, attribute.name, attribute.type, attribute.scope,
                                  (*attribute.choices, str(value)))
            case_store.update_attribute(tx, attribute.id, name=attribute.name, choices=attribute.choices)
        case_store.set_value(tx, attribute.id, owner_id, coerce_value(attribute, value))
        return attribute

    def _write_attributes_and_cases(self, tx: sqlite3.Connection, result: ParseResult, ids: dict[int, int]) -> None:
        # each attribute is looked up (or created from all of the file's values) once, not once per source
        # the sources are new, so their values are written together, and a choice attribute's new choices once
        source_attributes: dict[str, Attribute] = {}
        grown: dict[int, Attribute] = {}
        values_set: dict[tuple[int, int], object] = {}
        for index, source_id in ids.items():
            for name, value in result.sources[index].attributes.items():
                if name not in source_attributes:
                    values = [s.attributes.get(name) for s in result.sources]
                    source_attributes[name] = self._attribute_for(tx, "source", name, result, values)
                attribute = source_attributes[name]
                if attribute.type == "choice" and attribute.choices and str(value) not in attribute.choices:
                    attribute = Attribute(attribute.id, attribute.name, attribute.type, attribute.scope,
                                          (*attribute.choices, str(value)))
                    source_attributes[name] = grown[attribute.id] = attribute
                values_set[(attribute.id, source_id)] = coerce_value(attribute, value)
        for attribute in grown.values():
            case_store.update_attribute(tx, attribute.id, name=attribute.name, choices=attribute.choices)
        case_store.set_source_values(tx, ((a, o, v) for (a, o), v in values_set.items() if v is not None))
        # new members lie in new sources, which have no codings yet, so no aggregate changes here
        attributes: dict[str, Attribute] = {}
        for parsed in result.cases:
            members = [(ids[i], start, end) for i, start, end in parsed.members if i in ids]
            if not members:
                continue
            name = self._clean_name(parsed.name, "case")
            existing = case_store.case_by_name(tx, name)
            case_id = existing.id if existing else case_store.insert_case(tx, name, self._store.new_guid())
            for source_id, start, end in members:
                case_store.insert_member(tx, case_id, source_id, start, end)
            for attr_name, value in parsed.attributes.items():
                if attr_name not in attributes:
                    values = [c.attributes.get(attr_name) for c in result.cases]
                    attributes[attr_name] = self._attribute_for(tx, "case", attr_name, result, values)
                if value not in (None, ""):
                    attributes[attr_name] = self._set_value(tx, attributes[attr_name], case_id, value)

    def _write_codings(self, tx: sqlite3.Connection, result: ParseResult, ids: dict[int, int]) -> None:
        if not result.codings:
            return
        coder_id = self.current_coder.id
        codes: dict[str, int] = {}
        rows = []
        for coding in result.codings:
            if coding.source_index not in ids:
                continue
            if coding.code_path not in codes:
                codes[coding.code_path] = self._code_path_in(tx, coding.code_path, color=SPEAKER_CODE_COLOR)[0]
            rows.append((ids[coding.source_index], codes[coding.code_path], coder_id, coding.start, coding.end,
                         self._store.now(), self._store.new_guid()))
        coding_store.insert_codings(tx, rows)
        for source_id in {r[0] for r in rows}:
            in_source = [r for r in rows if r[0] == source_id]
            aggregates.after_coding_change(tx, {r[1] for r in in_source}, source_id,
                                           min(r[3] for r in in_source), max(r[4] for r in in_source))

