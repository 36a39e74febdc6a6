"""Benchmark: the regional console's overview and its exports, with 1,000 schools in the compliance ledger.

    make bench-console
    make bench-console BENCH_ARGS="--schools 2000 --repeats 50 --explain"

Runs in its own database (<DATABASE_URL's name>_console), dropped afterwards. The overview reads only
the public schema, so the schools are rows (School, primary Domain, a ledger row per section the school
has, its people summary) without schemas: the data grows 10 -> 100 -> 1,000 schools in one run, and
at each size, as a signed-in inspector through Django's test client against the real view
(``console.views.console.school_list_view`` on PLATFORM_DOMAIN):

* server time (median and p95 over --repeats requests after warm-up; the time in the database driver
  beside it) and the queries of one request, for the overview's first page unfiltered, sorted by
  score and filtered by the biggest district;
* the whole overview exported as CSV and as XLSX (``/?export=csv``, ``/?export=xlsx``).

The 10 schools are the baseline: the same requests, same run, so what grows with the number of schools
shows. Targets (issue: regional console): the first page <= 300 ms with a number of queries that does not
grow with the schools; each export of 1,000 schools <= 5 s.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.provision import _drop, bench_database_url  # noqa: E402

PLATFORM_DOMAIN = "bench.test"
# The Abai region's districts; Semey (the city) has far more schools than the rural districts.
DISTRICTS = {
    "Semey": 30,
    "Ayagoz": 8,
    "Abai": 5,
    "Aksuat": 4,
    "Beskaragai": 5,
    "Borodulikha": 6,
    "Zhanasemey": 6,
    "Zharma": 7,
    "Kokpekty": 6,
    "Kurchatov": 3,
    "Makanshy": 4,
    "Urzhar": 8,
}
TARGET_PAGE_SECONDS = 0.3
TARGET_EXPORT_SECONDS = 5.0


@dataclass
class Figures:
    seconds: list[float]
    sql_seconds: list[float]
    queries: list[str]  # the SQL of one request
    size: int  # bytes of the last response

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- The data ---------------------------------------------------------------------------


def _schools_add(first: int, last: int, rng: random.Random) -> None:
    """Schools ``first``..``last - 1`` as the daily scan leaves them: ledger rows and people summaries.

    Each school gets a "care" level that drives how complete and how fresh its sections are, so the
    scores spread over 0-100 % and sorting by score has real work to do.
    """
    from django.db import connection
    from django.utils import timezone

    from compliance.models import LedgerEntry, SchoolSummary
    from regulation.catalogue import CATALOGUE
    from tenants.models import Domain, School
    from tests.factories import valid_bin

    now = timezone.now()
    schools = School.objects.bulk_create(
        [
            School(
                schema_name=f"school_console_{number}",  # never created: the overview reads the public schema only
                name_kk=f"№{number} жалпы білім беретін мектеп",
                name_ru=f"Общеобразовательная школа №{number}",
                name_en=f"Secondary school No. {number}",
                short_name=f"ОШ №{number}",
                bin=valid_bin(number),
                region="Abai region",
                district=rng.choices(list(DISTRICTS), weights=list(DISTRICTS.values()))[0],
                address=f"{number} Abai avenue",
                status=School.Status.SUSPENDED if rng.random() < 0.02 else School.Status.ACTIVE,
            )
            for number in range(first, last)
        ]
    )
    domains = []
    for school, number in zip(schools, range(first, last), strict=True):
        domains.append(Domain(domain=f"school-{number}.{PLATFORM_DOMAIN}", tenant=school, is_primary=True))
        if number % 10 == 0:  # some schools keep their old domain too: the primary-host subquery must pick one
            domains.append(Domain(domain=f"school{number}.edu.kz", tenant=school, is_primary=False))
    Domain.objects.bulk_create(domains)

    entries, summaries = [], []
    for school in schools:
        if rng.random() < 0.03:
            continue  # opened since the last scan: no ledger rows yet ("not scanned yet", no score)
        care = rng.random()
        scanned_at = now - datetime.timedelta(hours=rng.uniform(0, 24))
        for section in CATALOGUE:
            provisioned = section.mandatory or section.code in {"news", "events"}
            if not provisioned and rng.random() > 0.4:
                continue  # an optional section the school has not enabled: the scan writes no row
            has_page = not section.mandatory or rng.random() > 0.03  # a mandatory section's page deleted
            complete = has_page and rng.random() < 0.35 + 0.65 * care
            last_updated = stale_since = None
            if has_page:
                # Careless schools let more time pass, up to twice the update period.
                age = rng.uniform(0, section.update_period_days * (0.5 + 1.5 * (1 - care)))
                last_updated = now - datetime.timedelta(days=age)
                due = last_updated + datetime.timedelta(days=section.update_period_days)
                stale_since = due if due <= now else None
            pending = rng.choices((0, 1, 2, 5), weights=(80, 12, 6, 2))[0]
            entries.append(
                LedgerEntry(
                    school=school,
                    section_code=section.code,
                    mandatory=section.mandatory,
                    complete=complete,
                    missing_count=0 if complete else rng.randint(1, 4),
                    last_updated=last_updated,
                    stale_since=stale_since,
                    period_days=section.update_period_days,
                    responsible_count=rng.randint(0, 3) if has_page else 0,
                    pending_reviews=pending,
                    findings_waiting=1 if pending and rng.random() < 0.2 else 0,
                    page_id=rng.randint(4, 500) if has_page else None,
                    scanned_at=scanned_at,
                )
            )
        administrators = "" if rng.random() < 0.04 else f"Admin{school.pk} Adminov"
        login = None if not administrators or rng.random() < 0.1 else now - datetime.timedelta(days=rng.uniform(0, 60))
        summaries.append(
            SchoolSummary(
                school=school, administrators=administrators, administrator_last_login=login, scanned_at=scanned_at
            )
        )
    LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    SchoolSummary.objects.bulk_create(summaries, batch_size=5000)

    with connection.cursor() as cursor:
        # created_at is auto_now_add (bulk_create sets it to now): spread it so "newest first" sorts something.
        cursor.execute(
            f"UPDATE {School._meta.db_table} SET created_at = now() - id * interval '7 hours' WHERE id >= %s",
            [schools[0].pk],
        )
        # Production tables have planner statistics; fresh bulk inserts have none until autovacuum comes.
        for model in (School, Domain, LedgerEntry, SchoolSummary):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def _inspector():
    """A read-only regional account (an inspector), opened as the office opens one.

    An office administrator would also have to pass the second factor; an inspector reads the same pages.
    """
    from django.contrib.auth import get_user_model

    from console.staff.roles import RegionalRole
    from console.staff.services import staff_add

    invitation = staff_add(
        email="inspector@bench.test", full_name="Bench Inspector", role=RegionalRole.INSPECTOR, by="bench"
    )
    return get_user_model().objects.get(username=invitation.email)


# --- The measures -----------------------------------------------------------------------


class _DatabaseTime:
    """Adds up the time spent executing queries (psycopg2 fetches all rows within execute)."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def _measure(client, path: str, repeats: int, warmup: int, check) -> Figures:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):  # template loading, translation catalogues, the planner's first look
        check(client.get(path))
    database = _DatabaseTime()
    seconds, sql_seconds = [], []
    with connection.execute_wrapper(database):
        for _ in range(repeats):
            database.seconds = 0.0
            started = time.perf_counter()
            response = client.get(path)
            seconds.append(time.perf_counter() - started)
            sql_seconds.append(database.seconds)
            check(response)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return Figures(seconds, sql_seconds, [query["sql"] for query in queries], len(response.content))


