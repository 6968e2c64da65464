"""Damaged project files for the tests: a project built here, then bytes of it overwritten.

The damage is deterministic (seeded), so a failing test fails the same way every time.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

from qcode.core.project import Project

PAGE = 4096


def build_project(path: Path, *, sources: int = 20) -> Path:
    """A small project of several pages: sources with text, a code, codings."""
    with Project.create(path) as project:
        code = project.create_code("Coping")
        for i in range(sources):
            source = project.add_source(f"Interview {i:02}", f"Al: I keep it in, mate number {i}. " * 300)
            project.add_coding(source.id, code.id, 4, 20)
    return path


def overwrite_page(path: Path, *, at: float = 0.5, seed: int = 7) -> None:
    """Overwrite one whole page of the file, `at` of the way through it, with random bytes."""
    data = bytearray(path.read_bytes())
    page = int(len(data) * at) // PAGE
    assert page > 0, "page 1 holds the schema: damage a page of data"
    rng = random.Random(seed)
    data[page * PAGE:(page + 1) * PAGE] = bytes(rng.randrange(256) for _ in range(PAGE))
    path.write_bytes(bytes(data))


def run_sql(path: Path, *statements: str) -> None:
    """Change the file behind qcode's back, as another program (or a bad sync) would."""
    conn = sqlite3.connect(path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's bytes (hashed) and the files beside it, to show that nothing was written."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    beside = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p != path
                    and not p.name.endswith(".lock"))
    return digest, beside
