"""Memos: the project journal, notes on sources, codes, codings and cases, and notes on text ranges."""

from __future__ import annotations

from collections.abc import Callable

from qcode.core.errors import InvalidRequestError, NotFoundError
from qcode.core.model import Memo
from qcode.core.project.base import ProjectBase
from qcode.core.store import cases as case_store
from qcode.core.store import codings as coding_store
from qcode.core.store import memos as memo_store

OBJECT_TARGETS = ("project", "source", "code", "coding", "case")


class MemosMixin(ProjectBase):
    """Memos on the project (the journal), on sources, codes, codings and cases, and on passages of a source."""

    _resolve_coder: Callable[[int | None], int]  # provided by CodingsMixin

    def _check_target(self, target_kind: str, target_id: int | None) -> None:
        if target_kind not in OBJECT_TARGETS:
            raise InvalidRequestError(
                f"Memos can be attached to {', '.join(OBJECT_TARGETS)} or a text range, not to '{target_kind}'."
            )
        if target_kind == "project":
            return
        if target_id is None:
            raise InvalidRequestError(f"Say which {target_kind} the memo belongs to.")
        read = self._store.read
        if target_kind == "source":
            self._source(target_id)
        elif target_kind == "code":
            self._code(target_id)
        elif target_kind == "coding":
            if coding_store.coding_by_id(read, target_id) is None:
                raise NotFoundError("coding", f"with id {target_id}")
        elif target_kind == "case" and case_store.case_by_id(read, target_id) is None:
            raise NotFoundError("case", f"with id {target_id}")

    def memo(self, target_kind: str, target_id: int | None = None) -> Memo | None:
        """The memo of the project (journal), a source, code, coding or case; None when there is none."""
        self._check_target(target_kind, target_id)
        if target_kind == "coding" and target_id is not None:
            coding = coding_store.coding_by_id(self._store.read, target_id)
            if coding is not None:
                self.visible_coder(coding.coder_id)  # another coder's coding is refused in blind coding
        return memo_store.memo_for(self._store.read, target_kind, None if target_kind == "project" else target_id)

    def set_memo(self, target_kind: str, target_id: int | None, text: str, *,
                 coder_id: int | None = None) -> Memo | None:
        """Write (or, with empty text, delete) the memo of the project, a source, code, coding or case, as
        `coder_id` (default: this session's coder; a merge keeps a memo's author)."""
        self._check_target(target_kind, target_id)
        target = None if target_kind == "project" else target_id
        existing = memo_store.memo_for(self._store.read, target_kind, target)
        with self._store.transaction() as tx:
            if not text.strip():
                if existing:
                    memo_store.delete_memo(tx, existing.id)
                memo_id = None
            else:
                source_id = target_id if target_kind == "source" else None
                memo_id = memo_store.upsert_memo(
                    tx, target_kind, target, text, self._store.now(), self._resolve_coder(coder_id), source_id,
                    self._store.new_guid(),
                )
        self._notify("memo", "changed", (memo_id or (existing.id if existing else 0),))
        return memo_store.memo_by_id(self._store.read, memo_id) if memo_id else None

    def journal(self) -> str:
        """The project journal's text (empty when there is none)."""
        memo = self.memo("project")
        return memo.text if memo else ""

    def set_journal(self, text: str) -> None:
        """Write the project journal; an empty text deletes it."""
        self.set_memo("project", None, text)

    def add_range_memo(self, source_id: int, start: int, end: int, text: str, *, coder_id: int | None = None) -> Memo:
        """A memo anchored to a range of a source's text (a Word comment lands here too), by `coder_id` (default:
        this session's coder)."""
        self._check_range(source_id, start, end)
        if not text.strip():
            raise InvalidRequestError("A memo needs some text.")
        with self._store.transaction() as tx:
            memo_id = memo_store.insert_range_memo(tx, source_id, start, end, text, self._store.now(),
                                                   self._resolve_coder(coder_id), self._store.new_guid())
        self._notify("memo", "added", (memo_id,))
        return self.memo_by_id(memo_id)

    def memo_by_id(self, memo_id: int) -> Memo:
        """The memo with this id; NotFoundError when there is none."""
        found = memo_store.memo_by_id(self._store.read, memo_id)
        if found is None:
            raise NotFoundError("memo", f"with id {memo_id}")
        return found

    def update_memo(self, memo_id: int, text: str) -> Memo:
        """Replace a memo's text (and its time of change)."""
        self.memo_by_id(memo_id)
        with self._store.transaction() as tx:
            memo_store.update_memo_text(tx, memo_id, text, self._store.now())
        self._notify("memo", "changed", (memo_id,))
        return self.memo_by_id(memo_id)

    def delete_memo(self, memo_id: int) -> Memo:
        """Delete a memo; returns it, so that it can be put back."""
        memo = self.memo_by_id(memo_id)
        with self._store.transaction() as tx:
            memo_store.delete_memo(tx, memo_id)
        self._notify("memo", "removed", (memo_id,))
        return memo

    def restore_memo(self, memo: Memo) -> Memo:
        """Put back a deleted memo with its id and text (undo of `delete_memo`)."""
        if memo.target_kind != "range":
            self._check_target(memo.target_kind, memo.target_id)
        elif memo.source_id is None or memo.start is None or memo.end is None:
            raise InvalidRequestError("A memo on a passage needs its source and range.")
        else:
            self._check_range(memo.source_id, memo.start, memo.end)
        with self._store.transaction() as tx:
            memo_store.restore_memo(tx, memo)
        self._notify("memo", "added", (memo.id,))
        return self.memo_by_id(memo.id)

    def put_back_memo(self, memo: Memo) -> Memo:
        """Give a memo back its text, date and author as they were before a change (a merge's undo), keeping
        its id and identity."""
        if memo_store.memo_by_id(self._store.read, memo.id) is None:
            raise NotFoundError("memo", f"with id {memo.id}")
        with self._store.transaction() as tx:
            memo_store.put_back_memo(tx, memo)
        self._notify("memo", "changed", (memo.id,))
        return self.memo_by_id(memo.id)

    def range_memos(self, source_id: int) -> list[Memo]:
        """The memos on passages of one source, in text order."""
        self._source(source_id)
        return memo_store.memos_in_source(self._store.read, source_id)

    def memos(self, *, everyone: bool = False) -> list[Memo]:
        """Every memo of the project; in blind coding, without the memos on other coders' codings unless
        `everyone` is asked for (a merge's bookkeeping, never a listing or an export)."""
        memos = memo_store.all_memos(self._store.read)
        shown = () if everyone else self.visible_filter().coders
        if not shown:
            return memos
        on_codings = [m.target_id for m in memos if m.target_kind == "coding" and m.target_id is not None]
        hidden = {c.id for c in coding_store.codings_by_ids(self._store.read, on_codings) if c.coder_id not in shown}
        return [m for m in memos if not (m.target_kind == "coding" and m.target_id in hidden)]
