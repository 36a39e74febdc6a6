"""Content-type ids differ between schemas; the per-schema cache must never mix them up."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django_tenants.utils import schema_context

from tenants.models import School


def _id_in_database(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM django_content_type WHERE app_label = %s AND model = %s",
            [model._meta.app_label, model._meta.model_name],
        )
        return cursor.fetchone()[0]


def test_each_schema_gets_its_own_content_type_ids(school, db):
    public_group = ContentType.objects.get_for_model(Group).pk
    assert public_group == _id_in_database(Group)
    with schema_context(school.school.schema_name):
        school_group = ContentType.objects.get_for_model(Group).pk
        assert school_group == _id_in_database(Group)
        assert ContentType.objects.get_for_id(school_group).model_class() is Group
    assert ContentType.objects.get_for_model(School).pk == _id_in_database(School)
    assert ContentType.objects.get_for_model(Group).pk == public_group


def test_switching_schools_keeps_what_was_cached(school, other_school, db, django_assert_num_queries):
    with schema_context(school.school.schema_name):
        ContentType.objects.get_for_model(Group)
    with schema_context(other_school.school.schema_name):
        ContentType.objects.get_for_model(Group)
    with schema_context(school.school.schema_name), django_assert_num_queries(0):
        ContentType.objects.get_for_model(Group)


def test_after_a_rolled_back_savepoint_queries_still_go_to_the_school(school, db):
    """TENANT_LIMIT_SET_CALLS sends SET search_path once per switch; a rollback undoes it, and
    django-tenants must send it again (it does; this guards our reliance on it)."""
    from django.db import DatabaseError, transaction

    from school_sections.models import SchoolHomePage

    connection.set_schema_to_public()
    School.objects.count()  # search_path is public now
    try:
        with transaction.atomic():
            connection.set_schema(school.school.schema_name)
            SchoolHomePage.objects.count()  # SET search_path to the school, inside the savepoint
            with connection.cursor() as cursor:
                cursor.execute("SELECT no_such_column FROM wagtailcore_page")
    except DatabaseError:
        pass
    # The rollback took the school's search_path with it; it must be sent again.
    assert SchoolHomePage.objects.get().title == school.school.name_kk
