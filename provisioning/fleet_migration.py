"""Migrate every school on a deploy in about a minute: the upgrade's SQL computed once, replayed in parallel.

django-tenants' ``migrate_schemas`` visits every school in Python: it plans, rebuilds model state and
fires the post-migrate signal for each, 0.67 s a school even when there is nothing to do (issue 14).
Here, one query in the public schema finds the schools that are behind (``fleet_versions``); for each
version they are at, the SQL that brings them current is recorded once and verified against the
current template (``fleet_upgrade``); then a few processes replay it, each school in its own
transaction with a ``lock_timeout``, and the same transaction records the school's new
``schema_version``: that is the progress, so an interrupted run is resumed by running it again.
A school that fails (a lock it waited for too long, an SQL error) is recorded in
``FleetMigrationFailure`` and reported; the others go on. Schools whose upgrade cannot be replayed
(no template of their version is kept, a ``RunPython`` migration) are migrated one by one with
django-tenants' standard executor, in parallel processes, and the summary says so.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg2
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, get_tenant_base_migrate_command_class

from provisioning.fleet_upgrade import VersionUpgrade, fast_migration_table_check, version_upgrade_compute
from provisioning.fleet_versions import BehindSchool, schools_behind, schools_count, unknown_versions_classify
from provisioning.models import FleetMigrationFailure
from provisioning.schema_template import schema_template_current, tenant_schema_version
from tenants.models import School

# A school waits this long for a lock (a long request holding its table) before it is left for a re-run.
LOCK_TIMEOUT = "5s"
# A connection migrates this many schools, then is closed: a backend that touched hundreds of
# schemas keeps their catalog entries cached and swells (design.md, "Long-lived connections swell").
SCHOOLS_PER_CONNECTION = 25
PROCESSES = 2
# Serialises fleet migrations across processes and hosts (any constant unique to this use).
_FLEET_LOCK_KEY = 72_401_014
_FAILURES_SHOWN = 20  # in the summary; every failure is in tenants_fleetmigrationfailure


@dataclass
class FleetSummary:
    """What a fleet migration did; ``failed`` maps a school's schema name to its error.

    A failed school keeps one row in ``FleetMigrationFailure`` (its latest error) until a run migrates it.
    """

    template: str = ""  # the provisioning template new schools are built from, now current
    schools: int = 0
    up_to_date: int = 0
    migrated: int = 0
    migrated_one_by_one: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    upgrades: list[VersionUpgrade] = field(default_factory=list)
    template_seconds: float = 0.0  # bringing the provisioning template current (rebuilt after a new migration)
    upgrade_seconds: float = 0.0  # computing and verifying each version's upgrade SQL
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed

    def lines(self) -> list[str]:
        result = [
            f"Schools: {self.schools}; up to date: {self.up_to_date}; migrated: {self.migrated}"
            f" (one by one: {self.migrated_one_by_one}); failed: {len(self.failed)}; {self.seconds:.1f} s"
            f" (template {self.template_seconds:.1f} s, upgrade SQL {self.upgrade_seconds:.1f} s)"
        ]
        for upgrade in self.upgrades:
            how = (
                f"replayed ({upgrade.statement_count} statements)"
                if upgrade.sql is not None
                else f"migrated one by one: {upgrade.fallback_reason}"
            )
            result.append(f"  from {upgrade.from_version[:12] or 'unknown'}: {', '.join(upgrade.migrations)}; {how}")
            result += [f"    {line}" for line in upgrade.differences[:10]]
        failed = sorted(self.failed.items())
        result += [f"  FAILED {schema}: {error}" for schema, error in failed[:_FAILURES_SHOWN]]
        if len(failed) > _FAILURES_SHOWN:
            result.append(f"  ... and {len(failed) - _FAILURES_SHOWN} more")
        if failed:
            result.append("  Run the command again to retry them (tenants_fleetmigrationfailure keeps the errors).")
        return result


def fleet_migrate(
    *,
    processes: int = PROCESSES,
    schools_per_connection: int = SCHOOLS_PER_CONNECTION,
    lock_timeout: str = LOCK_TIMEOUT,
    stdout=None,
) -> FleetSummary:
    """Bring every school's schema to the code's migrations (the public schema must be migrated first).

    Makes the provisioning template current, finds the behind schools in one query, replays each
    version's verified upgrade into them in ``processes`` parallel processes, and returns the summary.
    """
    with _one_fleet_run():
        return _fleet_migrate(
            processes=processes, schools_per_connection=schools_per_connection, lock_timeout=lock_timeout, out=stdout
        )


class FleetMigrationRunning(RuntimeError):
    """Another fleet migration holds the lock: two would share the scratch schemas and the same schools."""


@contextmanager
def _one_fleet_run():
    """A session-level advisory lock on a connection of its own (the others are closed to fork workers)."""
    holder = psycopg2.connect(**connection.get_connection_params())
    holder.autocommit = True
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_FLEET_LOCK_KEY])
            if not cursor.fetchone()[0]:
                raise FleetMigrationRunning("Another migrate_schemas is migrating the schools; wait for it to end.")
        yield
    finally:
        holder.close()  # ends the session, and with it the lock


def _fleet_migrate(*, processes: int, schools_per_connection: int, lock_timeout: str, out) -> FleetSummary:
    started = time.monotonic()
    out = out or sys.stdout
    current = schema_template_current()
    template_ready = time.monotonic()
    behind = unknown_versions_classify(schools_behind(current.schema_version))
    behind = [school for school in behind if school.schema_version != current.schema_version]
    summary = FleetSummary(template=str(current), schools=schools_count(), template_seconds=template_ready - started)
    summary.up_to_date = summary.schools - len(behind)
    by_version: dict[str, list[BehindSchool]] = defaultdict(list)
    for school in behind:
        by_version[school.schema_version].append(school)
    one_by_one: list[BehindSchool] = []
    for version, schools in sorted(by_version.items()):
        computing = time.monotonic()
        upgrade = version_upgrade_compute(from_version=version, current=current)
        summary.upgrade_seconds += time.monotonic() - computing
        summary.upgrades.append(upgrade)
        out.write(f"{len(schools)} schools at version {version[:12] or 'unknown'}: {', '.join(upgrade.migrations)}\n")
        if upgrade.differences:
            refusal = "upgrade refused: " + "; ".join(upgrade.differences[:3])
            for school in schools:  # the same SQL would give them a structure new schools do not have
                summary.failed[school.schema_name] = refusal
            FleetMigrationFailure.objects.filter(school_id__in=[school.id for school in schools]).delete()
            FleetMigrationFailure.objects.bulk_create(
                FleetMigrationFailure(school_id=school.id, target_version=current.schema_version, error=refusal)
                for school in schools
            )
            continue
        if upgrade.sql is None:
            out.write(f"  migrated one by one with the standard executor: {upgrade.fallback_reason}\n")
            one_by_one += schools
            continue
        for schema_name, error in upgrade_replay(
            upgrade=upgrade,
            schools=schools,
            processes=processes,
            schools_per_connection=schools_per_connection,
            lock_timeout=lock_timeout,
        ).items():
            if error is None:
                summary.migrated += 1
            else:
                summary.failed[schema_name] = error
    if one_by_one:
        for schema_name, error in schools_migrate_one_by_one(
            schools=one_by_one, to_version=current.schema_version, processes=processes
        ).items():
            if error is None:
                summary.migrated += 1
                summary.migrated_one_by_one += 1
            else:
                summary.failed[schema_name] = error
    summary.seconds = time.monotonic() - started
    return summary


def _in_processes(function, batches: list[tuple], processes: int) -> dict[str, str | None]:
    """Run ``function(*batch)`` for each batch in forked processes; merge the {schema: error} they return."""
    results: dict[str, str | None] = {}
    if not batches:
        return results
    # Forked children must not share the parent's socket: each opens its own connections.
    connections.close_all()
    if processes <= 1:
        for batch in batches:
            results.update(function(*batch))
        return results
    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork")) as pool:
        for outcome in pool.map(function, *zip(*batches, strict=True)):
            results.update(outcome)
    return results


def upgrade_replay(
    *,
    upgrade: VersionUpgrade,
    schools: list[BehindSchool],
    processes: int = PROCESSES,
    schools_per_connection: int = SCHOOLS_PER_CONNECTION,
    lock_timeout: str = LOCK_TIMEOUT,
) -> dict[str, str | None]:
    """Replay ``upgrade.sql`` into ``schools`` in parallel; {schema name: None if migrated, else the error}."""
    params = connection.get_connection_params()
    pairs = [(school.id, school.schema_name) for school in schools]
    batches = [
        (params, upgrade, pairs[start : start + schools_per_connection], lock_timeout)
        for start in range(0, len(pairs), schools_per_connection)
    ]
    return _in_processes(_replay_batch, batches, processes)


def _replay_batch(params: dict, upgrade: VersionUpgrade, schools: list[tuple[int, str]], lock_timeout: str):
    """One fresh connection replays the upgrade into each school, a transaction each (runs in a child process)."""
    outcomes: dict[str, str | None] = {}
    raw = psycopg2.connect(**params)
    try:
        for school_id, schema_name in schools:
            if raw.closed:  # the server ended the session (a school's error can): the next school gets a new one
                raw = psycopg2.connect(**params)
            outcomes[schema_name] = _replay_one(raw, upgrade, school_id, schema_name, lock_timeout)
    finally:
        raw.close()
    return outcomes


class _VersionMoved(Exception):
    """The school's version changed since it was found behind (another run migrated it)."""


