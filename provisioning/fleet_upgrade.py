"""The SQL that takes a school from one schema version to the code's, computed once for all its schools.

Migrations send the same SQL to every school (Django's schema editor relies on ``search_path``,
``schema_template``), so the pending migrations are run once, in a scratch schema rebuilt from the
template of the old version, with every statement recorded. The result is checked as provisioning
checks its template: the upgraded scratch schema must have the structure of the current template
(replayed in a second scratch schema) and the same ``django_migrations``, content types and
permissions; otherwise the SQL is refused. Content types and permissions are what Django's
post-migrate signal adds; they are the same in every school, so they are copied from the current
template by natural key (``app_label``, ``model``, ``codename``), never by id.

A pending tenant migration with ``RunPython`` computes its SQL from the school's data; the recording
would carry the scratch school's data into every school, so schools of that version are migrated
one by one with the standard executor instead (``VersionUpgrade.fallback_reason``).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython, SeparateDatabaseAndState
from django.db.migrations.recorder import MigrationRecorder

from provisioning.models import SchemaTemplate
from provisioning.schema_catalog import STRUCTURE_QUERIES, catalog_differences
from provisioning.schema_template import (
    _SEPARATOR,
    _is_replayed,
    _replay,
    _tenant_app_configs,
    schema_template_of_version,
)
from tenants.db_backend.base import content_type_cache

UPGRADE_SCHEMA = "zz_fleet_upgrade_build"
TARGET_SCHEMA = "zz_fleet_upgrade_target"
_MIGRATION_RECORDED = 'INSERT INTO "django_migrations"'
# Between migrations the executor commits, which fires deferred foreign-key checks; the replay is one
# transaction per school, so it fires them there (as the provisioning template does).
_MIGRATION_BOUNDARY = ["SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED"]


class FleetUpgradeError(RuntimeError):
    """The recorded upgrade does not give the current template's structure: it must not be replayed."""


@dataclass(frozen=True)
class VersionUpgrade:
    """How schools of ``from_version`` reach ``to_version``: ``sql`` to replay, or one by one if it is None."""

    from_version: str
    to_version: str
    migrations: tuple[str, ...] = ()
    sql: str | None = None
    statement_count: int = 0
    fallback_reason: str = ""
    differences: list[str] = field(default_factory=list)


def recorder_has_table_by_regclass(recorder: MigrationRecorder) -> bool:
    """Django's "does django_migrations exist here?", answered by one catalog lookup.

    Django lists every table visible on the search path, which with hundreds of
    schools takes 70-105 ms and runs four times per school, so migrations over all
    schools grow with the square of their number (design.md). This looks in the
    first schema of the search path only (the school's), as django-tenants'
    introspection does, so ``public.django_migrations`` never answers for a school.
    """
    if recorder._has_table:
        return True
    with recorder.connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(format('%%I.%%I', current_schema(), %s::text))", [recorder.Migration._meta.db_table]
        )
        recorder._has_table = cursor.fetchone()[0] is not None
    return recorder._has_table


@contextmanager
def fast_migration_table_check():
    original = MigrationRecorder.has_table
    MigrationRecorder.has_table = recorder_has_table_by_regclass
    try:
        yield
    finally:
        MigrationRecorder.has_table = original


def _runs_python(migration) -> bool:
    def operations(ops):
        for op in ops:
            if isinstance(op, SeparateDatabaseAndState):
                yield from operations(op.database_operations)
            else:
                yield op

    return any(isinstance(op, RunPython) and op.code is not RunPython.noop for op in operations(migration.operations))


def _drop_scratch() -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{UPGRADE_SCHEMA}" CASCADE')
        cursor.execute(f'DROP SCHEMA IF EXISTS "{TARGET_SCHEMA}" CASCADE')


