"""Benchmark: the daily scan of every school with one worker, and the region's question from the ledger.

    make bench-scan                               # 1,000 schools
    make bench-scan BENCH_ARGS="--schools 200 --keep"

Runs in its own database (<DATABASE_URL's name>_scan) and Redis queue. Provisions the schools on the
fast path (a few minutes for 1,000), makes every section stale (the schools "opened" 400 days ago, so
each scan also writes reminders and sends the director's and administrator's e-mails), then:

* the scan as deployed: one beat dispatch, one task per school, ONE worker process (solo pool);
  printed: total time, per-school median and p95 (from the job runs);
* baseline, same run: the same per-school scan called in a loop in this process, no broker;
* "stale sections across the region": the ledger query, against the baseline of asking every
  school's schema (what the platform would do without the ledger).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.provision import _drop, _figures, bench_database_url  # noqa: E402

# A connection that creates schools slows with every schema it creates (issue 14): a fresh one every few.
PROVISION_SCHOOLS_PER_CONNECTION = 5


def _provision(count: int) -> None:
    from django.db import connection

    from provisioning.services import school_provision
    from tenants.models import School
    from tests.factories import school_details, valid_bin

    have = School.objects.exclude(schema_name="public").count()
    started = time.perf_counter()
    for number in range(have, count):
        details = school_details(subdomain=f"scan-{number}", bin=valid_bin(number + 1))  # unique when reused
        school_provision(details=details, send_invitations=False)
        if (number + 1) % PROVISION_SCHOOLS_PER_CONNECTION == 0:
            connection.close()
        if number and number % 100 == 0:
            print(f"  provisioned {number} schools ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"provisioned {count - have} schools in {time.perf_counter() - started:.0f} s ({count} in all)")


def _catalog_settle() -> None:
    """Vacuum the catalogs and wait for autovacuum to finish: the nightly scan runs on a settled database, not
    in the wake of a thousand schools provisioned a minute ago, whose catalog vacuums would take a core."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in ("pg_class", "pg_attribute", "pg_depend", "pg_type", "pg_index", "pg_constraint"):
            cursor.execute(f"VACUUM ANALYZE pg_catalog.{table}")
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
            if not cursor.fetchone()[0] or time.perf_counter() - started > 600:
                break
            time.sleep(2)
    print(f"catalogs vacuumed and autovacuum idle after {time.perf_counter() - started:.0f} s")


