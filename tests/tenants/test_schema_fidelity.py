"""The fast path builds exactly the schema that migrations build, and never from a stale template."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from tenants.models import SchemaTemplate
from tenants.services.schema_template import (
    migrations_fingerprint,
    schema_create_from_template,
    schema_migrate,
    schema_template_current,
)

CATALOG_QUERIES = {
    "relations": """
        SELECT c.relname, c.relkind::text, c.relpersistence::text
        FROM pg_class c WHERE c.relnamespace = %(schema)s::regnamespace ORDER BY 1""",
    "columns": """
        SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               a.attidentity::text, a.attgenerated::text, coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
               coalesce(co.collname, '')
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
        WHERE c.relnamespace = %(schema)s::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY 1, 2""",
    "constraints": """
        SELECT c.relname, k.conname, k.contype::text, k.condeferrable, k.condeferred,
               pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
        WHERE k.connamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(schema)s ORDER BY 1, 2""",
    "sequences": """
        SELECT sequencename, data_type::text, start_value, min_value, max_value, increment_by, cycle
        FROM pg_sequences WHERE schemaname = %(schema)s ORDER BY 1""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal ORDER BY 1, 2""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc)
        FROM pg_proc p WHERE p.pronamespace = %(schema)s::regnamespace ORDER BY 1, 2""",
    "migrations": "SELECT app, name FROM {schema}.django_migrations ORDER BY 1, 2",
}


def catalog(schema: str) -> dict[str, list[tuple]]:
    """Everything PostgreSQL knows about a schema's structure, with the schema's name taken out."""
    result = {}
    with connection.cursor() as cursor:
        for topic, query in CATALOG_QUERIES.items():
            cursor.execute(query.format(schema=f'"{schema}"'), {"schema": schema})
            rows = cursor.fetchall()
            result[topic] = [
                tuple(value.replace(f"{schema}.", "SCHEMA.") if isinstance(value, str) else value for value in row)
                for row in rows
            ]
    return result


@pytest.fixture
def scratch_schemas(django_db_blocker):
    """Schemas made outside any test transaction (migrations manage their own); dropped afterwards."""
    created = []
    with django_db_blocker.unblock():

        def make(name):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{name}"')
            created.append(name)
            return name

        yield make
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for name in created:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def test_provisioned_schema_is_identical_to_a_migrated_one(scratch_schemas):
    migrated = scratch_schemas("fidelity_migrated")
    schema_migrate(migrated)
    fast = "fidelity_fast"
    with transaction.atomic():
        schema_create_from_template(schema_name=fast, template=schema_template_current())
    try:
        expected, actual = catalog(migrated), catalog(fast)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{fast}" CASCADE')

    assert len(expected["relations"]) > 100  # tables, indexes and sequences of Wagtail and ours
    assert len(expected["constraints"]) > 50
    for topic in CATALOG_QUERIES:
        missing = sorted(set(expected[topic]) - set(actual[topic]))
        extra = sorted(set(actual[topic]) - set(expected[topic]))
        assert (missing, extra) == ([], []), f"{topic} differ: missing {missing[:5]}, extra {extra[:5]}"
        assert expected[topic] == actual[topic], f"{topic} differ in order"


def test_a_template_behind_the_code_is_never_replayed(db):
    template = SchemaTemplate(fingerprint="0" * 64, sql="SELECT 1;", statement_count=1)
    with pytest.raises(RuntimeError, match="behind the code"):
        schema_create_from_template(schema_name="never_made", template=template)
    assert not schema_exists("never_made")


def test_migrate_schemas_brings_a_stale_template_up_to_date(django_db_blocker):
    with django_db_blocker.unblock():
        SchemaTemplate.objects.update(fingerprint="stale")
        call_command("migrate_schemas", interactive=False, verbosity=0)
        (template,) = SchemaTemplate.objects.all()
        assert template.fingerprint == migrations_fingerprint()
        assert template.statement_count > 500
        assert 'CREATE TABLE "wagtailcore_page"' in template.sql


def test_fast_migration_table_check_agrees_with_djangos(scratch_schemas):
    from django.db.migrations.recorder import MigrationRecorder

    from tenants.management.commands.migrate_schemas import recorder_has_table_by_regclass

    schema = scratch_schemas("recorder_probe")
    connection.set_schema(schema, include_public=False)
    assert recorder_has_table_by_regclass(MigrationRecorder(connection)) is False
    assert MigrationRecorder(connection).has_table() is False
    MigrationRecorder(connection).ensure_schema()
    assert recorder_has_table_by_regclass(MigrationRecorder(connection)) is True
    assert MigrationRecorder(connection).has_table() is True
