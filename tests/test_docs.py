"""The README stays true: its quick start has the agreed shape and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from qcode.cli.parser import build_parser
from qcode.core.importers import importable_suffixes

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_two_commands() -> None:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    lines = block.group(1).strip("\n").split("\n")
    assert lines == ["python3 installer/bootstrap.py run", "python3 installer/bootstrap.py test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 installer/bootstrap.py test" in ci


def test_every_command_is_in_the_readme() -> None:
    names = build_parser()._subcommand_names  # type: ignore[attr-defined]
    missing = [name for name in names if f"`qcode {name}" not in README]
    assert missing == []


def test_every_importable_format_is_in_the_readme() -> None:
    section = README.split("## Importing", 1)[1].split("\n## ", 1)[0]
    missing = [suffix for suffix in importable_suffixes() if f"`{suffix}`" not in section]
    assert missing == []
