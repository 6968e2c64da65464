"""Long work off the GUI thread: plain values in, Qt signals out, cancellation by a flag.

`CoreTask` runs a function that takes a `Progress` (the core's Qt-free protocol) on Qt's thread pool and
reports through signals, which Qt delivers on the GUI thread. Errors a researcher can act on arrive as
their message; anything else arrives with its traceback for the Details of an error dialog.

`ProgressTask` starts a `CoreTask` with what a researcher sees of it: a window-modal progress dialog with
Cancel, and a warning with the error's message when it fails.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from qcode.core.errors import QcodeError
from qcode.core.project import Change, Project

#: how long a worker may run Python before the GUI thread gets the interpreter when it asks (Python's 5 ms
#: default made every call a painting table makes into Python wait for it while a worker computed)
SWITCH_INTERVAL = 0.001
#: the cycle collector's thresholds (Python's: 700, 10, 10): a young collection every 10,000 new objects, a
#: full one considered after 200 of them instead of 100 (each full one holds the interpreter for 30 to 75 ms
#: at reference scale; the workers collect when they end, see `_CollectorPause`)
COLLECT_THRESHOLDS = (10_000, 20, 10)


class _CollectorPause:
    """Python's cycle collector paused while any worker runs, and resumed when the last one ends.

    A full collection walks every object the process holds and holds the interpreter all along: while a worker
    counted 200,000 codings, collections of 100 to 170 ms came one after another and froze the window each
    time (the GUI thread waits for the interpreter to paint). The core's computations free what they made by
    reference counting; the few cycles made meanwhile are collected once the workers are done."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._paused = False  # paused by us (a collector turned off elsewhere stays off)

    def __enter__(self) -> None:
        with self._lock:
            self._running += 1
            if self._running == 1 and gc.isenabled():
                gc.disable()
                self._paused = True

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._running -= 1
            resume = self._running == 0 and self._paused
            if resume:
                self._paused = False
                gc.enable()
        if resume:
            # what the workers made meanwhile is collected here, a generation at a time with a pause between
            # (the GUI thread gets the interpreter): left to the next allocation, the collections of the young
            # and middle generations (30 ms each for a matrix's result) came at once on the GUI thread, while
            # it showed the result
            for generation in (0, 1):
                gc.collect(generation)
                time.sleep(0.002)


collector_pause = _CollectorPause()


class BackgroundStepError(QcodeError):
    """A step run by `run_while_responsive` was refused by the core (its message is the core's)."""


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message, details (a traceback for bugs, empty for expected problems)


