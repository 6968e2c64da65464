"""The project file: creation, opening, refusal of foreign or newer files, WAL, locking, backups."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qcode.core.errors import (
    NotAProjectError,
    ProjectExistsError,
    ProjectLockedError,
    ProjectNotFoundError,
    ProjectTooNewError,
    ReadOnlyProjectError,
)
from qcode.core.project import Project
from qcode.core.store import backups
from qcode.core.store.connection import APPLICATION_ID
from qcode.core.store.migrations import LATEST, STEPS


def test_new_project_is_marked_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_close_folds_the_wal_into_one_file(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    project = Project.create(path)
    project.create_code("A")
    assert Path(f"{path}-wal").exists()
    project.close()
    assert not Path(f"{path}-wal").exists()
    assert not Path(f"{path}-shm").exists()
    with Project.open(path, mode="read") as again:
        assert [c.name for c in again.codes()] == ["A"]


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    path.write_text("precious")
    with pytest.raises(ProjectExistsError):
        Project.create(path)
    assert path.read_text() == "precious"


def test_open_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFoundError, match="no project"):
        Project.open(tmp_path / "nope.qcode")


@pytest.mark.parametrize("content", [b"", b"hello world, not a database", b"PK\x03\x04 zip"])
def test_open_refuses_files_that_are_not_projects(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.qcode"
    path.write_bytes(content)
    with pytest.raises(NotAProjectError, match="not a qcode project"):
        Project.open(path)
    assert path.read_bytes() == content


def test_open_refuses_another_programs_database(tmp_path: Path) -> None:
    path = tmp_path / "other.qcode"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    with pytest.raises(NotAProjectError, match="another program"):
        Project.open(path)


def test_open_refuses_a_newer_format(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(ProjectTooNewError, match="newer version of qcode"):
        Project.open(path)


def test_truncated_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as project:
        for i in range(30):
            project.add_source(f"S{i}", "word " * 2000)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(NotAProjectError, match="damaged"):
        Project.open(path)


def test_lock_blocks_a_second_writer_in_process(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    first = Project.create(path)
    try:
        with pytest.raises(ProjectLockedError, match="open in another qcode window"):
            Project.open(path)
        reader = Project.open(path, mode="auto")
        assert reader.readonly
        assert reader.locked_elsewhere
        with pytest.raises(ProjectLockedError):
            reader.create_code("X")
        reader.close()
    finally:
        first.close()
    with Project.open(path) as again:
        again.create_code("X")


def test_second_process_reads_but_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    holder = Project.create(path)
    holder.create_code("Held")
    script = textwrap.dedent(
        f"""
        from qcode.core.project import Project
        from qcode.core.errors import ProjectLockedError
        p = Project.open({str(path)!r}, mode="auto")
        print("readonly", p.readonly, [c.name for c in p.codes()])
        try:
            p.create_code("Intruder")
        except ProjectLockedError as err:
            print("refused", err.message)
        p.close()
        try:
            Project.open({str(path)!r}, mode="write")
        except ProjectLockedError:
            print("write-open refused")
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    holder.close()
    assert out.returncode == 0, out.stderr
    assert "readonly True ['Held']" in out.stdout
    assert "refused This project is open in another qcode window" in out.stdout
    assert "write-open refused" in out.stdout
    with Project.open(path, mode="read") as p:
        assert [c.name for c in p.codes()] == ["Held"]


def test_read_mode_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    Project.create(path).close()
    with Project.open(path, mode="read") as p, pytest.raises(ReadOnlyProjectError):
        p.create_code("X")


