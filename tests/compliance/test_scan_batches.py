"""The daily scan runs a batch of schools per task: each school in its own schema with its own job run; a
school that fails neither fails nor re-runs the others, and a batch delivered again skips the schools it
has done since it was sent (issue 14)."""

import datetime

from django.db import connection
from django.utils import timezone

from compliance.batches import schools_each_run
from compliance.models import JobRun, LedgerEntry
from compliance.tasks import school_scans_task
from tenants.current import current_school


def test_a_school_that_fails_does_not_stop_or_fail_the_others(school, other_school):
    broken, fine = school.school, other_school.school
    seen = []

    def work(current):
        seen.append((current.schema_name, connection.schema_name, current_school().pk))
        if current.pk == broken.pk:
            raise RuntimeError("this school's scan is broken")

    outcome = schools_each_run(
        job="scan", schemas=[broken.schema_name, fine.schema_name], work=work, since=timezone.now()
    )

    assert seen == [(broken.schema_name, broken.schema_name, broken.pk), (fine.schema_name, fine.schema_name, fine.pk)]
    assert outcome.done == [fine.schema_name]
    assert [schema for schema, _ in outcome.failed] == [broken.schema_name]
    runs = {run.school_id: run for run in JobRun.objects.filter(job="scan")}
    assert runs[broken.pk].status == JobRun.Status.FAILED and "this school's scan is broken" in runs[broken.pk].error
    assert (runs[fine.pk].status, runs[fine.pk].error, runs[fine.pk].failures) == (JobRun.Status.DONE, "", 0)
    assert connection.schema_name == "public"


def test_a_batch_delivered_again_skips_the_schools_done_since_it_was_sent(school, other_school):
    sent = timezone.now()
    done_since, done_yesterday = school.school, other_school.school
    JobRun.objects.create(job="scan", school=done_since, started_at=sent, finished_at=sent, status="done")
    yesterday = sent - datetime.timedelta(days=1)
    JobRun.objects.create(
        job="scan", school=done_yesterday, started_at=yesterday, finished_at=yesterday, status="done"
    )
    ran = []

    outcome = schools_each_run(
        job="scan",
        schemas=[done_since.schema_name, done_yesterday.schema_name],
        work=lambda current: ran.append(current.schema_name),
        since=sent,
    )

    assert ran == [done_yesterday.schema_name]
    assert outcome.skipped == [done_since.schema_name]


def test_the_scan_task_scans_each_school_of_its_batch_into_the_ledger(school, other_school):
    schools = [school.school, other_school.school]

    scanned = school_scans_task.run([each.schema_name for each in schools], timezone.now().isoformat())

    assert scanned == 2
    for each in schools:
        assert LedgerEntry.objects.filter(school=each).count() >= 8  # the catalogue's mandatory sections
        assert JobRun.objects.get(job="scan", school=each).status == JobRun.Status.DONE