def _replay_one(raw, upgrade: VersionUpgrade, school_id: int, schema_name: str, lock_timeout: str) -> str | None:
    try:
        with raw, raw.cursor() as cursor:  # one transaction: committed, or rolled back on any error
            cursor.execute("SET LOCAL lock_timeout = %s", [lock_timeout])
            cursor.execute("SELECT set_config('search_path', format('%%I, public', %s::text), true)", [schema_name])
            cursor.execute(upgrade.sql)
            cursor.execute(
                "UPDATE public.tenants_school SET schema_version = %s WHERE id = %s AND schema_version = %s",
                [upgrade.to_version, school_id, upgrade.from_version],
            )
            if cursor.rowcount != 1:
                raise _VersionMoved
            cursor.execute("DELETE FROM public.tenants_fleetmigrationfailure WHERE school_id = %s", [school_id])
        return None
    except _VersionMoved:
        return None  # whoever moved it is responsible for it; nothing here was committed
    except psycopg2.Error as error:
        message = str(error).strip() or type(error).__name__
        if not raw.closed:
            with raw, raw.cursor() as cursor:
                cursor.execute("DELETE FROM public.tenants_fleetmigrationfailure WHERE school_id = %s", [school_id])
                cursor.execute(
                    "INSERT INTO public.tenants_fleetmigrationfailure (school_id, target_version, error, failed_at)"
                    " VALUES (%s, %s, %s, %s)",
                    [school_id, upgrade.to_version, message, timezone.now()],
                )
        return message


