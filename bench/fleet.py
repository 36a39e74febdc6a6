"""Benchmark: a whole region on one PostgreSQL (issue 14).

    make bench-fleet                                   # 2,000 schools
    make bench-fleet BENCH_ARGS="--schools 300 --keep" # fewer; keep the database and reuse it next time
    make bench-fleet BENCH_ARGS="--schools 2100 --keep --sections migrate"   # 100 more, then the migrations

Runs in its own database (<DATABASE_URL's name>_fleet; --database-suffix for another). Builds the schools
with ``school_provision``: the first and the last 100 by one process alone, the ones between by parallel
processes (each on a fresh connection every few schools, as the import does), then prints, each against a
baseline measured in the same run (--sections picks them):

* provisioning seconds per bucket of 100 schools (median, p95); baseline: the first bucket (both alone);
* the catalog's size (relations, columns, bytes) per school and in all;
* a no-op fleet migrate of every school; baseline: django-tenants' standard executor on a sample;
* one added nullable column across all schools; baseline: the standard executor on a sample;
* the drift report over every school; baseline: comparing a sample's full catalogs one by one;
* one school's backup; baseline: ``pg_dump -n`` of the same school;
* a backend's memory after visiting every school, with and without the connection's schema bound.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.provision import _drop, bench_database_url  # noqa: E402

BUCKET = 100
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
    """The test factory's school, with the subdomain and BIN of its number: unique across processes."""
    from tests.factories import school_details, valid_bin

    return school_details(subdomain=SUBDOMAIN.format(number), bin=valid_bin(500_000 + number))


def _provision_share(numbers: list[int]) -> list[tuple[int, float]]:
    """One process's share of the schools, on a fresh connection every few schools (the import's policy)."""
    from django.db import connection

    from provisioning.school_import import provisioning_connection_recycle
    from provisioning.services import school_provision

    timings, on_connection = [], 0
    for number in numbers:
        started = time.perf_counter()
        school_provision(details=_school_details(number), send_invitations=False)
        timings.append((number, time.perf_counter() - started))
        on_connection = provisioning_connection_recycle(on_connection)
    connection.close()
    return timings


