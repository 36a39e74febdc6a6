"""Benchmark: seconds to provision a school, fast path against the migrations baseline.

    make bench                                  # 50 schools fast, 5 by migrations
    make bench BENCH_ARGS="--schools 200 --baseline 10"
    make bench BENCH_ARGS="--one-connection 30 --history 20"   # issue 14's comparisons

The fast path takes a fresh connection every ``FRESH_CONNECTION_EVERY`` schools, as the import does
(``--fresh-every``); ``--one-connection N`` then provisions N more on one connection, and ``--history N``
N more from the template as it was before issue 14 (every statement the migrations sent).

Runs in its own database (<DATABASE_URL's name>_bench), made fresh and dropped
afterwards, so it never touches the demo's data. Each school is the whole of
``school_provision``: validation, schema, home page, site, two accounts.
The baseline is the same service with the schema built by running the
migrations, which is what django-tenants does by default.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from tenants.citus_databases import cluster_nodes, database_distribute, database_drop  # noqa: E402


def bench_database_url(
    suffix: str = "_bench", *, reuse: bool = False, cluster: bool | None = None
) -> tuple[str, bool]:
    """A scratch database beside DATABASE_URL's, made fresh (or reused if ``reuse`` and it exists).

    When DATABASE_URL is a Citus coordinator the scratch database is made a Citus database on every node
    (its schools spread over the workers), unless ``cluster`` is False: then it is a plain database on the
    coordinator's server, the single-node baseline of ``bench/citus.py``. Returns its URL and whether an
    existing one is reused.
    """
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("Run through the launcher (make bench, make bench-scan), or set DATABASE_URL.")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    nodes = _citus_nodes(url) if cluster is not False else None
    if cluster and nodes is None:
        sys.exit("DATABASE_URL is not a Citus coordinator (start one with CITUS_WORKERS=2).")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        reused = reuse and cursor.fetchone() is not None
    admin.close()
    if not reused:
        _drop(urlunsplit(parts._replace(path=f"/{name}")), nodes=nodes)
        if nodes is None:
            admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
            admin.autocommit = True
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
            admin.close()
        else:
            coordinator, workers = nodes
            database_distribute(name, coordinator=coordinator, workers=workers, **_credentials(parts))
    return urlunsplit(parts._replace(path=f"/{name}")), reused


def _credentials(parts) -> dict:
    return {"user": parts.username or "postgres", "password": parts.password}


def _citus_nodes(url: str):
    """The coordinator and workers when ``url`` is a Citus coordinator's database, else None."""
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            return cluster_nodes(cursor)
    finally:
        connection.close()


def _drop(url: str, nodes=None) -> None:
    """Drop the scratch database, on every node of the cluster when it is a Citus database."""
    parts = urlsplit(url)
    if nodes is None:
        try:
            nodes = _citus_nodes(url)
        except psycopg2.OperationalError:
            nodes = None  # it does not exist (on the coordinator at least)
    if nodes is not None:
        coordinator, workers = nodes
        database_drop(parts.path.lstrip("/"), nodes=[coordinator, *workers], **_credentials(parts))
        return
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    admin.close()


def _figures(label: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"{label:<12} n={len(seconds):<4} median {statistics.median(seconds):.3f} s   "
        f"p95 {p95:.3f} s   min {ordered[0]:.3f} s   max {ordered[-1]:.3f} s"
    )


def _timed(count: int, prefix: str, provision, *, fresh_every: int = 0) -> list[float]:
    """Seconds per school; with ``fresh_every``, a fresh connection every that many schools, as the import
    does (0: one connection throughout). Reconnecting is inside the timed school, as it is in an import."""
    from django.db import connection

    from tests.factories import school_details

    seconds, backend = [], []
    for number in range(count):
        details = school_details(subdomain=f"{prefix}-{number}")
        connection.ensure_connection()
        process = connection.connection.info.backend_pid
        started, started_cpu = time.perf_counter(), _backend_cpu(process)
        provision(details)
        if started_cpu is not None:
            backend.append(_backend_cpu(process) - started_cpu)
        if fresh_every and (number + 1) % fresh_every == 0:
            connection.close()
        seconds.append(time.perf_counter() - started)
    _BACKEND_SECONDS[prefix] = backend
    return seconds


# CPU seconds of the PostgreSQL backend per school, by run, when the server runs on this machine: on a
# shared machine the wall time mostly measures the other processes, the backend's CPU time far less so.
_BACKEND_SECONDS: dict[str, list[float]] = {}


