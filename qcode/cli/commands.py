"""The handlers of the `qcode` subcommands: parse references, call the core, print the result."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

from qcode.cli.arguments import terminal_safe
from qcode.cli.output import print_rows
from qcode.core.errors import InvalidRequestError, NotFoundError, OptionNotApplicableError, QcodeError
from qcode.core.model import Filter, NewCoding
from qcode.core.project import (
    AutocodeRequest,
    Grouping,
    ImportOptions,
    Project,
    SurveyOptions,
    coerce_value,
    default_coder_name,
)


class UsageError(InvalidRequestError):
    """The command line itself is wrong (options missing, misspelt or combined wrongly): exit status 2."""


def _open(args: argparse.Namespace, *, write: bool) -> Project:
    command = getattr(args.handler, "__name__", "").removeprefix("cmd_")
    holder = f"the command 'qcode {command}'" if command else "a qcode command"
    project = Project.open(args.project, mode="write" if write else "read", holder=holder)
    if write:
        try:
            project.verify()  # a damaged project is named as such before the command reads or writes anything
        except QcodeError:
            project.close()
            raise
        coder = getattr(args, "coder", None)
        # added to the project with the first change it makes, so a refused command adds no coder either
        project.name_coder(coder if isinstance(coder, str) and coder else default_coder_name())
    return project


def _attribute_filter(project: Project, specs: list[str]) -> tuple[tuple[int, object], ...]:
    pairs = []
    for spec in specs:
        if "=" not in spec:
            raise UsageError(f"--where takes NAME=VALUE, for example --where 'Age group=25-34' (got '{spec}').")
        name, value = spec.split("=", 1)
        attribute = project.find_attribute(name.strip())
        pairs.append((attribute.id, coerce_value(attribute, value)))
    return tuple(pairs)


def build_filter(project: Project, args: argparse.Namespace) -> Filter:
    coders = []
    for name in args.coder:
        found = [c for c in project.coders() if c.name.casefold() == name.strip().casefold()]
        if not found:
            raise NotFoundError("coder", f"'{name}'")
        coders.append(found[0].id)
    return Filter(
        codes=tuple(project.find_code(c).id for c in args.code),
        sources=tuple(project.find_source(s).id for s in args.source),
        folders=tuple(project.find_folder(f).id for f in args.folder),
        cases=tuple(project.find_case(c).id for c in args.case),
        coders=tuple(coders),
        attributes=_attribute_filter(project, args.where),
    )


# --- commands ------------------------------------------------------------------------------------------


def cmd_open(args: argparse.Namespace) -> int:
    if args.ready_check and args.project is None:
        raise UsageError("--ready-check opens a project: give one, for example qcode open demo.qcode --ready-check.")
    if args.project is not None and not Path(args.project).exists():
        raise QcodeError(f"There is no project at {args.project}. Create one with 'qcode new {args.project}', "
                         "or build the demo with 'qcode demo'.")
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
        raise QcodeError(
            "The app needs a graphical display, and there is none here (DISPLAY is not set). Run it from a "
            "desktop session, or use the subcommands: qcode --help"
        )
    try:
        from qcode.gui.app import run_gui
    except ImportError as err:
        raise QcodeError(
            f"The app cannot start because Qt is not available ({err}). Install qcode with its dependencies "
            "(python3 installer/bootstrap.py run), or use the subcommands: qcode --help"
        ) from err
    return run_gui(args.project, ready_check=args.ready_check)


def cmd_new(args: argparse.Namespace) -> int:
    with Project.create(args.project, name=args.name) as project:
        print(f"Created {project.path}")
    return 0


def _import_options(args: argparse.Namespace) -> ImportOptions:
    survey = None
    if args.survey:
        if not args.id_column or not args.text_column:
            raise UsageError("A survey import needs --id-column and at least one --text-column.")
        survey = SurveyOptions(args.id_column, tuple(args.text_column), tuple(args.attribute_column), args.sheet)
    elif args.id_column or args.text_column or args.attribute_column or args.sheet:
        raise UsageError("--id-column, --text-column, --attribute-column and --sheet go with --survey FILE.")
    options = ImportOptions(detect_speakers=not args.no_speakers, keep_headers=args.keep_headers,
                            attachments=args.attachments, survey=survey)
    if args.max_size is not None:
        if args.max_size <= 0:
            raise UsageError("--max-size takes a number of megabytes above 0.")
        options = dataclasses.replace(options, max_file_bytes=int(args.max_size * 1024 * 1024))
    return options


def cmd_import(args: argparse.Namespace) -> int:
    options = _import_options(args)
    if not args.paths and not args.survey:
        raise UsageError("Name the files or folders to import (or a --survey FILE).")
    with _open(args, write=True) as project:
        folder_id = project.ensure_folder_path(args.folder).id if args.folder else None
        outcomes = project.import_paths(
            [*args.paths, *args.survey], folder_id=folder_id, options=options,
            speaker_cases=args.speaker_cases, autocode_speakers=args.autocode_speakers,
        )
    if args.format == "table":
        for outcome in outcomes:
            print(f"{outcome.status}\t{terminal_safe(outcome.path, one_line=True)}\t"
                  f"{terminal_safe(outcome.reason, one_line=True)}")
    else:
        print_rows(("status", "file", "reason", "source_ids"),
                   [(o.status, o.path, o.reason, list(o.source_ids) if args.format == "json"
                     else " ".join(map(str, o.source_ids))) for o in outcomes], args.format)
    if not outcomes:
        print("qcode: nothing to import there (no files of a known type)", file=sys.stderr)
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def cmd_sources(args: argparse.Namespace) -> int:
    with _open(args, write=False) as project:
        counts = project.coding_counts_by_source()
        rows = [
            (s.id, s.name, s.kind, project.folder_path(s.folder_id), s.length, counts.get(s.id, 0))
            for s in project.sources()
        ]
    print_rows(("id", "name", "kind", "folder", "length", "codings"), rows, args.format)
    return 0


def _in_filtered_tree(project: Project, flt: Filter) -> set[int] | None:
    """The codes a --code filter selects (with their sub-codes), or None when every code is shown."""
    if not flt.codes:
        return None
    return {code_id for selected in flt.codes for code_id in project.descendants(selected)}


def cmd_codes(args: argparse.Namespace) -> int:
    with _open(args, write=False) as project:
        flt = build_filter(project, args)
        freq = project.frequencies(flt)
        shown = _in_filtered_tree(project, flt)
        codes = {c.id: c for c in project.codes()}
    freq = [r for r in freq if shown is None or r.code_id in shown]
    rows = [(r.code_id, r.path, codes[r.code_id].color, r.total.excerpts, r.total.sources, r.total.cases,
             r.total.characters) for r in freq]
    table = [(r.code_id, "  " * r.depth + codes[r.code_id].name, codes[r.code_id].color, r.total.excerpts,
              r.total.sources, r.total.cases, r.total.characters) for r in freq]
    print_rows(("id", "path", "color", "excerpts", "sources", "cases", "characters"), rows, args.format,
               table_cells=table)
    return 0


def cmd_code(args: argparse.Namespace) -> int:
    with _open(args, write=True) as project:
        source = project.find_source(args.source)
        code = project.find_code(args.code)
        start, end = project.coding_range(source.id, args.start, args.end)  # no white space at the edges
        coding = project.add_coding(source.id, code.id, start, end)
        where = project.describe_location(source.id, coding.start)
        print(f"Coded {source.name} [{coding.start}, {coding.end}) ({where}) with {project.code_path(code.id)} "
              f"as coding {coding.id}")
    return 0


def _autocode_request(args: argparse.Namespace, source_ids: list[int] | None) -> AutocodeRequest:
    """The request the options make (the parser lets exactly one of --pattern, --keywords, --speaker through)."""
    ids = tuple(source_ids) if source_ids else None
    if args.speaker:
        return AutocodeRequest("speakers", speakers=tuple(args.speaker), unit=args.unit, source_ids=ids)
    if args.keywords:
        return AutocodeRequest("keywords", "\n".join(args.keywords), unit=args.unit, source_ids=ids)
    return AutocodeRequest("pattern", args.pattern or "", unit=args.unit, source_ids=ids)


def cmd_autocode(args: argparse.Namespace) -> int:
    with _open(args, write=not args.dry_run) as project:
        # everything that can be wrong is checked before a new code is created, so a refused request changes nothing
        source_ids = [project.find_source(s).id for s in args.source] or None
        ranges = project.request_ranges(_autocode_request(args, source_ids))
        try:
            code = project.find_code(args.code)
            code_id: int | None = code.id
            path = project.code_path(code.id)
        except NotFoundError:
            code_id, path = None, "/".join(p.strip() for p in args.code.split("/") if p.strip())
        if args.dry_run:
            names = {s.id: s.name for s in project.sources()}
            rows = [(names[source_id], source_id, start, end,
                     " ".join(project.source_slice(source_id, start, end).split()))
                    for source_id, start, end in ranges]
            table = [(*row[:4], row[4][:100]) for row in rows]
            print_rows(("source", "source_id", "start", "end", "text"), rows, args.format, table_cells=table)
            if args.format == "table":
                new = "" if code_id is not None else " (a new code)"
                print(f"{len(ranges)} passages would be coded with {path}{new}")
            return 0
        with project.atomic():  # the new code and its codings are one change
            if code_id is None:
                code_id = project.find_or_create_code(args.code)[0].id
            added = project.add_codings(NewCoding(source_id, code_id, start, end) for source_id, start, end in ranges)
    print(f"Coded {added} passages with {path} ({len(ranges) - added} were already coded)")
    return 0


def _grouping(project: Project, by: str | None) -> Grouping | None:
    if not by:
        return None
    if by in ("source", "case", "coder"):
        return Grouping(by)
    if by.startswith("attribute:"):
        return Grouping("attribute", project.find_attribute(by[len("attribute:"):]).id)
    raise UsageError(f"--by takes source, case, coder or attribute:NAME, not '{by}'.")


def cmd_stats(args: argparse.Namespace) -> int:
    from qcode.core.project import frequency_table  # the table the frequency exports write

    with _open(args, write=False) as project:
        flt = build_filter(project, args)
        grouping = _grouping(project, args.by)
        table = frequency_table(project, flt, own=args.own, grouping=grouping, separator="/")
    print_rows(table.columns, table.rows, args.format)
    if not table.rows and args.format == "table":
        print(table.note)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit takes a number of hits of at least 1.")
    with _open(args, write=False) as project:
        hits = project.search(args.query, limit=args.limit, flt=build_filter(project, args))
    rows = [(h.source_name, h.source_id, h.start, h.end, h.context) for h in hits]
    print_rows(("source", "source_id", "start", "end", "context"), rows, args.format)
    return 0


def cmd_memo(args: argparse.Namespace) -> int:
    writing = args.set is not None or args.file is not None
    with _open(args, write=writing) as project:
        if args.journal:
            kind, target = "project", None
        elif args.source:
            kind, target = "source", project.find_source(args.source).id
        elif args.code:
            kind, target = "code", project.find_code(args.code).id
        elif args.coding is not None:
            kind, target = "coding", project.coding(args.coding).id
        else:
            kind, target = "case", project.find_case(args.case).id
        if not writing:
            memo = project.memo(kind, target)
            if memo is not None:
                print(memo.text)
            return 0
        if args.file is not None:
            text = sys.stdin.read() if args.file == "-" else _read_text(Path(args.file))
        else:
            text = args.set
        memo = project.set_memo(kind, target, text)
        print("Memo saved" if memo else "Memo deleted")
    return 0


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise QcodeError(f"{path} cannot be read as UTF-8 text: {err}.") from err


def cmd_cases(args: argparse.Namespace) -> int:
    if args.action == "add":
        return _add_case(args)
    if args.name or args.source or args.attr:
        raise UsageError("To create a case or add to it, write: qcode cases PROJECT add NAME [...]")
    with _open(args, write=False) as project:
        attributes = project.attributes("case")
        rows = []
        for case in project.cases():
            values = project.attribute_values("case", case.id)
            members = project.case_members(case.id)
            rows.append([case.id, case.name, len({m.source_id for m in members}),
                         *[values.get(a.name) for a in attributes]])
    print_rows(["id", "name", "sources", *[a.name for a in attributes]], rows, args.format)
    return 0


def _add_case(args: argparse.Namespace) -> int:
    if not args.name:
        raise UsageError("Give the case's name: qcode cases PROJECT add NAME")
    if (args.start is None) != (args.end is None) or (args.start is not None and not args.source):
        raise UsageError("--start and --end go together, with --source.")
    with _open(args, write=True) as project, project.atomic():  # all of it, or nothing when a part is refused
        try:
            case = project.find_case(args.name)
            created = False
        except NotFoundError:
            case = project.create_case(args.name)
            created = True
        if args.source:
            source = project.find_source(args.source)
            project.add_case_member(case.id, source.id, args.start, args.end)
        for spec in args.attr:
            if "=" not in spec:
                raise UsageError(f"--attr takes NAME=VALUE (got '{spec}').")
            name, value = (part.strip() for part in spec.split("=", 1))
            try:
                attribute = project.find_attribute(name, scope="case")
            except NotFoundError:
                kind = "number" if _is_number(value) else "text"
                attribute = project.create_attribute(name, kind, scope="case")
            project.set_attribute_value(attribute.id, case.id, value)
        print(f"{'Created' if created else 'Updated'} case {case.name} (id {case.id})")
    return 0


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _describe_filters(args: argparse.Namespace) -> str:
    parts = []
    for flag in ("code", "source", "folder", "case", "coder", "where"):
        values = getattr(args, flag)
        if values:
            parts.append(f"{flag} {', '.join(values)}")
    return "; ".join(parts)


def cmd_export(args: argparse.Namespace) -> int:
    from qcode.cli import privacy_options, refi_commands
    from qcode.core.project import export, export_pseudonymised, prepare_export

    if refi_commands.exchange_format(args):
        return refi_commands.cmd_export_exchange(args)
    with _open(args, write=False) as project:
        flt = build_filter(project, args)
        grouping = _grouping(project, args.by)
        source_id = project.find_source(args.transcript_source).id if args.transcript_source else None
        pseudonymised = privacy_options.pseudonymising(args, project)
        options = {"fmt": args.export_format, "what": args.what, "grouping": grouping, "flt": flt,
                   "filter_text": _describe_filters(args), "source_id": source_id, "delimiter": args.delimiter,
                   "frequency_table_at_end": not args.no_frequency_table}
        try:
            prepare_export(project, Path(args.out), **options)  # the whole request is checked before any question
        except OptionNotApplicableError as err:  # an option the export does not use is a usage error
            raise UsageError(err.message) from err
        if pseudonymised:
            fmt = args.export_format or Path(args.out).suffix.lower().lstrip(".")
            checked = Filter(sources=(source_id,)) if source_id is not None else flt  # a transcript: its source
            privacy_options.confirm_names(args, project, checked, fmt=fmt, what=args.what)
            written = export_pseudonymised(project, Path(args.out), **options)
        else:
            written = export(project, Path(args.out), **options)
        print(privacy_options.exported_line(project, written, pseudonymised))
        blind = project.viewer().name if project.blind_coding else None
    if blind is not None:
        print(f"qcode: blind coding is on, so the export holds only {blind}'s codings", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from qcode.cli import archive_commands

    if archive_commands.is_archive(args.project):
        return archive_commands.check_archive(args.project)
    with _open(args, write=False) as project:
        problems = project.check()
    if not problems:
        print("ok: the project file is sound")
        return 0
    print(f"{len(problems)} {'problem' if len(problems) == 1 else 'problems'} found:")
    for problem in problems:
        print(f"- {problem}")
    return 1


def cmd_demo(args: argparse.Namespace) -> int:
    from qcode.core.project import build_demo

    if Path(args.path).exists() and not args.force:
        raise QcodeError(f"{args.path} already exists; the demo is not built over it. Give another path, or add "
                         "--force to replace it.")
    path = build_demo(Path(args.path), force=args.force)
    print(f"Built the demo project {path}")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    found = Project.list_backups(args.project)
    rows = [(str(b.path), b.created.isoformat(timespec="seconds"), b.reason, b.size) for b in found]
    if not rows and args.format == "table":
        print(f"No backups of {args.project} yet (they are made when the app opens it and before upgrades).")
        return 0
    print_rows(("path", "created", "reason", "bytes"), rows, args.format)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    target = Project.restore_backup(args.backup, args.target)
    print(f"Restored {Path(args.backup).name} as {target}")
    return 0
