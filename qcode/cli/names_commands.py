"""`qcode names`: the name register that pseudonymised exports apply."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from qcode.cli.commands import UsageError, _open
from qcode.cli.output import print_rows

ACTIONS = ("add", "remove", "enable", "disable", "suggest", "default")
SWITCH = ("on", "off")


def cmd_names(args: argparse.Namespace) -> int:
    """List the register, change it, or suggest names it lacks."""
    if args.limit is not None and args.action != "suggest":
        raise UsageError("--limit goes with 'suggest' only.")
    if args.format != "table" and args.action not in (None, "suggest"):
        raise UsageError(f"--format goes with the list and 'suggest', not with '{args.action}'.")
    if args.action is None:
        if args.term or args.pseudonym:
            raise UsageError("To change the register, write: qcode names PROJECT add TERM --as PSEUDONYM")
        with _open(args, write=False) as project:
            rows = [(e.term, e.pseudonym, "yes" if e.enabled else "no") for e in project.name_register()]
            default = project.pseudonymise_exports
        print_rows(("term", "pseudonym", "enabled"), rows, args.format)
        if args.format == "table":
            print(f"pseudonymised exports by default: {'on' if default else 'off'}")
        return 0
    if args.action == "default":
        return _default(args)
    if args.action == "suggest":
        if args.term or args.pseudonym:
            raise UsageError("'names suggest' takes no term; it proposes them.")
        with _open(args, write=False) as project:
            found = project.suggest_names(limit=100 if args.limit is None else args.limit)
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


def _default(args: argparse.Namespace) -> int:
    """`names PROJECT default [on|off]`: show or set whether exports are pseudonymised unless asked otherwise."""
    if args.pseudonym:
        raise UsageError("--as goes with 'add', not with 'default'.")
    if args.term is None:
        with _open(args, write=False) as project:
            on = project.pseudonymise_exports
        print(f"pseudonymised exports by default: {'on' if on else 'off'}")
        return 0
    if args.term.casefold() not in SWITCH:
        raise UsageError(f"'names default' takes on or off, not '{args.term}'.")
    on = args.term.casefold() == "on"
    with _open(args, write=True) as project:
        project.set_pseudonymise_exports(on)
        terms = len(project.pseudonymiser().pseudonyms)
    if not on:
        print("Exports write the names as they are unless --pseudonymise is given.")
    elif terms:
        print(f"Exports are pseudonymised (the register's {terms} {'term' if terms == 1 else 'terms'}) unless "
              "--no-pseudonymise is given.")
    else:
        print("Exports are pseudonymised unless --no-pseudonymise is given; the register is empty, so add the "
              "names first (qcode names PROJECT add NAME --as PSEUDONYM): until then exports are refused.")
    return 0


def add_parser(command: Callable[..., argparse.ArgumentParser],
               formats: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register `qcode names` with the parser (`command` and `formats` are the parser's helpers)."""
    p = command("names", cmd_names, "the name register: terms and the pseudonyms pseudonymised exports write")
    p.add_argument("project")
    p.add_argument("action", nargs="?", choices=ACTIONS,
                   help="add TERM --as PSEUDONYM, remove TERM, enable TERM, disable TERM, suggest names to add, or "
                        "default on|off: whether exports are pseudonymised unless asked otherwise")
    p.add_argument("term", nargs="?", help="a name, place or any text (matched as whole words, any letter case)")
    p.add_argument("--as", dest="pseudonym", metavar="PSEUDONYM", help="what exports write instead (with add)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="suggest: at most N names (default 100)")
    formats(p)
