"""Coders have a stable identity (step 4 of the schema), names are labels, and blind coding."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qcode.core.errors import DuplicateNameError, InvalidNameError
from qcode.core.project import Project
from qcode.core.store import migrations
from tests.schema_versions import make_older


def _version_3_file(path: Path) -> None:
    """A project as schema version 3 wrote it: coders without identities."""
    with Project.create(path) as project:
        source = project.add_source("Int", "Al: I keep it in.\n\nBo: Same.")
        code = project.create_code("Coping")
        project.add_coding(source.id, code.id, 4, 17, coder_id=project.ensure_coder("Ana").id)
        project.add_coding(source.id, code.id, 23, 27, coder_id=project.ensure_coder("Ben").id)
    make_older(path, 3)
    conn = sqlite3.connect(path)
    assert [r[1] for r in conn.execute("PRAGMA table_info(coder)")] == ["id", "name", "color"]
    conn.close()


def test_a_version_3_file_gets_coder_identities(tmp_path: Path) -> None:
    path = tmp_path / "old.qcode"
    _version_3_file(path)
    with Project.open(path) as project:
        coders = project.coders()
        upgraded_guids = project.coder_guids()
        assert [c.name for c in coders] == ["Ana", "Ben"]
        guids = [upgraded_guids[c.id] for c in coders]
        assert all(len(g) == 36 for g in guids)
        assert len(set(guids)) == 2
        assert project.check() == []
        assert len(project.codings()) == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    with pytest.raises(sqlite3.IntegrityError):  # the identity is unique
        conn.execute("UPDATE coder SET guid = ? WHERE name = 'Ben'", (guids[0],))
    conn.close()


def test_renaming_a_coder_keeps_identity_and_codings(project: Project) -> None:
    source = project.add_source("Int", "Some words here.")
    code = project.create_code("C")
    ana = project.ensure_coder("Ana")
    project.add_coding(source.id, code.id, 0, 4, coder_id=ana.id)
    before = project.coder_guids()[ana.id]
    renamed = project.rename_coder(ana.id, "  Ana  Silva ")
    assert renamed.name == "Ana Silva"
    assert before
    assert project.coder_guids()[renamed.id] == before  # the identity stays
    assert project.coder_by_guid(before).id == ana.id
    assert [c.coder_id for c in project.codings()] == [ana.id]
    project.ensure_coder("Ben")
    with pytest.raises(DuplicateNameError):
        project.rename_coder(ana.id, "ben")
    with pytest.raises(InvalidNameError):
        project.rename_coder(ana.id, " ")
    assert project.coder(ana.id).name == "Ana Silva"


def test_blind_coding_is_a_setting_of_the_project(project: Project) -> None:
    assert project.blind_coding is False
    project.use_coder("Ana")
    project.set_blind_coding(True)
    assert project.blind_coding is True
    assert project.visible_filter().coders == (project.current_coder.id,)
    project.set_blind_coding(False)
    assert project.visible_filter().coders == ()


def test_copies_upgraded_apart_share_their_coders(tmp_path: Path) -> None:
    import shutil

    first = tmp_path / "first.qcode"
    _version_3_file(first)
    second = tmp_path / "second.qcode"
    shutil.copyfile(first, second)
    with Project.open(second) as project:  # upgraded on its own
        project.add_coding(project.sources()[0].id, project.codes()[0].id, 0, 3,
                           coder_id=project.coders()[1].id)
    with Project.open(first) as project:
        report = project.merge_project(second)
        assert report.applied
        assert report.coders_added == []
        assert not [note for note in report.notes if "identities differ" in note]
        assert report.codings_added == 1
