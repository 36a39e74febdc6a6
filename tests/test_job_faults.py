"""Jobs that survive faults (issue 13), with real processes killed for real: a Redis server, Celery workers
and beats of the test's own (tests.fault_processes), on the test database."""

from __future__ import annotations

import datetime
import time

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.jobs import ABANDONED, job_runs_abandoned_mark
from compliance.models import JobRun, LedgerEntry
from compliance.services import school_scan
from tenants.models import School
from tests.factories import school_create
from tests.fault_processes import CeleryProcess, RedisServer, fault_environment, task_send, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def own_redis(tmp_path):
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.kill()


@pytest.fixture
def processes():
    started: list[CeleryProcess] = []
    yield started
    for process in started:
        process.stop()


def _worker(processes, tmp_path, environment, name="worker") -> CeleryProcess:
    queues = f"{environment['FAULT_QUEUE']},{environment['FAULT_QUEUE']}.interactive"
    options = ("-c", "1", "-Q", queues, "-n", f"{name}@%h")
    worker = CeleryProcess("worker", tmp_path / f"{name}.log", environment, *options)
    processes.append(worker)
    worker.wait_for_line("ready.")
    return worker


def test_a_worker_holding_a_countdown_task_rides_out_redis_going_away(
    django_db_blocker, tmp_path, own_redis, processes
):
    """Redis killed while the worker holds an unacknowledged (countdown) task: the worker reconnects instead of
    exiting with "Unrecoverable error", runs what is sent after, and the held task is still in Redis (its
    append-only file) to be delivered again."""
    with django_db_blocker.unblock():
        environment = fault_environment(own_redis.url)
    worker = _worker(processes, tmp_path, environment)
    held = tmp_path / "held"
    task_send(environment, "tests.fault_tasks.file_write", args=[str(held)], countdown=600)
    worker.wait_for_line("received")

    own_redis.kill()
    worker.wait_for_line("Connection to broker lost")
    own_redis.start()
    worker.wait_for_line("Connected to", seconds=60)  # the second time: after the outage
    wait_until(lambda: worker.output().count("Connected to") >= 2, 60, "the worker reconnects")

    after = tmp_path / "after"
    task_send(environment, "tests.fault_tasks.file_write", args=[str(after)])
    wait_until(after.exists, 60, f"the worker runs a task sent after the outage:\n{worker.output()[-3000:]}")
    assert worker.alive()
    assert "Unrecoverable error" not in worker.output()
    assert own_redis.client().hlen("unacked") == 1  # the countdown task, kept for redelivery
    assert not held.exists()


def _connect(database: dict):
    """A connection of the test's own to the test database, outside Django (to hold a lock, or to cut a
    worker's connection)."""
    return psycopg2.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], password=database["PASSWORD"] or None,
        dbname=database["NAME"],
    )  # fmt: skip


@pytest.fixture
def scanned_school(session_schools, django_db_blocker):
    """A committed school (the worker has its own connection) already scanned once: its ledger rows exist."""
    with django_db_blocker.unblock():
        provisioned = school_create(subdomain="fault-scan")
        with schema_context(provisioned.school.schema_name):
            school_scan(now=timezone.now())
        connection.set_schema_to_public()
    yield provisioned.school
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        School.objects.get(pk=provisioned.school.pk).delete(force_drop=True)


