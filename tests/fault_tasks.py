"""Tasks the fault tests send to the workers they start (tests.fault_settings imports them)."""

from pathlib import Path

from celery import shared_task


@shared_task
def file_write(path: str, text: str = "done") -> None:
    """Proof that a worker ran a task: a file the test waits for."""
    Path(path).write_text(text)


@shared_task
def beat_tick() -> None:
    """What the beat of tests.fault_settings sends every second (counted in the queue, never run)."""
