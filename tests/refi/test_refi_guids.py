"""Schema step 4 gives sources, coders, memos, folders and attributes a stable guid, also in older files."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from qcode.core.project import Project
from qcode.core.store.migrations import LATEST

GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
KINDS = ("source", "coder", "memo", "folder", "attribute")


def test_a_version_3_file_gets_guids_for_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.store import database, migrations

    path = tmp_path / "old.qcode"
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:3])
    monkeypatch.setattr(database, "LATEST", 3)
    with Project.create(path) as p:  # a file made before step 4
        folder = p.create_folder("Data")
        one = p.add_source("One", "first text", folder_id=folder.id)
        p.add_source("Two", "second text")
        p.ensure_coder("Ann")
        p.set_memo("source", one.id, "a memo")
        p.set_journal("journal")
        p.create_attribute("Age", "number")
    monkeypatch.undo()
    with Project.open(path) as p:
        assert p.check() == []
        first = {kind: p.exchange_guids(kind) for kind in KINDS}
        for kind, guids in first.items():
            assert guids, kind
            assert all(GUID.match(g) for g in guids.values()), kind
        assert len(set(first["source"].values())) == 2
        new = p.add_source("Three", "third text")
        assert GUID.match(p.exchange_guids("source")[new.id])
    with Project.open(path) as p:
        assert {kind: {k: v for k, v in p.exchange_guids(kind).items() if k in first[kind]} for kind in KINDS} == first
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    conn.close()


def test_guids_are_unique_and_come_from_the_store(tmp_path: Path) -> None:
    counter = iter(range(1, 10_000))
    with Project.create(tmp_path / "p.qcode", guids=lambda: f"{next(counter):08X}-0000-4000-8000-000000000000") as p:
        a = p.add_source("A", "text a")
        b = p.add_source("B", "text b")
        guids = p.exchange_guids("source")
        assert guids[a.id] != guids[b.id]
        assert guids[a.id].endswith("-0000-4000-8000-000000000000")
