"""One job for a batch of schools in one task: each school in its own schema, with its own job run, and a
school that fails does not stop, fail or re-run the others.

A task per school paid for the broker round trip, a fresh database connection (Celery closes the
connection around every task) and the school's lookup, about as much again as a worst-case scan of a school
(bench/README.md, "The daily scan"); a batch pays for them once.
"""

from __future__ import annotations

import datetime
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from compliance.models import JobRun
from tenants.models import Domain, School

logger = logging.getLogger(__name__)


@dataclass
class BatchOutcome:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, BaseException]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already done since the batch was sent, or gone


def _schools(schemas: list[str]) -> dict[str, School]:
    """The batch's schools by schema, each knowing its primary host (two queries for the batch, not two a
    school: e-mails link to the school's host, tenants.hosts.active_school_hostname)."""
    schools = {school.schema_name: school for school in School.objects.filter(schema_name__in=schemas)}
    hosts = Domain.objects.filter(tenant__in=schools.values(), is_primary=True).values_list("tenant_id", "domain")
    host_of = dict(hosts)
    for school in schools.values():
        if school.pk in host_of:
            school.domain_url = host_of[school.pk]
    return schools


def _runs(job: str, schools: list[School]) -> dict[int, JobRun]:
    """The batch's schools' last runs of ``job``, by school (one query)."""
    return {run.school_id: run for run in JobRun.objects.filter(job=job, school__in=schools)}


def _runs_write(job: str, runs: list[JobRun], fields: list[str]) -> None:
    """Write the batch's runs in one statement (an upsert on the one run a job and a school have): two a
    batch instead of two a school (issue 14)."""
    JobRun.objects.bulk_create(runs, update_conflicts=True, unique_fields=["job", "school"], update_fields=fields)


def schools_each_run(
    *, job: str, schemas: list[str], work: Callable[[School], None], since: datetime.datetime
) -> BatchOutcome:
    """Run ``work(school)`` in each of ``schemas`` in turn, recording a job run ``job`` for each.

    Every school to run is marked running first, and each one's start, end and outcome are written together
    at the end of the batch (a worker killed in between leaves them running: the batch is delivered again and
    the abandoned-runs sweep reports any it never finishes). A school whose work raises has its run marked
    failed (with the error) and the batch goes on; the caller decides what to do with the failures. The
    connection is recycled between schools once it has visited ``MAX_SCHEMAS_PER_CONNECTION`` schemas, or
    when an error left it unusable.
    """
    outcome = BatchOutcome()
    schools = _schools(schemas)
    previous = _runs(job, list(schools.values()))
    to_run = []
    for schema in schemas:
        school = schools.get(schema)
        last = previous.get(school.pk) if school is not None else None
        if school is None or (last and last.status == JobRun.Status.DONE and last.started_at >= since):
            outcome.skipped.append(schema)  # gone, or done since the batch was sent (delivered again)
        else:
            to_run.append(school)
    started = timezone.now()
    runs = {
        school.pk: JobRun(job=job, school=school, started_at=started, status=JobRun.Status.RUNNING)
        for school in to_run
    }
    _runs_write(job, list(runs.values()), ["started_at", "finished_at", "status"])
    try:
        for school in to_run:
            _run_one(school, work, runs[school.pk], previous.get(school.pk), outcome)
    finally:  # the schools that ran; any not reached (the task was stopped) stay marked running
        ran = [run for run in runs.values() if run.finished_at is not None]
        _runs_write(job, ran, ["started_at", "finished_at", "status", "error", "failures"])
    return outcome


def _run_one(school: School, work: Callable[[School], None], run: JobRun, last: JobRun | None, outcome) -> None:
    run.started_at = timezone.now()
    connection.set_tenant(school)
    try:
        work(school)
    except Exception as error:
        logger.warning("%s failed for %s: %r", run.job, school.schema_name, error)
        outcome.failed.append((school.schema_name, error))
        run.status, run.error = JobRun.Status.FAILED, traceback.format_exc(limit=5)[-4000:]
        run.failures = (last.failures if last else 0) + 1
        if connection.connection is not None and not connection.is_usable():
            connection.close()  # a lost connection: the next school opens a new one
    else:
        outcome.done.append(school.schema_name)
        run.status, run.error, run.failures = JobRun.Status.DONE, "", 0
    finally:
        run.finished_at = timezone.now()
        connection.set_schema_to_public()
        connection.close_if_schemas_spent()
