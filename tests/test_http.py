"""Which responses a shared cache may keep, the health probes and the metrics' door (regional_platform.http)."""

import pytest
from django.conf import settings

PUBLIC = f"public, max-age=0, s-maxage={settings.PUBLIC_PAGE_CACHE_SECONDS}"


def test_an_anonymous_school_page_may_be_shared_for_a_while(school, client_for):
    client = client_for(school.hostname)
    for path in ("/", "/contacts/", "/sitemap.xml", "/feeds/news.rss"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Cache-Control"] == PUBLIC, path
        assert "Cookie" in response["Vary"], path  # the language may come from a cookie


@pytest.mark.parametrize(
    ("path", "method", "cookies"),
    [
        ("/", "get", {settings.SESSION_COOKIE_NAME: "anything"}),  # may be signed in
        ("/?lang=ru", "get", {}),  # sets the language cookie
        ("/admin/login/", "get", {}),
        ("/search/", "post", {}),
        ("/no-such-page/", "get", {}),
    ],
)
def test_everything_else_is_private(school, client_for, path, method, cookies):
    client = client_for(school.hostname)
    for name, value in cookies.items():
        client.cookies[name] = value
    response = getattr(client, method)(path)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_console_and_unknown_hosts_are_private(db, client_for):
    for host in ("edu.test", "nowhere.example"):
        response = client_for(host).get("/")
        assert "no-store" in response["Cache-Control"], host


def test_health_answers_on_any_host_and_readiness_checks_the_services(db, client_for):
    client = client_for("nowhere.example")
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_readiness_says_what_is_down(db, client_for, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    ready = client_for("edu.test").get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["database"] == "ok" and ready.json()["redis"].startswith("ConnectionError")


def test_metrics_are_not_for_the_public(db, client_for, monkeypatch):
    assert client_for("edu.test", REMOTE_ADDR="93.184.216.34").get("/metrics").status_code == 404
    inside = client_for("edu.test", REMOTE_ADDR="10.0.0.7").get("/metrics")
    assert inside.status_code == 200 and b"platform_scan_lag_seconds" in inside.content
    monkeypatch.setenv("METRICS_TOKEN", "s3cret-token")
    assert client_for("edu.test", REMOTE_ADDR="10.0.0.7").get("/metrics").status_code == 404
    with_token = client_for("edu.test", REMOTE_ADDR="93.184.216.34", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert with_token.get("/metrics").status_code == 200
