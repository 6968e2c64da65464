"""The `qcode` command: subcommands over the core's API; bare `qcode` (or `qcode PROJECT`) opens the GUI.

Errors a user can fix print one line and exit 1; usage errors exit 2; anything unexpected prints one line
with the path of a log file that holds the traceback.
"""

from __future__ import annotations

import shlex
import sqlite3
import sys
from pathlib import Path

from qcode import crash_log
from qcode.cli import commands
from qcode.cli.arguments import NotUtf8Error, check_text_arguments
from qcode.cli.parser import build_parser
from qcode.core.errors import BlindCodingError, QcodeError


def report_bug(err: BaseException) -> int:
    """Write the traceback to the crash log and tell the user where it is."""
    print(f"qcode: {crash_log.report_line(err)}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    subcommands = set(parser._subcommand_names)  # type: ignore[attr-defined]
    if not args_list or (args_list[0] not in subcommands and not args_list[0].startswith("-")):
        # `qcode` or `qcode PROJECT`: subcommand names win over project names
        if args_list and not Path(args_list[0]).exists() and Path(args_list[0]).suffix.lower() != ".qcode":
            parser.print_usage(sys.stderr)
            print(f"qcode: '{args_list[0]}' is neither a command nor a project file. 'qcode --help' lists the "
                  "commands.", file=sys.stderr)
            return 2
        args_list = ["open", *args_list]
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        check_text_arguments(args)
    except NotUtf8Error as err:
        print(f"qcode: {err.message}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except commands.UsageError as err:
        print(f"qcode: {err.message} ('qcode {args_list[0]} --help' shows the options.)", file=sys.stderr)
        return 2
    except BlindCodingError as err:  # an option that would show other coders' codings: a usage error
        project = shlex.quote(str(getattr(args, "project", None) or "PROJECT"))
        print(f"qcode: {err.message.replace('qcode coders PROJECT', f'qcode coders {project}')} (You are "
              f"{err.viewer}: $QCODE_CODER, else your user name.)", file=sys.stderr)
        return 2
    except QcodeError as err:
        print(f"qcode: {err.message}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as err:
        if getattr(err, "sqlite_errorname", "") == "SQLITE_FULL":
            print(f"qcode: the disk is full ({err}); the project holds every change made before this command. "
                  "Free some space, then try again.", file=sys.stderr)
        else:
            project = getattr(args, "project", None) or "PROJECT"
            where = "the project file" if project == "PROJECT" else project
            print(f"qcode: {where} seems damaged ({err}). Restore a backup as a copy: 'qcode backups {project}' "
                  "lists them.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("qcode: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        return report_bug(err)


__all__ = ["commands", "main"]


if __name__ == "__main__":
    sys.exit(main())

