"""The fast path builds exactly the schema that migrations build, and never from a stale template."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from django_tenants.utils import schema_exists

from provisioning import schema_template
from provisioning.models import SchemaTemplate
from provisioning.schema_catalog import catalog_differences, schema_catalog
from provisioning.schema_template import (
    SchemaTemplateError,
    migrations_fingerprint,
    schema_build_slowly,
    schema_create_from_template,
    schema_template_current,
)

# Random or clock values per run (uuid4, now()), so they differ between two slow
# builds; the replay copies the recorded values, which the build check compares.
RANDOM_PER_RUN = {
    "wagtailcore_page": {"translation_key", "first_published_at", "last_published_at", "latest_revision_created_at"},
    "wagtailcore_collection": {"translation_key"},
    "wagtailcore_pagelogentry": {"timestamp", "uuid"},
    "wagtailcore_modellogentry": {"timestamp", "uuid"},
}


@pytest.fixture
def scratch_schemas(django_db_setup, django_db_blocker):
    """Schemas made outside any test transaction (migrations manage their own); dropped afterwards."""
    created = []
    with django_db_blocker.unblock():

        def make(name):
            # On Citus the schema built by migrations stays local, as the template's build does: Django's
            # migration history has statements Citus refuses on a distributed schema (docs/citus.md).
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL citus.enable_schema_based_sharding = off")
                cursor.execute(f'CREATE SCHEMA "{name}"')
            created.append(name)
            return name

        yield make
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for name in created:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def test_provisioned_schema_is_identical_to_one_built_by_migrations_and_seeding(scratch_schemas):
    migrated = scratch_schemas("fidelity_migrated")
    schema_build_slowly(migrated)
    fast = "fidelity_fast"
    with transaction.atomic():
        schema_create_from_template(schema_name=fast, template=schema_template_current())
    try:
        expected = schema_catalog(migrated, ignore_columns=RANDOM_PER_RUN)
        actual = schema_catalog(fast, ignore_columns=RANDOM_PER_RUN)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{fast}" CASCADE')

    assert len(expected["relations"]) > 100  # tables, indexes and sequences of Wagtail and ours
    assert len(expected["constraints"]) > 50
    assert len(expected["data:auth_permission"]) > 50  # data is compared too, row by row
    assert expected["data:auth_group"], "the role groups"
    assert catalog_differences(expected, actual) == []


def test_a_recording_that_does_not_rebuild_the_schema_is_refused(db):
    """The check every build passes before it is stored: replay, compare, refuse on any difference."""
    template = schema_template_current()
    with transaction.atomic():
        schema_create_from_template(schema_name="fidelity_reference", template=template)
        built = schema_catalog("fidelity_reference")
        transaction.set_rollback(True)

    schema_template._verify(template.sql, built)  # the real recording passes

    tampered = template.sql + """INSERT INTO "taggit_tag" ("name", "slug") VALUES ('stray', 'stray')\n;\n"""
    with pytest.raises(SchemaTemplateError, match="data:taggit_tag"):
        schema_template._verify(tampered, built)
    assert not schema_exists(schema_template.VERIFY_SCHEMA)


def test_a_template_behind_the_code_is_never_replayed(db):
    template = SchemaTemplate(fingerprint="0" * 64, sql="SELECT 1;", statement_count=1)
    with pytest.raises(SchemaTemplateError, match="behind the code"):
        schema_create_from_template(schema_name="never_made", template=template)
    assert not schema_exists("never_made")


def test_migrate_schemas_brings_a_stale_template_up_to_date(django_db_blocker):
    with django_db_blocker.unblock():
        SchemaTemplate.objects.update(fingerprint="stale")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        (template,) = SchemaTemplate.objects.all()
        assert template.fingerprint == migrations_fingerprint()
        assert template.statement_count > 300
        assert "CREATE TABLE wagtailcore_page (" in template.sql


def test_the_template_is_the_final_schema_without_its_history(db):
    """No column created and then retyped, no deferred checks fired migration by migration, one insert of all
    the migrations' rows: the built schema as it is (its equality with a migrated one is the test above)."""
    sql = schema_template_current().sql
    statements = [statement.strip() for statement in sql.split(schema_template._SEPARATOR) if statement.strip()]
    assert not re.search(r"ALTER COLUMN \S+ (SET DATA )?TYPE", sql)
    assert "SET CONSTRAINTS" not in sql
    (migrations_insert,) = [sql for sql in statements if sql.startswith('INSERT INTO "django_migrations"')]
    assert migrations_insert.count("\n") > 200  # every migration's row in one statement
    first_foreign_key = next(number for number, sql in enumerate(statements) if "FOREIGN KEY" in sql)
    last_insert = max(number for number, sql in enumerate(statements) if sql.startswith("INSERT INTO"))
    assert last_insert < first_foreign_key  # rows before constraints: no per-row check is queued


def test_fast_migration_table_check_agrees_with_djangos(scratch_schemas):
    from django.db.migrations.recorder import MigrationRecorder

    from provisioning.management.commands.migrate_schemas import recorder_has_table_by_regclass

    schema = scratch_schemas("recorder_probe")
    for include_public in (False, True):  # public has its own django_migrations: it must not answer
        connection.set_schema(schema, include_public=include_public)
        assert recorder_has_table_by_regclass(MigrationRecorder(connection)) is False
        assert MigrationRecorder(connection).has_table() is False
    MigrationRecorder(connection).ensure_schema()
    assert recorder_has_table_by_regclass(MigrationRecorder(connection)) is True
    assert MigrationRecorder(connection).has_table() is True


@pytest.mark.django_db
def test_the_template_fingerprint_is_the_same_in_every_language():
    """A console user browsing in Russian must not take the template recorded in Kazakh for stale."""
    fingerprints = set()
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            fingerprints.add(schema_template.migrations_fingerprint.__wrapped__())
    assert len(fingerprints) == 1
