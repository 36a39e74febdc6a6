"""If Redis is down, the public sites still serve and editors still sign in (the cache answers as a miss)."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from regional_platform.settings.test import CACHES

DEAD_REDIS = {alias: {**settings, "LOCATION": "redis://127.0.0.1:1/0"} for alias, settings in CACHES.items()}
# (nothing listens on port 1)


@pytest.fixture
def redis_down():
    # override_settings makes Django drop its cache connections, so the dead location is used.
    with override_settings(CACHES=DEAD_REDIS):
        assert caches["default"].get("anything", "missed") == "missed"
        yield


def test_a_school_site_serves_while_redis_is_down(school, client_for, redis_down):
    response = client_for(school.hostname).get("/")
    assert response.status_code == 200
    assert school.school.name_en in response.content.decode()


def test_sign_in_still_works_while_redis_is_down(school, client_for, redis_down):
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    with schema_context(school.school.schema_name):
        user = get_user_model().objects.create_user("editor@down.kz", email="editor@down.kz", password="Pass-1")
    client = client_for(school.hostname)
    response = client.post("/admin/login/", {"username": user.username, "password": "Pass-1"})
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_an_outage_is_logged_once_and_redis_is_not_asked_on_every_call(redis_down, caplog):
    """Each failed call used to try Redis and log a warning: some 40 a second under load. The fixture's first
    call began the outage (and said so); the 400 calls after it leave Redis alone and log nothing."""
    from regional_platform import cache as forgiving

    cache = caches["default"]
    with caplog.at_level("WARNING", logger="regional_platform.cache"):
        for number in range(200):
            assert cache.get(f"key-{number}", "missed") == "missed"
            cache.set(f"key-{number}", number)
    assert [record.getMessage() for record in caplog.records] == []
    assert forgiving._Outages.is_on(cache._server_location)


def test_the_real_cache_is_not_affected_by_a_dead_servers_outage(redis_down):
    from regional_platform import cache as forgiving

    with override_settings(CACHES=CACHES):
        cache = caches["default"]
        assert not forgiving._Outages.is_on(cache._server_location)
        cache.set("outage-probe", "kept")
        assert cache.get("outage-probe") == "kept"
