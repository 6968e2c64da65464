"""The team subcommands: `qcode agreement` (inter-coder agreement) and `qcode merge` (combine coders' projects)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qcode.cli.commands import UsageError, _open, build_filter
from qcode.cli.output import FORMATS, print_rows
from qcode.core.errors import NotFoundError
from qcode.core.model import Filter
from qcode.core.project import AGREEMENT_UNITS as UNITS
from qcode.core.project import AgreementReport, AgreementRequest, AgreementRow, Project

AGREEMENT_COLUMNS = ("code", "unit", "units", "coded_units", "percent_agreement", "cohen_kappa", "brennan_prediger",
                     "krippendorff_alpha")


def add_parsers(command, filters) -> None:
    """Register the team subcommands (called by `parser.build_parser`)."""
    p = command("agreement", cmd_agreement,
                "inter-coder agreement per code: percent, Cohen's kappa, Brennan-Prediger, Krippendorff's alpha")
    p.add_argument("project")
    p.add_argument("--coders", nargs="+", required=True, metavar="NAME", help="two or more coders to compare")
    p.add_argument("--unit", choices=UNITS, required=True,
                   help="what one unit is: a character, paragraph, speaker turn, sentence, or a whole source "
                        "(code presence per source)")
    p.add_argument("--min-share", type=float, metavar="PCT",
                   help="a unit counts as coded by a coder who coded at least PCT %% of it (default: any part)")
    p.add_argument("--coded-units-only", action="store_true",
                   help="leave out the units that no coder coded")
    p.add_argument("--own", action="store_true",
                   help="count each code's own codings only (default: a code includes its sub-codes)")
    p.add_argument("--uncoded-as-missing", action="store_true",
                   help="a coder who coded nothing in a source counts as missing data there, not as having found "
                        "no code (for teams that double-code part of the material)")
    p.add_argument("--pairs", action="store_true", help="also one table per pair of coders")
    p.add_argument("--out", metavar="FILE",
                   help="save the table (and, with three or more coders, those of each pair) with the method "
                        "stated to an Excel (.xlsx) or Word (.docx) file instead of printing it")
    filters(p)
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")

    p = command("coders", cmd_coders, "list the coders with their identities; rename one; turn blind coding on or off")
    p.add_argument("project")
    p.add_argument("--rename", nargs=2, metavar=("NAME", "NEW_NAME"), help="give a coder another name (their "
                   "codings stay theirs)")
    p.add_argument("--blind", choices=("on", "off"),
                   help="blind coding: each coder sees only their own codings, in the app, the listings and the "
                        "exports (on), until the team compares (off); on the command line you are $QCODE_CODER, "
                        "else your user name")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")

    p = command("merge", cmd_merge, "merge other coders' copies of a project into it, and print the merge report")
    p.add_argument("target", help="the project to merge into")
    p.add_argument("others", nargs="+", metavar="OTHER", help="project files to merge in, one after another")
    p.add_argument("--dry-run", action="store_true", help="print the report only; change nothing")
    p.add_argument("--prefer", choices=("ours", "theirs"),
                   help="settle every conflict by keeping the target's value (ours) or taking the other's (theirs); "
                        "without it, a merge with conflicts changes nothing and exits 1")
    p.add_argument("--coder", metavar="NAME",
                   help="who merges (the author of appended memos; default: $QCODE_CODER, else your user name)")


# --- agreement ----------------------------------------------------------------------------------------------


def _coder_ids(project: Project, names: list[str]) -> tuple[int, ...]:
    ids = []
    for name in names:
        found = [c for c in project.coders() if c.name.casefold() == name.strip().casefold()]
        if not found:
            known = ", ".join(c.name for c in project.coders()) or "none"
            raise NotFoundError("coder", f"'{name}' (the coders are: {known})")
        ids.append(found[0].id)
    if len(set(ids)) != len(ids):
        raise UsageError("Name each coder once in --coders.")
    if len(ids) < 2:
        raise UsageError("--coders takes at least two coders to compare.")
    return tuple(ids)


def _request(project: Project, args: argparse.Namespace) -> AgreementRequest:
    if args.coder:
        raise UsageError("agreement compares the coders of --coders; --coder does not apply.")
    if args.min_share is not None:
        if args.unit == "character":
            raise UsageError("--min-share applies to paragraph, turn, sentence and source units, not characters.")
        if not 0 < args.min_share <= 100:
            raise UsageError(f"--min-share takes a percentage above 0 and at most 100 (got {args.min_share:g}).")
    coder_ids = _coder_ids(project, args.coders)
    args.coder = []
    flt = build_filter(project, args)
    return AgreementRequest(
        coder_ids=coder_ids, unit=args.unit, min_share=args.min_share, coded_units_only=args.coded_units_only,
        own=args.own, uncoded_as_missing=args.uncoded_as_missing, code_ids=flt.codes,
        scope=Filter(sources=flt.sources, folders=flt.folders, cases=flt.cases, attributes=flt.attributes),
    )


def _number(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits) + 0.0  # + 0.0: never a negative zero


def agreement_cells(row: AgreementRow, unit: str, *, digits: int = 4) -> list[object]:
    f = row.figures
    return [row.code, unit, f.units, f.coded_units, _number(f.percent_agreement, max(digits - 2, 1)),
            _number(f.cohen_kappa, digits), _number(f.brennan_prediger, digits), _number(f.krippendorff_alpha, digits)]


def _table(rows: list[AgreementRow], unit: str, fmt: str) -> list[list[object]]:
    return [agreement_cells(row, unit, digits=6 if fmt != "table" else 3) for row in rows]


def cmd_agreement(args: argparse.Namespace) -> int:
    if args.out:
        if args.pairs or args.format != "table":
            raise UsageError("--out saves every table to a file; --pairs and --format do not apply to it.")
        if Path(args.out).suffix.lower() not in (".xlsx", ".docx"):
            raise UsageError(f"--out takes a file ending in .xlsx or .docx, not '{args.out}'.")
    with _open(args, write=False) as project:
        report = project.agreement(_request(project, args))
        name = project.name
    if args.out:
        from qcode.core.project import export_agreement

        print(f"Saved the agreement table to {export_agreement(report, args.out, project_name=name)}")
        return 0
    print_agreement(report, args.format, pairs=args.pairs)
    return 0


def print_agreement(report: AgreementReport, fmt: str, *, pairs: bool) -> None:
    unit = report.request.unit
    names = {c.id: c.name for c in report.coders}
    if fmt == "json" and pairs:
        out = {
            "all": [dict(zip(AGREEMENT_COLUMNS, cells, strict=True)) for cells in _table(report.rows, unit, fmt)],
            "pairs": [
                {"coders": [names[a], names[b]],
                 "rows": [dict(zip(AGREEMENT_COLUMNS, cells, strict=True)) for cells in _table(rows, unit, fmt)]}
                for (a, b), rows in report.pairs.items()
            ],
            "method": report.method(),
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    print_rows(AGREEMENT_COLUMNS, _table(report.rows, unit, fmt), fmt)
    if not pairs:
        return
    if fmt == "csv":  # one more table: the pairs, with the pair in a leading column
        print()
        pair_rows = [[f"{names[a]} & {names[b]}", *cells]
                     for (a, b), rows in report.pairs.items() for cells in _table(rows, unit, fmt)]
        print_rows(("coders", *AGREEMENT_COLUMNS), pair_rows, fmt)
        return
    for (a, b), rows in report.pairs.items():
        print(f"\nCoders {names[a]} and {names[b]}")
        print_rows(AGREEMENT_COLUMNS, _table(rows, unit, fmt), fmt)


# --- merge --------------------------------------------------------------------------------------------------


def cmd_merge(args: argparse.Namespace) -> int:
    args.project = args.target
    status = 0
    with _open(args, write=True) as project:  # a dry run merges inside a transaction it then rolls back
        for other in args.others:
            report = project.merge_project(other, prefer=args.prefer, dry_run=args.dry_run)
            for line in report.lines():
                print(line)
            if report.needs_choice:
                status = 1
    return status


# --- coders -------------------------------------------------------------------------------------------------


def cmd_coders(args: argparse.Namespace) -> int:
    writing = bool(args.rename or args.blind)
    with _open(args, write=writing) as project:
        if writing:
            with project.atomic():  # renaming and switching blind coding: one change
                if args.blind:
                    project.set_blind_coding(args.blind == "on")
                if args.rename:
                    old, new = args.rename
                    found = [c for c in project.coders() if c.name.casefold() == old.strip().casefold()]
                    if not found:
                        raise NotFoundError("coder", f"'{old}'")
                    project.rename_coder(found[0].id, new)
        counts: dict[int, int] = {}
        for coding in project.codings():  # in blind coding, only the viewer's: the others' counts stay empty
            counts[coding.coder_id] = counts.get(coding.coder_id, 0) + 1
        blind = project.blind_coding
        shown = project.visible_filter().coders
        viewer = project.viewer().name
        guids = project.coder_guids()
        rows = [(c.id, c.name, c.color, guids.get(c.id, ""),
                 counts.get(c.id, 0) if not shown or c.id in shown else None) for c in project.coders()]
    print_rows(("id", "name", "color", "guid", "codings"), rows, args.format)
    if args.format == "table":
        print(f"blind coding: on (codings counted for {viewer} only)" if blind else "blind coding: off")
    return 0
