"""An OS lock on a sidecar file, so that one process at a time writes a project.

The lock lives on `<project>.lock`; the OS releases it when the process dies, so a crash never leaves a
project locked for good. The sidecar file itself is left in place (removing it would race with another
process taking the lock).
"""

from __future__ import annotations

import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined,unused-ignore]

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(project_path: Path) -> Path:
    """The sidecar file whose OS lock marks a project as open for writing."""
    return project_path.with_name(project_path.name + ".lock")


class ProjectLock:
    """Holds the write lock of one project for as long as it is open."""

    def __init__(self, project_path: Path) -> None:
        self.path = lock_path(project_path)
        self._fd: int | None = None

    def acquire(self, holder: str | None = None) -> bool:
        """Take the lock; False when another process holds it. OSError when the lock file cannot be made.

        The lock file records the process id and, for a command, what it is (`holder`), so that a refused
        writer can name it.
        """
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{holder or ''}".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        """Give up the lock (the operating system also releases it when the process ends)."""
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._fd is not None


def read_holder(project_path: Path) -> str | None:
    """What holds the project's lock, when it is a command ("the command 'qcode import' (process 412)").

    None for an app window or when the lock file cannot be read (Windows locks its first byte).
    """
    try:
        content = lock_path(project_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    pid, _, holder = content.partition("\n")
    holder = holder.strip()
    if not holder:
        return None
    return f"{holder} (process {pid.strip()})" if pid.strip().isdigit() else holder


def is_locked(project_path: Path) -> bool:
    """True when some process holds the project's write lock."""
    probe = ProjectLock(project_path)
    if probe.acquire():
        probe.release()
        return False
    return True
