"""Long work off the GUI thread: plain values in, Qt signals out, cancellation by a flag.

`CoreTask` runs a function that takes a `Progress` (the core's Qt-free protocol) on Qt's thread pool and
reports through signals, which Qt delivers on the GUI thread. Errors a researcher can act on arrive as
their message; anything else arrives with its traceback for the Details of an error dialog.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from qcode.core.errors import QcodeError
from qcode.core.project import Change, Project

#: how long a worker may run Python before the GUI thread gets the interpreter when it asks (Python's 5 ms
#: default made every call a painting table makes into Python wait for it while a worker computed)
SWITCH_INTERVAL = 0.001


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
            gc.collect(0)
            time.sleep(0.002)
            gc.collect(1)


collector_pause = _CollectorPause()


def freeze_long_lived() -> None:
    """Leave the objects alive now (the modules, classes and functions imported: some 100,000 once matplotlib
    is in) out of every later collection, so that a full collection walks only what was made since (it took
    some 70 ms at reference scale: each one a frozen window)."""
    gc.freeze()


class BackgroundStepError(QcodeError):
    """A step run by `run_while_responsive` was refused by the core (its message is the core's)."""


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message, details (a traceback for bugs, empty for expected problems)


class CoreTask(QRunnable):
    """One piece of background work; `cancel()` asks it to stop between units."""

    def __init__(self, work: Callable[[CoreTask], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = TaskSignals()
        self._work = work
        self._cancel = threading.Event()

    # the core's Progress protocol
    def step(self, done: int, total: int, text: str) -> None:
        self.signals.progress.emit(done, total, text)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            with collector_pause:
                result = self._work(self)
        except QcodeError as err:
            self.signals.failed.emit(err.message, "")
        except Exception as err:
            self.signals.failed.emit(f"Something went wrong that should not have ({type(err).__name__}: {err}).",
                                     traceback.format_exc())
        else:
            self.signals.finished.emit(result)

    def start(self) -> None:
        if sys.getswitchinterval() > SWITCH_INTERVAL:
            sys.setswitchinterval(SWITCH_INTERVAL)
        QThreadPool.globalInstance().start(self)


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
