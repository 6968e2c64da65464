"""A batch's identifiers made in bulk are the version 4 UUIDs that one-by-one creation makes."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path

from qcode.core.model import NewCoding
from qcode.core.project import Project
from qcode.core.store.database import new_guids


def test_identifiers_made_in_bulk_are_random_version_4_uuids_in_upper_case() -> None:
    made = new_guids(2000)
    assert len(set(made)) == 2000
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed).upper()) == (4, uuid.RFC_4122, text)


def test_an_injected_clock_and_identifiers_are_asked_for_each_coding_in_turn(tmp_path: Path) -> None:
    ticks, numbers = itertools.count(), itertools.count()
    with Project.create(tmp_path / "p.qcode", clock=lambda: f"2026-01-01T00:00:{next(ticks):02d}+00:00",
                        guids=lambda: f"GUID-{next(numbers)}") as project:
        source = project.add_source("Interview (fictional)", "We talk at the club after training.").id
        code = project.create_code("Talk").id
        added = project.apply_codings([NewCoding(source, code, 3, 7), NewCoding(source, code, 11, 15)])
        assert [c.guid for c in added] == sorted({c.guid for c in added}, key=lambda g: int(g.split("-")[1]))
        assert added[0].created_at < added[1].created_at
        assert added[0].guid != added[1].guid
