"""Pseudonymised exports: any export, written from the project's pseudonymised view, checked, then moved into place.

The export is written into a private folder beside the target; every text part of what was written is then
searched for the register's terms, and only when none remains is the file (or CSV folder) moved to the target.
A term found there stops the export with its name, and nothing reaches the target. Before writing, the faces
can list the names the register may lack (`unregistered_names`) for the researcher to confirm.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, cast

from qcode.core.errors import ExportError, InvalidRequestError
from qcode.core.exporters import export
from qcode.core.exporters.safety import atomic_folder, refuse_project_target
from qcode.core.model import Filter
from qcode.core.privacy.check import terms_left
from qcode.core.privacy.suggest import Suggestion, suggest
from qcode.core.privacy.view import PseudonymisedView
from qcode.core.project import Project


def pseudonymised_view(project: Project) -> PseudonymisedView:
    """The project as a pseudonymised export shows it; refused when the register applies no term."""
    pseudonymiser = project.pseudonymiser()
    if not pseudonymiser.pseudonyms:
        raise InvalidRequestError(
            "The name register has no terms to apply, so a pseudonymised export would hide nothing. Add the "
            "names first (qcode names PROJECT add NAME --as PSEUDONYM, or File > Name register)."
        )
    return PseudonymisedView(project, pseudonymiser)


def unregistered_names(project: Project, flt: Filter | None = None, *, limit: int = 50) -> list[Suggestion]:
    """Names that a pseudonymised export of these excerpts and of the memos would still show: capitalised
    words and pairs recurring mid-sentence in the pseudonymised texts, for the researcher to confirm or
    register."""
    view = pseudonymised_view(project)
    texts: list[tuple[int, str]] = [(e.coding.source_id, e.text)
                                   for e in view.excerpts_matching(flt or Filter(), with_location=False)]
    texts += [(memo.source_id or 0, memo.text) for memo in view.memos()]
    pseudonyms = list(view.pseudonymiser.pseudonyms.values())
    return suggest(texts, (), [e.term for e in project.name_register()] + pseudonyms, min_occurrences=1, limit=limit)


def export_pseudonymised(project: Project, target: str | Path, *, filter_text: str = "", **options: Any) -> Path:
    """Write the export `qcode.core.exporters.export` would write, with the name register applied to every
    text in it; nothing reaches `target` unless the written file holds none of the register's terms."""
    target = Path(target)
    refuse_project_target(target, project.path)
    view = pseudonymised_view(project)
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist. Choose another place to save the export.")
    private = Path(tempfile.mkdtemp(prefix=".qcode-pseudonymised-", dir=target.parent))
    try:
        written = export(cast(Project, view), private / target.name,
                         filter_text=view.pseudonymiser.apply(filter_text), **options)
        left = terms_left(written, view.pseudonymiser)
        if left:
            raise ExportError(
                f"The pseudonymised export still held {', '.join(left)}, so it was not saved. Please report "
                "this: a part of the export escaped the name register."
            )
        if written.is_dir():
            with atomic_folder(target) as folder:
                for file in sorted(written.iterdir()):
                    shutil.move(str(file), folder / file.name)
        else:
            os.replace(written, target)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return target
