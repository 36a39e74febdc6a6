"""Shared fixtures: two schools provisioned once per session, cheap extra schools (and one with its people
by role), host-bound clients, a real Celery worker, the browser."""

import shutil
from typing import NamedTuple

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from django.utils import translation
from django_tenants.utils import schema_context

from regulation.roles import Role
from school_sections.models import NewsIndexPage
from tenants.citus_databases import Node, cluster_nodes, database_distribute, database_drop
from tests.factories import school_create


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_modify_db_settings, django_db_blocker):
    """Always make the test database, whichever tests were collected.

    pytest-django makes it only for tests that ask for ``db``; the browser tests
    use committed data instead, and would otherwise have run on the demo's database.
    Under pytest-xdist each worker has a database of its own (``test_<name>_gw0``, …;
    ``django_db_modify_db_settings`` adds the suffix).
    """
    with django_db_blocker.unblock():
        citus = _citus_test_database()
        # On Citus the database exists already, on every node: Django only migrates it (and leaves it).
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, keepdb=citus is not None)
    yield
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        # Server threads of the browser tests may still hold a connection; the
        # test database cannot be dropped while they do.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(config, verbosity=0, keepdb=citus is not None)
        if citus is not None:
            connection.close()
            database_drop(citus.name, nodes=[citus.coordinator, *citus.workers], **citus.credentials)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _test_database_always(django_db_setup):
    """Every test runs against the test database: a test that opens the database itself (``django_db_blocker``
    without ``db``) would otherwise reach the configured database when no test before it had asked for one."""


class _CitusTestDatabase(NamedTuple):
    name: str
    coordinator: Node
    workers: list[Node]
    credentials: dict


def _citus_strict(name: str, coordinator: Node, credentials: dict) -> None:
    """Turn into errors, for every test on the cluster, the two plans issue 15 rules out for a school's
    queries (docs/citus.md, "Every school query goes to one node"): a query fanned out over several shards
    or nodes, and a join of a school's (distributed) table with a table left local on the coordinator,
    which Citus would otherwise answer by copying the local rows to the worker on every execution."""
    import psycopg2

    conn = psycopg2.connect(host=coordinator.host, port=coordinator.port, dbname="postgres", **credentials)
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            for setting, value in (
                ("citus.multi_task_query_log_level", "error"),
                ("citus.local_table_join_policy", "never"),
            ):
                cursor.execute(f'ALTER DATABASE "{name}" SET {setting} = %s', [value])
    finally:
        conn.close()


def _citus_test_database() -> _CitusTestDatabase | None:
    """When the database is a Citus coordinator, create this worker's test database on every node.

    Citus keeps its nodes and placements per database, and the coordinator reaches a worker's database
    of the same name: Django's CREATE DATABASE on the coordinator alone would make a plain database.
    """
    try:
        with connection.cursor() as cursor:
            nodes = cluster_nodes(cursor)
    except OperationalError:
        return None  # the configured database does not exist (yet): Django makes the test one from "postgres"
    finally:
        connection.close()
    if nodes is None:
        return None
    coordinator, workers = nodes
    name = connection.creation._get_test_db_name()
    credentials = {"user": connection.settings_dict["USER"], "password": connection.settings_dict["PASSWORD"] or None}
    connection.close()
    database_drop(name, nodes=[coordinator, *workers], **credentials)  # left by a run that was killed
    database_distribute(name, coordinator=coordinator, workers=workers, **credentials)
    _citus_strict(name, coordinator, credentials)
    return _CitusTestDatabase(name, coordinator, workers, credentials)


@pytest.fixture(scope="session")
def session_schools(django_db_setup, django_db_blocker):
    """Two schools with identical page trees, committed once and reused by every test."""
    with django_db_blocker.unblock():
        alpha = school_create(subdomain="alpha", short_name="Alpha")
        beta = school_create(subdomain="beta", short_name="Beta")
        connection.set_schema_to_public()
    return {"alpha": alpha, "beta": beta}


@pytest.fixture
def school(session_schools, db):
    """School "alpha" (``ProvisionedSchool``): its ``school``, ``hostname`` and ``invitations``."""
    return session_schools["alpha"]


