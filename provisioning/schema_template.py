"""Build a school's schema in a fraction of a second, exactly as migrations would.

Running the migrations for a new school costs about 5 s, nearly all of it Python working out migration
state (design.md, "Provisioning by migrations is slow"), and seeding the site's home page and sections
some 800 queries more. The result is the same for every school, so we run them once, in a throwaway
schema, and store the SQL that rebuilds what they built: its final DDL and rows, without the history
of how the migrations got there (``schema_dump``). Provisioning replays that script in the new school's
schema in one round trip, then names the site after the school. Where pg_dump is missing or its output
cannot be read, the template is the statements the migrations sent, recorded with their parameters
bound (slower to replay, identical in effect).

Why not django-tenants' ``clone_schema``: it renames 12 of 31 unique constraints, and a later migration
that drops one by name then fails on cloned schools only. pg_dump writes the names the migrations gave.

Every build is checked before it is stored: the script is replayed into a second scratch schema and the
catalog and data of both are compared (``schema_catalog``); a script that does not reproduce the
migrations exactly is refused, with the differences. The template is keyed by a fingerprint of
everything the migrations' SQL depends on (the tenant apps' migration files, these modules,
Django/Wagtail/psycopg2 and PostgreSQL versions, the settings the migrations read), so a template behind
the code is never used: ``migrate_schemas`` rebuilds it, and ``schema_template_current`` rebuilds it on
demand if a deploy skipped that. ``tests/provisioning/test_schema_fidelity.py`` compares a provisioned
schema with one built by running the migrations.
"""

from __future__ import annotations

import hashlib
import io
import logging
import sys
from functools import cache
from pathlib import Path

import django
import psycopg2
import sqlparse
import wagtail
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import translation
from django.utils.functional import Promise
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import get_tenant_base_migrate_command_class

import regulation.catalogue
import school_sections.services
from provisioning import pg_tools, schema_dump
from provisioning.models import SchemaTemplate
from provisioning.schema_catalog import catalog_differences, schema_catalog
from school_sections.services import school_site_seed
from tenants.cluster import cluster_enabled
from tenants.db_backend.base import content_type_cache

logger = logging.getLogger(__name__)

# Where the migrations run while they are recorded; dropped afterwards.
BUILD_SCHEMA = "zz_school_template_build"
VERIFY_SCHEMA = "zz_school_template_verify"
# Between recorded statements; on its own line so that a trailing "-- comment" cannot swallow it.
_SEPARATOR = "\n;\n"
# Settings that migrations read (Wagtail's initial Locale comes from LANGUAGE_CODE).
_FINGERPRINT_SETTINGS = (
    "LANGUAGE_CODE",
    "LANGUAGES",
    "WAGTAIL_CONTENT_LANGUAGES",
    "AUTH_USER_MODEL",
    "DEFAULT_AUTO_FIELD",
)
# Serialises template builds across processes (any constant unique to this use).
_BUILD_LOCK_KEY = 72_401_001

# Django records each applied migration with this statement, in the migration's transaction.
_MIGRATION_RECORDED = 'INSERT INTO "django_migrations"'
# Statements that only read, or only steer the session, are not replayed.
_SKIPPED_PREFIXES = ("SELECT", "SHOW", "SET SEARCH_PATH")


def _plain(value):
    """``value`` with its lazy translations turned into their untranslated text."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in sorted(value.items())}
    return value


def _settings_text() -> str:
    """The settings migrations read, the same in every language: LANGUAGES holds lazy names, which would
    otherwise make the fingerprint of a process serving Russian differ from one serving Kazakh, and each
    would take the other's template for stale and rebuild it."""
    with translation.override(None):
        return repr([(name, _plain(getattr(settings, name, None))) for name in _FINGERPRINT_SETTINGS])


class SchemaTemplateError(RuntimeError):
    """The recorded SQL does not rebuild what the migrations built; provisioning must not use it."""


@cache
def migrations_fingerprint() -> str:
    """A digest of everything the tenant migrations' SQL depends on (see the module docstring)."""
    tenant_labels = {
        config.label
        for config in _tenant_app_configs()  # labels, since migrations are keyed by label
    }
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    seeded_from = [
        Path(__file__),  # what is recorded
        Path(schema_dump.__file__),  # and how the built schema is written out
        Path(school_sections.services.__file__),  # the seeded site: its code, catalogue, models,
        Path(regulation.catalogue.__file__),  # and the Kazakh titles it stores
        *sorted(Path(school_sections.services.__file__).parent.joinpath("models").glob("*.py")),
        *sorted(Path(settings.BASE_DIR, "locale", "kk").rglob("*.mo")),
    ]
    for path in seeded_from:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    versions = (
        django.get_version(),
        wagtail.__version__,
        psycopg2.__version__,
        connection.cursor().connection.server_version,
    )
    digest.update(repr(versions).encode())
    digest.update(_settings_text().encode())
    for app_label, name in sorted(loader.disk_migrations):
        if app_label not in tenant_labels:
            continue
        module = sys.modules[loader.disk_migrations[app_label, name].__module__]
        digest.update(f"{app_label}.{name}\n".encode())
        with open(module.__file__, "rb") as source:
            digest.update(hashlib.sha256(source.read()).digest())
    return digest.hexdigest()


