"""The REFI-QDA commands: `import-project`, `import-codebook`, and `export --format qdpx|qdc`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qcode.cli.output import FORMATS, print_rows
from qcode.core.errors import QcodeError
from qcode.core.project import ExchangeReport, Project, default_coder_name

EXCHANGE_FORMATS = ("qdpx", "qdc")
_KINDS = ("sources", "codes", "codings", "cases", "variables", "memos", "coders", "folders")


def _usage(message: str) -> QcodeError:
    from qcode.cli.commands import UsageError

    return UsageError(message)


def exchange_format(args: argparse.Namespace) -> str | None:
    """qdpx or qdc when an export asks for REFI-QDA (by --format or by the file's ending), else None."""
    fmt = getattr(args, "export_format", None) or Path(args.out).suffix.lower().lstrip(".")
    return fmt if fmt in EXCHANGE_FORMATS else None


def cmd_export_exchange(args: argparse.Namespace) -> int:
    """`qcode export PROJECT --format qdpx|qdc --out FILE`: the whole project, or its codebook."""
    fmt = exchange_format(args)
    given = [flag for flag, value in (
        ("--what", args.what), ("--by", args.by), ("--transcript-source", args.transcript_source),
        ("--no-frequency-table", args.no_frequency_table), ("--delimiter", args.delimiter != ","),
        ("--code", args.code), ("--source", args.source), ("--folder", args.folder), ("--case", args.case),
        ("--coder", args.coder), ("--where", args.where)) if value]
    if given:
        raise _usage(f"A REFI-QDA export ({fmt}) holds the whole {'project' if fmt == 'qdpx' else 'codebook'}; "
                     f"{', '.join(given)} do{'es' if len(given) == 1 else ''} not apply to it.")
    from qcode.cli import privacy_options
    from qcode.core.model import Filter
    from qcode.core.project import export_pseudonymised

    with Project.open(args.project, mode="read") as project:
        pseudonymised = privacy_options.pseudonymising(args, project)
        if pseudonymised:
            privacy_options.confirm_names(args, project, Filter(), fmt=fmt, what=None)
            written = export_pseudonymised(project, Path(args.out), fmt=fmt)
        else:
            written = project.export_refi(Path(args.out), codebook_only=fmt == "qdc")
        print(privacy_options.exported_line(project, written, pseudonymised))
        blind = project.viewer().name if project.blind_coding and fmt == "qdpx" else None
    if blind is not None:
        print(f"qcode: blind coding is on, so the export holds only {blind}'s codings", file=sys.stderr)
    return 0


def _print_report(report: ExchangeReport, fmt: str) -> None:
    if fmt == "table":
        for line in report.lines():
            print(line)
        return
    rows: list[tuple] = [(kind, report.added.get(kind, 0), report.matched.get(kind, 0), "") for kind in _KINDS]
    rows += [("left out", 0, 0, reason) for reason in report.left_out]
    print_rows(("what", "added", "already_there", "reason"), rows, fmt)


def _coder(args: argparse.Namespace) -> str:
    return args.coder if args.coder else default_coder_name()


def cmd_import_project(args: argparse.Namespace) -> int:
    """`qcode import-project PROJECT FILE.qdpx`: into a project, created when it does not exist."""
    from qcode.core.project import read_qdpx

    source = Path(args.file)
    if source.suffix.lower() == ".qdc":
        raise _usage(f"{source.name} is a codebook: import it with 'qcode import-codebook'.")
    doc = read_qdpx(source)  # read and checked whole before the project is touched
    target = Path(args.project)
    created = not target.exists()
    project = Project.create(target, name=doc.name or source.stem) if created else Project.open(target)
    try:
        project.name_coder(_coder(args))
        report = project.import_refi_document(doc, file_name=source.name)
    except BaseException:
        project.close()
        if created:
            target.unlink(missing_ok=True)
        raise
    project.close()
    if created:  # beside a csv or json report, on stderr so that the report stays machine-readable
        print(f"Created {target}", file=sys.stdout if args.format == "table" else sys.stderr)
    _print_report(report, args.format)
    return 0


def cmd_import_codebook(args: argparse.Namespace) -> int:
    """`qcode import-codebook PROJECT FILE.qdc`: codes merged into the codebook, never duplicated."""
    with Project.open(args.project) as project:
        report = project.import_refi(Path(args.file), codebook_only=True)
    _print_report(report, args.format)
    return 0


def add_commands(command) -> None:
    """Register the commands with the parser (`command(name, handler, help)` returns their subparser)."""
    p = command("import-project", cmd_import_project,
                "import a REFI-QDA project (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder ...)")
    p.add_argument("project", help="the qcode project (created when it does not exist)")
    p.add_argument("file", metavar="FILE.qdpx")
    p.add_argument("--coder", metavar="NAME", help="who codings without a named user belong to (default: "
                   "$QCODE_CODER, else your user name)")
    p.add_argument("--format", choices=FORMATS, default="table", help="the report: table (default), csv or json")

    p = command("import-codebook", cmd_import_codebook, "import a REFI-QDA codebook (.qdc) into a project")
    p.add_argument("project")
    p.add_argument("file", metavar="FILE.qdc")
    p.add_argument("--format", choices=FORMATS, default="table", help="the report: table (default), csv or json")
