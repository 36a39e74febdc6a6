"""Work queued while the broker was down, or whose worker was killed, is queued again by the beat's sweep;
a job already running elsewhere is neither queued again nor run twice (issue 13)."""

import datetime

import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from provisioning.models import SchoolImport, SchoolOpening
from provisioning.stalled_work import IMPORT_RUN_LOCK, OPENING_RUN_LOCK, running_alone, stalled_work_requeue
from provisioning.tasks import school_import_task
from regional_platform.celery import app

LONG_AGO = datetime.timedelta(minutes=5)


@pytest.fixture
def interactive_queue():
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    app.control.purge()
    yield lambda: client.llen(settings.CELERY_INTERACTIVE_QUEUE)
    app.control.purge()
    client.close()


@pytest.fixture
def other_worker():
    """Another session, as a worker running a job would be: it holds the job's advisory lock."""
    database = connection.settings_dict
    session = psycopg2.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], password=database["PASSWORD"] or None,
        dbname=database["NAME"],
    )  # fmt: skip
    session.autocommit = True

    def hold(kind: int, pk: int) -> None:
        with session.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [kind, pk])

    yield hold
    session.close()


def _import(status, started_at) -> SchoolImport:
    return SchoolImport.objects.create(
        file_name="schools.csv", content="", uploaded_by="officer", status=status, started_at=started_at
    )


def test_an_import_and_an_opening_queued_during_an_outage_are_queued_again(
    db, interactive_queue, django_capture_on_commit_callbacks
):
    now = timezone.now()
    stalled = _import(SchoolImport.Status.QUEUED, now - LONG_AGO)
    _import(SchoolImport.Status.QUEUED, now)  # within its patience: its message may still be on its way
    _import(SchoolImport.Status.DONE, now - LONG_AGO)
    SchoolOpening.objects.create(details={"subdomain": "late"}, opened_by="officer", queued_at=now - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        requeued = stalled_work_requeue(now=now)
    assert requeued == {"imports": 1, "checks": 0, "openings": 1}
    assert interactive_queue() == 2
    assert SchoolImport.objects.get(pk=stalled.pk).status == SchoolImport.Status.QUEUED


def test_work_a_live_worker_is_running_is_not_queued_again(
    db, interactive_queue, other_worker, django_capture_on_commit_callbacks
):
    now = timezone.now()
    running = _import(SchoolImport.Status.RUNNING, now - LONG_AGO)
    opening = SchoolOpening.objects.create(
        details={"subdomain": "busy"}, opened_by="officer", queued_at=now - LONG_AGO, status="running"
    )
    other_worker(IMPORT_RUN_LOCK, running.pk)
    other_worker(OPENING_RUN_LOCK, opening.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert stalled_work_requeue(now=now) == {"imports": 0, "checks": 0, "openings": 0}
    assert interactive_queue() == 0


def test_a_second_delivery_of_a_running_import_does_nothing(db, other_worker):
    """Redis hands a message older than the visibility timeout to another worker while the first still runs."""
    running = _import(SchoolImport.Status.RUNNING, timezone.now())
    other_worker(IMPORT_RUN_LOCK, running.pk)
    assert school_import_task.apply(args=[running.pk]).get() == 0
    assert SchoolImport.objects.get(pk=running.pk).status == SchoolImport.Status.RUNNING


def test_a_job_runs_alone_until_it_ends(db):
    with running_alone(IMPORT_RUN_LOCK, 424242) as first, running_alone(IMPORT_RUN_LOCK, 424242) as second:
        assert (first, second) == (True, False)
    with running_alone(IMPORT_RUN_LOCK, 424242) as after:
        assert after
