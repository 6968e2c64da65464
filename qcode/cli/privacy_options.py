"""Pseudonymised exports on the command line: `--pseudonymise` / `--no-pseudonymise` (the project's default
decides when neither is given), the check of unregistered names before anything is written, and its
confirmation: asked on a terminal, given by `--confirm-names` in scripts, else the export is refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qcode.cli.arguments import terminal_safe
from qcode.cli.output import print_rows
from qcode.core.errors import QcodeError
from qcode.core.model import Filter
from qcode.core.project import Project, name_check_scope, unregistered_names


class NamesNotConfirmed(QcodeError):
    """The check found names the register lacks, and nobody confirmed exporting them (exit status 1)."""


def add_options(p: argparse.ArgumentParser) -> None:
    """The privacy options of `qcode export`."""
    g = p.add_argument_group("privacy (see 'qcode names')")
    which = g.add_mutually_exclusive_group()
    which.add_argument("--pseudonymise", action="store_true", default=None,
                       help="apply the name register to every text written (default: the project's setting, "
                            "'qcode names PROJECT default on|off')")
    which.add_argument("--no-pseudonymise", dest="pseudonymise", action="store_false",
                       help="write the names as they are, even when the project pseudonymises by default")
    g.add_argument("--confirm-names", action="store_true",
                   help="pseudonymised: export even when the check lists words that look like unregistered names "
                        "(needed when no terminal can ask)")


def pseudonymising(args: argparse.Namespace, project: Project) -> bool:
    """Whether this export is pseudonymised: as the options say, else as the project's setting says."""
    chosen = args.pseudonymise if args.pseudonymise is not None else project.pseudonymise_exports
    if args.confirm_names and not chosen:
        from qcode.cli.commands import UsageError

        raise UsageError("--confirm-names goes with a pseudonymised export (--pseudonymise, or the project's "
                         "default); this export writes the names as they are.")
    if chosen and args.pseudonymise is None and not project.pseudonymiser().pseudonyms:
        raise QcodeError("This project pseudonymises its exports by default, but the name register has no terms to "
                         "apply. Add the names first (qcode names PROJECT add NAME --as PSEUDONYM), or export "
                         "with --no-pseudonymise.")
    return bool(chosen)


def _ask(question: str) -> bool:
    print(question, end=" ", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().casefold() in ("y", "yes")


def confirm_names(args: argparse.Namespace, project: Project, flt: Filter, *, fmt: str | None,
                  what: str | None) -> None:
    """List the words of what is about to be written that look like names the register lacks, and go on only
    when they are confirmed (on a terminal, or with --confirm-names); raise NamesNotConfirmed otherwise."""
    found = unregistered_names(project, flt, scope=name_check_scope(fmt, what))
    if not found:
        print("Name check: no capitalised word outside the register was found in what is exported.")
        return
    print(f"Name check: {len(found)} {'word looks' if len(found) == 1 else 'words look'} like "
          f"{'a name' if len(found) == 1 else 'names'} the register lacks (after pseudonymising):")
    print_rows(("term", "count", "example"), [(s.term, s.occurrences, s.example) for s in found], "table")
    how = (f"Register them (qcode names {terminal_safe(args.project)} add TERM --as PSEUDONYM) and export again"
           ", or, having checked them, add --confirm-names to export with these words as they are.")
    if args.confirm_names:
        print("Exporting with these words as they are (--confirm-names).")
        return
    if sys.stdin is not None and sys.stdin.isatty():
        if _ask("Export with these words as they are? [y/N]"):
            return
        raise NamesNotConfirmed(f"Nothing was exported. {how}")
    raise NamesNotConfirmed(f"Nothing was exported: the words listed above need a look, and no terminal can ask. "
                            f"{how}")


def exported_line(project: Project, written: Path, pseudonymised: bool) -> str:
    """The line that says where the export went, and whether it was pseudonymised."""
    if not pseudonymised:
        why = " (--no-pseudonymise; the project's default is pseudonymised)" if project.pseudonymise_exports else ""
        return f"Exported to {written}, not pseudonymised{why}: it holds the names as they are in the project."
    terms = len(project.pseudonymiser().pseudonyms)
    return (f"Exported to {written}, pseudonymised: {terms} {'term' if terms == 1 else 'terms'} of the name "
            f"register {'was' if terms == 1 else 'were'} replaced, and none is left in what was written.")
