"""The log of unexpected errors (bugs), shared by every face.

An expected problem is a `QcodeError` and is shown as its message; anything else is a bug: its traceback is
appended here, and the face tells the user where the log is. Qt-free, so the CLI and the app both use it.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

from qcode import __version__
from qcode.core import paths


def log_path() -> Path:
    """The crash log: one file in the data folder's logs folder."""
    return paths.logs_dir() / "qcode.log"


def record(err: BaseException) -> Path:
    """Append the error's traceback to the crash log and return the log's path (OSError when it cannot).

    Tracebacks can quote a researcher's text, so the log and its folder are the user's alone (0600, 0700).
    """
    path = log_path()
    paths.make_private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if hasattr(os, "fchmod"):  # POSIX: a log made by an older qcode becomes private too
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as log:
        log.write(f"{datetime.now().isoformat(timespec='seconds')} unexpected error in qcode {__version__}\n")
        log.write("".join(traceback.format_exception(err)) + "\n")
    return path


def report_line(err: BaseException) -> str:
    """Record the error and say, in one line, what happened and where the details are."""
    try:
        where = f"details are in {record(err)}"
    except OSError:
        where = "the log could not be written:\n" + "".join(traceback.format_exception(err))
    return f"something went wrong that should not have ({type(err).__name__}: {err}); {where}"