@cache
def tenant_schema_version() -> str:
    """The schema version of the code: a digest of the names of every tenant migration.

    A school whose ``School.schema_version`` equals it has every migration applied
    (``provisioning.fleet_migration`` keeps that true); unlike ``migrations_fingerprint``
    it does not change when only the seeded site or a library's SQL changes, which
    concern new schools, not the structure of existing ones.
    """
    return _schema_version_of(tenant_migration_names())


def tenant_migration_names() -> list[tuple[str, str]]:
    """(app_label, name) of every tenant migration on disk, sorted."""
    tenant_labels = {config.label for config in _tenant_app_configs()}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(key for key in loader.disk_migrations if key[0] in tenant_labels)


def _schema_version_of(names) -> str:
    return hashlib.sha256("\n".join(f"{app}.{name}" for app, name in sorted(names)).encode()).hexdigest()


def _tenant_app_configs():
    from django.apps import apps

    tenant_apps = set(settings.TENANT_APPS)
    return [config for config in apps.get_app_configs() if config.name in tenant_apps]


def schema_build_slowly(schema_name: str) -> None:
    """The slow path, which the template records: migrate an empty schema, then seed the school site."""
    schema_migrate(schema_name)
    connection.set_schema(schema_name)
    try:
        school_site_seed()
    finally:
        connection.set_schema_to_public()


def schema_migrate(schema_name: str) -> None:
    """Run every tenant migration in an existing, empty schema."""
    content_type_cache().forget_schema(schema_name)
    connection.set_schema(schema_name, include_public=False)
    # As django-tenants does: make django_migrations here, or public's would be found.
    MigrationRecorder(connection).ensure_schema()
    connection.set_schema(schema_name)
    try:
        call_command(
            get_tenant_base_migrate_command_class()(),
            interactive=False,
            verbosity=0,
            skip_checks=True,
            stdout=io.StringIO(),
        )
    finally:
        connection.set_schema_to_public()


def _is_replayed(sql: str) -> bool:
    head = sql.lstrip()[:40].upper()
    if not head.startswith(_SKIPPED_PREFIXES):
        return True
    if ";" in sql.strip().rstrip(";"):
        return True  # several statements (RunSQL): more than a read
    # A SELECT that moves a sequence changes state; keep it. Any other state a skipped
    # statement changed would show up in the build's verification.
    upper = sql.upper()
    return head.startswith("SELECT") and ("SETVAL" in upper or "NEXTVAL" in upper)


def _recorded_migration_sql() -> tuple[list[str], dict]:
    """Run the tenant migrations in a scratch schema; return the statements they sent and what they built."""
    statements, built, _final = _schema_recorded(write_out=False)
    return statements, built


def _schema_recorded(*, write_out: bool) -> tuple[list[str], dict, list[str] | None]:
    """Build the schema by migrations and seeding in BUILD_SCHEMA: the statements they sent, what they
    built, and (``write_out``) the final statements that rebuild it (None where that failed; logged)."""
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        if many:
            params = list(params)  # may be a generator, which execute would consume
        result = execute(sql, params, many, context)
        # Only statements that succeeded: one that failed inside a savepoint left nothing.
        if _is_replayed(sql):
            raw_cursor = context["cursor"].cursor
            for one in params if many else [params]:
                statements.append(raw_cursor.mogrify(sql, one).decode())
            if sql.startswith(_MIGRATION_RECORDED):
                # Each migration commits on its own, which fires deferred foreign-key
                # checks; the replay is one transaction, so fire them here instead
                # (PostgreSQL refuses ALTER TABLE on a table with pending trigger events).
                statements.extend(["SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED"])
        return result

    final = None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{BUILD_SCHEMA}" CASCADE')
        # On Citus (docs/citus.md) the scratch schema stays a plain one on the coordinator: the history of
        # migrations has statements Citus refuses on distributed tables (ADD COLUMN with a CHECK); the
        # final script that is replayed into schools names every constraint. A no-op on plain PostgreSQL.
        cursor.execute("SET LOCAL citus.enable_schema_based_sharding = off")
        cursor.execute(f'CREATE SCHEMA "{BUILD_SCHEMA}"')
    try:
        with connection.execute_wrapper(record):
            schema_build_slowly(BUILD_SCHEMA)
        built = schema_catalog(BUILD_SCHEMA)
        if write_out:
            try:
                final = schema_dump.schema_final_statements(BUILD_SCHEMA)
            except (pg_tools.PostgresToolError, schema_dump.SchemaDumpError) as exc:
                logger.error("The school template is recorded with its history (slower to replay): %s", exc)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{BUILD_SCHEMA}" CASCADE')
    leaked = [sql for sql in statements if BUILD_SCHEMA in sql]
    if leaked:
        # A migration named its schema: replaying it would write into the wrong one.
        raise SchemaTemplateError(f"A tenant migration names its schema explicitly: {leaked[0][:200]}")
    return statements, built, final


