"""Long provisioning jobs that survive faults: each runs alone, and what no worker is running is queued again.

An import or an opening is queued with ``transaction.on_commit(..., robust=True)``: with the broker down the
message is lost (the row stays queued), and a worker killed mid-run leaves its row running. Every minute
(beat: ``stalled-work-requeue``) the rows that waited longer than their patience with no worker on them are
queued again. Whether a worker is on a row is a PostgreSQL session advisory lock the job holds while it runs
(``running_alone``): it ends with the worker's session, however the worker ends. The same lock makes a
second delivery of a message harmless while the first still runs (Redis hands a message to another worker
once it is older than the visibility timeout, and an import of thousands of schools may run longer).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from provisioning.models import SchoolImport, SchoolOpening

logger = logging.getLogger(__name__)
# pg_advisory_lock(key1, key2) keys: the kind of job, and the row's id as the second key.
IMPORT_RUN_LOCK = 7_315_010
IMPORT_CHECK_LOCK = 7_315_011
OPENING_RUN_LOCK = 7_315_012
SCHOOL_BACKUP_LOCK = 7_315_013  # per school: a backup longer than the visibility timeout is delivered again
STEPS_SWEEP_LOCK = 7_315_014  # one sweep of the outbox at a time (a hung mail server makes one long)


@contextlib.contextmanager
def running_alone(kind: int, pk: int) -> Iterator[bool]:
    """True inside if no other worker runs job ``kind`` for row ``pk`` (then it is this one's until the end).

    The lock is held by a session of its own: the job's connection is closed and opened again along the way
    (an import takes a fresh one every few schools), which would drop a lock taken on it.
    """
    session = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with session.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [kind, pk])
            alone = bool(cursor.fetchone()[0])
        yield alone
    finally:
        session.close()  # ending the session releases the lock


def _nobody_runs(kind: int, pk: int) -> bool:
    with running_alone(kind, pk) as alone:
        return alone


def stalled_work_requeue(*, now=None) -> dict[str, int]:
    """Queue again the imports, checks and openings that waited past their patience with no worker on them;
    how many of each. A message that was only slow to arrive is then delivered twice: the job claims its
    row and runs alone, so the second delivery finds nothing to do."""
    from provisioning.tasks import school_import_check_task, school_import_task, school_opening_task

    now = now or timezone.now()
    waited = now - SchoolImport.WORKER_PATIENCE
    requeued = {"imports": 0, "checks": 0, "openings": 0}
    imports = SchoolImport.objects.filter(status__in=[SchoolImport.Status.QUEUED, SchoolImport.Status.RUNNING])
    for school_import in imports.filter(started_at__lt=waited).only("pk"):
        if _nobody_runs(IMPORT_RUN_LOCK, school_import.pk):
            _requeue(school_import_task, school_import.pk)
            requeued["imports"] += 1
    checks = SchoolImport.objects.filter(status=SchoolImport.Status.CHECKING, uploaded_at__lt=waited).only("pk")
    for school_import in checks:
        if _nobody_runs(IMPORT_CHECK_LOCK, school_import.pk):
            _requeue(school_import_check_task, school_import.pk)
            requeued["checks"] += 1
    openings = SchoolOpening.objects.filter(
        status__in=SchoolOpening.PENDING, queued_at__lt=now - SchoolOpening.WORKER_PATIENCE
    ).only("pk")
    for opening in openings:
        if _nobody_runs(OPENING_RUN_LOCK, opening.pk):
            _requeue(school_opening_task, opening.pk)
            requeued["openings"] += 1
    if any(requeued.values()):
        logger.warning("Queued again work no worker was running: %s", requeued)
    return requeued


def _requeue(task, pk: int) -> None:
    transaction.on_commit(partial(task.delay, pk), robust=True)