def _backend_cpu(process: int) -> float | None:
    try:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a server elsewhere
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_figures(prefix: str) -> str:
    seconds = _BACKEND_SECONDS.get(prefix)
    if not seconds:
        return "    backend CPU: not measured (the server is not on this machine)"
    tenth = max(1, len(seconds) // 10)
    return (
        f"    backend CPU median {statistics.median(seconds):.3f} s   "
        f"first 10% {statistics.median(seconds[:tenth]):.3f} s   last 10% {statistics.median(seconds[-tenth:]):.3f} s"
    )


def _by_template(details) -> None:
    from provisioning import services as provisioning

    provisioning.school_provision(details=details)


def _by_history_template():
    """The fast path as it was before issue 14: the template is every statement the migrations sent."""
    from provisioning import schema_template, services
    from provisioning.models import SchemaTemplate

    statements, _built = schema_template._recorded_migration_sql()
    template = SchemaTemplate(
        fingerprint=schema_template.migrations_fingerprint(),
        sql=schema_template._SEPARATOR.join(statements) + schema_template._SEPARATOR,
        statement_count=len(statements),
    )

    def provision(details) -> None:
        services.schema_template_current, kept = (lambda: template), services.schema_template_current
        try:
            services.school_provision(details=details)
        finally:
            services.schema_template_current = kept

    return provision


def _by_migrations(details) -> None:
    """django-tenants' default: save the tenant, migrate its new schema (outside a
    transaction), then the same site and accounts as the fast path."""
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from provisioning import services as provisioning
    from provisioning.schema_template import schema_build_slowly
    from tenants.hosts import school_hostname
    from tenants.models import Domain

    details = provisioning.school_details_clean(details)
    school = provisioning._school_instance(details)
    school.save()
    hostname = school_hostname(details.subdomain)
    Domain.objects.create(domain=hostname, tenant=school, is_primary=True)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{school.schema_name}"')
    schema_build_slowly(school.schema_name)
    with transaction.atomic(), schema_context(school.schema_name):
        provisioning._site_install(school=school, hostname=hostname)
        provisioning._accounts_create(details=details, hostname=hostname)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=50, help="schools on the fast path (default 50)")
    parser.add_argument("--baseline", type=int, default=5, help="schools built by migrations (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument(
        "--fresh-every", type=int, default=None, help="a fresh connection every N schools (default: as the import)"
    )
    parser.add_argument("--one-connection", type=int, default=0, help="then N more schools on one connection")
    parser.add_argument(
        "--history", type=int, default=0, help="then N schools from the migrations' recorded statements (before 14)"
    )
    args = parser.parse_args()

    url, _ = bench_database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regional_platform.settings.dev")
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    import django

    django.setup()
    logging.disable(logging.INFO)
    from django.core.management import call_command
    from django.db import connection

    try:
        started = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=0)
        print(f"setup: migrate public schema and record the template: {time.perf_counter() - started:.1f} s")
        from provisioning.school_import import FRESH_CONNECTION_EVERY

        fresh_every = FRESH_CONNECTION_EVERY if args.fresh_every is None else args.fresh_every
        fast = _timed(args.schools, "fast", _by_template, fresh_every=fresh_every)
        one_connection = _timed(args.one_connection, "one", _by_template)
        print(f"machine: {os.cpu_count()} cores; PostgreSQL at {urlsplit(url).hostname}:{urlsplit(url).port}")
        print(f"fast path: a fresh connection every {fresh_every or 'never'} schools")
        print(_figures("fast path", fast))
        tenth = max(1, len(fast) // 10)
        print(_figures("  first 10%", fast[:tenth]))
        print(_figures("  last 10%", fast[-tenth:]))
        print(_backend_figures("fast"))
        if one_connection:
            print(_figures("one conn.", one_connection))
            print(_figures("  first 10%", one_connection[: max(1, len(one_connection) // 10)]))
            print(_figures("  last 10%", one_connection[-max(1, len(one_connection) // 10) :]))
            print(_backend_figures("one"))
        if args.history:
            history = _timed(args.history, "history", _by_history_template(), fresh_every=fresh_every)
            print(_figures("history", history))
            print(_backend_figures("history"))
        baseline = _timed(args.baseline, "migrated", _by_migrations)
        print(_figures("migrations", baseline))
        print(_backend_figures("migrated"))
        print(f"speed-up (median): {statistics.median(baseline) / statistics.median(fast):.1f}x")
    finally:
        connection.close()
        if not args.keep:
            _drop(url)


if __name__ == "__main__":
    main()
