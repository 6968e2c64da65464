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
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from qcode.core.errors import ExportError, InvalidRequestError, NameCheckCancelled
from qcode.core.exporters import export
from qcode.core.exporters.safety import atomic_folder, refuse_project_target
from qcode.core.model import Filter
from qcode.core.privacy.check import terms_left
from qcode.core.privacy.suggest import Suggestion, suggest
from qcode.core.privacy.view import PseudonymisedView
from qcode.core.progress import Progress
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


#: what the check before an export reads, besides the project's title, the codebook and (except for a codebook)
#: the names of sources, folders, cases and coders: the excerpts; whole sources (a REFI-QDA project, a transcript); the
#: memos; tables alone (frequencies, a matrix); or the codebook alone. All but memos and the codebook add the
#: attribute values.
CHECK_SCOPES = ("excerpts", "sources", "memos", "tables", "codebook")


def check_scope(fmt: str | None, what: str | None) -> str:
    """The texts (`CHECK_SCOPES`) an export of `what` in `fmt` writes, for `unregistered_names`."""
    if fmt == "qdpx" or what == "transcript":
        return "sources"
    if fmt == "qdc" or what == "codebook":
        return "codebook"
    if what == "memos":
        return "memos"
    if what in ("frequencies", "matrix"):
        return "tables"
    return "excerpts"


def coded_passages(project: Project, flt: Filter) -> list[tuple[int, str]]:
    """(source id, text) of the passages the codings `flt` selects cover, overlapping codings joined into one
    passage: each word an export of those excerpts writes is read once, however many codings hold it."""
    ranges: dict[int, list[tuple[int, int]]] = {}
    for coding in project.codings(flt):
        ranges.setdefault(coding.source_id, []).append((coding.start, coding.end))
    passages: list[tuple[int, str]] = []
    for source_id, spans in ranges.items():
        text = project.source_text(source_id)
        spans.sort()
        start, end = spans[0]
        for next_start, next_end in spans[1:]:
            if next_start > end:
                passages.append((source_id, text[start:end]))
                start, end = next_start, next_end
            else:
                end = max(end, next_end)
        passages.append((source_id, text[start:end]))
    return passages


def _texts(view: PseudonymisedView, flt: Filter, scope: str) -> list[tuple[int, str]]:
    """(source id, text) of what an export in `scope` writes, pseudonymised; names of people (cases, coders)
    are put mid-sentence, where a capital marks a name."""
    texts: list[tuple[int, str]] = [(0, view.name)]
    if scope == "excerpts":
        apply = view.pseudonymiser.apply
        texts += [(source_id, apply(text)) for source_id, text in coded_passages(view.project, flt)]
    elif scope == "sources":
        texts += [(source.id, view.source_text(source.id)) for source in view.sources()
                  if not flt.sources or source.id in flt.sources]
    if scope in ("excerpts", "sources", "memos"):
        texts += [(memo.source_id or 0, memo.text) for memo in view.memos()]
    if scope != "codebook":
        texts += [(0, source.name) for source in view.sources()]
        texts += [(0, folder.name) for folder in view.folders()]
        texts += [(0, f"The case {case.name}") for case in view.cases()]
        texts += [(0, f"The coder {coder.name}") for coder in view.coders()]
    if scope in ("excerpts", "sources", "tables"):  # in excerpt tables, REFI-QDA variables, groups of a matrix
        texts += [(0, value) for attribute in view.attributes()
                  for value in view.values_of_attribute(attribute.id).values() if isinstance(value, str)]
    texts += [(0, ". ".join(text for text in (code.name, code.definition, code.inclusion, code.exclusion,
                                              code.example) if text))
              for code in view.codes()]
    return texts


def _reported(texts: list[tuple[int, str]], progress: Progress | None) -> Iterator[tuple[int, str]]:
    """The texts, reporting how far the check is and stopping when it is cancelled."""
    for done, item in enumerate(texts):
        if progress is not None:
            if progress.cancelled():
                raise NameCheckCancelled()
            if done % 200 == 0:
                progress.step(done, len(texts), "Checking for names")
        yield item


def unregistered_names(project: Project, flt: Filter | None = None, *, scope: str = "excerpts",
                       limit: int = 50, progress: Progress | None = None) -> list[Suggestion]:
    """Names that a pseudonymised export would still show: capitalised words and pairs recurring
    mid-sentence in the pseudonymised texts it writes, for the researcher to confirm or register.

    `scope` (see `check_scope` and `CHECK_SCOPES`) says which texts; "excerpts" reads those `flt` selects,
    "sources" the whole text of the sources `flt` names (else of every source). Each suggestion carries an
    example of where it occurs.
    """
    if scope not in CHECK_SCOPES:
        raise InvalidRequestError(f"The check reads {', '.join(CHECK_SCOPES)}, not '{scope}'.")
    view = pseudonymised_view(project)
    texts = _texts(view, flt or Filter(), scope)
    known = [e.term for e in project.name_register()] + list(view.pseudonymiser.pseudonyms.values())
    for code in view.codes():  # a code's name starts with a capital, as a sentence does: its first word says nothing
        words = code.name.split()
        known += [words[0], " ".join(words[:2])] if words else []
    return suggest(_reported(texts, progress), (), known, min_occurrences=1, limit=limit)


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
