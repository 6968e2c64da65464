"""The codebook as the window's panels show it (codes, their paths and colours), listed once after each change
of the codebook instead of once per panel on every coding applied or removed."""

from __future__ import annotations

from collections.abc import Callable

from qcode.core.model import Code
from qcode.core.project import Change, Project

PATH_SEPARATOR = " › "  # between the categories of a code's path, as the window shows it


class CodebookCache:
    """The project's codes, read when first asked for and kept until a change other than codings being applied
    or removed (a code added, renamed, recoloured, moved, merged or deleted; an import; anything else).

    It listens to the project directly, so it forgets the codes before any window reacts to the change,
    whichever thread made it; a listing read while a change was made is not kept.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._generation = 0
        self._kept: tuple[list[Code], dict[int, Code], dict[int, tuple[str, str]]] | None = None
        self._unsubscribe: Callable[[], None] | None = project.subscribe(self._changed)

    def _changed(self, change: Change) -> None:
        if change.kind != "coding":  # only codings leave the codebook as it was
            self.forget()

    def forget(self) -> None:
        """List the codes again when next asked for."""
        self._generation += 1
        self._kept = None

    def detach(self) -> None:
        """Stop listening to the project (its window is closing); the cache then reads afresh every time."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.forget()

    def codes(self) -> list[Code]:
        """Every code, parents before their children, siblings in their order (as `Project.codes`)."""
        return self._listing()[0]

    def by_id(self) -> dict[int, Code]:
        """Code id -> code."""
        return self._listing()[1]

    def paths(self) -> dict[int, tuple[str, str]]:
        """Code id -> (its path from the top, joined by " › "; its colour)."""
        return self._listing()[2]

    def _listing(self) -> tuple[list[Code], dict[int, Code], dict[int, tuple[str, str]]]:
        if self._kept is not None:
            return self._kept
        generation = self._generation
        codes = self.project.codes()
        paths: dict[int, tuple[str, str]] = {}
        for code in codes:  # parents come before their children
            parent = paths.get(code.parent_id) if code.parent_id is not None else None
            paths[code.id] = (f"{parent[0]}{PATH_SEPARATOR}{code.name}" if parent else code.name, code.color)
        listing = (codes, {c.id: c for c in codes}, paths)
        if generation == self._generation and self._unsubscribe is not None:
            self._kept = listing  # no change was heard while it was read
        return listing
