"""The log of what went wrong inside the core, for the faces to point at; Qt-free and silent.

An import that fails on a file the libraries cannot cope with records the traceback here, so the user sees
one line and a developer still gets the details. Warnings that reading libraries (pdfminer) print per page
are collected while a file is read and written here as one summary, never to the terminal.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from qcode import __version__
from qcode.core import paths

#: libraries whose warnings go to the log while qcode reads a file with them
LIBRARY_LOGGERS = ("pdfminer",)
MAX_DISTINCT_WARNINGS = 20


def log_file() -> Path:
    """The log of unexpected errors in the user data folder (the crash log the faces write to as well)."""
    return paths.logs_dir() / "qcode.log"


def append_entry(text: str) -> Path:
    """Append an entry to the log and return its path; OSError when it cannot be written.

    Entries can quote a researcher's text, so the log and its folder are the user's alone (0600, 0700), a
    log made by an older qcode included.
    """
    path = log_file()
    paths.make_private_folder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if hasattr(os, "fchmod"):  # POSIX only
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as log:
        log.write(f"{datetime.now().isoformat(timespec='seconds')} qcode {__version__}: {text.rstrip()}\n\n")
    return path


def write_log(text: str) -> Path | None:
    """Append an entry to the log; None when it cannot be written (the core's failures stay silent)."""
    try:
        return append_entry(text)
    except OSError:
        return None


def log_exception(context: str, err: BaseException) -> Path | None:
    """Record an exception with its traceback under a line saying what qcode was doing."""
    return write_log(f"{context}\n" + "".join(traceback.format_exception(err)))


def unexpected_failure(path: Path, err: BaseException) -> str:
    """The one line for a file that a reading library choked on; the traceback goes to the log."""
    from qcode.core.text_rules import without_surrogates

    name = without_surrogates(path.name)
    log = log_exception(f"importing {without_surrogates(str(path))} failed", err)
    where = f"; details are in {log}" if log is not None else ""
    return (f"{name} could not be read: it seems damaged, or uses something qcode cannot read "
            f"({type(err).__name__}{where}). Open it in its program and save a new copy, then import that.")


class _Collector(logging.Handler):
    """Keeps the records of one thread (the one reading the file), counted by message."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: Counter[str] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread == self.thread

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages[f"{record.name}: {record.getMessage()}"[:500]] += 1
        except Exception:  # a malformed library message must not break the import
            self.messages[f"{record.name}: (unprintable message)"] += 1


_routing_lock = threading.Lock()
_collectors: list[_Collector] = []
_propagated: dict[str, bool] = {}  # the loggers' own setting, put back when no file is being read


@contextmanager
def library_warnings_logged(what: str) -> Iterator[None]:
    """While reading `what`, collect the reading libraries' warnings and write them to the log as one entry.

    The libraries' loggers stop propagating (so Python's last-resort handler prints nothing on the
    terminal) while any such block runs; their warnings at other times keep their usual route.
    """
    collector = _Collector()
    with _routing_lock:
        if not _collectors:
            for name in LIBRARY_LOGGERS:
                _propagated[name] = logging.getLogger(name).propagate
                logging.getLogger(name).propagate = False
        _collectors.append(collector)
        for name in LIBRARY_LOGGERS:
            logging.getLogger(name).addHandler(collector)
    try:
        yield
    finally:
        with _routing_lock:
            for name in LIBRARY_LOGGERS:
                logging.getLogger(name).removeHandler(collector)
            _collectors.remove(collector)
            if not _collectors:
                for name in LIBRARY_LOGGERS:
                    logging.getLogger(name).propagate = _propagated.pop(name, True)
        if collector.messages:
            total = sum(collector.messages.values())
            lines = [f"  {count} x {message}" for message, count in
                     collector.messages.most_common(MAX_DISTINCT_WARNINGS)]
            more = len(collector.messages) - MAX_DISTINCT_WARNINGS
            if more > 0:
                lines.append(f"  ... and {more} other messages")
            write_log(f"{total} warnings from the PDF reader while reading {what}:\n" + "\n".join(lines))