def version_upgrade_compute(*, from_version: str, current: SchemaTemplate) -> VersionUpgrade:
    """Record and verify the SQL that brings a school of ``from_version`` to ``current`` (seconds, once)."""
    to_version = current.schema_version
    old = schema_template_of_version(from_version) if from_version else None
    if old is None:
        return VersionUpgrade(from_version, to_version, fallback_reason="no template of this version is kept")
    if connection.in_atomic_block:
        raise RuntimeError("Upgrades are recorded outside transactions (migrations manage their own).")
    _drop_scratch()
    try:
        with fast_migration_table_check():
            with transaction.atomic():  # the template holds savepoints: it replays inside a transaction
                _replay(schema_name=UPGRADE_SCHEMA, sql=old.sql)
            connection.set_schema(UPGRADE_SCHEMA)
            executor = MigrationExecutor(connection)
            targets = executor.loader.graph.leaf_nodes()
            plan = executor.migration_plan(targets)
            tenant_labels = {config.label for config in _tenant_app_configs()}
            pending = [migration for migration, _ in plan if migration.app_label in tenant_labels]
            names = tuple(f"{migration.app_label}.{migration.name}" for migration in pending)
            if not pending:  # nothing to apply, yet a version other than the code's: they are ahead of it
                ahead = ["the schools hold tenant migrations the code does not have (a newer release's?)"]
                return VersionUpgrade(from_version, to_version, fallback_reason=ahead[0], differences=ahead)
            if any(backwards for _, backwards in plan):
                return VersionUpgrade(from_version, to_version, names, fallback_reason="a migration is unapplied")
            with_python = [f"{m.app_label}.{m.name}" for m in pending if _runs_python(m)]
            if with_python:
                reason = "RunPython in " + ", ".join(with_python) + " (its data depends on each school)"
                return VersionUpgrade(from_version, to_version, names, fallback_reason=reason)
            statements = _recorded_upgrade(executor, targets, plan)
        statements.append(_migrations_record_sql([(m.app_label, m.name) for m, _ in plan]))
        with transaction.atomic():
            _replay(schema_name=TARGET_SCHEMA, sql=current.sql)
        connection.set_schema(UPGRADE_SCHEMA)
        with connection.cursor() as cursor:
            for sql in _content_types_and_permissions_sql():
                cursor.execute(sql)
                if cursor.rowcount:  # a new model's content type or permission: every school needs it
                    statements.append(sql)
        connection.set_schema_to_public()
        differences = catalog_differences(_comparable(TARGET_SCHEMA), _comparable(UPGRADE_SCHEMA))
        if differences:
            return VersionUpgrade(
                from_version,
                to_version,
                names,
                fallback_reason="the upgraded schema differs from the current template",
                differences=differences,
            )
        leaked = [sql for sql in statements if UPGRADE_SCHEMA in sql]
        if leaked:
            raise FleetUpgradeError(f"A tenant migration names its schema explicitly: {leaked[0][:200]}")
        sql = _SEPARATOR.join(statements) + _SEPARATOR
        return VersionUpgrade(from_version, to_version, names, sql=sql, statement_count=len(statements))
    finally:
        _drop_scratch()
        content_type_cache().forget_schema(UPGRADE_SCHEMA)


def _recorded_upgrade(executor: MigrationExecutor, targets, plan) -> list[str]:
    """Run ``plan`` in the scratch schema (no post-migrate signal); return the statements it sent."""
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        if many:
            params = list(params)
        result = execute(sql, params, many, context)
        if sql.startswith(_MIGRATION_RECORDED):
            statements.extend(_MIGRATION_BOUNDARY)  # recorded once at the end, idempotently
        elif _is_replayed(sql):
            raw_cursor = context["cursor"].cursor
            for one in params if many else [params]:
                statements.append(raw_cursor.mogrify(sql, one).decode())
        return result

    with connection.execute_wrapper(record):
        executor.migrate(targets, plan=plan)
    connection.set_schema_to_public()
    return statements


