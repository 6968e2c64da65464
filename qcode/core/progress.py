"""How long work reports progress and hears about cancellation, without knowing who is listening."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Where long work reports how far it is and learns whether the user pressed Cancel (a GUI worker, or nothing)."""

    def step(self, done: int, total: int, text: str) -> None:
        """Report that `done` of `total` units are finished; `text` names the current unit."""

    def cancelled(self) -> bool:
        """True when the user asked to stop; checked between units of work."""


class NoProgress:
    """A Progress that ignores reports and is never cancelled."""

    def step(self, done: int, total: int, text: str) -> None:
        """Ignore the report."""
        return None

    def cancelled(self) -> bool:
        """Never cancelled."""
        return False
