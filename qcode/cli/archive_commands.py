"""`qcode archive` and the archive half of `qcode check`: a project packed with its checksums, and the check."""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from qcode.core.project import Project, verify_archive, write_archive


def cmd_archive(args: argparse.Namespace) -> int:
    """Write the project and its SHA-256 manifest to a zip."""
    with Project.open(args.project, mode="read") as project:
        written = write_archive(project, Path(args.out))
    print(f"Archived {args.project} to {written} (check it with 'qcode check {written}')")
    return 0


def is_archive(path: str) -> bool:
    """Whether `qcode check` is given an archive rather than a project file."""
    return Path(path).is_file() and zipfile.is_zipfile(path)


def check_archive(path: str) -> int:
    """Print what checking an archive found; exit status 1 when anything is wrong."""
    report = verify_archive(Path(path))
    if not report.problems:
        print(f"ok: the archive is whole (every checksum matches) and the project {report.project_name} is sound")
        return 0
    count = len(report.problems)
    print(f"{count} {'problem' if count == 1 else 'problems'} found:")
    for problem in report.problems:
        print(f"- {problem}")
    return 1
