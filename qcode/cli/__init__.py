"""The `qcode` command: subcommands over the core's API; bare `qcode` (or `qcode PROJECT`) opens the GUI.

Errors a user can fix print one line and exit 1; usage errors exit 2; anything unexpected prints one line
with the path of a log file that holds the traceback.
"""

from __future__ import annotations

import sqlite3
import sys
import traceback
from datetime import datetime
from pathlib import Path

from qcode import __version__
from qcode.cli import commands
from qcode.cli.arguments import NotUtf8Error, check_text_arguments
from qcode.cli.parser import build_parser
from qcode.core.errors import QcodeError
from qcode.core.store.backups import data_dir


def log_path() -> Path:
    return data_dir() / "logs" / "qcode.log"


def report_bug(err: BaseException) -> int:
    """Write the traceback to the log and tell the user where it is."""
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"{datetime.now().isoformat(timespec='seconds')} unexpected error in qcode {__version__}\n")
            log.write("".join(traceback.format_exception(err)) + "\n")
        where = f"details are in {path}"
    except OSError:
        where = "the log could not be written:\n" + "".join(traceback.format_exception(err))
    print(f"qcode: something went wrong that should not have ({type(err).__name__}: {err}); {where}",
          file=sys.stderr)
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
    except QcodeError as err:
        print(f"qcode: {err.message}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as err:
        print(f"qcode: the project file seems damaged ({err}). 'qcode backups PROJECT' lists its backups.",
              file=sys.stderr)
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