def _worker(env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "regional_platform", "worker", "--pool", "solo", "-c", "1"]
    command += ["-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env)


def _wait_ready(app) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    sys.exit("the worker did not start")


def _scan_with_worker(schools: list) -> None:
    from compliance.models import JobRun, LedgerEntry, Reminder
    from compliance.tasks import scan_dispatch
    from regional_platform.celery import app

    worker = _worker(dict(os.environ))
    try:
        _wait_ready(app)
        started = time.perf_counter()
        scan_dispatch.delay()
        while JobRun.objects.filter(job="scan", status="done").count() < len(schools):
            failed = JobRun.objects.filter(job="scan", status="failed").first()
            if failed is not None:
                sys.exit(failed.error)
            time.sleep(0.25)
        total = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(30)
    per_school = [run.duration.total_seconds() for run in JobRun.objects.filter(job="scan")]
    print(f"scan, 1 worker: total {total:.1f} s for {len(schools)} schools")
    print(_figures("  per school", per_school))
    print(f"  reminders claimed: {Reminder.objects.count()}; ledger rows: {LedgerEntry.objects.count()}")


def _scan_in_process(schools: list) -> None:
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from compliance.models import Reminder
    from compliance.services import school_scan

    Reminder.objects.all().delete()  # the baseline does the same work, reminders included
    started = time.perf_counter()
    seconds = []
    for school in schools:
        one = time.perf_counter()
        with schema_context(school.schema_name):
            connection.tenant = school
            school_scan(now=timezone.now())
        seconds.append(time.perf_counter() - one)
    print(f"baseline, in-process loop, no broker: total {time.perf_counter() - started:.1f} s")
    print(_figures("  per school", seconds))


def _region_question(schools: list, opened) -> None:
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from compliance.freshness import school_freshness
    from compliance.selectors import stale_sections_across_region

    connection.set_schema_to_public()
    list(stale_sections_across_region())  # warm: the first query of a connection pays for its set-up
    timings = []
    for _ in range(20):
        one = time.perf_counter()
        rows = list(stale_sections_across_region())
        timings.append(time.perf_counter() - one)
    print(f"stale sections across the region, from the ledger: {len(rows)} rows")
    print(_figures("  query", timings))
    sample = schools[: min(100, len(schools))]
    started = time.perf_counter()
    for school in sample:
        with schema_context(school.schema_name):
            [state for state in school_freshness(now=timezone.now(), opened_at=opened) if state.stale_since]
    per = (time.perf_counter() - started) / len(sample)
    print(f"  baseline, asking every schema: {per * 1000:.0f} ms per school, {per * len(schools):.1f} s in all")


def _backend_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        return int(cursor.fetchone()[0])


def _visit(school, now) -> float:
    """One school's freshness read (the scan's queries, no writes) on the current connection; seconds."""
    from django.db import connection

    from compliance.freshness import school_freshness

    one = time.perf_counter()
    connection.set_tenant(school)
    school_freshness(now=now, opened_at=school.created_at)
    connection.set_schema_to_public()
    return time.perf_counter() - one


def _backend_memory(schools: list) -> None:
    """A backend's memory after visiting N schools on one connection, with and without recycling it past
    MAX_SCHEMAS_PER_CONNECTION; what a first visit to a school costs against a warm one."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    now, bound = timezone.now(), settings.MAX_SCHEMAS_PER_CONNECTION
    connection.close()
    connection.set_schema_to_public()
    marks = {n for n in (1, 10, 25, 50, 100, 200, 500, 1000) if n <= len(schools)} | {len(schools)}
    line = [f"fresh {_backend_bytes() / 2**20:.1f} MB"]
    first, warm, fresh = [], [], []
    for number, school in enumerate(schools, start=1):
        first.append(_visit(school, now))
        warm.append(_visit(school, now))
        if number in marks:
            line.append(f"{number}: {_backend_bytes() / 2**20:.1f} MB")
    print("backend memory, one connection visiting every school: " + ", ".join(line))
    print(_figures("  first visit to a school", first))
    print(_figures("  the same school again  ", warm))
    connection.close()
    started, peak = time.perf_counter(), 0
    for number, school in enumerate(schools, start=1):
        if connection.connection is None:  # recycled: a new connection, its first school
            one = time.perf_counter()
            _visit(school, now)
            fresh.append(time.perf_counter() - one)
        else:
            _visit(school, now)
        if number % bound == 0 or number == len(schools):
            peak = max(peak, _backend_bytes())
        connection.close_if_schemas_spent()
    print(f"recycled past MAX_SCHEMAS_PER_CONNECTION={bound}: largest backend {peak / 2**20:.1f} MB")
    print(f"  every school read in {time.perf_counter() - started:.1f} s (one connection: {sum(first):.1f} s)")
    print(_figures("  first school of a new connection", fresh))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the bench database")
    args = parser.parse_args()

    url, reused = bench_database_url("_scan", reuse=args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ["CELERY_QUEUE"] = f"bench-scan-{os.getpid()}"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from compliance.models import JobRun, Reminder
    from tenants.models import School

    try:
        if not reused:
            call_command("migrate_schemas", interactive=False, verbosity=0)
        _provision(args.schools)
        _catalog_settle()
        opened = timezone.now() - datetime.timedelta(days=400)
        School.objects.update(created_at=opened)  # every section is stale: the scans also send reminders
        Reminder.objects.all().delete()
        JobRun.objects.all().delete()
        schools = list(School.objects.exclude(schema_name="public").order_by("pk"))
        print(f"machine: {os.cpu_count()} cores; {len(schools)} schools; PostgreSQL at {urlsplit(url).netloc}")
        _scan_with_worker(schools)
        _scan_in_process(schools)
        _region_question(schools, opened)
        _backend_memory(schools)
    finally:
        connection.close()
        if not args.keep:
            _drop(url)


if __name__ == "__main__":
    main()
