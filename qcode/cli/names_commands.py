"""`qcode names`: the name register that pseudonymised exports apply."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from qcode.cli.commands import UsageError, _open
from qcode.cli.output import print_rows

ACTIONS = ("add", "remove", "enable", "disable", "suggest")


def cmd_names(args: argparse.Namespace) -> int:
    """List the register, change it, or suggest names it lacks."""
    if args.action is None:
        if args.term or args.pseudonym:
            raise UsageError("To change the register, write: qcode names PROJECT add TERM --as PSEUDONYM")
        with _open(args, write=False) as project:
            rows = [(e.term, e.pseudonym, "yes" if e.enabled else "no") for e in project.name_register()]
        print_rows(("term", "pseudonym", "enabled"), rows, args.format)
        return 0
    if args.action == "suggest":
        if args.term or args.pseudonym:
            raise UsageError("'names suggest' takes no term; it proposes them.")
        with _open(args, write=False) as project:
            found = project.suggest_names(limit=args.limit)
        print_rows(("term", "reason", "occurrences", "sources"),
                   [(s.term, s.reason, s.occurrences, s.sources) for s in found], args.format)
        return 0
    if not args.term:
        raise UsageError(f"Give the term: qcode names PROJECT {args.action} TERM")
    if args.action == "add" and not args.pseudonym:
        raise UsageError("Give the pseudonym with --as, for example: qcode names P add Marcus --as P01")
    if args.action != "add" and args.pseudonym:
        raise UsageError(f"--as goes with 'add', not with '{args.action}'.")
    with _open(args, write=True) as project:
        if args.action == "add":
            entry = project.add_name(args.term, args.pseudonym)
            print(f"Registered '{entry.term}' as '{entry.pseudonym}'")
        elif args.action == "remove":
            entry = project.remove_name(args.term)
            print(f"Removed '{entry.term}' from the name register")
        else:
            entry = project.update_name(args.term, enabled=args.action == "enable")
            state = "applied" if entry.enabled else "kept but not applied"
            print(f"'{entry.term}' is {state} in pseudonymised exports")
    return 0


def add_parser(command: Callable[..., argparse.ArgumentParser],
               formats: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register `qcode names` with the parser (`command` and `formats` are the parser's helpers)."""
    p = command("names", cmd_names, "the name register: terms and the pseudonyms pseudonymised exports write")
    p.add_argument("project")
    p.add_argument("action", nargs="?", choices=ACTIONS,
                   help="add TERM --as PSEUDONYM, remove TERM, enable TERM, disable TERM, or suggest names to add")
    p.add_argument("term", nargs="?", help="a name, place or any text (matched as whole words, any letter case)")
    p.add_argument("--as", dest="pseudonym", metavar="PSEUDONYM", help="what exports write instead (with add)")
    p.add_argument("--limit", type=int, default=100, metavar="N", help="suggest: at most N names (default 100)")
    formats(p)
