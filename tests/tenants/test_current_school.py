"""current_school(): the one way to ask which school's schema is active."""

from django.db import connection
from django_tenants.utils import schema_context, tenant_context

from tenants.current import current_school


def test_none_in_the_public_schema(school):
    connection.set_schema_to_public()
    assert current_school() is None


def test_the_school_of_a_schema_context_is_read_by_its_name(school, other_school):
    with schema_context(other_school.school.schema_name):
        assert current_school() == other_school.school
    with schema_context(school.school.schema_name):
        assert current_school() == school.school


def test_the_school_a_request_or_task_set_is_used_as_it_is(school, django_assert_num_queries):
    with tenant_context(school.school), django_assert_num_queries(0):
        assert current_school() is school.school
