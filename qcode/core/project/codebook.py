"""The codebook: create, edit, move, merge and delete codes."""

from __future__ import annotations

import colorsys
import re
import sqlite3

from qcode.core.errors import (
    DuplicateNameError,
    InvalidOperationError,
    InvalidRequestError,
    NotFoundError,
    TreeCycleError,
)
from qcode.core.model import Code, CodeOrder, CodeSnapshot, MergeSnapshot
from qcode.core.project.base import CODE_COLORS, ProjectBase, resolve_path
from qcode.core.store import aggregates
from qcode.core.store import codes as code_store
from qcode.core.store import codings as coding_store
from qcode.core.store import memos as memo_store

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
TEXT_FIELDS = ("definition", "inclusion", "exclusion", "example")


def shade_of(color: str, index: int) -> str:
    """The `index`-th shade of a parent code's colour for its sub-codes: the same hue, lighter or darker in
    turn, so a category's codes read as one family (as in the demo's codebook)."""
    red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    step = 0.1 * (index // 2 + 1)
    lighter = lightness + step if index % 2 == 0 else lightness - step
    if not 0.18 <= lighter <= 0.85:  # out of range: go the other way
        lighter = lightness - step if index % 2 == 0 else lightness + step
    lighter = min(0.85, max(0.18, lighter))
    red, green, blue = colorsys.hls_to_rgb(hue, lighter, saturation)
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (red, green, blue))


def check_color(color: str) -> str:
    """A colour as '#rrggbb' in lower case; anything else is refused with a clear error."""
    if not _COLOR.match(color or ""):
        raise InvalidRequestError(f"'{color}' is not a colour; use the form #RRGGBB, for example #4e79a7.")
    return color.lower()


