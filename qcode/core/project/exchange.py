"""Exchanging whole projects and codebooks with other programs (REFI-QDA .qdpx and .qdc).

The file formats live in `qcode.core.refi`; this part of the API gives them the identities and rows they
write, and writes what they read in one transaction: an import that fails or is cancelled changes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from qcode.core.model import CaseMember
from qcode.core.progress import Progress
from qcode.core.project.base import ProjectBase
from qcode.core.refi.document import ExchangeReport, ImportRecord, ImportUndo, RefiDocument
from qcode.core.store import exchange


class ExchangeMixin(ProjectBase):
    """The part of `Project` that REFI-QDA exchange uses: identifiers, bulk reads for writing a .qdpx or .qdc, and
    importing one (and taking an import back) in one transaction."""

    def exchange_guids(self, kind: str) -> dict[int, str]:
        """The stable identifier of each source, coder, memo, folder, attribute, code, coding or case, by id."""
        return exchange.guids(self._store.read, kind)

    def all_case_members(self) -> list[CaseMember]:
        """Every case's members, by case."""
        return exchange.all_members(self._store.read)

    def import_refi(self, path: str | os.PathLike[str], *, codebook_only: bool = False,
                    progress: Progress | None = None) -> ExchangeReport:
        """Import a REFI-QDA project (.qdpx) or codebook (.qdc) into this project, in one transaction.

        The file is read and checked whole first; then everything it holds lands together, or nothing does.
        """
        from qcode.core.refi.reader import read_qdc, read_qdpx

        path = Path(path)
        if codebook_only or path.suffix.lower() == ".qdc":
            doc = read_qdc(path)
            codebook_only = True
        else:
            doc = read_qdpx(path, progress=progress)
        return self.import_refi_document(doc, file_name=path.name, codebook_only=codebook_only, progress=progress)

    def import_refi_document(self, doc: RefiDocument, *, file_name: str = "", codebook_only: bool = False,
                             progress: Progress | None = None) -> ExchangeReport:
        """Write an exchange document that has been read already (see `import_refi`)."""
        from qcode.core.refi.merge import Merger

        coder = self.current_coder.name if self._coder_id is not None else (  # type: ignore[attr-defined]
            self._coder_name or _default_name())  # type: ignore[attr-defined]
        with self._store.transaction() as tx:
            merger = Merger(tx, doc, now=self._store.now, new_guid=self._store.new_guid, coder_name=coder,
                            file_name=file_name, progress=progress, codebook_only=codebook_only)
            report = merger.run()
        changes = merger.changes
        if changes.coders:
            self._notify("coder", "added", tuple(changes.coders))
        if changes.folders:
            self._notify("folder", "added", tuple(changes.folders))
        if changes.codes:
            self._notify("code", "added", tuple(changes.codes))
        if changes.sources:
            self._notify("source", "added", tuple(changes.sources))
        if changes.attributes:
            self._notify("attribute", "added", tuple(changes.attributes))
        if changes.cases:
            self._notify("case", "added")
        if changes.codings:
            self._notify("coding", "added", (), tuple(sorted(changes.coding_sources)))
        if changes.memos:
            self._notify("memo", "changed")
        return report

    def take_back_refi_import(self, record: ImportRecord) -> ImportUndo:
        """Undo an import exactly, in one transaction: its rows go and what it changed is as it was.

        Returns what `put_back_refi_import` needs to redo it (the same rows, ids and identifiers).
        """
        from qcode.core.store import cases as case_store

        with self._store.transaction() as tx:
            rows = {table: exchange.rows_of(tx, table, ids) for table, ids in record.new_ids.items() if ids}
            spans = exchange.span_rows(tx, record.new_ids.get("source", []))
            closure = exchange.closure_rows(tx, record.new_ids.get("code", []))
            values = [(a, o, exchange.value_of(tx, a, o)) for a, o, _ in record.values]
            memos = [(m, state) for m, _ in record.memos if (state := exchange.memo_state(tx, m)) is not None]
            choices = [(a, found.choices) for a, _ in record.choices
                       if (found := case_store.attribute_by_id(tx, a)) is not None]
            for memo_id, state in reversed(record.memos):
                exchange.set_memo_state(tx, memo_id, state)
            for attribute_id, owner_id, before in reversed(record.values):
                case_store.set_value(tx, attribute_id, owner_id, before)
            for attribute_id, before_choices in reversed(record.choices):
                attribute = case_store.attribute_by_id(tx, attribute_id)
                if attribute is not None:
                    case_store.update_attribute(tx, attribute_id, name=attribute.name, choices=before_choices)
            for table in reversed(exchange.RESTORE_ORDER):
                ids = record.new_ids.get(table, [])
                exchange.delete_ids(tx, table, sorted(ids, reverse=True))
            exchange.rebuild_aggregates(tx)
        self._notify_all(record, "removed")
        return ImportUndo(rows, spans, closure, values, memos, choices, record)

    def put_back_refi_import(self, undo: ImportUndo) -> None:
        """Redo an import taken back by `take_back_refi_import`, with its ids and identifiers."""
        from qcode.core.store import cases as case_store

        with self._store.transaction() as tx:
            for table in exchange.RESTORE_ORDER:
                if table in undo.rows:
                    columns, rows = undo.rows[table]
                    exchange.put_rows(tx, table, columns, rows)
                if table == "code":
                    exchange.put_closure(tx, undo.closure)
                if table == "source":
                    exchange.put_spans(tx, undo.spans)
            for attribute_id, choices in undo.choices:
                attribute = case_store.attribute_by_id(tx, attribute_id)
                if attribute is not None:
                    case_store.update_attribute(tx, attribute_id, name=attribute.name, choices=choices)
            for attribute_id, owner_id, value in undo.values:
                case_store.set_value(tx, attribute_id, owner_id, value)
            for memo_id, state in undo.memos:
                exchange.set_memo_state(tx, memo_id, state)
            exchange.rebuild_aggregates(tx)
        self._notify_all(undo.record, "added")

    def _notify_all(self, record: ImportRecord, action: str) -> None:
        for kind, table in (("coder", "coder"), ("folder", "folder"), ("attribute", "attribute"), ("code", "code"),
                            ("source", "source"), ("case", "cases")):
            if record.new_ids.get(table):
                self._notify(kind, action, tuple(record.new_ids[table]))
        if record.new_ids.get("coding"):
            self._notify("coding", action)
        if record.values:
            self._notify("case", "changed")
        if record.memos or record.new_ids.get("memo"):
            self._notify("memo", "changed")

    def export_refi(self, target: str | os.PathLike[str], *, codebook_only: bool = False, fresh_guids: bool = False,
                    progress: Progress | None = None) -> Path:
        """Write this project as a REFI-QDA project (.qdpx), or its codebook alone (.qdc)."""
        from qcode.core.refi.writer import write_codebook, write_project

        if codebook_only:
            return write_codebook(self, target, fresh_guids=fresh_guids)  # type: ignore[arg-type]
        return write_project(self, target, fresh_guids=fresh_guids, progress=progress)  # type: ignore[arg-type]


def _default_name() -> str:
    from qcode.core.project.facade import default_coder_name

    return default_coder_name()
