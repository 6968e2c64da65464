"""Undo commands for the name register: add, change and remove terms."""

from __future__ import annotations

from qcode.core.model import RegisterEntry
from qcode.core.project import Project
from qcode.gui.commands.base import CoreCommand


class AddName(CoreCommand):
    """Register a term; undo removes it, redo puts the same entry back."""

    def __init__(self, project: Project, term: str, pseudonym: str) -> None:
        super().__init__(f"Register '{term.strip()}' as '{pseudonym.strip()}'")
        self.project = project
        self.term = term
        self.pseudonym = pseudonym
        self.entry: RegisterEntry | None = None

    def apply(self) -> None:
        if self.entry is None:
            self.entry = self.project.add_name(self.term, self.pseudonym)
        else:
            self.project.add_name(self.entry.term, self.entry.pseudonym, enabled=self.entry.enabled,
                                  entry_id=self.entry.id)

    def revert(self) -> None:
        assert self.entry is not None
        self.project.remove_name(self.entry.term)


class EditName(CoreCommand):
    """Change a term's pseudonym or switch it off and on; undo restores both."""

    def __init__(self, project: Project, entry: RegisterEntry, *, pseudonym: str | None = None,
                 enabled: bool | None = None) -> None:
        what = "Switch off" if enabled is False else "Switch on" if enabled else "Change the pseudonym of"
        super().__init__(f"{what} '{entry.term}'")
        self.project = project
        self.old = entry
        self.pseudonym = pseudonym
        self.enabled = enabled

    def apply(self) -> None:
        self.project.update_name(self.old.term, pseudonym=self.pseudonym, enabled=self.enabled)

    def revert(self) -> None:
        self.project.update_name(self.old.term, pseudonym=self.old.pseudonym, enabled=self.old.enabled)


class RemoveName(CoreCommand):
    """Take a term out of the register; undo puts the entry back as it was."""

    def __init__(self, project: Project, entry: RegisterEntry) -> None:
        super().__init__(f"Remove '{entry.term}' from the name register")
        self.project = project
        self.entry = entry

    def apply(self) -> None:
        self.project.remove_name(self.entry.term)

    def revert(self) -> None:
        self.project.add_name(self.entry.term, self.entry.pseudonym, enabled=self.entry.enabled,
                              entry_id=self.entry.id)


class SetPseudonymiseExports(CoreCommand):
    """Make pseudonymised exports the project's default, or stop doing so (a setting stored in the project)."""

    def __init__(self, project: Project, on: bool) -> None:
        super().__init__("Pseudonymise exports by default" if on else "Stop pseudonymising exports by default")
        self.project = project
        self.on = on
        self.before = project.pseudonymise_exports

    def apply(self) -> None:
        self.project.set_pseudonymise_exports(self.on)

    def revert(self) -> None:
        self.project.set_pseudonymise_exports(self.before)