@pytest.fixture
def other_school(session_schools, db):
    """School "beta", with the same page tree as "alpha"."""
    return session_schools["beta"]


@pytest.fixture
def make_school(db):
    """Provision an extra school inside the test's transaction (rolled back afterwards)."""
    return school_create


@pytest.fixture
def school_site(make_school):
    provisioned = make_school(subdomain="rules")
    with schema_context(provisioned.school.schema_name):
        yield provisioned


@pytest.fixture
def people(school_site):
    """The provisioned director and administrator, plus a teacher responsible for news and a chief editor."""
    from workflows.services import responsibility_set

    User = get_user_model()

    def person(email, role):
        user = User.objects.create_user(email, email=email, first_name=email.split("@")[0].title())
        user.groups.add(Group.objects.get(name=role.value))
        return user

    teacher = person("teacher@rules.kz", Role.EDITORIAL_MEMBER)
    responsibility_set(section=NewsIndexPage.objects.get(), people=[teacher])
    return {
        "director": User.objects.get(groups__name=Role.DIRECTOR.value),
        "administrator": User.objects.get(groups__name=Role.SITE_ADMINISTRATOR.value),
        "teacher": User.objects.get(pk=teacher.pk),
        "chief_editor": person("chief@rules.kz", Role.CHIEF_EDITOR),
    }


@pytest.fixture
def client_for():
    """A test client whose requests go to the given host."""

    def build(hostname: str, language: str = "en", **headers) -> Client:
        return Client(HTTP_HOST=hostname, HTTP_ACCEPT_LANGUAGE=language, **headers)

    return build


@pytest.fixture(autouse=True)
def _fresh_connection_after_test():
    """Each test starts on a new database connection.

    A PostgreSQL backend keeps a cache of every relation it has seen, and tests create and roll back
    whole school schemas (53 tables each): on one connection kept for the whole run, the same
    provisioning went from 0.4 s to 3-5 s, and its rollback from 0.05 s to 3 s (design.md, "Long-lived
    connections swell"). Runs after the test's transaction is rolled back (this fixture is set up first).
    """
    yield
    if not connection.in_atomic_block:
        connection.close()


@pytest.fixture(autouse=True)
def _public_schema_after_test():
    """Requests and school_context leave the connection on a school: put it back."""
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _session_schools_identity_forgotten(request):
    """A school's identity is cached in Redis, which a test's rolled-back transaction does not undo: the
    two schools every test shares must not keep one test's footer or colour for the next."""
    yield
    if "session_schools" in request.fixturenames:
        from django.core.cache import cache

        from school_sections.site_identity import site_identity_cache_keys

        for provisioned in request.getfixturevalue("session_schools").values():
            with schema_context(provisioned.school.schema_name):  # the keys carry the schema; no query
                cache.delete_many(site_identity_cache_keys())


@pytest.fixture(autouse=True)
def _english():
    """Tests read messages in English unless they choose a language."""
    with translation.override("en"):
        yield


from tests.browser import browser, page, server  # noqa: E402, F401 (shared browser fixtures)
from tests.mail_server import mail_server_down  # noqa: E402, F401 (SMTP to a port that refuses)
from tests.worker import worker  # noqa: E402, F401 (a real Celery worker thread)

_SCREENING_REPORTS: list[str] = []


@pytest.fixture
def screening_report(record_property):
    """Report a line for the end of the test run: the screening corpus measurement (clause 3.3).

    Carried in the test's report, so that it reaches the summary from a pytest-xdist worker too.
    """
    return lambda text: record_property("screening_report", text)


def pytest_collection_modifyitems(items):
    """Tests that drive a real Celery worker are marked, so they can be run (and repeated) as a group."""
    for item in items:
        if "worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


def pytest_runtest_logreport(report):
    if report.when != "call":  # the setup and teardown reports carry the same properties
        return
    _SCREENING_REPORTS.extend(value for name, value in report.user_properties if name == "screening_report")


def pytest_terminal_summary(terminalreporter):
    for report in _SCREENING_REPORTS:
        terminalreporter.write_sep("-", "screening corpus")
        terminalreporter.write_line(report)
