"""Benchmark: a whole region on one PostgreSQL (issue 14).

    make bench-fleet                                   # 2,000 schools
    make bench-fleet BENCH_ARGS="--schools 300 --keep" # fewer; keep the database and reuse it next time

Runs in its own database (<DATABASE_URL's name>_fleet). Builds the schools with ``school_provision`` in
parallel processes (each on a fresh connection every few schools, as the import does), then prints, each
against a baseline measured in the same run:

* provisioning seconds per bucket of 100 schools (median, p95); baseline: the first bucket;
* the catalog's size (relations, columns, bytes) per school and in all;
* a no-op fleet migrate of every school; baseline: django-tenants' standard executor on a sample;
* one added nullable column across all schools; baseline: the standard executor on a sample;
* the drift report over every school; baseline: comparing a sample's full catalogs one by one;
* one school's backup; baseline: ``pg_dump -n`` of the same school;
* a backend's memory after visiting every school, with and without the connection's schema bound.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.provision import _drop, bench_database_url  # noqa: E402

BUCKET = 100
PROVISIONING_CONNECTION_SCHOOLS = 5
SUBDOMAIN = "fleet-{}"


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _line(label: str, values: list[float], unit: str = "s") -> str:
    return (
        f"{label:<28} n={len(values):<5} median {statistics.median(values):.3f} {unit}   "
        f"p95 {_p95(values):.3f} {unit}   max {max(values):.3f} {unit}"
    )


# --- provisioning -------------------------------------------------------------------------------------------


def _school_details(number: int):
    from provisioning.services import Person, SchoolDetails
    from tests.factories import valid_bin

    return SchoolDetails(
        name_kk=f"№{number} мектеп",
        name_ru=f"Школа №{number}",
        name_en=f"School No. {number}",
        short_name=f"F{number}",
        bin=valid_bin(500_000 + number),
        region="Abai region",
        district="Semey",
        address=f"{number} Abai avenue, Semey",
        subdomain=SUBDOMAIN.format(number),
        head=Person(f"Head Number{number}", f"head{number}@example.kz"),
        administrator=Person(f"Admin Number{number}", f"admin{number}@example.kz"),
    )


def _provision_share(numbers: list[int]) -> list[tuple[int, float]]:
    """One process's share of the schools, on a fresh connection every few schools (the import's policy)."""
    from django.db import connection

    from provisioning.services import school_provision

    timings = []
    for done, number in enumerate(numbers):
        if done and done % PROVISIONING_CONNECTION_SCHOOLS == 0:
            connection.close()
        started = time.perf_counter()
        school_provision(details=_school_details(number), send_invitations=False)
        timings.append((number, time.perf_counter() - started))
    connection.close()
    return timings


def provision_fleet(count: int, processes: int) -> None:
    from django.db import connection

    from tenants.models import School

    have = School.objects.exclude(schema_name="public").count()
    if have >= count:
        print(f"provisioning: {have} schools already there (--keep)")
        return
    numbers = list(range(have, count))
    shares = [numbers[index::processes] for index in range(processes)]
    connection.close()  # the children are forked: none may inherit this connection
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        timings = sorted(pair for share in pool.map(_provision_share, shares) for pair in share)
    total = time.perf_counter() - started
    print(f"provisioning: {len(timings)} schools in {total:.0f} s by {processes} processes")
    buckets = {}
    for number, seconds in timings:
        buckets.setdefault(number // BUCKET, []).append(seconds)
    for bucket, values in sorted(buckets.items()):
        print(_line(f"  schools {bucket * BUCKET + 1:>5}-{bucket * BUCKET + len(values):<5}", values))
    if len(buckets) > 1:
        first, last = buckets[min(buckets)], buckets[max(buckets)]
        print(
            f"  last bucket / first bucket: median {statistics.median(last) / statistics.median(first):.2f}x, "
            f"p95 {_p95(last) / _p95(first):.2f}x"
        )


# --- catalog ------------------------------------------------------------------------------------------------


def catalog_size() -> None:
    from django.db import connection

    from tenants.models import School

    schools = School.objects.exclude(schema_name="public").count()
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute),
                      (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                       WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r'),
                      pg_database_size(current_database())"""
        )
        relations, columns, catalog_bytes, database_bytes = cursor.fetchone()
    per = max(schools, 1)
    print(
        f"catalog: {schools} schools, {relations} relations ({relations / per:.0f} a school), "
        f"{columns} pg_attribute rows, catalogs {catalog_bytes / 2**20:.0f} MB "
        f"({catalog_bytes / per / 2**10:.0f} KB a school), database {database_bytes / 2**30:.2f} GB "
        f"({database_bytes / per / 2**20:.1f} MB a school)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="provisioning processes")
    parser.add_argument("--sample", type=int, default=20, help="schools the per-school baselines run on")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the bench database")
    args = parser.parse_args()

    url, reused = bench_database_url("_fleet", reuse=args.keep)
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection

    print(f"machine: {os.cpu_count()} cores; PostgreSQL at {urlsplit(url).netloc}; {args.schools} schools")
    try:
        if not reused:
            started = time.perf_counter()
            call_command("migrate_schemas", interactive=False, verbosity=0)
            print(f"setup: public schema and template: {time.perf_counter() - started:.1f} s")
        provision_fleet(args.schools, args.processes)
        catalog_size()
    finally:
        connection.close()
        if not args.keep:
            _drop(url)


if __name__ == "__main__":
    main()