def test_a_worker_killed_mid_scan_leaves_the_scan_to_be_delivered_again_and_completed(
    scanned_school, django_db_blocker, tmp_path, own_redis, processes, settings
):
    with django_db_blocker.unblock():
        environment = fault_environment(own_redis.url)
        database = connection.settings_dict
        JobRun.objects.filter(job="scan", school=scanned_school).delete()
    # The scan stops at the ledger (a row lock this test holds), after its job run says "running".
    blocker = _connect(database)
    try:
        with blocker.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {LedgerEntry._meta.db_table} WHERE school_id = %s FOR UPDATE", [scanned_school.pk]
            )
        first = _worker(processes, tmp_path, environment, "first")
        task_send(
            environment, "compliance.tasks.school_scan_task", headers={"_schema_name": scanned_school.schema_name}
        )
        with django_db_blocker.unblock():
            wait_until(
                lambda: JobRun.objects.filter(job="scan", school=scanned_school, status="running").exists(),
                60,
                "the scan is running",
            )
        first.kill()
    finally:
        blocker.rollback()
        blocker.close()

    with django_db_blocker.unblock():
        # The sweep (beat: job-runs-sweep) marks the killed worker's run failed, for jobs_status.
        settings.JOB_RUN_ABANDONED_SECONDS = 0
        assert job_runs_abandoned_mark(now=timezone.now() + datetime.timedelta(seconds=1)) == 1
        killed_run = JobRun.objects.get(job="scan", school=scanned_school)
        assert (killed_run.status, killed_run.error) == (JobRun.Status.FAILED, ABANDONED)

        _worker(processes, tmp_path, environment, "second")
        wait_until(
            lambda: JobRun.objects.filter(job="scan", school=scanned_school, status="done").exists(),
            90,
            "the scan is delivered again and completes",
        )
        assert LedgerEntry.objects.filter(school=scanned_school, scanned_at__gt=killed_run.started_at).exists()


def _beat(processes, tmp_path, environment, name) -> CeleryProcess:
    beat = CeleryProcess("beat", tmp_path / f"{name}.log", environment, "-s", str(tmp_path / f"{name}-schedule"))
    processes.append(beat)
    return beat


def test_two_beats_dispatch_once_and_the_standby_takes_over_when_the_first_dies(
    django_db_blocker, tmp_path, own_redis, processes
):
    with django_db_blocker.unblock():
        environment = fault_environment(own_redis.url)
    queue = environment["FAULT_QUEUE"]
    client = own_redis.client()
    first = _beat(processes, tmp_path, environment, "first")
    first.wait_for_line("this beat is the one running the schedule")
    second = _beat(processes, tmp_path, environment, "second")
    second.wait_for_line("waiting as a standby")

    wait_until(lambda: client.llen(queue) >= 2, 30, "the first beat ticks")
    before = client.llen(queue)
    seconds = 8
    time.sleep(seconds)
    sent = client.llen(queue) - before
    assert 0 < sent <= seconds + 2, f"{sent} ticks in {seconds} s: one beat sends one a second"
    assert "Sending due task" not in second.output()

    first.kill()
    second.wait_for_line("this beat is the one running the schedule", seconds=30)
    taken_over = client.llen(queue)
    wait_until(lambda: client.llen(queue) > taken_over + 1, 30, "the standby ticks")
    assert second.alive()


def test_a_scan_whose_database_connection_is_cut_is_retried_and_completes(
    scanned_school, django_db_blocker, tmp_path, own_redis, processes
):
    """PostgreSQL ends the worker's connection mid-scan (as a database restart or failover does): the task is
    retried on a new connection (RETRY's autoretry on OperationalError/InterfaceError) and completes; the
    worker lives on and nothing is left "running"."""
    with django_db_blocker.unblock():
        environment = fault_environment(own_redis.url)
        database = connection.settings_dict
        JobRun.objects.filter(job="scan", school=scanned_school).delete()
    admin = _connect(database)
    admin.autocommit = True
    blocker = _connect(database)
    try:
        with blocker.cursor() as cursor:  # the scan waits at the ledger, its connection busy
            cursor.execute(
                f"SELECT 1 FROM {LedgerEntry._meta.db_table} WHERE school_id = %s FOR UPDATE", [scanned_school.pk]
            )
        worker = _worker(processes, tmp_path, environment)
        task_send(
            environment, "compliance.tasks.school_scan_task", headers={"_schema_name": scanned_school.schema_name}
        )
        with admin.cursor() as cursor:

            def waiting_backends() -> list[int]:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    [database["NAME"]],
                )
                return [row[0] for row in cursor.fetchall()]

            wait_until(waiting_backends, 60, "the scan waits at the ledger")
            for pid in waiting_backends():
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        blocker.rollback()
        blocker.close()
        admin.close()

    with django_db_blocker.unblock():
        wait_until(
            lambda: JobRun.objects.filter(job="scan", school=scanned_school, status="done").exists(),
            120,
            f"the scan is retried on a new connection and completes:\n{worker.output()[-3000:]}",
        )
        assert worker.alive()
        assert not JobRun.objects.filter(job="scan", school=scanned_school, status="running").exists()