def test_backups_rotate_and_restore_as_new_file(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as project:
        project.create_code("Kept")
        for _ in range(backups.KEEP + 2):
            project.backup("manual")
    listed = backups.list_backups(path)
    assert len(listed) == backups.KEEP
    restored = backups.restore_backup(listed[0].path, tmp_path / "restored.qcode")
    with Project.open(restored) as again:
        assert [c.name for c in again.codes()] == ["Kept"]
    with pytest.raises(ProjectExistsError):
        backups.restore_backup(listed[0].path, restored)


def test_backups_are_single_files_and_keep_their_reason(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as project:
        project.create_code("Kept")
        made = project.backup("before-upgrade")
    with made.open("rb") as fh:
        header = fh.read(20)
    assert header[18:20] == b"\x01\x01"  # rollback journal, not WAL: the backup needs no sidecar files
    assert [b.reason for b in backups.list_backups(path)] == ["before-upgrade"]
    backups.restore_backup(made, tmp_path / "restored.qcode")
    assert sorted(p.name for p in made.parent.iterdir()) == [made.name]


def test_backup_if_due_waits_between_backups(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.qcode") as project:
        assert project.backup_if_due(min_interval_hours=4) is not None
        assert project.backup_if_due(min_interval_hours=4) is None


def test_pending_migration_backs_up_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.store import database, migrations

    path = tmp_path / "p.qcode"
    with Project.create(path) as project:
        project.create_code("Before")

    def step_002_example(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE example_added(x)")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, step_002_example])
    monkeypatch.setattr(database, "LATEST", LATEST + 1)
    with Project.open(path) as project:
        assert [c.name for c in project.codes()] == ["Before"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST + 1
    conn.close()
    listed = backups.list_backups(path)
    assert len(listed) == 1
    assert listed[0].path.name.endswith("before-upgrade.qcode")
    old = sqlite3.connect(listed[0].path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == LATEST
    old.close()


def test_save_a_copy(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.qcode") as project:
        project.create_code("Kept")
        copy = project.save_copy(tmp_path / "copy.qcode")
        with pytest.raises(ProjectExistsError):
            project.save_copy(copy)
        project.create_code("After")
    with Project.open(copy) as again:
        assert [c.name for c in again.codes()] == ["Kept"]
        assert again.check() == []


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return sorted(conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())


def _strip_after(conn: sqlite3.Connection, version: int) -> None:
    """Take away what the steps after `version` added, for a file written as that older version: every
    table, index and trigger they create, and the columns they add."""
    from qcode.core.store import migrations

    before = sqlite3.connect(":memory:")
    for number, step in migrations.pending_steps(0)[:version]:
        migrations.apply_step(before, number, step)
    everything = sqlite3.connect(":memory:")
    for number, step in migrations.pending_steps(0):
        migrations.apply_step(everything, number, step)
    later = sorted(set(_schema(everything)) - set(_schema(before)), key=lambda item: item[0] != "table")
    for kind, name in later:
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for table in [name for kind, name in _schema(before) if kind == "table" and "fts" not in name]:
        first = {row[1] for row in before.execute(f'PRAGMA table_info("{table}")')}
        for column in [row[1] for row in everything.execute(f'PRAGMA table_info("{table}")')]:
            if column not in first:  # and the columns they add
                conn.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    before.close()
    everything.close()
    conn.execute(f"PRAGMA user_version = {version}")


def _write_version_1_file(path: Path) -> None:
    """A project as schema version 1 left it: the version-2 file without what step 2 added."""
    from qcode.core.store import migrations

    with Project.create(path) as p:
        s = p.add_source("Int", "Al: I keep it in. Mates help though.\n\nBo: Same for me.")
        code = p.create_code("Coping")
        p.add_coding(s.id, code.id, 4, 17)
        p.add_coding(s.id, code.id, 19, 36, coder_id=p.ensure_coder("Second").id)
        case = p.create_case("Al")
        p.add_case_member(case.id, s.id, 0, 36)
        group = p.create_attribute("Age group", "choice", choices=["18-34", "35+"])
        p.set_attribute_value(group.id, case.id, "18-34")
    # drop every table, index, trigger and view that the steps after step 1 create
    fresh = sqlite3.connect(":memory:")
    migrations.apply_step(fresh, 1, migrations.STEPS[0])
    everything = sqlite3.connect(":memory:")
    for number, step in migrations.pending_steps(0):
        migrations.apply_step(everything, number, step)
    later = sorted(set(_schema(everything)) - set(_schema(fresh)), key=lambda item: item[0] != "table")
    conn = sqlite3.connect(path)
    for kind, name in later:
        conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    for table in [name for kind, name in _schema(fresh) if kind == "table" and "fts" not in name]:
        first = {row[1] for row in fresh.execute(f'PRAGMA table_info("{table}")')}
        for column in [row[1] for row in everything.execute(f'PRAGMA table_info("{table}")')]:
            if column not in first:  # and the columns they add
                conn.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    # the same tables, indexes and triggers as step 1 alone creates
    assert _schema(conn) == _schema(fresh)
    fresh.close()
    conn.close()


def test_a_version_1_file_is_backed_up_and_upgraded(tmp_path: Path) -> None:
    from qcode.core.analysis.frequencies import Grouping
    from qcode.core.model import Filter

    path = tmp_path / "old.qcode"
    _write_version_1_file(path)
    holder = Project.open(path, mode="read")  # reading commands upgrade a file nobody else has open ...
    holder.close()
    assert backups.list_backups(path)[0].reason == "before-upgrade"
    with Project.open(path) as p:
        assert p.check() == []
        age = p.find_attribute("Age group")
        table = p.frequencies(group_by=Grouping("attribute", age.id))
        assert [(r.group, r.path, r.own.excerpts, r.own.cases) for r in table] == [("18-34", "Coping", 2, 1)]
        everyone = Filter(coders=tuple(c.id for c in p.coders()))
        assert table == p.frequencies(everyone, group_by=Grouping("attribute", age.id))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST == len(STEPS)
    conn.close()
    listed = backups.list_backups(path)
    assert [b.reason for b in listed] == ["before-upgrade"]
    old = sqlite3.connect(listed[0].path)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    old.close()


def test_a_version_1_file_open_elsewhere_is_not_upgraded_by_a_reader(tmp_path: Path) -> None:
    path = tmp_path / "old.qcode"
    _write_version_1_file(path)
    from qcode.core.store.lock import ProjectLock

    lock = ProjectLock(path)  # as another process holding the project would
    assert lock.acquire()
    try:
        with pytest.raises(ReadOnlyProjectError, match="open in another qcode window"):
            Project.open(path, mode="read")
    finally:
        lock.release()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_an_old_sqlite_or_one_without_fts5_is_refused_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.errors import SqliteUnsupportedError
    from qcode.core.store import connection

    monkeypatch.setattr(connection.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(connection.sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(SqliteUnsupportedError, match=r"SQLite 3\.31\.1, but qcode needs 3\.35\.0"):
        Project.create(tmp_path / "a.qcode")
    monkeypatch.undo()

    real_connect = sqlite3.connect

    class NoFts5:
        def __init__(self) -> None:
            self.inner = real_connect(":memory:")

        def execute(self, sql: str, *args: object) -> object:
            if "fts5" in sql.lower():
                raise sqlite3.OperationalError("no such module: fts5")
            return self.inner.execute(sql, *args)

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(connection.sqlite3, "connect", lambda *a, **k: NoFts5())
    with pytest.raises(SqliteUnsupportedError, match="full-text search"):
        Project.open(tmp_path / "a.qcode")
    assert not (tmp_path / "a.qcode").exists()


def test_step_003_indexes_member_ranges(tmp_path: Path) -> None:
    path = tmp_path / "p.qcode"
    with Project.create(path) as project:  # a file made before step 3: what later steps add is taken away
        source = project.add_source("Q1", "one answer\n\nanother answer")
        ann = project.create_case("Ann")
        project.add_case_member(ann.id, source.id, 0, 10)
        code = project.create_code("Answer")
        project.add_coding(source.id, code.id, 4, 10)
    conn = sqlite3.connect(path)
    _strip_after(conn, 2)
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.check() == []
        assert [r.own.cases for r in project.frequencies()] == [1]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    conn.close()
    assert "case_member_range" in indexes
