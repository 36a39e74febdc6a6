"""A connection that has visited more schemas than MAX_SCHEMAS_PER_CONNECTION is closed at the next safe
point, the end of a request or between the schools of a batch task; one under the bound is kept (issue 14:
a backend keeps the catalog of every school it has read)."""

import pytest
from django.core.signals import request_finished
from django.db import connection
from django.utils import timezone

from compliance.batches import schools_each_run
from compliance.models import JobRun


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _visit(schema_name: str) -> int:
    """Read a table of ``schema_name`` (as a page of that school would) and return the backend's pid."""
    connection.set_schema(schema_name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM wagtailcore_page")
    return _backend_pid()


@pytest.fixture
def committed(session_schools, django_db_blocker):
    """Outside any test transaction (a connection in a transaction is never closed), on a connection kept
    between requests as production keeps it (CONN_MAX_AGE), back to the test settings' afterwards."""
    kept = connection.settings_dict["CONN_MAX_AGE"]
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 300
        try:
            yield [session_schools[name].school for name in ("alpha", "beta")]
        finally:
            connection.settings_dict["CONN_MAX_AGE"] = kept
            connection.set_schema_to_public()
            JobRun.objects.filter(job="recycling-test").delete()
            connection.close()


@pytest.mark.parametrize(("bound", "recycled"), [(2, True), (3, False)])
def test_a_request_that_leaves_the_connection_past_the_bound_closes_it(committed, settings, bound, recycled):
    settings.MAX_SCHEMAS_PER_CONNECTION = bound
    connection.set_schema_to_public()
    first = _backend_pid()
    for school in committed:
        assert _visit(school.schema_name) == first
    assert connection.schemas_visited == {"public", *(school.schema_name for school in committed)}

    request_finished.send(sender=None)  # Django's end of a request: close_if_unusable_or_obsolete

    assert (connection.connection is None) == recycled
    connection.set_schema_to_public()
    assert (_backend_pid() != first) == recycled
    assert connection.schemas_visited == ({"public"} if recycled else {"public", *[s.schema_name for s in committed]})


@pytest.mark.parametrize(("bound", "recycled"), [(1, True), (10, False)])
def test_a_batch_task_recycles_its_connection_between_schools_past_the_bound(committed, settings, bound, recycled):
    settings.MAX_SCHEMAS_PER_CONNECTION = bound
    pids = {}

    def work(school):
        pids[school.schema_name] = _backend_pid()

    outcome = schools_each_run(
        job="recycling-test", schemas=[school.schema_name for school in committed], work=work, since=timezone.now()
    )
    assert (outcome.failed, outcome.skipped) == ([], [])
    assert outcome.done == [school.schema_name for school in committed]
    assert (len(set(pids.values())) == 2) == recycled
