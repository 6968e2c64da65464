"""ProgressTask: work on a worker shown in a progress dialog with Cancel, reporting once when it ends (a result,
a researcher-readable warning, or nothing after Cancel) while the event loop keeps running."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from qcode.core.errors import ExchangeCancelled, ProjectNotFoundError
from qcode.gui.support.workers import CoreTask, ProgressTask


class Outcome:
    """What the task reported, by which callback."""

    def __init__(self) -> None:
        self.results: list[object] = []
        self.failures = 0
        self.cancels = 0

    def finished(self, result: object) -> None:
        self.results.append(result)

    def failed(self) -> None:
        self.failures += 1

    def cancelled(self) -> None:
        self.cancels += 1

    def kinds(self) -> tuple[int, int, int]:
        """How many results, failures and cancellations were reported."""
        return len(self.results), self.failures, self.cancels

    @property
    def reports(self) -> int:
        return len(self.results) + self.failures + self.cancels


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def warnings(window: QWidget) -> list[QMessageBox]:
    return [box for box in window.findChildren(QMessageBox) if box.isVisible()]


def start(window: QWidget, work, outcome: Outcome, *, quiet_cancel: bool = True, **options) -> ProgressTask:
    return ProgressTask(window, work, label="Sorting the fictional cards…", error_title="Cards",
                        finished=outcome.finished, failed=outcome.failed,
                        cancelled=outcome.cancelled if quiet_cancel else None, **options).start()


def test_a_task_that_finishes_reports_its_result_with_its_progress_shown_meanwhile(qtbot, window) -> None:
    outcome = Outcome()
    halfway, go_on = threading.Event(), threading.Event()

    def work(task: CoreTask) -> str:
        task.step(1, 4, "the red pile")
        halfway.set()
        assert go_on.wait(10)
        task.step(4, 4, "")
        return "sorted"

    running = start(window, work, outcome, describe=lambda text: f"Sorting {text}…", title="Cards")
    dialog = running.dialog
    assert isinstance(dialog, QProgressDialog)
    assert (dialog.windowTitle(), dialog.labelText()) == ("Cards", "Sorting the fictional cards…")
    assert halfway.wait(10)
    ticks: list[int] = []  # the event loop runs while the work waits on its worker
    timer = QTimer(window, interval=5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()

    def step_shown() -> None:
        assert (dialog.labelText(), dialog.value(), dialog.maximum()) == ("Sorting the red pile…", 1, 4)

    qtbot.waitUntil(step_shown, timeout=10_000)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=10_000)
    assert outcome.reports == 0
    go_on.set()
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    timer.stop()
    assert outcome.results == ["sorted"]
    assert running.dialog is None  # closed before it reported
    assert not warnings(window)


def test_a_task_refused_by_the_core_shows_its_message_and_reports_failure(qtbot, window) -> None:
    outcome = Outcome()
    refusal = ProjectNotFoundError("/nowhere/fictional.qcode")

    def work(_task: CoreTask) -> str:
        raise refusal

    running = start(window, work, outcome)
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    assert outcome.kinds() == (0, 1, 0)
    assert running.dialog is None
    [box] = warnings(window)
    assert box.windowTitle() == "Cards"
    assert box.text() == refusal.message
    assert box.detailedText() == ""  # an expected problem: no traceback
    assert box.icon() == QMessageBox.Icon.Warning


def test_a_bug_shows_a_plain_sentence_with_the_traceback_under_details(qtbot, window) -> None:
    outcome = Outcome()

    def work(_task: CoreTask) -> str:
        raise KeyError("pile")

    start(window, work, outcome)
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    [box] = warnings(window)
    assert box.text().startswith("Something went wrong that should not have (KeyError")
    assert "Traceback" in box.detailedText()
    assert outcome.failures == 1


def test_errors_left_to_the_caller_show_no_warning(qtbot, window) -> None:
    outcome = Outcome()

    def work(_task: CoreTask) -> str:
        raise ProjectNotFoundError("/nowhere/fictional.qcode")

    start(window, work, outcome, report_errors=False)
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    assert outcome.failures == 1
    assert not warnings(window)


def cancellable(started: threading.Event):
    """Work that runs until it is cancelled, then stops as the core does (ExchangeCancelled)."""

    def work(task: CoreTask) -> str:
        started.set()
        while not task.cancelled():
            task.step(0, 0, "")
            threading.Event().wait(0.01)
        raise ExchangeCancelled("The fictional sort")

    return work


def test_cancel_stops_the_work_and_reports_cancelled_without_a_warning(qtbot, window) -> None:
    outcome = Outcome()
    started = threading.Event()
    running = start(window, cancellable(started), outcome)
    assert started.wait(10)
    assert running.dialog is not None
    running.dialog.canceled.emit()  # the Cancel button
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    assert outcome.kinds() == (0, 0, 1)
    assert running.cancelled()
    assert running.dialog is None
    assert not warnings(window)


def test_without_a_cancelled_callback_a_cancelled_task_reports_its_message(qtbot, window) -> None:
    outcome = Outcome()
    started = threading.Event()
    running = start(window, cancellable(started), outcome, quiet_cancel=False)
    assert started.wait(10)
    running.cancel()
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    assert outcome.failures == 1
    [box] = warnings(window)
    assert box.text() == "The fictional sort was cancelled; nothing was changed."


def test_work_that_stops_early_on_cancel_still_reports_what_it_returned(qtbot, window) -> None:
    outcome = Outcome()
    started = threading.Event()

    def work(task: CoreTask) -> list[int]:
        done: list[int] = []
        started.set()
        while not task.cancelled():
            done.append(len(done))
            threading.Event().wait(0.01)
        return done[:1]

    running = start(window, work, outcome)
    assert started.wait(10)
    running.cancel()
    qtbot.waitUntil(lambda: outcome.reports == 1, timeout=10_000)
    assert outcome.results == [[0]]  # reported as finished, not as cancelled
