"""The argument parser of the `qcode` command: every subcommand, its options and its help."""

from __future__ import annotations

import argparse

from qcode import __version__
from qcode.cli import (
    analysis_commands,
    archive_commands,
    commands,
    names_commands,
    privacy_options,
    refi_commands,
    team_commands,
)
from qcode.cli.output import FORMATS


class _Parser(argparse.ArgumentParser):
    #: positionals may follow options (`qcode import P --folder F a.txt -- -x.txt`)
    intermixed = False
    _parsing = False

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage()
        self.exit(2, f"qcode: {message}\n")

    def parse_known_args(self, args=None, namespace=None):
        if not self.intermixed or self._parsing:
            return super().parse_known_args(args, namespace)
        self._parsing = True  # the intermixed parse calls back into this method
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._parsing = False


def _formats(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


def _coder(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", metavar="NAME",
                   help="who does this (default: $QCODE_CODER, else your user name); created when new")


def _filters(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (each may be repeated; values of one flag are alternatives)")
    g.add_argument("--code", action="append", default=[], metavar="C", help="code id or path (with its sub-codes)")
    g.add_argument("--source", action="append", default=[], metavar="S", help="source id or path")
    g.add_argument("--folder", action="append", default=[], metavar="F", help="folder path (with subfolders)")
    g.add_argument("--case", action="append", default=[], metavar="N", help="case name or id")
    g.add_argument("--coder", action="append", default=[], metavar="NAME", help="coder name")
    g.add_argument("--where", action="append", default=[], metavar="NAME=VALUE",
                   help="attribute value of the case or source, e.g. --where 'Age group=25-34'")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="qcode",
        description="Qualitative coding of interviews, focus groups, literature and survey answers. "
        "Run 'qcode' or 'qcode PROJECT' to open the app; the subcommands below work on a project file.",
    )
    parser.add_argument("--version", action="version", version=f"qcode {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    names: list[str] = []

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        names.append(name)
        return p

    p = command("open", commands.cmd_open, "open the app, optionally on a project")
    p.add_argument("project", nargs="?", help="project file (.qcode)")
    p.add_argument("--ready-check", action="store_true",
                   help="open the window, print how long it took to be ready to use, and quit (checks an installation)")

    p = command("new", commands.cmd_new, "create an empty project file")
    p.add_argument("project")
    p.add_argument("--name", help="the project's title (default: the file name)")

    p = command("import", commands.cmd_import, "import files and folders (folders recursively) as sources; "
                "names after '--' are files even when they start with '-'")
    p.intermixed = True  # type: ignore[attr-defined]
    p.add_argument("project")
    p.add_argument("paths", nargs="*", metavar="FILES_OR_FOLDERS")
    p.add_argument("--folder", metavar="NAME", help="project folder to import into (created when new)")
    p.add_argument("--no-speakers", action="store_true", help="do not detect speaker turns")
    p.add_argument("--speaker-cases", action="store_true",
                   help="create (or add to) a case per speaker, holding that speaker's turns")
    p.add_argument("--autocode-speakers", action="store_true",
                   help="code each speaker's turns with the code 'Speakers/<name>'")
    p.add_argument("--keep-headers", action="store_true", help="PDF: keep running headers and footers")
    p.add_argument("--attachments", action="store_true",
                   help="reference libraries: add an attached PDF's text (when the file exists) after the entry's citation")
    p.add_argument("--max-size", type=float, metavar="MB", help="refuse files larger than this (default: 200)")
    survey = p.add_argument_group("survey spreadsheets (.csv, .xlsx): C is a header name, question text, column "
                                  "letter or number")
    survey.add_argument("--survey", action="append", default=[], metavar="FILE", help="a survey file to import")
    survey.add_argument("--id-column", metavar="C", help="the respondent id (each row becomes a case)")
    survey.add_argument("--text-column", action="append", default=[], metavar="C",
                        help="an open-ended question (each becomes a source of answers)")
    survey.add_argument("--attribute-column", action="append", default=[], metavar="C",
                        help="a column to keep as a case attribute (numbers and dates recognised)")
    survey.add_argument("--sheet", metavar="NAME", help="the worksheet of an .xlsx file (default: the first)")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="table (default): one 'status<TAB>file<TAB>reason' line per file; csv or json: the "
                        "columns status, file, reason, source_ids")
    _coder(p)

    p = command("sources", commands.cmd_sources, "list the sources")
    p.add_argument("project")
    _formats(p)

    p = command("codes", commands.cmd_codes, "show the codebook as a tree with counts")
    p.add_argument("project")
    _filters(p)
    _formats(p)

    p = command("code", commands.cmd_code, "apply a code to a range of a source")
    p.add_argument("project")
    p.add_argument("--source", required=True, metavar="S", help="source id or path")
    p.add_argument("--code", required=True, metavar="C", help="code id or path")
    p.add_argument("--start", required=True, type=int, metavar="N", help="first character (0-based)")
    p.add_argument("--end", required=True, type=int, metavar="M", help="character after the last (exclusive)")
    _coder(p)

    p = command("autocode", commands.cmd_autocode, "code every hit of keywords or a pattern, or a speaker's turns")
    p.add_argument("project")
    p.add_argument("--code", required=True, metavar="C", help="code path; created when it does not exist")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--pattern", metavar="REGEX", help="a regular expression (case-insensitive)")
    what.add_argument("--keywords", nargs="+", metavar="W", help="whole words or phrases (case-insensitive)")
    what.add_argument("--speaker", action="append", metavar="NAME",
                      help="what this speaker says (their turns; repeat for more speakers)")
    p.add_argument("--unit", choices=("hit", "sentence", "paragraph", "turn"), default="hit",
                   help="how much to code around each hit (default: hit)")
    p.add_argument("--source", action="append", default=[], metavar="S", help="only these sources")
    p.add_argument("--dry-run", action="store_true", help="list what would be coded, change nothing")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="the --dry-run listing: table (default), csv or json")
    _coder(p)

    p = command("stats", commands.cmd_stats, "code frequencies: excerpts, sources, cases, coded characters")
    p.add_argument("project")
    p.add_argument("--by", metavar="source|case|coder|attribute:NAME", help="one table per group")
    p.add_argument("--own", action="store_true",
                   help="count each code's own codings only (default: a code includes its sub-codes)")
    _filters(p)
    _formats(p)

    p = command("search", commands.cmd_search, "full-text search of the sources")
    p.add_argument("project")
    p.add_argument("query", help='words (all must occur), "a phrase", prefix*')
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N hits (default: 100)")
    _filters(p)
    _formats(p)

    p = command("memo", commands.cmd_memo, "show or write a memo")
    p.add_argument("project")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--project", dest="journal", action="store_true", help="the project journal")
    target.add_argument("--source", metavar="S")
    target.add_argument("--code", metavar="C")
    target.add_argument("--coding", type=int, metavar="ID")
    target.add_argument("--case", metavar="N")
    text = p.add_mutually_exclusive_group()
    text.add_argument("--set", metavar="TEXT", help="the memo's new text (empty deletes it)")
    text.add_argument("--file", metavar="F", help="read the memo's new text from a UTF-8 file ('-' for stdin)")
    _coder(p)

    p = command("cases", commands.cmd_cases, "list cases with their attributes, or add one")
    p.add_argument("project")
    p.add_argument("action", nargs="?", choices=("add",), help="add: create a case (or add to one)")
    p.add_argument("name", nargs="?", help="the case's name (with add)")
    p.add_argument("--source", metavar="S", help="make this source (or a range of it) part of the case")
    p.add_argument("--start", type=int, metavar="N")
    p.add_argument("--end", type=int, metavar="M")
    p.add_argument("--attr", action="append", default=[], metavar="K=V", help="set an attribute value")
    _coder(p)
    _formats(p)

    p = command("export", commands.cmd_export, "export excerpts, frequencies, the codebook, memos to Word, Excel or CSV")
    p.add_argument("project")
    p.add_argument("--out", required=True, metavar="FILE", help="the file to write (its ending chooses the format)")
    p.add_argument("--format", dest="export_format", choices=("docx", "xlsx", "csv", *refi_commands.EXCHANGE_FORMATS),
                   help="docx, xlsx or csv, or qdpx (a REFI-QDA project) or qdc (a REFI-QDA codebook) for other "
                        "QDA programs (default: from the file's ending)")
    p.add_argument("--what", choices=("excerpts", "frequencies", "codebook", "matrix", "memos", "transcript", "all"),
                   help="what to export (default: excerpts for docx and csv, all for xlsx; csv with all writes a "
                        "folder of CSV files)")
    p.add_argument("--by", metavar="case|source|coder|attribute:NAME",
                   help="the groups of a matrix (default: case), or of a frequency table (default: none)")
    p.add_argument("--delimiter", default=",", metavar="CHAR", help="CSV delimiter (default ','; ';' for European Excel; 'tab')")
    p.add_argument("--transcript-source", metavar="S", help="the source of a --what transcript export")
    p.add_argument("--no-frequency-table", action="store_true",
                   help="Word excerpts report: leave out the frequency table at the end")
    privacy_options.add_options(p)
    _filters(p)

    analysis_commands.register(command, _filters, _formats)

    p = command("check", commands.cmd_check, "check the project file's integrity, or an archive's checksums and "
                "the project in it")
    p.add_argument("project", help="a project file, or an archive made by 'qcode archive'")

    names_commands.add_parser(command, _formats)

    p = command("archive", archive_commands.cmd_archive,
                "pack the project with SHA-256 checksums into a zip, to move or keep it")
    p.add_argument("project")
    p.add_argument("out", help="the zip file to write")

    p = command("demo", commands.cmd_demo, "build the demo project (fictional material)")
    p.add_argument("path", nargs="?", default="demo.qcode", help="where to write it (default: demo.qcode)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = command("backups", commands.cmd_backups, "list the automatic backups of a project")
    p.add_argument("project")
    _formats(p)

    p = command("restore", commands.cmd_restore, "bring a backup back as a new project file")
    p.add_argument("backup", help="a backup file, as listed by 'qcode backups'")
    p.add_argument("target", help="the new project file to write (never overwritten)")

    refi_commands.add_commands(command)
    team_commands.add_parsers(command, _filters)

    parser._subcommand_names = names  # type: ignore[attr-defined]
    return parser