def _verified_sql(final: list[str] | None, history: list[str], built: dict) -> tuple[str, int]:
    """The template's script and its statement count: the final statements if they rebuild ``built``
    exactly, else the recorded history if that does (else ``SchemaTemplateError``)."""
    if final is not None:
        sql = _SEPARATOR.join(final) + _SEPARATOR
        try:
            _verify(sql, built)
            return sql, len(final)
        except (SchemaTemplateError, DatabaseError) as exc:
            logger.error("The school template is recorded with its history (slower to replay): %s", exc)
    sql = _SEPARATOR.join(history) + _SEPARATOR
    _verify(sql, built)
    return sql, len(history)


class _DiscardVerification(Exception):
    pass


def _verify(sql: str, built: dict) -> None:
    """Replay ``sql`` in a scratch schema, inside a transaction that is rolled back, and compare."""
    try:
        with transaction.atomic():
            _replay(schema_name=VERIFY_SCHEMA, sql=sql)
            differences = catalog_differences(built, schema_catalog(VERIFY_SCHEMA))
            raise _DiscardVerification
    except _DiscardVerification:
        pass
    finally:
        connection.set_schema_to_public()
    if differences:
        raise SchemaTemplateError(
            "The recorded migrations do not rebuild the schema they built; provisioning stays off "
            "until this is fixed:\n" + "\n".join(differences[:20])
        )


def schema_template_build() -> SchemaTemplate:
    """Record the current migrations' SQL as the template, verified (one build at a time)."""
    fingerprint = migrations_fingerprint()
    if connection.in_atomic_block:
        raise RuntimeError("The schema template is built outside transactions (migrations manage their own).")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_BUILD_LOCK_KEY])
    try:
        existing = SchemaTemplate.objects.filter(fingerprint=fingerprint).first()
        if existing is not None:  # another process built it while we waited
            return existing
        history, built, final = _schema_recorded(write_out=True)
        sql, statement_count = _verified_sql(final, history, built)
        version = tenant_schema_version()
        with transaction.atomic():
            # One template per schema version: the newest. Older versions' templates stay, so that
            # a fleet migration can compute the SQL that takes a school from its version to this one.
            SchemaTemplate.objects.filter(schema_version=version).delete()
            return SchemaTemplate.objects.create(
                fingerprint=fingerprint, schema_version=version, sql=sql, statement_count=statement_count
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_BUILD_LOCK_KEY])


def schema_template_current() -> SchemaTemplate:
    """The template for the migrations in the code, built now if it is missing or behind (minutes)."""
    return schema_template_ready() or schema_template_build()


def schema_template_ready() -> SchemaTemplate | None:
    """The template for the migrations in the code if it is recorded; None if it must be built first."""
    return SchemaTemplate.objects.filter(fingerprint=migrations_fingerprint()).first()


def schema_template_of_version(schema_version: str) -> SchemaTemplate | None:
    """The newest template recorded for a schema version (a school's ``schema_version``), if any is kept."""
    return SchemaTemplate.objects.filter(schema_version=schema_version).order_by("-created_at", "-pk").first()


def schema_create_from_template(*, schema_name: str, template: SchemaTemplate) -> None:
    """Create ``schema_name`` and replay the template in it; the caller holds the transaction."""
    if template.fingerprint != migrations_fingerprint():
        raise SchemaTemplateError("The schema template is behind the code's migrations; run migrate_schemas.")
    _replay(schema_name=schema_name, sql=template.sql)


def _replay(*, schema_name: str, sql: str) -> None:
    _check_schema_name(schema_name)  # it goes into SQL below
    content_type_cache().forget_schema(schema_name)  # a schema of this name may have existed before
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema_name}"')
    connection.set_schema(schema_name)
    try:
        with connection.cursor() as cursor:
            if cluster_enabled():
                for statement in _one_by_one(sql):
                    cursor.execute(statement)
            else:
                cursor.execute(sql)  # one round trip for the whole script
    finally:
        connection.set_schema_to_public()


def _one_by_one(sql: str):
    """The script's statements one at a time, for Citus: it hands a statement's text on to the worker that
    holds the schema, and a text of several statements is refused there (docs/citus.md). The rows' INSERTs
    are one statement each already (and too big to parse for nothing); the DDL is split by sqlparse, which
    Django's own ``prepare_sql_script`` uses."""
    for text in sql.split(_SEPARATOR):
        entry = text.strip()
        if entry.startswith("INSERT INTO "):
            yield entry
        elif entry:
            yield from (statement for statement in sqlparse.split(entry) if statement.strip(" ;\n"))
