"""A real Celery worker for tests: a thread of the test process on the run's own Redis queue, and a
record of the tasks it finished, so that a test waits for exactly the work it then checks.

Why not wait for rows to appear: a school provisioned and committed by a fixture queues its first scan
(``provisioning.outbox``), so "every school has a finished scan" can already be true before
the scan a test sent has even started. Waiting for the task a test sent, and for every task that task
sent in turn, cannot be satisfied by anything else.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import pytest
from celery import states
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from regional_platform.celery import app

FAN_OUT_BATCH_SENDER = "compliance.tasks.schools_batch_send"


@dataclass(frozen=True)
class FinishedTask:
    name: str
    task_id: str
    parent_id: str | None
    root_id: str | None
    state: str
    retval: object


class FinishedTasks:
    """Every task the worker finished (succeeded or failed for good; a retry is not an end)."""

    def __init__(self) -> None:
        self._finished: list[FinishedTask] = []
        self._lock = threading.Lock()

    def record(self, sender=None, task_id=None, task=None, retval=None, state=None, **kwargs) -> None:
        if state not in states.READY_STATES:
            return
        with self._lock:
            request = task.request
            self._finished.append(FinishedTask(task.name, task_id, request.parent_id, request.root_id, state, retval))

    def _snapshot(self) -> list[FinishedTask]:
        with self._lock:
            return list(self._finished)

    def wait_for_fan_out(self, sent, seconds: float = 120) -> list[FinishedTask]:
        """Wait until the dispatcher ``sent`` (an AsyncResult) has finished and so has every task sent from it,
        however deep (the dispatcher and each batch's sender return how many tasks they sent); returns the
        school tasks."""
        deadline = time.monotonic() + seconds
        while True:
            finished = self._snapshot()
            tree = [task for task in finished if sent.id in (task.task_id, task.root_id)]
            senders = [task for task in tree if task.task_id == sent.id or task.name == FAN_OUT_BATCH_SENDER]
            for sender in senders:
                if sender.state != states.SUCCESS:
                    raise AssertionError(f"{sender.name} ended in {sender.state}: {sender.retval!r}")
            complete = any(task.task_id == sent.id for task in senders) and all(
                len([task for task in tree if task.parent_id == sender.task_id]) == sender.retval for sender in senders
            )
            if complete:
                return [task for task in tree if task not in senders]
            if time.monotonic() > deadline:
                raise AssertionError(f"{sent.id} and its tasks did not finish in {seconds} s; finished: {finished}")
            time.sleep(0.05)

    def wait_for(self, sent, seconds: float = 120) -> FinishedTask:
        """Wait until the task ``sent`` (an AsyncResult) has finished."""
        deadline = time.monotonic() + seconds
        while True:
            for task in self._snapshot():
                if task.task_id == sent.id:
                    return task
            if time.monotonic() > deadline:
                raise AssertionError(f"{sent.id} did not finish in {seconds} s; finished: {self._snapshot()}")
            time.sleep(0.05)


class _SignalHandlerErrors(logging.Handler):
    """Celery logs, and otherwise ignores, an exception in a signal handler; tenant-schemas-celery switches
    the schema in one, so such an error means a task ran in whatever schema the connection was left in."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def worker(django_db_blocker):
    """A worker thread on this run's queue, emptied first: what earlier fixtures queued is not this test's.

    Ask for it after the fixtures that make the schools it works on, so that it stops before they go.
    """
    app.control.purge()
    finished = FinishedTasks()
    task_postrun.connect(finished.record, weak=False)
    handler_errors = _SignalHandlerErrors()
    signal_logger = logging.getLogger("celery.utils.dispatch.signal")
    signal_logger.addHandler(handler_errors)
    try:
        with (
            django_db_blocker.unblock(),
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
        ):
            yield finished
    finally:
        task_postrun.disconnect(finished.record)
        signal_logger.removeHandler(handler_errors)
    assert handler_errors.messages == [], "a Celery signal handler failed"