def _page_check(expected_rows: int):
    def check(response) -> None:
        assert response.status_code == 200, f"{response.status_code}: is the bench user still allowed in?"
        rows = response.content.count(b"<tr>") - 1  # the heading row
        assert rows == expected_rows, f"{rows} rows on the page, expected {expected_rows}"

    return check


def _export_check(expected_rows: int, content_type: str):
    def check(response) -> None:
        assert response.status_code == 200, f"{response.status_code}: is the bench user still allowed in?"
        assert response["Content-Type"].startswith(content_type), response["Content-Type"]
        if content_type == "text/csv":
            lines = response.content.decode("utf-8-sig").count("\r\n") - 1
            assert lines == expected_rows, f"{lines} schools in the CSV, expected {expected_rows}"

    return check


def _line(schools: int, label: str, figures: Figures) -> str:
    return (
        f"{schools:>6}  {label:<20} median {figures.median * 1000:7.1f} ms   p95 {figures.p95 * 1000:7.1f} ms   "
        f"SQL {statistics.median(figures.sql_seconds) * 1000:6.1f} ms   "
        f"{len(figures.queries):>2} queries   {figures.size / 1024:5.0f} KiB"
    )


def _measure_size(client, schools: int, district: str, args) -> dict[str, Figures]:
    from django.db.models import Count

    from console.views.console import SCHOOLS_PER_PAGE
    from tenants.models import School

    in_district = School.objects.filter(district=district).aggregate(n=Count("pk"))["n"]
    pages = {
        "first page": ("/", min(schools, SCHOOLS_PER_PAGE)),
        "sorted by score": ("/?sort=score", min(schools, SCHOOLS_PER_PAGE)),
        f"district {district}": (f"/?district={district}", min(in_district, SCHOOLS_PER_PAGE)),
    }
    results = {}
    for label, (path, rows) in pages.items():
        results[label] = _measure(client, path, args.repeats, 3, _page_check(rows))
        print(_line(schools, label, results[label]), flush=True)
    exports = {"export CSV": ("csv", "text/csv"), "export XLSX": ("xlsx", "application/vnd.openxmlformats")}
    for label, (kind, content_type) in exports.items():
        check = _export_check(schools, content_type)
        results[label] = _measure(client, f"/?export={kind}", args.export_repeats, 1, check)
        print(_line(schools, label, results[label]), flush=True)
    return results


