"""A damaged, full, read-only or busy project: nothing written to it, sound backups kept, the real cause named."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from qcode.core import paths
from qcode.core.errors import (
    BackupRefusedError,
    DamagedProjectError,
    DiskFullError,
    ProjectLockedError,
    ReadOnlyFileError,
    ReadOnlyFolderError,
)
from qcode.core.project import Project
from tests.damage import build_project, fingerprint, overwrite_page, run_sql


def _backups_pass(path: Path) -> list[bool]:
    passed = []
    for backup in Project.list_backups(path):
        with Project.open(backup.path, mode="read") as copy:
            passed.append(copy.check() == [])
    return passed


def _refusal(path: Path) -> str | None:
    """The one-line message with which opening and checking a project is refused (None when it is sound)."""
    from qcode.core.errors import QcodeError

    try:
        _open_and_verify(path)
    except QcodeError as err:
        return err.message
    return None


def _open_and_verify(path: Path) -> None:
    with Project.open(path, mode="auto") as project:
        project.verify()


# --- backups of a damaged project (issue 12, point 2) ------------------------------------------------------


def test_a_damaged_project_is_never_backed_up_over_sound_backups(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode")
    for _ in range(2):
        assert Project.backup_on_open(path, min_interval_hours=0) is not None
    sound = [b.path for b in Project.list_backups(path)]
    overwrite_page(path)
    for _ in range(6):  # more opens than backups are kept
        with pytest.raises(BackupRefusedError, match=r"seems damaged .* no backup was made .* earlier backups are kept"):
            Project.backup_on_open(path, min_interval_hours=0)
    assert [b.path for b in Project.list_backups(path)] == sound
    assert _backups_pass(path) == [True, True]
    assert [p.name for p in sound[0].parent.iterdir() if not p.name.endswith(".qcode")] == []  # no *.partial


def test_pruning_never_drops_the_newest_backup_that_passes(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=3)
    with Project.open(path) as project:
        for _ in range(5):
            project.backup("manual")
    # five damaged backups that look newer (an older qcode made them, or the clock went back since)
    future = time.time() + 3600
    for i, backup in enumerate(Project.list_backups(path)):
        overwrite_page(backup.path, at=0.6)
        os.utime(backup.path, (future + i, future + i))
    with Project.open(path) as project:
        made = project.backup("manual")
    listed = [b.path for b in Project.list_backups(path)]
    assert made in listed
    assert len(listed) == 6  # the five kept by date, and the newest one that passes
    assert Project.check_backup(made) == []
    assert all(Project.check_backup(other) for other in listed if other != made)
    restored = Project.restore_backup(made, tmp_path / "restored.qcode")
    with Project.open(restored, mode="read") as copy:
        assert copy.check() == []


def test_a_backup_that_cannot_be_written_leaves_nothing_and_says_the_disk_is_full(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.store import backups

    path = build_project(tmp_path / "p.qcode")
    kept = Project.backup_on_open(path, min_interval_hours=0)
    real_open = backups._open_target

    def nearly_full(partial: Path):  # ENOSPC at the store: the backup's file may not grow past two pages
        conn = real_open(partial)
        conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(backups, "_open_target", nearly_full)
    with Project.open(path) as project, pytest.raises(DiskFullError) as refused:
        project.backup("manual")
    assert refused.value.message.startswith("The disk is full, so no backup of the project was made.")
    assert "earlier backups are kept" in refused.value.message
    assert sorted(p.name for p in kept.parent.iterdir()) == [kept.name]  # no *.partial, the old one kept


def test_a_stale_partial_backup_is_swept_away(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=2)
    first = Project.backup_on_open(path, min_interval_hours=0)
    stale = first.parent / "p-20200101-000000-000000-open.partial"
    stale.write_bytes(b"left by a killed process")
    os.utime(stale, (time.time() - 7200, time.time() - 7200))
    Project.backup_on_open(path, min_interval_hours=0)
    assert not stale.exists()


# --- opening a damaged project (issue 12, point 3) ------------------------------------------------------


def test_a_damaged_page_is_found_before_the_first_write_and_nothing_is_written(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode")
    overwrite_page(path)
    before = fingerprint(path)
    project = Project.open(path)  # opening reads only
    try:
        with pytest.raises(DamagedProjectError, match=r"seems damaged \(.+\)\. Restore a backup as a copy: 'qcode backups .*p\.qcode'"):
            project.verify()
        with pytest.raises(DamagedProjectError):
            project.create_code("Written anyway?")
        with pytest.raises(DamagedProjectError):
            project.ensure_coder("New coder")
    finally:
        project.close()
    assert fingerprint(path) == before  # not a byte, not a -wal or -journal file


@pytest.mark.parametrize(
    ("damage", "detail"),
    [
        (("DROP TABLE code_value_stat",), "table code_value_stat is missing"),
        (("DROP TRIGGER source_fts_insert",), "trigger source_fts_insert is missing"),
        (("UPDATE source SET meta = '{not json' WHERE id = 2",), "the details of source 2 cannot be read"),
        (("UPDATE code SET name = CAST(x'436fff' AS TEXT)",), "Could not decode to UTF-8"),
        (("UPDATE coding SET \"end\" = 999999 WHERE id = 1",), "codings in 1 source lie outside the text"),
        (("PRAGMA writable_schema = ON",
          "UPDATE sqlite_master SET name = CAST(x'636fff' AS TEXT), sql = 'CREATE TABLE c' WHERE name = 'coder'"),
         "not valid UTF-8"),
    ],
    ids=["dropped-aggregate", "dropped-trigger", "bad-json", "bad-utf8-row", "bad-range", "bad-utf8-schema"],
)
def test_damage_that_sqlite_accepts_is_found_too(tmp_path: Path, damage: tuple[str, ...], detail: str) -> None:
    path = build_project(tmp_path / "p.qcode", sources=3)
    run_sql(path, *damage)
    before = fingerprint(path)
    with pytest.raises(DamagedProjectError, match="seems damaged") as found:
        _open_and_verify(path)
    assert detail in found.value.message
    assert fingerprint(path) == before


def test_opening_for_reading_never_writes_either(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=3)
    overwrite_page(path)
    before = fingerprint(path)
    with Project.open(path, mode="read") as project:
        assert project.readonly
    assert fingerprint(path) == before


def test_a_sound_project_is_checked_once_then_writes_as_before(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=3)
    with Project.open(path) as project:
        assert not Path(f"{path}-wal").exists()  # nothing written on opening
        project.create_code("Later")
        assert Path(f"{path}-wal").exists()
    assert not Path(f"{path}-wal").exists()


# --- full disk, read-only file and folder, the lock's holder (issue 12, point 7) ----------------------------


def test_a_full_disk_is_named_and_the_batch_report_is_kept(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=2)
    files = []
    for i in range(3):
        file = tmp_path / f"long{i}.txt"
        file.write_text(f"Bo: words of interview {i}. " * 4000, encoding="utf-8")
        files.append(file)
    with Project.open(path) as project:
        project.create_code("Before")
        pages = project._store.conn.execute("PRAGMA page_count").fetchone()[0]
        project._store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # ENOSPC at the store
        with pytest.raises(DiskFullError, match=r"^The disk is full, so this change was not written\. The "
                                                 r"project holds every change made before it\."):
            project.add_source("Huge", "text " * 100_000)
        outcomes = project.import_paths(files)
        assert [o.status for o in outcomes] == ["failed"] * 3
        assert all(o.reason.startswith("The disk is full") for o in outcomes)
        assert "seems damaged" not in " ".join(o.reason for o in outcomes)
        assert {c.name for c in project.codes()} == {"Before", "Coping"}
    with Project.open(path, mode="read") as project:
        assert project.check() == []
        assert len(project.sources()) == 2


def test_a_read_only_project_file_opens_read_only_with_the_reason(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=2)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        with pytest.raises(ReadOnlyFileError, match=r"^The project file is read-only"):
            Project.open(path)
        with Project.open(path, mode="auto") as project:
            assert project.readonly
            assert not project.locked_elsewhere
            assert project.readonly_reason.startswith("The project file is read-only")
            assert len(project.sources()) == 2
            with pytest.raises(ReadOnlyFileError):
                project.create_code("X")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_read_only_folder_is_named_not_another_window(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qcode.core.store import lock

    path = build_project(tmp_path / "p.qcode", sources=2)

    def cannot_create(self, holder=None):  # what a read-only folder does to the lock file, even for root
        raise PermissionError(13, "Permission denied", str(self.path))

    monkeypatch.setattr(lock.ProjectLock, "acquire", cannot_create)
    with pytest.raises(ReadOnlyFolderError) as refused:
        Project.open(path)
    assert refused.value.message.startswith(f"The folder {tmp_path.resolve()} is read-only")
    assert "another qcode window" not in refused.value.message
    with Project.open(path, mode="auto") as project:
        assert project.readonly
        assert "is read-only" in project.readonly_reason
        with pytest.raises(ReadOnlyFolderError):
            project.create_code("X")


def test_a_full_disk_that_refuses_the_lock_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from qcode.core.store import lock

    path = build_project(tmp_path / "p.qcode", sources=1)

    def disk_full(self, holder=None):
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    monkeypatch.setattr(lock.ProjectLock, "acquire", disk_full)
    with pytest.raises(DiskFullError, match=r"^The disk is full, so qcode cannot lock the project to change it"):
        Project.open(path)
    with Project.open(path, mode="auto") as project:
        assert project.readonly
        assert "can still be read" in project.readonly_reason
        assert len(project.sources()) == 1


def test_a_folder_without_write_access_is_named_before_the_lock_is_tried(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_project(tmp_path / "p.qcode", sources=1)
    folder = tmp_path.resolve()
    real_access = os.access
    # what os.access says of a read-only folder to anyone but an administrator (the tests may run as root)
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder and mode == os.W_OK
                        else real_access(p, mode))
    with pytest.raises(ReadOnlyFolderError, match=f"^The folder {folder} is read-only"):
        Project.open(path)
    with Project.open(path, mode="auto") as project:
        assert project.readonly
        assert project.readonly_reason.startswith(f"The folder {folder} is read-only")


def test_the_lock_message_names_the_command_that_holds_the_project(tmp_path: Path) -> None:
    path = build_project(tmp_path / "p.qcode", sources=1)
    with Project.open(path, holder="the command 'qcode import'"):
        with pytest.raises(ProjectLockedError) as refused:
            Project.open(path)
        assert refused.value.message == (f"This project is being changed by the command 'qcode import' (process "
                                         f"{os.getpid()}). Wait for it to finish, or open a copy.")
    with Project.open(path), pytest.raises(ProjectLockedError, match="open in another qcode window"):
        Project.open(path)  # an app window (no holder) keeps the window message


# --- private backups and crash log (issue 12, point 11) ---------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_backups_and_the_crash_log_are_the_users_alone(tmp_path: Path) -> None:
    from qcode import crash_log

    old = os.umask(0o022)
    try:
        path = build_project(tmp_path / "p.qcode", sources=1)
        made = Project.backup_on_open(path, min_interval_hours=0)
        try:
            raise RuntimeError("kaput")
        except RuntimeError as err:
            log = crash_log.record(err)
    finally:
        os.umask(old)
    assert stat.S_IMODE(paths.backups_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_backups_and_logs_made_by_an_older_qcode_become_private(tmp_path: Path) -> None:
    from qcode import crash_log
    from qcode.core.store import backups

    path = build_project(tmp_path / "p.qcode", sources=1)
    folder = backups.backup_folder(path)
    folder.mkdir(parents=True, mode=0o755)
    crash_log.log_path().parent.mkdir(parents=True, mode=0o755)
    crash_log.log_path().write_text("old entry\n")
    crash_log.log_path().chmod(0o644)
    Project.backup_on_open(path, min_interval_hours=0)
    try:
        raise RuntimeError("kaput")
    except RuntimeError as err:
        crash_log.record(err)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(crash_log.log_path().stat().st_mode) == 0o600
    assert crash_log.log_path().read_text().startswith("old entry\n")


def test_a_copy_or_restore_on_a_full_disk_leaves_nothing_and_says_so(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    path = build_project(tmp_path / "p.qcode")
    backup = Project.backup_on_open(path, min_interval_hours=0)
    real_connect = sqlite3.connect

    def connect(database, *args, **kwargs):  # ENOSPC at the store: new files may not grow past two pages
        conn = real_connect(database, *args, **kwargs)
        if str(database).startswith(str(tmp_path / "out")):
            conn.execute("PRAGMA max_page_count = 2")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    with Project.open(path) as project, pytest.raises(DiskFullError, match=r"^The disk is full, so the copy "):
        project.save_copy(tmp_path / "out-copy.qcode")
    with pytest.raises(DiskFullError, match=r"^The disk is full, so the backup was not restored"):
        Project.restore_backup(backup, tmp_path / "out-restored.qcode")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == []
    assert backup.exists()


def test_random_damage_is_refused_clearly_and_never_written_to(tmp_path: Path) -> None:
    """A seeded mutator: bytes overwritten anywhere give a sound project or one clear refusal, nothing else."""
    import random
    import shutil

    base = build_project(tmp_path / "base.qcode", sources=6)
    data = base.read_bytes()
    rng = random.Random(2024)
    outcomes = {"sound": 0, "refused": 0}
    for number in range(40):
        mutant = tmp_path / f"mutant{number}.qcode"
        shutil.copyfile(base, mutant)
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 64)):
            damaged[rng.randrange(16, len(damaged))] = rng.randrange(256)  # the magic string stays: a project
        mutant.write_bytes(bytes(damaged))
        before = fingerprint(mutant)
        refusal = _refusal(mutant)
        if refusal is None:
            outcomes["sound"] += 1
            continue
        assert "\n" not in refusal
        assert "Traceback" not in refusal
        assert fingerprint(mutant) == before, f"mutant {number} was written to: {refusal}"
        outcomes["refused"] += 1
    assert outcomes["refused"] > 0  # the mutator does damage what the check can see
