"""Shared fixtures: two schools provisioned once per session, cheap extra schools, host-bound clients."""

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from tests.factories import school_create


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
def client_for():
    """A test client whose requests go to the given host."""

    def build(hostname: str, language: str = "en", **headers) -> Client:
        return Client(HTTP_HOST=hostname, HTTP_ACCEPT_LANGUAGE=language, **headers)

    return build


@pytest.fixture(autouse=True)
def _public_schema_after_test():
    """Requests and school_context leave the connection on a school: put it back."""
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _english():
    """Tests read messages in English unless they choose a language."""
    with translation.override("en"):
        yield
