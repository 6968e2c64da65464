"""Blind coding: while it is on, each coder sees only their own codings until the team chooses to compare.

The rule lives here, once, and every read of the `Project` API that lists, counts or exports codings goes
through it (`TeamMixin.visible_filter`), so the app, the command line and every export honour it alike:

- a request that names no coder is narrowed to the session's coder (the viewer);
- a request that names another coder, or compares coders (agreement, the disagreement review), is refused
  with `BlindCodingError`, which says how to end blind coding;
- reads the project makes for its own bookkeeping (undo snapshots, merging, integrity) are not narrowed.

The viewer is the coder the session codes as: the one the app's status bar names, or on the command line
`$QCODE_CODER`, else the user name, as for `qcode code`. A viewer who has not coded yet sees nothing.
"""

from __future__ import annotations

import dataclasses

from qcode.core.errors import BlindCodingError
from qcode.core.model import Coder, Filter


def narrowed(flt: Filter, viewer: Coder, *, names: dict[int, str] | None = None,
             only_when_coded: bool = False) -> Filter:
    """`flt` as the viewer may see it while blind coding is on.

    With `only_when_coded`, a filter that says nothing about codings (no codes, coders or coding dates) is
    left as it is: it selects text, not codings (full-text search, word counts over the sources).
    """
    others = [coder_id for coder_id in flt.coders if coder_id != viewer.id]
    if others:
        shown = ", ".join(sorted((names or {}).get(coder_id, f"coder {coder_id}") for coder_id in others))
        raise BlindCodingError(viewer.name, f"the codings of {shown}")
    if only_when_coded and not (flt.codes or flt.coders or flt.created_from or flt.created_to):
        return flt
    return dataclasses.replace(flt, coders=(viewer.id,))


def refuse_comparison(viewer: Coder, what: str = "a comparison of coders") -> None:
    """Raise `BlindCodingError` for a request that would show the coders' codings side by side."""
    raise BlindCodingError(viewer.name, what)
