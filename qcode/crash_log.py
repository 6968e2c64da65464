"""The log of unexpected errors (bugs), shared by every face.

An expected problem is a `QcodeError` and is shown as its message; anything else is a bug: its traceback is
appended here, and the face tells the user where the log is. Qt-free, so the CLI and the app both use it.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from qcode.core import diagnostics


def log_path() -> Path:
    """The crash log: the core's log file, in the data folder's logs folder."""
    return diagnostics.log_file()


def record(err: BaseException) -> Path:
    """Append the error's traceback to the crash log and return the log's path (OSError when it cannot)."""
    return diagnostics.append_entry("unexpected error\n" + "".join(traceback.format_exception(err)))


def report_line(err: BaseException) -> str:
    """Record the error and say, in one line, what happened and where the details are."""
    try:
        where = f"details are in {record(err)}"
    except OSError:
        where = "the log could not be written:\n" + "".join(traceback.format_exception(err))
    return f"something went wrong that should not have ({type(err).__name__}: {err}); {where}"
