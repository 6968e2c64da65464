"""`qcode check` finds each kind of damage that SQLite's own constraints cannot see, and says what it is.

Each test builds a sound project, damages one thing with plain SQL (as a faulty tool or a bad disk could),
and checks that the report names exactly that problem, through the core and through the command line.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.core.project import Project

TEXT = "Interviewer: How do you cope?\n\nAl: I keep it to myself, mostly.\n\nInterviewer: And now?"


def _sound_project(path: Path) -> dict[str, int]:
    with Project.create(path) as project:
        source = project.add_source("Al", TEXT)
        parent = project.create_code("Coping")
        child = project.create_code("Alone", parent_id=parent.id)
        project.add_coding(source.id, child.id, 35, 60)
        project.add_coding(source.id, parent.id, 0, 10)
        case = project.create_case("Al")
        project.add_case_member(case.id, source.id, 30, 65)
        age = project.create_attribute("Age group", "text")
        project.set_attribute_value(age.id, case.id, "30-49")
        project.add_range_memo(source.id, 0, 10, "The opening question")
        assert project.check() == []
        return {"source": source.id, "parent": parent.id, "child": child.id, "case": case.id, "age": age.id}


def _damage(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    try:
        # what the schema's defaults call for new identifiers (qcode registers it on its own connections)
        conn.create_function("qcode_guid", 0, lambda: str(uuid.uuid4()).upper())
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _problems(path: Path) -> list[str]:
    with Project.open(path, mode="read") as project:
        return project.check()


DAMAGE: list[tuple[str, Callable[[dict[str, int]], tuple[str, tuple[object, ...]]], str]] = [
    ("coding outside its text", lambda ids: ('UPDATE coding SET "end" = 9999 WHERE code_id = ?', (ids["child"],)),
     "lies outside 'Al'"),
    ("span outside its text", lambda _ids: ('UPDATE span SET "end" = 9999 WHERE id = (SELECT max(id) FROM span)', ()),
     "span"),
    ("case member outside its text", lambda _ids: ('UPDATE case_member SET "end" = 9999', ()),
     "case member"),
    ("wrong recorded length", lambda ids: ("UPDATE source SET length = length + 5 WHERE id = ?", (ids["source"],)),
     "records"),
    ("code missing from the tree index", lambda ids: ("DELETE FROM code_closure WHERE code_id = ? AND depth = 1",
                                                      (ids["child"],)),
     "missing from the code tree index"),
    ("a cycle in the code tree", lambda ids: ("UPDATE code_closure SET depth = 2 WHERE ancestor_id = ? AND code_id = ?",
                                              (ids["parent"], ids["parent"])),
     "its own ancestor"),
    ("a memo on a deleted code", lambda _ids: ("INSERT INTO memo (target_kind, target_id, text, updated_at) "
                                               "VALUES ('code', 999, 'orphan', '2024-01-01')", ()),
     "belongs to a code that no longer exists"),
    ("stale frequency aggregates", lambda ids: ("UPDATE code_stat SET excerpts = excerpts + 3 WHERE code_id = ?",
                                                (ids["parent"],)),
     "rows of the frequency aggregates are out of date"),
    ("stale sums by attribute value", lambda ids: ("UPDATE code_value_stat SET excerpts = excerpts + 3 "
                                                   "WHERE attribute_id = ?", (ids["age"],)),
     "frequency sums by case attribute values are out of date"),
    ("a coding of a missing code", lambda ids: (
        "INSERT INTO coding (source_id, code_id, coder_id, start, \"end\", created_at, guid) "
        "SELECT source_id, 999, coder_id, 1, 2, created_at, 'g-orphan' FROM coding WHERE code_id = ?",
        (ids["child"],)),
     "points to a missing code"),
]


@pytest.mark.parametrize(("what", "damage", "said"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_each_kind_of_damage_is_found_and_named(tmp_path: Path, what: str,
                                                damage: Callable[[dict[str, int]], tuple[str, tuple[object, ...]]],
                                                said: str) -> None:
    path = tmp_path / "study.qcode"
    ids = _sound_project(path)
    sql, params = damage(ids)
    _damage(path, sql, *params)
    problems = _problems(path)
    assert any(said in problem for problem in problems), (what, problems)


def test_check_command_exits_1_with_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "study.qcode"
    ids = _sound_project(path)
    assert main(["check", str(path)]) == 0
    capsys.readouterr()
    _damage(path, 'UPDATE coding SET "end" = 9999 WHERE code_id = ?', ids["child"])
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "lies outside 'Al'" in out + err
