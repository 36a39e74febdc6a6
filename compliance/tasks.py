"""Background jobs (thin: they call compliance.services). One beat entry per job starts a dispatcher
in the public schema, which sends one task per active school; tenant-schemas-celery runs each of
those inside its school's schema (the ``_schema_name`` header)."""

from __future__ import annotations

import datetime

from celery import current_app, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError

from compliance.batches import schools_each_run
from compliance.digests import regional_digest_send, weekly_digest_send
from compliance.health.external import forgotten_links_prune
from compliance.health.services import school_health_run
from compliance.jobs import job_run, job_runs_abandoned_mark
from compliance.remind import remind_now_send
from compliance.selectors import schools_with_waiting_reminders
from compliance.services import scheduled_publishing_run, school_scan
from compliance.snapshots import region_snapshot_take
from tenants.current import current_school
from tenants.models import School

# A lost database or broker connection is retried with growing pauses; the work is idempotent.
RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, BrokerError, RedisConnectionError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 10,
    "acks_late": True,  # a worker killed mid-task leaves the message to be delivered again
}


def schools_fan_out(task, *, include_suspended: bool = False, schools_per_task: int = 1) -> int:
    """Send ``task`` for every active school (suspended ones too if asked: backups), a batch at a time
    (``schools_batch_send``); returns 1, the first batch's sender.

    With ``schools_per_task`` of 1, each school gets its own task, run in its schema; with more, ``task``
    takes a list of schemas and the time it was sent, and runs each school in turn (compliance.batches).

    Nothing waits in a worker's memory: the school tasks carry no countdown (a worker holding thousands of
    countdown tasks, all unacknowledged, lost them or died when Redis blinked). Each batch's sender is queued
    behind its batch's school tasks, so the next batch is sent only once the workers have reached the end
    of this one: the queue holds one batch of a fan-out at a time and the workers set the pace.
    """
    schools_batch_send.delay(task.name, 0, include_suspended, schools_per_task)
    return 1


@shared_task(**RETRY)
def schools_batch_send(task_name: str, after_pk: int = 0, include_suspended: bool = False, schools_per_task=1) -> int:
    """Send ``task_name`` to the next batch of active schools after ``after_pk`` (one query), then queue the
    sender of the batch after it; returns how many tasks it sent. A sender delivered twice (its worker was
    killed) sends its batch and the rest again: every school task is idempotent."""
    schools = School.objects.all() if include_suspended else School.objects.filter(status=School.Status.ACTIVE)
    batch = list(
        schools.filter(pk__gt=after_pk)
        .exclude(schema_name=get_public_schema_name())
        .order_by("pk")
        .values_list("pk", "schema_name")[: settings.FAN_OUT_BATCH_SIZE]
    )
    task = current_app.tasks[task_name]
    public = {"_schema_name": get_public_schema_name()}
    if schools_per_task > 1:
        schemas, sent_at = [schema for _, schema in batch], timezone.now().isoformat()
        chunks = [schemas[start : start + schools_per_task] for start in range(0, len(schemas), schools_per_task)]
        for chunk in chunks:
            task.apply_async((chunk, sent_at), headers=public)
    else:
        chunks = batch
        for _, schema in batch:
            task.apply_async(headers={"_schema_name": schema})
    if len(batch) < settings.FAN_OUT_BATCH_SIZE:
        return len(chunks)
    schools_batch_send.apply_async((task_name, batch[-1][0], include_suspended, schools_per_task), headers=public)
    return len(chunks) + 1


@shared_task(**RETRY)
def school_scan_task():
    with job_run("scan", current_school()):
        school_scan(now=timezone.now())


@shared_task(**RETRY)
def school_scans_task(schemas: list[str], sent_at: str) -> int:
    """The daily scan of a batch of schools, each with its own job run (compliance.batches); a school that
    failed for want of the database or the broker is sent again on its own, with the single task's retries.
    Returns how many schools were scanned."""
    since = datetime.datetime.fromisoformat(sent_at)
    outcome = schools_each_run(
        job="scan", schemas=schemas, since=since, work=lambda school: school_scan(now=timezone.now())
    )
    for schema, error in outcome.failed:
        if isinstance(error, RETRY["autoretry_for"]):
            school_scan_task.apply_async(headers={"_schema_name": schema})
    return len(outcome.done)


@shared_task(**RETRY)
def scan_dispatch():
    with job_run("scan-dispatch"):
        return schools_fan_out(school_scans_task, schools_per_task=settings.SCAN_SCHOOLS_PER_TASK)


@shared_task(**RETRY)
def site_health_task():
    """Clause 5.6: one school's published site checked for broken links, missing files, alt text, sizes."""
    with job_run("site-health", current_school()):
        school_health_run(now=timezone.now())


@shared_task(**RETRY)
def site_health_dispatch():
    # A task per school, not a batch: a school's external links may take minutes (timeouts, retries), and a
    # batch of those would outlast the broker's visibility timeout.
    with job_run("site-health-dispatch"):
        forgotten_links_prune(now=timezone.now())
        return schools_fan_out(site_health_task)


@shared_task(**RETRY)
def scheduled_publishing_task():
    with job_run("scheduled-publishing", current_school()):
        scheduled_publishing_run()


@shared_task(**RETRY)
def scheduled_publishing_dispatch():
    with job_run("scheduled-publishing-dispatch"):
        return schools_fan_out(scheduled_publishing_task)


@shared_task(**RETRY)
def weekly_digest_task():
    with job_run("weekly-digest", current_school()):
        weekly_digest_send(now=timezone.now())


@shared_task(**RETRY)
def weekly_digest_dispatch():
    with job_run("weekly-digest-dispatch"):
        return schools_fan_out(weekly_digest_task)


@shared_task(**RETRY)
def regional_digest_task():
    with job_run("regional-digest"):
        regional_digest_send(now=timezone.now())


@shared_task(**RETRY)
def compliance_snapshot_task():
    """After the daily scan's fan-out has run its course: the day's figures for the trends."""
    with job_run("compliance-snapshot"):
        return len(region_snapshot_take(on=timezone.localdate()))


@shared_task(**RETRY)
def remind_now_task():
    with job_run("remind-now", current_school()):
        remind_now_send(now=timezone.now())


@shared_task(**RETRY)
def waiting_reminders_sweep():
    """The office's "remind now" that no job has sent (queued while the broker was down, or its worker
    killed): queue it again. A duplicate job finds the request claimed and sends nothing."""
    with job_run("waiting-reminders-sweep"):
        schemas = schools_with_waiting_reminders(now=timezone.now())
        for schema in schemas:
            remind_now_task.apply_async(headers={"_schema_name": schema})
        return len(schemas)


@shared_task(**RETRY)
def job_runs_abandoned_sweep():
    """Runs left "running" by a worker that was killed are marked failed, so that jobs_status shows them."""
    return job_runs_abandoned_mark(now=timezone.now())