class CoreTask(QRunnable):
    """One piece of background work; `cancel()` asks it to stop between units."""

    def __init__(self, work: Callable[[CoreTask], object], *, pause_collector: bool = False) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._work = work
        self._cancel = threading.Event()
        #: pause the cycle collector while it runs (`collector_pause`): for the short reads and counts a window
        #: waits for (analysis, listings, search); long work (imports, exports, merges) leaves it running, so
        #: that the cycles a parser makes over minutes are collected as they come
        self.pause_collector = pause_collector

    # the core's Progress protocol
    def step(self, done: int, total: int, text: str) -> None:
        self.signals.progress.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            with collector_pause if self.pause_collector else contextlib.nullcontext():
                result = self._work(self)
        except QcodeError as err:
            self.signals.failed.emit(err.message, "")
        except Exception as err:
            self.signals.failed.emit(f"Something went wrong that should not have ({type(err).__name__}: {err}).",
                                     traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def start(self) -> None:
        share_the_interpreter()
        QThreadPool.globalInstance().start(self)


def share_the_interpreter() -> None:
    """Settings that let the GUI thread get the interpreter soon while workers run (set once, when the first
    worker starts): a short switch interval and rarer automatic collections."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)
    if gc.get_threshold()[0] < COLLECT_THRESHOLDS[0]:
        gc.set_threshold(*COLLECT_THRESHOLDS)


class ProgressTask:
    """One piece of background work shown in a window-modal progress dialog with Cancel (it shows after 300 ms).

    The dialog starts at `label` and, when a step of the work names what it is doing, says `describe(text)`;
    with no total it shows that it is busy. Cancel asks the work to stop. The dialog closes before the task
    reports once: `finished(result)` when the work returns (also after Cancel, when the work stopped early and
    returned what it has), else its error's message in a warning titled `error_title` (with the traceback under
    Details for a bug) and then `failed()`. When `cancelled` is given, work that fails because Cancel was
    pressed calls it instead, with no warning; `report_errors=False` leaves every warning to the caller.
    A started ProgressTask stays alive until it has reported, whether or not the caller keeps it.
    """

    _running: ClassVar[set[ProgressTask]] = set()  # started and not yet reported

    def __init__(self, parent: QWidget, work: Callable[[CoreTask], object], *, label: str, error_title: str,
                 finished: Callable[[Any], None], failed: Callable[[], None] | None = None,
                 cancelled: Callable[[], None] | None = None, title: str = "", maximum: int = 0,
                 describe: Callable[[str], str] | None = None, report_errors: bool = True) -> None:
        self.parent = parent
        self.task = CoreTask(work)
        self.label = label
        self.describe = describe
        self.error_title = error_title
        self.report_errors = report_errors
        self._finished = finished
        self._failed = failed
        self._cancelled = cancelled
        self.dialog: QProgressDialog | None = QProgressDialog(label, "Cancel", 0, maximum, parent)
        if title:
            self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.canceled.connect(self.task.cancel)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._done)
        self.task.signals.failed.connect(self._error)

    def start(self) -> ProgressTask:
        ProgressTask._running.add(self)
        self.task.start()
        return self

    def cancel(self) -> None:
        """Ask the work to stop (as the dialog's Cancel does)."""
        self.task.cancel()

    def cancelled(self) -> bool:
        return self.task.cancelled()

    def _progress(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog  # setValue on a modal dialog runs pending events: the task may end in there
        if dialog is None:
            return
        if self.describe is not None:
            dialog.setLabelText(self.describe(text) if text else self.label)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def _close(self) -> None:
        ProgressTask._running.discard(self)
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None

    def _done(self, result: object) -> None:
        self._close()
        self._finished(result)

    def _error(self, message: str, details: str) -> None:
        self._close()
        if self._cancelled is not None and self.task.cancelled():  # Cancel was pressed: nothing to warn about
            self._cancelled()
            return
        if self.report_errors:
            show_error(self.parent, self.error_title, message, details)
        if self._failed is not None:
            self._failed()


def show_error(parent: QWidget, title: str, message: str, details: str = "") -> QMessageBox:
    """A warning with a task's error message as plain text and, for a bug, its traceback under Details (it
    does not block)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    box.open()
    return box


class ProjectSignals(QObject):
    """The project's change callbacks as a Qt signal, delivered on the GUI thread whichever thread changed it."""

    changed = Signal(object)

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = project.subscribe(self._relay)

    def _relay(self, change: Change) -> None:
        self.changed.emit(change)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def run_while_responsive(work: Callable[[], object], label: str, parent: QWidget | None = None) -> object:
    """Run `work` on a worker and wait for it with the event loop running, so the window keeps painting.

    For a step that must finish before the caller goes on (an undo step that removes thousands of codings,
    say) but may take longer than a frame: a window-modal busy dialog keeps the user from acting meanwhile
    (it shows only when the work takes a moment). The work's result is returned and its error raised here.
    """
    task = CoreTask(lambda _task: work())
    outcome: dict[str, object] = {}
    loop = QEventLoop()
    task.signals.finished.connect(lambda result: (outcome.setdefault("result", result), loop.quit()))
    task.signals.failed.connect(lambda message, details: (outcome.setdefault("error", (message, details)),
                                                          loop.quit()))
    busy = QProgressDialog(label, "", 0, 0, parent or QApplication.activeWindow())
    busy.setCancelButton(None)
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    busy.setMinimumDuration(300)
    task.start()
    if "result" not in outcome and "error" not in outcome:
        loop.exec()
    busy.reset()
    busy.deleteLater()
    if "error" in outcome:
        message, details = outcome["error"]  # type: ignore[misc]
        if details:
            raise RuntimeError(f"{message}\n{details}")
        raise BackgroundStepError(message)
    return outcome.get("result")
