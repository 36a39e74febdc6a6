"""One job for a batch of schools in one task: each school in its own schema, with its own job run, and a
school that fails does not stop, fail or re-run the others.

A task per school paid for the broker round trip, a fresh database connection (Celery closes the
connection around every task) and the school's lookup, about as much again as a worst-case scan of a school
(bench/README.md, "The daily scan"); a batch pays for them once.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection

from compliance.jobs import job_run
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


def _done_since(job: str, schools: list[School], since: datetime.datetime) -> set[int]:
    """Schools whose ``job`` has run to the end since ``since``: a batch delivered again (its worker was
    killed) leaves them be."""
    runs = JobRun.objects.filter(job=job, school__in=schools, status=JobRun.Status.DONE, started_at__gte=since)
    return set(runs.values_list("school_id", flat=True))


def schools_each_run(
    *, job: str, schemas: list[str], work: Callable[[School], None], since: datetime.datetime
) -> BatchOutcome:
    """Run ``work(school)`` in each of ``schemas`` in turn, recording a job run ``job`` for each.

    A school whose work raises has its job run marked failed (with the error) and the batch goes on; the
    caller decides what to do with the failures. The connection is recycled between schools once it has
    visited ``MAX_SCHEMAS_PER_CONNECTION`` schemas, or when an error left it unusable.
    """
    outcome = BatchOutcome()
    schools = _schools(schemas)
    done = _done_since(job, list(schools.values()), since)
    for schema in schemas:
        school = schools.get(schema)
        if school is None or school.pk in done:
            outcome.skipped.append(schema)
            continue
        connection.set_tenant(school)
        try:
            with job_run(job, school):
                work(school)
        except Exception as error:
            logger.warning("%s failed for %s: %r", job, schema, error)
            outcome.failed.append((schema, error))
            if connection.connection is not None and not connection.is_usable():
                connection.close()  # a lost connection: the next school opens a new one
        else:
            outcome.done.append(schema)
        finally:
            connection.set_schema_to_public()
            connection.close_if_schemas_spent()
    return outcome
