"""A connection does not get slower with every school it provisions (docs/architecture.md, "Flat provisioning")."""

from django.db import connection, transaction

from provisioning.schema_template import schema_create_from_template, schema_template_current
from provisioning.school_import import FRESH_CONNECTION_EVERY, provisioning_connection_recycle


def _kept_plans() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_backend_memory_contexts WHERE name = 'CachedPlanSource'")
        return cursor.fetchone()[0]


def test_replaying_the_template_leaves_no_foreign_key_plan_on_the_connection(db):
    """PostgreSQL keeps a plan for every foreign key a connection checks row by row, and every later catalog
    change walks them all; the template's rows go in before its keys, so none is checked row by row."""
    template = schema_template_current()
    before = _kept_plans()
    with transaction.atomic():
        schema_create_from_template(schema_name="flat_replay", template=template)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what the commit would check, checked now
        after = _kept_plans()
        transaction.set_rollback(True)
    assert after == before  # the recorded history left ~104 a school


def test_bulk_provisioning_takes_a_fresh_connection_every_few_schools(django_db_blocker):
    with django_db_blocker.unblock():
        connection.ensure_connection()
        first = connection.connection.info.backend_pid
        provisioned = 0
        for _ in range(FRESH_CONNECTION_EVERY - 1):
            provisioned = provisioning_connection_recycle(provisioned)
        assert connection.connection is not None and connection.connection.info.backend_pid == first
        assert provisioning_connection_recycle(provisioned) == 0
        connection.ensure_connection()
        assert connection.connection.info.backend_pid != first


def test_a_connection_in_a_transaction_is_kept_until_it_can_be_closed(db):
    connection.ensure_connection()
    first = connection.connection.info.backend_pid
    assert provisioning_connection_recycle(FRESH_CONNECTION_EVERY) == FRESH_CONNECTION_EVERY + 1
    assert connection.connection.info.backend_pid == first