def provision_fleet(count: int, processes: int) -> None:
    """Provision schools up to ``count``: the first and the last bucket by one process alone, so that their
    seconds are a school's own (the targets compare them), the ones between by ``processes`` in parallel."""
    from django.db import connection

    from tenants.models import School

    have = School.objects.exclude(schema_name="public").count()
    if have >= count:
        print(f"provisioning: {have} schools already there (--keep)")
        return
    # Numbers (hence subdomains and BINs) go on after the highest taken, should another script have added some.
    taken = [
        int(name.rsplit("_", 1)[1])
        for name in School.objects.filter(schema_name__startswith="school_fleet_").values_list(
            "schema_name", flat=True
        )
    ]
    shift = max(0, max(taken, default=-1) + 1 - have)
    alone = [number + shift for number in range(have, count) if number < BUCKET or number >= count - BUCKET]
    between = [number + shift for number in range(have, count) if BUCKET <= number < count - BUCKET]
    connection.close()  # the children are forked: none may inherit this connection
    started = time.perf_counter()
    timings = []
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        timings += pool.apply(_provision_share, ([number for number in alone if number < BUCKET],))
        timings += [pair for share in pool.map(_provision_share, _shares(between, processes)) for pair in share]
        timings += pool.apply(_provision_share, ([number for number in alone if number >= BUCKET],))
    total = time.perf_counter() - started
    print(
        f"provisioning: {len(timings)} schools in {total:.0f} s"
        f" (between the first and the last 100: {processes} processes)"
    )
    buckets: dict[int, list[float]] = {}
    for number, seconds in sorted(timings):
        buckets.setdefault(number // BUCKET, []).append(seconds)
    alone_buckets = {number // BUCKET for number in alone}
    for bucket, values in sorted(buckets.items()):
        how = "alone" if bucket in alone_buckets else "parallel"
        print(_line(f"  schools {bucket * BUCKET + 1:>5}-{bucket * BUCKET + len(values):<5} {how:<8}", values))
    if 0 in buckets and len(buckets) > 1 and max(buckets) in alone_buckets:
        first, last = buckets[0], buckets[max(buckets)]
        print(
            f"  last bucket / first bucket (each alone):"
            f" median {statistics.median(last) / statistics.median(first):.2f}x,"
            f" p95 {_p95(last) / _p95(first):.2f}x"
        )


def _shares(numbers: list[int], processes: int) -> list[list[int]]:
    return [share for share in (numbers[index::processes] for index in range(processes)) if share]


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
    cluster_spread()


def cluster_spread() -> None:
    """On a Citus cluster (CITUS_WORKERS=2 make bench-fleet): how many schools each node holds; the catalog
    figures above are then the coordinator's, whose copies of the school tables hold no rows."""
    from tenants.cluster import cluster_nodes, schools_per_node

    nodes = cluster_nodes()
    if nodes:
        held = schools_per_node()
        print("cluster: " + ", ".join(f"node {node.address} {held.get(node.node_id, 0)} schools" for node in nodes))


# --- migrations ---------------------------------------------------------------------------------------------


def _migration_run(mode: str, schemas: list[str] = (), added: Path | None = None) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.fleet_settings"}
    env.pop("BENCH_ADDED_MIGRATIONS", None)
    if added is not None:
        env["BENCH_ADDED_MIGRATIONS"] = str(added)
    command = [sys.executable, str(BASE_DIR / "bench" / "fleet_migrations.py"), mode, *schemas]
    result = subprocess.run(command, env=env, cwd=BASE_DIR, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{mode} migrate failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _fleet_output(run: dict) -> None:
    """The command's own summary: where its time went (template, upgrade SQL, the schools)."""
    for line in run["output"].splitlines():
        if line.startswith(("Schools:", "  from ", "  FAILED")):
            print(f"  {line.strip()}")


def _added_migration_package(folder: Path) -> Path:
    """A copy of the workflows app's migrations plus one that adds a nullable column: a release's migration."""
    import workflows

    source = Path(workflows.__file__).parent / "migrations"
    package = folder / "bench_added_migrations" / "workflows"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    for migration in source.glob("*.py"):
        shutil.copy(migration, package / migration.name)
    latest = max(path.stem for path in source.glob("0*.py"))
    (package / "9000_bench_added_column.py").write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('workflows', '{latest}')]\n"
        "    operations = [migrations.AddField('sectionfreshness', 'bench_note',"
        " models.TextField(null=True, blank=True))]\n"
    )
    return folder


def _schema_sample(count: int) -> list[str]:
    from tenants.models import School

    names = list(School.objects.exclude(schema_name="public").order_by("pk").values_list("schema_name", flat=True))
    step = max(1, len(names) // max(count, 1))
    return names[::step][:count]


def migrations_noop(sample: int) -> None:
    from tenants.models import School

    schools = School.objects.exclude(schema_name="public").count()
    fleet = _migration_run("fleet")
    standard = _migration_run("standard", _schema_sample(sample))
    per = statistics.median(standard["per_school"])
    print(
        f"no-op migrate, fleet: {fleet['seconds']:.1f} s for {schools} schools (public schema and template included)"
    )
    _fleet_output(fleet)
    print(_line("  baseline, standard executor", standard["per_school"]))
    print(f"  baseline extrapolated: {per * schools:.0f} s for {schools} schools")


def migrations_added_column(sample: int) -> None:
    from django.db import connection

    from tenants.models import School

    schools = School.objects.exclude(schema_name="public").count()
    with tempfile.TemporaryDirectory() as folder:
        added = _added_migration_package(Path(folder))
        standard = _migration_run("standard", _schema_sample(sample), added=added)
        fleet = _migration_run("fleet", added=added)
    print(
        f"one added column, fleet: {fleet['seconds']:.1f} s for {schools} schools ({schools - sample} behind;"
        " the template's rebuild included)"
    )
    _fleet_output(fleet)
    print(_line("  baseline, standard executor", standard["per_school"]))
    print(
        f"  baseline extrapolated: {statistics.median(standard['per_school']) * schools:.0f} s for {schools} schools"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'workflows_sectionfreshness'"
            " AND column_name = 'bench_note'"
        )
        print(f"  schools with the new column: {cursor.fetchone()[0]} of {schools}")


def added_column_revert() -> None:
    """Take the bench's column out again, so that the code's own version is every school's (and --keep works)."""
    from django.db import connection, transaction

    from provisioning.models import SchemaTemplate
    from provisioning.schema_template import tenant_schema_version
    from tenants.models import School

    names = list(School.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    for start in range(0, len(names), 100):  # a lock per table: keep each transaction's share modest
        with transaction.atomic(), connection.cursor() as cursor:
            for name in names[start : start + 100]:
                cursor.execute(f'ALTER TABLE "{name}".workflows_sectionfreshness DROP COLUMN IF EXISTS bench_note')
                cursor.execute(f"DELETE FROM \"{name}\".django_migrations WHERE name = '9000_bench_added_column'")
    current = tenant_schema_version()
    School.objects.exclude(schema_name="public").update(schema_version=current)
    SchemaTemplate.objects.exclude(schema_version=current).delete()


# --- drift, backup, backends ---------------------------------------------------------------------------------


def drift_report(sample: int) -> None:
    from django.db import connection

    from provisioning.schema_catalog import STRUCTURE_QUERIES
    from provisioning.schema_drift import Status, schools_drift_report

    connection.close()
    started = time.perf_counter()
    report = schools_drift_report()
    seconds = time.perf_counter() - started
    connection.close()
    print(f"drift report: {seconds:.1f} s; {report.summary()}")
    per_school = []
    for schema in _schema_sample(sample):  # the same structure read one school at a time
        one = time.perf_counter()
        with connection.cursor() as cursor:
            for query in STRUCTURE_QUERIES.values():
                cursor.execute(query, {"schema": schema})
                cursor.fetchall()
        per_school.append(time.perf_counter() - one)
    connection.close()
    schools = len(report.schools)
    print(_line("  baseline, catalog per school", per_school))
    print(f"  baseline extrapolated: {statistics.median(per_school) * schools:.0f} s for {schools} schools")
    drifted = report.with_status(Status.DRIFTED)
    if drifted:
        print(f"  drifted: {[school.schema_name for school in drifted[:5]]} {drifted[0].differences[:3]}")


def school_backup_figures() -> None:
    from bench.school_backup import backup_figures
    from tenants.models import School

    school = School.objects.exclude(schema_name="public").order_by("-pk").first()
    with tempfile.TemporaryDirectory() as folder:
        figures = backup_figures(school, Path(folder))
    print(
        "one school's backup ("
        + school.schema_name
        + "): "
        + ", ".join(f"{name} {value:.2f}" for name, value in figures.items())
    )


def backend_memory() -> None:
    from bench.scan import _backend_memory
    from tenants.models import School

    _backend_memory(list(School.objects.exclude(schema_name="public").order_by("pk")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="provisioning processes")
    parser.add_argument("--sample", type=int, default=20, help="schools the per-school baselines run on")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the bench database")
    parser.add_argument("--database-suffix", default="_fleet", help="the bench database: <name><suffix>")
    parser.add_argument(
        "--sections",
        default="migrate,drift,backup,memory",
        help="what to measure after provisioning and the catalog (comma-separated; '' for none)",
    )
    args = parser.parse_args()

    url, reused = bench_database_url(args.database_suffix, reuse=args.keep)
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
        sections = {name.strip() for name in args.sections.split(",") if name.strip()}
        if "migrate" in sections:
            migrations_noop(args.sample)
            migrations_added_column(args.sample)
            added_column_revert()
        if "drift" in sections:
            drift_report(args.sample)
        if "backup" in sections:
            school_backup_figures()
        if "memory" in sections:
            backend_memory()
    finally:
        connection.close()
        if not args.keep:
            _drop(url)


if __name__ == "__main__":
    main()
