"""The name register: terms and pseudonyms stored in the project, suggestions of names, and `qcode names`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.errors import DuplicateNameError, InvalidRequestError, NotFoundError
from qcode.core.project import Project
from qcode.core.store import migrations

TEXT = ("Interviewer: How do you cope?\n\nMarcus: Honestly, I talk to Gaz at the Riverside Shed.\n\n"
        "Interviewer: And at home?\n\nMarcus: My wife Leanne says I should see someone. Gaz agrees.\n")
OTHER = "Interviewer: Who helps?\n\nDev: Gaz, mostly. Monday nights at the Riverside Shed are good.\n"


def test_register_add_change_disable_and_remove(project: Project) -> None:
    marcus = project.add_name("  Marcus ", "P01")
    assert (marcus.term, marcus.pseudonym, marcus.enabled) == ("Marcus", "P01", True)
    with pytest.raises(DuplicateNameError):
        project.add_name("MARCUS", "P02")  # terms match in any case, so this one is taken
    with pytest.raises(InvalidRequestError):
        project.add_name("Gaz", " ")
    project.add_name("Riverside Shed", "[community shed]")
    assert project.pseudonymiser().apply(TEXT).count("P01") == 2
    project.update_name("marcus", enabled=False)
    assert "Marcus" in project.pseudonymiser().apply(TEXT)
    project.update_name("Marcus", pseudonym="P07", enabled=True)
    assert "P07: Honestly" in project.pseudonymiser().apply(TEXT)
    removed = project.remove_name("Riverside shed")
    assert [e.term for e in project.name_register()] == ["Marcus"]
    project.add_name(removed.term, removed.pseudonym, entry_id=removed.id)  # what an undo does
    assert project.name_entry("riverside shed").id == removed.id
    with pytest.raises(NotFoundError):
        project.remove_name("Nobody")


def test_suggestions_are_speakers_and_recurring_names(project: Project) -> None:
    project.add_source("Interview 01", TEXT)
    project.add_source("Interview 02", OTHER)
    project.add_name("Dev", "P02")
    found = {s.term: s for s in project.suggest_names()}
    assert found["Marcus"].reason == "speaker"
    assert "Interviewer" not in found  # a role, not a person
    assert "Dev" not in found  # already registered
    assert found["Gaz"].sources == 2
    assert found["Gaz"].reason == "capitalised"
    assert "Riverside Shed" in found
    assert "Monday" not in found
    assert "Honestly" not in found  # capitalised only where a sentence starts


def test_upgrade_adds_the_register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from qcode.core.store import database

    path = tmp_path / "old.qcode"
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:3])  # a file made at version 3
    monkeypatch.setattr(database, "LATEST", 3)
    Project.create(path).close()
    monkeypatch.undo()
    with Project.open(path) as upgraded:
        assert upgraded.name_register() == []
        upgraded.add_name("Marcus", "P01")
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    conn.close()


def test_names_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "p.qcode")
    assert main(["new", path]) == 0
    text = tmp_path / "int.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert main(["import", path, str(text)]) == 0
    assert main(["names", path, "add", "Marcus", "--as", "P01"]) == 0
    assert main(["names", path, "disable", "marcus"]) == 0
    capsys.readouterr()
    assert main(["names", path, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"term": "Marcus", "pseudonym": "P01", "enabled": "no"}]
    assert main(["names", path, "suggest", "--format", "csv"]) == 0
    assert "Gaz" in capsys.readouterr().out
    assert main(["names", path, "add", "Gaz"]) == 2  # no pseudonym: a usage error
    assert main(["names", path, "remove", "Marcus", "--as", "x"]) == 2
    assert main(["names", path, "add", "marcus", "--as", "P9"]) == 1  # already registered
    assert main(["names", path, "remove", "Marcus"]) == 0
    capsys.readouterr()
    assert main(["names", path, "--format", "csv"]) == 0
    assert capsys.readouterr().out.strip() == "term,pseudonym,enabled"