def _values(rows: list[tuple]) -> str:
    with connection.cursor() as cursor:
        return ", ".join(cursor.mogrify("(" + ", ".join(["%s"] * len(row)) + ")", row).decode() for row in rows)


def _migrations_record_sql(applied: list[tuple[str, str]]) -> str:
    """Record ``applied`` in a school's ``django_migrations`` unless a row says so already."""
    if not applied:
        return "SELECT 1"
    return (
        'INSERT INTO "django_migrations" ("app", "name", "applied")'
        f" SELECT v.app, v.name, now() FROM (VALUES {_values(applied)}) AS v(app, name)"
        ' WHERE NOT EXISTS (SELECT 1 FROM "django_migrations" m WHERE m.app = v.app AND m.name = v.name)'
    )


def _content_types_and_permissions_sql() -> list[str]:
    """Two statements that add the current template's content types and permissions a school lacks."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app_label, model FROM "{TARGET_SCHEMA}".django_content_type ORDER BY id')
        content_types = cursor.fetchall()
        cursor.execute(
            f'SELECT c.app_label, c.model, p.codename, p.name FROM "{TARGET_SCHEMA}".auth_permission p'
            f' JOIN "{TARGET_SCHEMA}".django_content_type c ON c.id = p.content_type_id ORDER BY p.id'
        )
        permissions = cursor.fetchall()
    return [
        _natural_key_insert_content_types(content_types),
        _natural_key_insert_permissions(permissions),
    ]


def _natural_key_insert_content_types(rows: list[tuple]) -> str:
    return (
        'INSERT INTO "django_content_type" ("app_label", "model")'
        f" SELECT v.app_label, v.model FROM (VALUES {_values(rows)}) AS v(app_label, model)"
        ' WHERE NOT EXISTS (SELECT 1 FROM "django_content_type" c'
        " WHERE c.app_label = v.app_label AND c.model = v.model)"
        " ON CONFLICT (app_label, model) DO NOTHING"
    )


def _natural_key_insert_permissions(rows: list[tuple]) -> str:
    return (
        'INSERT INTO "auth_permission" ("name", "content_type_id", "codename")'
        f" SELECT v.name, c.id, v.codename FROM (VALUES {_values(rows)}) AS v(app_label, model, codename, name)"
        ' JOIN "django_content_type" c ON c.app_label = v.app_label AND c.model = v.model'
        ' WHERE NOT EXISTS (SELECT 1 FROM "auth_permission" p'
        " WHERE p.content_type_id = c.id AND p.codename = v.codename)"
        " ON CONFLICT (content_type_id, codename) DO NOTHING"
    )


def _comparable(schema: str) -> dict[str, list[tuple]]:
    """What must be equal between an upgraded school and a new one: structure, migrations, content types.

    Sequences' positions and seeded data legitimately differ (a school's rows are its own).
    """
    catalog: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        for topic, query in STRUCTURE_QUERIES.items():
            cursor.execute(query, {"schema": schema})
            catalog[topic] = [
                tuple(value.replace(f"{schema}.", "SCHEMA.") if isinstance(value, str) else value for value in row)
                for row in cursor.fetchall()
            ]
        catalog["sequences"] = [row[:-1] for row in catalog["sequences"]]  # without last_value
        cursor.execute(f'SELECT DISTINCT app, name FROM "{schema}".django_migrations ORDER BY 1, 2')
        catalog["data:django_migrations"] = cursor.fetchall()
        cursor.execute(f'SELECT app_label, model FROM "{schema}".django_content_type ORDER BY 1, 2')
        catalog["data:django_content_type"] = cursor.fetchall()
        cursor.execute(
            f'SELECT c.app_label, c.model, p.codename, p.name FROM "{schema}".auth_permission p'
            f' JOIN "{schema}".django_content_type c ON c.id = p.content_type_id ORDER BY 1, 2, 3'
        )
        catalog["data:auth_permission"] = cursor.fetchall()
    return catalog
