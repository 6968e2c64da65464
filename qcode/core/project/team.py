"""Coders as a team sees them: stable identities, renaming, blind coding, agreement and merging projects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qcode.core.errors import DuplicateNameError, InvalidNameError, NotFoundError
from qcode.core.model import Coder
from qcode.core.progress import Progress
from qcode.core.project.base import ProjectBase
from qcode.core.store import meta

if TYPE_CHECKING:
    from qcode.core.team.agreement import AgreementReport, AgreementRequest

BLIND_KEY = "blind_coding"


class TeamMixin(ProjectBase):
    def coder_by_guid(self, guid: str) -> Coder:
        found = meta.coder_by_guid(self._store.read, guid)
        if found is None:
            raise NotFoundError("coder", f"with the identifier {guid}")
        return found

    def rename_coder(self, coder_id: int, name: str) -> Coder:
        """Give a coder another name; their codings, memos and identity stay theirs."""
        coder = meta.coder_by_id(self._store.read, coder_id)
        if coder is None:
            raise NotFoundError("coder", f"with id {coder_id}")
        name = " ".join(str(name).split())
        if not name:
            raise InvalidNameError("coder")
        other = meta.coder_by_name(self._store.read, name)
        if other is not None and other.id != coder_id:
            raise DuplicateNameError("coder", name, "in this project")
        with self._store.transaction() as tx:
            meta.update_coder(tx, coder_id, name=name, color=coder.color)
        self._notify("coder", "changed", (coder_id,))
        return meta.coder_by_id(self._store.read, coder_id)  # type: ignore[return-value]

    # --- blind coding ----------------------------------------------------------------------------------

    @property
    def blind_coding(self) -> bool:
        """True while each coder is to see only their own codings (the team has not compared yet)."""
        return meta.get_meta(self._store.read, BLIND_KEY) == "on"

    def set_blind_coding(self, on: bool) -> None:
        """Start blind coding, or end it so that the team can compare; stored in the project for everyone."""
        with self._store.transaction() as tx:
            meta.set_meta(tx, BLIND_KEY, "on" if on else "off")
        self._notify("project", "changed")

    def visible_coder_ids(self) -> tuple[int, ...] | None:
        """The coders whose codings this session may show: only its own in blind coding, else everyone (None)."""
        if not self.blind_coding:
            return None
        return (self.current_coder.id,)

    # --- agreement -------------------------------------------------------------------------------------

    def agreement(self, request: AgreementRequest, *, progress: Progress | None = None) -> AgreementReport:
        """The inter-coder agreement table of a request (see `qcode.core.team.agreement`)."""
        from qcode.core.team.agreement import compute

        return compute(self, request, progress=progress)  # type: ignore[arg-type]
