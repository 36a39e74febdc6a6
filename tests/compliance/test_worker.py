"""The jobs with a real Redis broker and a real Celery worker (in a thread): the daily scan fans out to
every school and each task runs in its own school's schema; scheduled pages go live and expire."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.models import JobRun, LedgerEntry, Reminder
from compliance.tasks import scan_dispatch, scheduled_publishing_dispatch
from school_sections.models import NewsIndexPage, NewsPage
from tenants.models import School
from tests.factories import school_create
from workflows.models import SectionFreshness
from workflows.services import responsibility_set


@pytest.fixture
def two_schools(session_schools, django_db_blocker):
    """Two committed schools (the worker has its own connection): A's news is stale, B's is fresh."""
    with django_db_blocker.unblock():
        stale, fresh = school_create(subdomain="worker-stale"), school_create(subdomain="worker-fresh")
        with schema_context(stale.school.schema_name):
            news = NewsIndexPage.objects.get()
            SectionFreshness.objects.create(section=news, period_days=3)
            five_days_ago = timezone.now() - datetime.timedelta(days=5)
            NewsIndexPage.objects.filter(pk=news.pk).update(last_published_at=five_days_ago)
            teacher = get_user_model().objects.create_user("teacher@stale.kz", email="teacher@stale.kz")
            responsibility_set(section=news, people=[teacher])
        connection.set_schema_to_public()
    yield stale.school, fresh.school
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for school in School.objects.filter(pk__in=[stale.school.pk, fresh.school.pk]):
            school.delete(force_drop=True)


def _all_succeeded(tasks) -> None:
    assert tasks and {task.state for task in tasks} == {"SUCCESS"}, tasks


def test_the_daily_scan_reaches_every_school_and_each_reads_its_own_schema(two_schools, worker):
    stale, fresh = two_schools
    sent = scan_dispatch.delay()
    scans = worker.wait_for_fan_out(sent)
    _all_succeeded(scans)
    # A task scans a batch of schools (SCAN_SCHOOLS_PER_TASK) and returns how many it scanned: every school.
    assert (
        sum(scan.retval for scan in scans)
        == School.objects.filter(status=School.Status.ACTIVE).exclude(schema_name="public").count()
    )

    ledger = {(entry.school_id, entry.section_code): entry for entry in LedgerEntry.objects.all()}
    assert ledger[(stale.pk, "news")].stale_since is not None
    assert ledger[(fresh.pk, "news")].stale_since is None
    assert ledger[(stale.pk, "news")].period_days == 3 and ledger[(fresh.pk, "news")].period_days == 30
    # What jobs_status shows: the dispatcher's run and each school's.
    assert JobRun.objects.get(job="scan-dispatch", school=None).status == JobRun.Status.DONE
    assert set(JobRun.objects.filter(job="scan", school__in=[stale, fresh]).values_list("status", flat=True)) == {
        JobRun.Status.DONE
    }


def test_the_same_scan_twice_sends_each_reminder_once(two_schools, worker):
    stale, _ = two_schools
    first, second = scan_dispatch.delay(), scan_dispatch.delay()  # beat running twice
    _all_succeeded(worker.wait_for_fan_out(first) + worker.wait_for_fan_out(second))
    to_teacher = [message for message in mail.outbox if message.to == ["teacher@stale.kz"]]
    assert len(to_teacher) == 1
    assert Reminder.objects.get(school=stale, step="responsible").recipients == "teacher@stale.kz"


def test_scheduled_pages_go_live_and_expire_on_time(two_schools, worker):
    stale, _ = two_schools
    now = timezone.now()
    with schema_context(stale.schema_name):
        index = NewsIndexPage.objects.get()
        going_live = index.add_child(instance=NewsPage(title="Goes live", live=False))
        revision = going_live.save_revision()
        revision.approved_go_live_at = now - datetime.timedelta(minutes=1)
        revision.save()
        expiring = index.add_child(instance=NewsPage(title="Expires"))
        expiring.save_revision().publish()
        NewsPage.objects.filter(pk=expiring.pk).update(expire_at=now - datetime.timedelta(minutes=1))
    connection.set_schema_to_public()

    _all_succeeded(worker.wait_for_fan_out(scheduled_publishing_dispatch.delay()))
    with schema_context(stale.schema_name):
        assert NewsPage.objects.get(pk=going_live.pk).live
        expired = NewsPage.objects.get(pk=expiring.pk)
        assert not expired.live and expired.expired


def test_a_fan_out_in_batches_reaches_every_school_once(two_schools, worker, settings):
    """Nothing waits in a worker's memory: each batch's school tasks are due at once, and the next batch's
    sender follows them (issue 13)."""
    settings.FAN_OUT_BATCH_SIZE = 1
    active = School.objects.filter(status=School.Status.ACTIVE).exclude(schema_name="public").count()
    sent = scan_dispatch.delay()
    scans = worker.wait_for_fan_out(sent)
    _all_succeeded(scans)
    assert sorted(scan.name for scan in scans) == ["compliance.tasks.school_scans_task"] * active
    assert [scan.retval for scan in scans] == [1] * active
    batches = [task for task in worker._snapshot() if task.root_id == sent.id and task.name.endswith("batch_send")]
    assert len(batches) == active + 1  # one per school, and the last finds no school after it
