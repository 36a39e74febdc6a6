"""A job run left "running" by a killed worker is marked failed by the sweep, so jobs_status shows it."""

import datetime

from django.utils import timezone

from compliance.jobs import ABANDONED, job_runs_abandoned_mark
from compliance.models import JobRun


def test_runs_left_running_long_ago_are_marked_abandoned_and_recent_ones_are_not(school, settings):
    now = timezone.now()
    limit = datetime.timedelta(seconds=settings.JOB_RUN_ABANDONED_SECONDS)
    killed = JobRun.objects.create(job="scan", school=school.school, started_at=now - limit * 2, status="running")
    running = JobRun.objects.create(job="remind-now", school=school.school, started_at=now, status="running")
    assert job_runs_abandoned_mark(now=now) == 1
    killed.refresh_from_db()
    running.refresh_from_db()
    assert (killed.status, killed.error, killed.failures) == (JobRun.Status.FAILED, ABANDONED, 1)
    assert running.status == JobRun.Status.RUNNING
