"""The last run of each background job per school, for the operations command (``jobs_status``)."""

from __future__ import annotations

import contextlib
import datetime
import traceback

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from compliance.models import JobRun


@contextlib.contextmanager
def job_run(job: str, school=None):
    """Record that ``job`` ran for ``school`` (or for the region): start, end, and any failure."""
    runs = JobRun.objects.filter(job=job, school=school)
    if not runs.update(started_at=timezone.now(), finished_at=None, status=JobRun.Status.RUNNING):
        JobRun.objects.get_or_create(
            job=job, school=school, defaults={"started_at": timezone.now(), "status": JobRun.Status.RUNNING}
        )
    try:
        yield
    except Exception:
        runs.update(
            finished_at=timezone.now(),
            status=JobRun.Status.FAILED,
            error=traceback.format_exc(limit=5)[-4000:],
            failures=F("failures") + 1,
        )
        raise
    runs.update(finished_at=timezone.now(), status=JobRun.Status.DONE, error="", failures=0)


ABANDONED = "abandoned: no worker finished this run (the worker was stopped or killed while it ran)"


def job_runs_abandoned_mark(*, now) -> int:
    """Mark failed the runs still "running" long after any run could have ended (JOB_RUN_ABANDONED_SECONDS,
    beyond the broker's visibility timeout, after which a killed worker's task is delivered again and its
    new run takes the row over); how many were marked."""
    started_before = now - datetime.timedelta(seconds=settings.JOB_RUN_ABANDONED_SECONDS)
    return JobRun.objects.filter(status=JobRun.Status.RUNNING, started_at__lt=started_before).update(
        status=JobRun.Status.FAILED, finished_at=now, error=ABANDONED, failures=F("failures") + 1
    )