def schools_migrate_one_by_one(
    *, schools: list[BehindSchool], to_version: str, processes: int = PROCESSES
) -> dict[str, str | None]:
    """django-tenants' standard migrate for each school, in parallel processes; records each one's version."""
    per_process = max(1, -(-len(schools) // max(1, processes)))
    batches = [
        ([(s.id, s.schema_name) for s in schools[start : start + per_process]], to_version)
        for start in range(0, len(schools), per_process)
    ]
    return _in_processes(_migrate_batch, batches, processes)


def _migrate_batch(schools: list[tuple[int, str]], to_version: str) -> dict[str, str | None]:
    import io

    from django_tenants.migration_executors.base import run_migrations

    outcomes: dict[str, str | None] = {}
    parser = get_tenant_base_migrate_command_class()().create_parser("manage.py", "migrate")
    options = {**vars(parser.parse_args([])), "verbosity": 0, "interactive": False, "skip_checks": True}
    options["stdout"] = io.StringIO()
    for school_id, schema_name in schools:
        try:
            with fast_migration_table_check():
                run_migrations([], options, "standard", schema_name)  # closes its connection afterwards
            School.objects.filter(pk=school_id).update(schema_version=to_version)
            FleetMigrationFailure.objects.filter(school_id=school_id).delete()
            outcomes[schema_name] = None
        except Exception as error:  # any migration error: recorded, the other schools go on
            connection.close()
            FleetMigrationFailure.objects.filter(school_id=school_id).delete()
            FleetMigrationFailure.objects.create(school_id=school_id, target_version=to_version, error=str(error))
            outcomes[schema_name] = str(error) or type(error).__name__
    return outcomes


def schools_version_record(*, schema_names: list[str] | None = None) -> int:
    """After django-tenants' own migrate succeeded: those schools (all if None) hold the code's migrations."""
    version = tenant_schema_version()
    schools = School.objects.exclude(schema_name=get_public_schema_name())
    if schema_names is not None:
        schools = schools.filter(schema_name__in=schema_names)
    return schools.exclude(schema_version=version).update(schema_version=version)
