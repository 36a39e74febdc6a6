"""The last run of each background job per school, for the operations command (``jobs_status``)."""

from __future__ import annotations

import contextlib
import traceback

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
