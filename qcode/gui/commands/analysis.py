"""Undo commands the analysis views push: changing the project's stop list. (Coding all results of a query is
`codings.CodePassages`, the command autocoding uses.)"""

from __future__ import annotations

from collections.abc import Iterable

from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand


class SetStopWords(CoreCommand):
    """Replace the project's stop list; undo puts back the list it replaced."""

    def __init__(self, project: Project, stop_words: Iterable[str], label: str) -> None:
        super().__init__(label)
        self.project = project
        self.new = list(stop_words)
        self.old = project.stop_words()

    def apply(self) -> None:
        self.project.set_stop_words(self.new)

    def revert(self) -> None:
        self.project.set_stop_words(self.old)


def add_stop_words(project: Project, words: Iterable[str]) -> SetStopWords:
    """The command that adds words to the project's stop list."""
    added = sorted({w.casefold() for w in words} - set(project.stop_words()))
    label = f"Add '{added[0]}' to the stop list" if len(added) == 1 else f"Add {len(added)} words to the stop list"
    return SetStopWords(project, [*project.stop_words(), *added], label)


def remove_stop_words(project: Project, words: Iterable[str]) -> SetStopWords:
    """The command that takes words off the project's stop list."""
    gone = {w.casefold() for w in words}
    label = (f"Remove '{next(iter(gone))}' from the stop list" if len(gone) == 1
             else f"Remove {len(gone)} words from the stop list")
    return SetStopWords(project, [w for w in project.stop_words() if w not in gone], label)
