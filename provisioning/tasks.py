"""Background jobs of provisioning (thin: they call provisioning.bulk_onboarding)."""

from __future__ import annotations

from celery import shared_task
from django.db import connection
from tenant_schemas_celery.task import TenantTask

from compliance.jobs import job_run
from compliance.tasks import RETRY, schools_fan_out
from provisioning.backup_schedule import school_backup_nightly
from provisioning.bulk_onboarding import school_import_check_run, school_import_fail, school_import_run
from provisioning.outbox import provisioning_steps_run, provisioning_steps_sweep
from provisioning.schema_drift import Status, schools_drift_check
from provisioning.schema_template import schema_template_current
from provisioning.school_opening import school_opening_fail, school_opening_run
from provisioning.stalled_work import (
    IMPORT_CHECK_LOCK,
    IMPORT_RUN_LOCK,
    OPENING_RUN_LOCK,
    SCHOOL_BACKUP_LOCK,
    STEPS_SWEEP_LOCK,
    running_alone,
    stalled_work_requeue,
)
from tenants.current import current_school


class SchoolImportTask(TenantTask):
    """A tenant task like every other (tenant-schemas-celery switches its schema before it runs: the public
    one here); a plain ``celery.Task`` base made that switch fail and left the schema to chance."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called once the task has failed for good (not on each retry)."""
        school_import_fail(import_id=args[0] if args else kwargs["import_id"], error=exc)


# The name it had before the module moved out of tenants/: messages already queued keep running.
@shared_task(base=SchoolImportTask, name="tenants.tasks.school_import_task", **RETRY)
def school_import_task(import_id: int) -> int:
    """Run a checked bulk import in the public schema; returns how many rows it went through (0: nothing to do)."""
    try:
        with running_alone(IMPORT_RUN_LOCK, import_id) as alone:
            school_import = school_import_run(import_id) if alone else None
    finally:
        _connection_close_after_provisioning()
    return school_import.processed if school_import else 0


@shared_task(base=SchoolImportTask, **RETRY)
def school_import_check_task(import_id: int) -> int:
    """Check a long uploaded file in the public schema; returns how many lines it checked (0: nothing to do)."""
    with running_alone(IMPORT_CHECK_LOCK, import_id) as alone:
        school_import = school_import_check_run(import_id) if alone else None
    return school_import.total if school_import else 0


class SchoolOpeningTask(TenantTask):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Called once the task has failed for good (not on each retry): the officer's page says so."""
        school_opening_fail(opening_id=args[0] if args else kwargs["opening_id"], error=exc)


@shared_task(base=SchoolOpeningTask, **RETRY)
def school_opening_task(opening_id: int) -> int | None:
    """Open one school the console queued (provisioning.school_opening); the new school's id."""
    try:
        with running_alone(OPENING_RUN_LOCK, opening_id) as alone:
            opening = school_opening_run(opening_id) if alone else None
    finally:
        _connection_close_after_provisioning()
    return opening.school_id if opening else None


def _connection_close_after_provisioning() -> None:
    """A worker that created a school gives up its connection (CONN_MAX_AGE would keep it): the backend holds
    a prepared plan for each of the school's foreign keys and a cache of its tables, which no later task uses
    and which slow every catalog change it makes (docs/architecture.md, "Flat provisioning")."""
    if not connection.in_atomic_block:
        connection.close()


@shared_task(base=TenantTask, **RETRY)
def schema_template_build_task() -> str:
    """Record the school template for the code's migrations, if it is behind (minutes); its fingerprint."""
    return schema_template_current().fingerprint


@shared_task(base=TenantTask, **RETRY)
def stalled_work_requeue_task() -> dict[str, int]:
    """Queue again what was queued while the broker was down, or whose worker was killed (beat, every minute)."""
    return stalled_work_requeue()


@shared_task(base=TenantTask, **RETRY)
def school_backup_task() -> str:
    """Back up the school whose schema the task runs in (the ``_schema_name`` header); the archive's path
    ("" when another worker is backing it up already: a long backup delivered again)."""
    school = current_school()
    with running_alone(SCHOOL_BACKUP_LOCK, school.pk) as alone:
        return str(school_backup_nightly(school).path) if alone else ""


@shared_task(base=TenantTask, **RETRY)
def school_backup_dispatch() -> int:
    """Every school, suspended ones too (their content is kept), one task each, a batch at a time."""
    with job_run("backup-dispatch"):
        return schools_fan_out(school_backup_task, include_suspended=True)


@shared_task(base=TenantTask, **RETRY)
def provisioning_steps_task(school_id: int) -> int:
    """A new school's invitations and first scan, right after its commit (provisioning.outbox); how many done."""
    return provisioning_steps_run(school_id)


@shared_task(base=TenantTask, **RETRY)
def provisioning_steps_sweep_task() -> int:
    """Retry the after-steps that failed or were never taken (a broker down at the commit); how many done
    (0 when another sweep still runs)."""
    with running_alone(STEPS_SWEEP_LOCK, 0) as alone:
        return provisioning_steps_sweep() if alone else 0


@shared_task(base=TenantTask, **RETRY)
def schools_drift_task() -> dict[str, int]:
    """Compare every school's schema with its template (beat, daily; provisioning.schema_drift), recorded as
    the job "schema-drift"; how many schools are in each state, and the schemas without a school."""
    try:
        report = schools_drift_check()
    finally:
        if not connection.in_atomic_block:
            connection.close()  # it touched every school's catalog entries: the worker must not keep that backend
    counts = {status: len(report.with_status(status)) for status in (Status.IDENTICAL, Status.BEHIND)}
    counts.update({status: len(report.with_status(status)) for status in (Status.DRIFTED, Status.MISSING)})
    return {**counts, "orphan_schemas": len(report.orphan_schemas)}