class CodebookMixin(ProjectBase):
    """The codebook: codes in a tree, with their fields, and creating, editing, moving, merging and deleting them."""

    def codes(self) -> list[Code]:
        """Every code, parents before their children, siblings in their order."""
        return code_store.codes(self._store.read)

    def code(self, code_id: int) -> Code:
        """The code with this id; NotFoundError when there is none."""
        return self._code(code_id)

    def children(self, code_id: int | None) -> list[Code]:
        """The codes directly under a code (None: the top level), in their order."""
        return code_store.children(self._store.read, code_id)

    def code_path(self, code_id: int, *, separator: str = "/") -> str:
        """A code's path from the top, its names joined by `separator` ('Help-seeking/Barriers')."""
        names = []
        current: int | None = code_id
        while current is not None:
            code = self._code(current)
            names.append(code.name)
            current = code.parent_id
        return separator.join(reversed(names))

    def code_paths(self, *, separator: str = "/") -> dict[int, str]:
        """Every code's path from the top (as `code_path` says it), read at once."""
        return {code_id: separator.join(names) for code_id, names in code_store.code_paths(self._store.read).items()}

    def descendants(self, code_id: int) -> list[int]:
        """The code and every code below it."""
        self._code(code_id)
        return code_store.descendants(self._store.read, [code_id])

    def find_code(self, ref: str | int) -> Code:
        """A code by id or by path ('Parent/Child'); a bare name must be unique."""
        if isinstance(ref, int):
            return self._code(ref)
        read = self._store.read
        by_id = code_store.code_by_id(read, int(ref)) if str(ref).strip().isdigit() else None

        def lookup(parts: list[str]) -> Code | None:
            parent: int | None = None
            found: Code | None = None
            for part in parts:
                found = code_store.code_by_name_in(read, parent, part)
                if found is None:
                    return None
                parent = found.id
            return found

        return resolve_path(
            "code", str(ref), code_store.codes_by_name(read, str(ref).strip()), lookup,
            lambda c: f"{self.code_path(c.id)} (id {c.id})", by_id,
        )

    def find_or_create_code(self, ref: str | int) -> tuple[Code, tuple[int, ...]]:
        """The code an id, a path ('Parent/Child') or a unique bare name names, creating what the path lacks.

        The one rule every face uses when a researcher names a code that may be new (quick code, autocode, the
        command line): an existing code is found as `find_code` finds it; otherwise the path is walked from the
        top, each name matched case-insensitively (as code names are unique), and every missing code on it,
        parents included, is created in one transaction. Returns the code and the ids of the codes created,
        parents first (empty when the code existed), so that a face can take them back as one undo step.
        """
        try:
            return self.find_code(ref), ()
        except NotFoundError:
            pass
        with self._store.transaction() as tx:
            code_id, created = self._code_path_in(tx, str(ref))
        if created:
            self._notify("code", "added", created)
        return self._code(code_id), created

    def create_code(
        self,
        name: str,
        *,
        parent_id: int | None = None,
        color: str | None = None,
        definition: str = "",
        inclusion: str = "",
        exclusion: str = "",
        example: str = "",
        guid: str | None = None,
    ) -> Code:
        """A new code at the end of its siblings."""
        name = self._clean_name(name, "code")
        if parent_id is not None:
            self._code(parent_id)
        read = self._store.read
        if code_store.code_by_name_in(read, parent_id, name):
            where = f"under '{self.code_path(parent_id)}'" if parent_id is not None else "at the top level"
            raise DuplicateNameError("code", name, where)
        if guid is not None and code_store.code_by_guid(read, guid):
            raise DuplicateNameError("code with the identifier", guid)
        if color is None and parent_id is not None:  # a shade of the parent's colour
            color = shade_of(self._code(parent_id).color, len(code_store.children(read, parent_id)))
        elif color is None:
            color = CODE_COLORS[code_store.count_codes(read) % len(CODE_COLORS)]
        with self._store.transaction() as tx:
            code_id = code_store.insert_code(
                tx, parent_id=parent_id, name=name, color=check_color(color), definition=definition,
                inclusion=inclusion, exclusion=exclusion, example=example,
                position=code_store.next_position(tx, parent_id), guid=guid or self._store.new_guid(),
                created_at=self._store.now(),
            )
            aggregates.after_tree_change(tx, [code_id])
        self._notify("code", "added", (code_id,))
        return self._code(code_id)

    def rename_code(self, code_id: int, name: str) -> Code:
        """Give a code a name unique among its siblings."""
        code = self._code(code_id)
        name = self._clean_name(name, "code")
        other = code_store.code_by_name_in(self._store.read, code.parent_id, name)
        if other and other.id != code_id:
            raise DuplicateNameError("code", name, "here")
        return self.update_code(code_id, name=name)

    def recolor_code(self, code_id: int, color: str) -> Code:
        """Give a code another colour ('#rrggbb')."""
        return self.update_code(code_id, color=color)

    def update_code(self, code_id: int, **fields: str) -> Code:
        """Change any of name, color, definition, inclusion, exclusion, example."""
        code = self._code(code_id)
        allowed = {"name", "color", *TEXT_FIELDS}
        unknown = set(fields) - allowed
        if unknown:
            raise InvalidRequestError(f"A code has no field {', '.join(sorted(unknown))}.")
        if "name" in fields:
            fields["name"] = self._clean_name(fields["name"], "code")
            other = code_store.code_by_name_in(self._store.read, code.parent_id, fields["name"])
            if other and other.id != code_id:
                raise DuplicateNameError("code", fields["name"], "here")
        if "color" in fields:
            fields["color"] = check_color(fields["color"])
        with self._store.transaction() as tx:
            code_store.update_code_fields(tx, code_id, fields)
        self._notify("code", "changed", (code_id,))
        return self._code(code_id)

    def move_code(
        self, code_id: int, parent_id: int | None, *, position: int | None = None, before_id: int | None = None
    ) -> Code:
        """Hang a code (with its sub-codes) under another parent (None: top level), at `position` among
        siblings, or just before the sibling `before_id` (a drop between two codes); else at the end."""
        code = self._code(code_id)
        read = self._store.read
        if parent_id is not None:
            self._code(parent_id)
            if parent_id in code_store.descendants(read, [code_id]):
                raise TreeCycleError(code.name)
        other = code_store.code_by_name_in(read, parent_id, code.name)
        if other and other.id != code_id:
            where = f"under '{self.code_path(parent_id)}'" if parent_id is not None else "at the top level"
            raise DuplicateNameError("code", code.name, where)
        siblings = [c.id for c in code_store.children(read, parent_id) if c.id != code_id]
        if before_id is not None:
            if before_id not in siblings:
                raise InvalidRequestError("The code to place it before is not under that parent.")
            position = siblings.index(before_id)
        index = len(siblings) if position is None else max(0, min(position, len(siblings)))
        siblings.insert(index, code_id)
        old_ancestors = code_store.ancestors(read, code_id)[1:]
        with self._store.transaction() as tx:
            if code.parent_id != parent_id:
                code_store.move_code(tx, code_id, parent_id, index)
                new_ancestors = code_store.ancestors(tx, code_id)[1:]
                aggregates.after_tree_change(tx, old_ancestors + new_ancestors)
            code_store.set_positions(tx, siblings)
        self._notify("code", "changed", (code_id,))
        return self._code(code_id)

    def merge_codes(self, source_code_id: int, target_code_id: int) -> Code:
        """Fold one code into another: its codings and sub-codes move over, then it is deleted.

        A coding that then duplicates one of the target's (same source, start, end and coder) collapses
        into it; the memos of both are kept together. The merged code's memo is appended to the target's.
        """
        merged = self._code(source_code_id)
        target = self._code(target_code_id)
        read = self._store.read
        if source_code_id == target_code_id:
            raise InvalidOperationError("A code cannot be merged into itself.")
        if target_code_id in code_store.descendants(read, [source_code_id]):
            raise InvalidOperationError(
                f"'{merged.name}' cannot be merged into its own sub-code '{target.name}'. Move the sub-code out first."
            )
        clash = {c.name.casefold() for c in code_store.children(read, target_code_id)} & {
            c.name.casefold() for c in code_store.children(read, source_code_id)
        }
        if clash:
            raise DuplicateNameError("sub-code", sorted(clash)[0], f"under both '{merged.name}' and '{target.name}'")
        affected = set(code_store.ancestors(read, source_code_id)) | set(code_store.ancestors(read, target_code_id))
        with self._store.transaction() as tx:
            coding_store.move_codings(tx, source_code_id, target_code_id)
            for keep, drop in coding_store.duplicate_codings(tx, target_code_id):
                _fold_memo(tx, "coding", drop, keep, self._store.now())
                coding_store.delete_coding_row(tx, drop)
            code_store.reparent_children(tx, source_code_id, target_code_id)
            _fold_memo(tx, "code", source_code_id, target_code_id, self._store.now())
            code_store.delete_code_row(tx, source_code_id)
            affected.discard(source_code_id)
            aggregates.after_tree_change(tx, affected)
        self._notify("code", "removed", (source_code_id,))
        self._notify("code", "changed", (target_code_id,))
        return self._code(target_code_id)

    def code_snapshot(self, code_id: int) -> CodeSnapshot:
        """The code, its sub-codes, their codings and all their memos, as they are now."""
        read = self._store.read
        subtree = list(reversed(code_store.subtree_deepest_first(read, self._code(code_id).id)))
        codes = [self._code(c) for c in subtree]
        codings = coding_store.codings_for_codes(read, subtree)
        memos = memo_store.memos_of(read, "code", subtree) + memo_store.memos_of(read, "coding",
                                                                                   [c.id for c in codings])
        return CodeSnapshot(codes, codings, memos, code_store.created_at(read, subtree))

    def restore_codes(self, snapshot: CodeSnapshot) -> None:
        """Undo a deletion: put the codes, codings and memos of a snapshot back with their ids."""
        with self._store.transaction() as tx:
            self._insert_snapshot(tx, snapshot)
            ids = [c.id for c in snapshot.codes]
            ancestors = code_store.ancestors(tx, snapshot.codes[0].id) if snapshot.codes else []
            aggregates.after_tree_change(tx, ids + ancestors)
        self._notify("code", "added", tuple(c.id for c in snapshot.codes))

    def _insert_snapshot(self, tx: sqlite3.Connection, snapshot: CodeSnapshot) -> None:
        for code in snapshot.codes:
            code_store.insert_code(
                tx, parent_id=code.parent_id, name=code.name, color=code.color, definition=code.definition,
                inclusion=code.inclusion, exclusion=code.exclusion, example=code.example,
                position=code.position, guid=code.guid, code_id=code.id,
                created_at=snapshot.created_at.get(code.id) or self._store.now(),
            )
        for coding in snapshot.codings:
            coding_store.restore_coding(tx, coding)
        for memo in snapshot.memos:
            memo_store.restore_memo(tx, memo)

    def merge_snapshot(self, source_code_id: int, target_code_id: int) -> MergeSnapshot:
        """What merging one code into another changes, taken before the merge so that it can be undone exactly."""
        read = self._store.read
        target = self._code(target_code_id)
        codings = coding_store.codings_for_codes(read, [target_code_id])
        memos = memo_store.memos_of(read, "code", [target_code_id]) + memo_store.memos_of(
            read, "coding", [c.id for c in codings])
        return MergeSnapshot(self.code_snapshot(source_code_id), target, codings, memos)

    def unmerge_codes(self, snapshot: MergeSnapshot) -> None:
        """Undo a merge: the merged code comes back with its ids, GUIDs, codings, memos and sub-codes,
        and the target keeps exactly the codings and memo it had before."""
        merged = snapshot.merged
        root = merged.codes[0]
        target_id = snapshot.target.id
        read = self._store.read
        if code_store.code_by_id(read, root.id) is not None:
            raise InvalidOperationError(f"'{root.name}' is already in the codebook; there is no merge to undo.")
        self._code(target_id)
        with self._store.transaction() as tx:
            coding_ids = {c.id for c in merged.codings} | {c.id for c in snapshot.target_codings}
            for coding_id in coding_ids:  # their memos go with them (trigger); the snapshot brings them back
                coding_store.delete_coding_row(tx, coding_id)
            for child in merged.codes[1:]:
                if child.parent_id == root.id:
                    for doomed in code_store.subtree_deepest_first(tx, child.id):
                        code_store.delete_code_row(tx, doomed)
            current = memo_store.memo_for(tx, "code", target_id)
            if current is not None:
                memo_store.delete_memo(tx, current.id)
            for memo in [*merged.memos, *snapshot.target_memos]:
                memo_store.delete_memo(tx, memo.id)
            self._insert_snapshot(tx, merged)
            for coding in snapshot.target_codings:
                coding_store.restore_coding(tx, coding)
            for memo in snapshot.target_memos:
                memo_store.restore_memo(tx, memo)
            affected = [c.id for c in merged.codes] + code_store.ancestors(tx, root.id) + code_store.ancestors(
                tx, target_id)
            aggregates.after_tree_change(tx, affected)
        self._notify("code", "added", tuple(c.id for c in merged.codes))
        self._notify("code", "changed", (target_id,))

    def code_order(self, parent_ids: list[int | None]) -> CodeOrder:
        """Where the codes under these parents sit (parent and position), so that moves can be undone exactly."""
        read = self._store.read
        places: list[tuple[int, int | None, int]] = []
        for parent_id in dict.fromkeys(parent_ids):
            places += [(c.id, c.parent_id, c.position) for c in code_store.children(read, parent_id)]
        return CodeOrder(tuple(places))

    def restore_code_order(self, order: CodeOrder) -> None:
        """Undo moves: put each code of `order` back under its parent at its position."""
        moved = [(code_id, parent_id) for code_id, parent_id, _ in order.places
                 if self._code(code_id).parent_id != parent_id]
        affected: list[int] = []
        with self._store.transaction() as tx:
            for code_id, parent_id in moved:
                affected += code_store.ancestors(tx, code_id)[1:]
                code_store.move_code(tx, code_id, parent_id, 0)
                affected += code_store.ancestors(tx, code_id)[1:]
            code_store.set_position_values(tx, [(code_id, position) for code_id, _, position in order.places])
            if affected:
                aggregates.after_tree_change(tx, affected)
        self._notify("code", "changed", tuple(code_id for code_id, _, _ in order.places))

    def delete_code(self, code_id: int, *, keep_codings: bool = False) -> None:
        """Delete a code. By default its sub-codes and all their codings go with it; with `keep_codings`,
        its codings and sub-codes move to its parent instead (not possible for a top-level code)."""
        code = self._code(code_id)
        read = self._store.read
        if keep_codings:
            if code.parent_id is None:
                raise InvalidOperationError(
                    f"'{code.name}' is a top-level code, so there is no parent to move its codings to. "
                    "Delete it with its codings, or merge it into another code."
                )
            self.merge_codes(code_id, code.parent_id)
            return
        subtree = code_store.subtree_deepest_first(read, code_id)
        ancestors = code_store.ancestors(read, code_id)[1:]
        with self._store.transaction() as tx:
            for doomed in subtree:  # children first, so no row ever points at a deleted parent
                code_store.delete_code_row(tx, doomed)
            aggregates.after_tree_change(tx, ancestors)
        self._notify("code", "removed", tuple(subtree))


def _fold_memo(tx: sqlite3.Connection, kind: str, from_id: int, to_id: int, when: str) -> None:
    """Move a memo from one target to another, appending when the other already has one."""
    moving = memo_store.memo_for(tx, kind, from_id)
    if moving is None or not moving.text.strip():
        return
    existing = memo_store.memo_for(tx, kind, to_id)
    if existing is None:
        memo_store.retarget_memo(tx, moving.id, to_id)
    else:
        memo_store.update_memo_text(tx, existing.id, existing.text.rstrip() + "\n\n" + moving.text, when)