def _explain(district: str, first_page: Figures) -> None:
    """One request's queries, and the database's plans of the overview's two (the paginator's count, the page)."""
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from compliance.overview import OverviewFilters, school_overview
    from console.views.console import SCHOOLS_PER_PAGE

    print("\nthe queries of one request for the first page:")
    for sql in first_page.queries:
        print(f"  {sql[:300]}{' ...' if len(sql) > 300 else ''}")
    for label, filters in (
        ("first page", OverviewFilters()),
        ("sorted by score", OverviewFilters(ordering="score")),
        (f"district {district}", OverviewFilters(district=district)),
    ):
        # The SQL exactly as the view sends it: the count first, then the page.
        with CaptureQueriesContext(connection) as queries:
            list(Paginator(school_overview(filters), SCHOOLS_PER_PAGE).get_page(1).object_list)
        for which, query in zip(("count", "page"), queries.captured_queries, strict=True):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\nEXPLAIN ANALYZE, {label}, {which}:\n{query['sql']}\n{plan}")


def _data_line(schools: int) -> str:
    """What the overview reads at this size, and the spread of the scores it computes."""
    from compliance.models import LedgerEntry, SchoolSummary
    from compliance.overview import OverviewFilters, school_overview

    scores = [school.score for school in school_overview(OverviewFilters())]
    scored = sorted(score for score in scores if score is not None)
    return (
        f"{schools:>6}  schools: {LedgerEntry.objects.count()} ledger rows, {SchoolSummary.objects.count()} summaries;"
        f" scores {scored[0]:.0f}-{scored[-1]:.0f} % (median {statistics.median(scored):.0f} %),"
        f" {len(scores) - len(scored)} not scanned yet"
    )


def _summary(results: dict[int, dict[str, Figures]], sizes: list[int]) -> None:
    largest = results[sizes[-1]]
    print(f"\nmedians and queries per request at {', '.join(map(str, sizes))} schools:")
    for label in largest:
        medians = " / ".join(f"{results[size][label].median * 1000:.1f}" for size in sizes)
        counts = ", ".join(str(len(results[size][label].queries)) for size in sizes)
        print(f"  {label:<20} {medians} ms;  queries {counts}")
    # Judged on the p95, not the median: the target is what a person waits for, most of the time.
    pages = [figures.p95 for label, figures in largest.items() if not label.startswith("export")]
    exports = [figures.p95 for label, figures in largest.items() if label.startswith("export")]
    constant = all(len({len(results[size][label].queries) for size in sizes}) == 1 for label in largest)
    print(
        f"targets at {sizes[-1]} schools (p95): pages <= {TARGET_PAGE_SECONDS * 1000:.0f} ms: "
        f"{'met' if max(pages) <= TARGET_PAGE_SECONDS else 'MISSED'} (slowest {max(pages) * 1000:.0f} ms); "
        f"queries constant: {'yes' if constant else 'NO'}; exports <= {TARGET_EXPORT_SECONDS:.0f} s: "
        f"{'met' if max(exports) <= TARGET_EXPORT_SECONDS else 'MISSED'} (slowest {max(exports):.2f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=1000, help="the largest size (default 1,000)")
    parser.add_argument("--baseline", type=int, default=10, help="the smallest size, the baseline (default 10)")
    parser.add_argument("--repeats", type=int, default=30, help="requests per overview page (default 30)")
    parser.add_argument("--export-repeats", type=int, default=5, help="requests per export (default 5)")
    parser.add_argument("--explain", action="store_true", help="print the database's plans at the largest size")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    url, _ = bench_database_url("_console")
    os.environ.update(
        DATABASE_URL=url,
        PLATFORM_DOMAIN=PLATFORM_DOMAIN,
        DJANGO_SETTINGS_MODULE="regional_platform.settings.dev",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # the inspector's invitation
        # As deployed: no debug rendering of templates, no query log kept in memory.
        DEBUG="false",
    )
    import django

    django.setup()
    logging.disable(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    # The baseline, each power of ten between, the largest: 10, 100, 1,000 by default.
    steps = (10**power for power in range(1, 7))
    sizes = sorted({args.baseline, *(size for size in steps if args.baseline < size < args.schools), args.schools})
    rng = random.Random(20261126)  # noqa: S311 (made-up schools, the same every run)
    try:
        started = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        print(f"setup: migrate the public schema: {time.perf_counter() - started:.1f} s")
        client = Client(HTTP_HOST=settings.PLATFORM_DOMAIN)
        client.force_login(_inspector())
        print(f"machine: {os.cpu_count()} cores; PostgreSQL at {urlsplit(url).hostname}:{urlsplit(url).port}")
        print(
            f"server time over {args.repeats} requests per page and {args.export_repeats} per export, "
            "after warm-up; SQL: time executing queries"
        )
        district = max(DISTRICTS, key=DISTRICTS.get)
        results, have = {}, 0
        for size in sizes:
            _schools_add(have + 1, size + 1, rng)
            have = size
            print(_data_line(size), flush=True)
            results[size] = _measure_size(client, size, district, args)
        _summary(results, sizes)
        if args.explain:
            _explain(district, results[sizes[-1]]["first page"])
    finally:
        connection.close()
        if not args.keep:
            _drop(url)


if __name__ == "__main__":
    main()
