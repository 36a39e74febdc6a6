"""The production deployment works as deploy/README.md says, proved without Docker: gunicorn with the
production settings behind deploy/nginx.conf.template, over HTTPS, with the micro-cache (issue 12).

Needs Debian's nginx (`.ci/run` installs it, as it does chromium); skipped, saying so, where it is missing.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group
from django.db import connection
from django_tenants.utils import schema_context

from console.services.schools import school_suspend
from regulation.roles import Role
from school_sections.models import SchoolHomePage
from tests.deploy import stack as production
from tests.factories import school_create

pytestmark = pytest.mark.skipif(
    production.NGINX is None or shutil.which("openssl") is None,
    reason="production smoke test skipped: nginx is not installed (as root: apt-get install nginx-light)",
)

CACHE_SECONDS = 4
EDITOR_PASSWORD = "Smoke-test-password-1"


def _from_cache(response: production.Response) -> bool:
    """Served from the micro-cache: a fresh copy (HIT), or, when the machine is loaded enough that the
    CACHE_SECONDS lifetime ran out between two requests, the expired copy nginx serves while it refreshes
    it in the background (UPDATING). Either way Django did not answer this request."""
    return response.header("x-cache") in ("HIT", "UPDATING")


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def schools(session_schools, django_db_blocker):
    """Committed schools of this module: one serving (with an editor and an upload), one suspended."""
    with django_db_blocker.unblock():
        serving = school_create(subdomain="smoke", short_name="Smoke")
        dormant = school_create(subdomain="dormant", short_name="Dormant")
        school_suspend(school=dormant.school, actor="smoke test", reason="Checking the suspended page.")
        with schema_context(serving.school.schema_name):
            editor = get_user_model().objects.create_user("editor@smoke.kz", email="editor@smoke.kz")
            # Hashed as production hashes (the test settings use a fast hasher production does not know).
            hasher = PBKDF2PasswordHasher()
            editor.password = hasher.encode(EDITOR_PASSWORD, hasher.salt())
            editor.save(update_fields=["password"])
            editor.groups.add(Group.objects.get(name=Role.CHIEF_EDITOR.value))
        upload = Path(settings.MEDIA_ROOT) / serving.school.schema_name / "original_images" / "smoke.png"
        upload.parent.mkdir(parents=True, exist_ok=True)
        upload.write_bytes(b"\x89PNG\r\n\x1a\nsmoke")
        connection.set_schema_to_public()
    yield {"smoke": serving, "dormant": dormant, **session_schools}
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for provisioned in (serving, dormant):
            provisioned.school.delete(force_drop=True)


@pytest.fixture(scope="module")
def stack(schools, tmp_path_factory, django_db_blocker):
    folder = tmp_path_factory.mktemp("production")
    with django_db_blocker.unblock():
        database_url = _database_url()
    environment = production.production_environment(
        database_url=database_url,
        redis_url=settings.CELERY_BROKER_URL,
        media_root=Path(settings.MEDIA_ROOT),
        static_root=folder / "static",
    )
    production.collect_static(environment)
    running = production.start(folder, environment, cache_seconds=CACHE_SECONDS)
    yield running
    production.stop(running)


def test_a_school_page_its_styles_and_an_upload_are_served_over_https(stack, schools):
    page = stack.get("smoke.edu.test", "/")
    assert page.status == 200, stack.log_tail()
    assert schools["smoke"].school.name_kk in page.body
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"', page.body).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)  # hashed by the manifest storage
    css = stack.get("smoke.edu.test", stylesheet)
    assert css.status == 200 and css.header("content-type").startswith("text/css")
    assert "max-age=315360000" in css.header("cache-control")  # a hashed name never changes
    assert stack.get("smoke.edu.test", "/static/wagtailadmin/css/core.css").status == 200  # the editor's styles

    schema = schools["smoke"].school.schema_name
    upload = stack.get("smoke.edu.test", f"/media/{schema}/original_images/smoke.png")
    assert upload.status == 200 and upload.body.endswith("smoke")
    assert upload.header("content-type") == "image/png"  # nginx sent the file (X-Accel-Redirect)
    assert stack.get("beta.edu.test", f"/media/{schema}/original_images/smoke.png").status == 404


def test_unknown_hosts_suspended_schools_plain_http_and_health(stack, schools):
    assert stack.get("nowhere.example", "/").status == 404
    suspended = stack.get("dormant.edu.test", "/")
    assert suspended.status == 503 and "private, no-store" in suspended.header("cache-control")
    redirect = stack.get("smoke.edu.test", "/contacts/?lang=ru", https=False)
    assert redirect.status == 301 and redirect.header("location") == "https://smoke.edu.test/contacts/?lang=ru"
    assert stack.get("anything", "/healthz", https=False).status == 200
    ready = stack.get("smoke.edu.test", "/readyz")
    assert ready.status == 200 and '"database": "ok"' in ready.body and '"redis": "ok"' in ready.body


def test_each_visitor_gets_the_cached_page_in_their_own_language(stack, schools):
    visitors = {
        "kk": {"Accept-Language": "kk-KZ,kk;q=0.9"},
        "ru": {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"},
        "en": {"Cookie": "django_language=en", "Accept-Language": "ru"},
    }
    for _round in range(2):
        for language, headers in visitors.items():
            page = stack.get("alpha.edu.test", "/", headers=headers)
            assert page.status == 200
            assert f'<html lang="{language}">' in page.body, (language, page.header("x-cache"))
            assert page.header("cache-control") == f"public, max-age=0, s-maxage={CACHE_SECONDS}"
    assert _from_cache(stack.get("alpha.edu.test", "/", headers=visitors["ru"]))


def test_one_schools_cached_page_never_answers_for_another(stack, schools):
    alpha_name, beta_name = schools["alpha"].school.name_kk, schools["beta"].school.name_kk
    for _round in range(2):  # the second round comes from the cache
        alpha = stack.get("alpha.edu.test", "/")
        beta = stack.get("beta.edu.test", "/")
        assert alpha_name in alpha.body and beta_name not in alpha.body
        assert beta_name in beta.body and alpha_name not in beta.body
    assert _from_cache(alpha) and _from_cache(beta)


def test_a_signed_in_editor_never_gets_a_cached_page(stack, schools):
    anonymous = [stack.get("smoke.edu.test", "/") for _ in range(2)]
    assert _from_cache(anonymous[1])

    login = stack.get("smoke.edu.test", "/admin/login/")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", login.header("set-cookie")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.body).group(1)
    signed_in = stack.post(
        "smoke.edu.test",
        "/admin/login/",
        urlencode({"username": "editor@smoke.kz", "password": EDITOR_PASSWORD, "csrfmiddlewaretoken": token}),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": "https://smoke.edu.test/admin/login/",
        },
    )
    assert signed_in.status == 302, signed_in.body[-2000:]
    session = re.search(r"sessionid=([^;]+)", signed_in.header("set-cookie")).group(1)
    for _ in range(2):
        page = stack.get("smoke.edu.test", "/", headers={"Cookie": f"sessionid={session}; csrftoken={csrf_cookie}"})
        assert page.status == 200
        assert page.header("x-cache") == "BYPASS"
        assert "private" in page.header("cache-control") and "no-store" in page.header("cache-control")
    editor = stack.get("smoke.edu.test", "/admin/", headers={"Cookie": f"sessionid={session}"})
    assert editor.status == 200 and "no-store" in editor.header("cache-control")


def test_a_publication_is_seen_within_the_cache_lifetime(stack, schools, django_db_blocker):
    before = stack.get("smoke.edu.test", "/")
    assert _from_cache(stack.get("smoke.edu.test", "/"))
    with django_db_blocker.unblock(), schema_context(schools["smoke"].school.schema_name):
        home = SchoolHomePage.objects.get()
        home.intro_kk = "<p>Smoke, freshly published</p>"
        home.save_revision().publish()
    assert "freshly published" not in before.body
    deadline = time.monotonic() + CACHE_SECONDS + 10
    while time.monotonic() < deadline:
        if "freshly published" in stack.get("smoke.edu.test", "/").body:
            break
        time.sleep(0.5)
    else:
        pytest.fail("the publication was not seen within the cache lifetime")


def test_every_request_is_logged_as_json_with_its_school(stack, schools):
    stack.get("smoke.edu.test", "/contacts/")
    log = Path(stack.logs[0]).read_text()
    lines = [line for line in log.splitlines() if '"logger": "platform.request"' in line and "/contacts/" in line]
    assert lines, log[-2000:]
    assert '"host": "smoke.edu.test"' in lines[-1]
    assert f'"school": "{schools["smoke"].school.schema_name}"' in lines[-1]
    assert '"duration_ms": ' in lines[-1] and '"request_id": ' in lines[-1]


def test_metrics_reach_the_monitoring_network_only(stack, schools):
    stack.get("smoke.edu.test", "/contacts/")
    assert stack.get("smoke.edu.test", "/metrics").status == 404  # through the proxy: the public
    metrics = stack.get_direct("/metrics")
    assert metrics.status == 200, metrics.body[:500]
    assert re.search(r'platform_request_seconds_count\{kind="site",status="2xx"\} [1-9]', metrics.body)
    assert "platform_scan_lag_seconds " in metrics.body
    assert re.search(r'platform_queue_depth\{queue="smoke-[0-9a-f]+"\} \d', metrics.body)


SECURITY_HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY"}


def test_security_headers_and_the_policy_reach_the_browser_once_through_nginx(stack, schools):
    """Django's headers pass nginx unchanged, cached or not, early errors included; nginx adds its own only
    to what it answers itself (issue 13)."""
    pages = {
        "page": stack.get("smoke.edu.test", "/contacts/"),
        "cached page": stack.get("smoke.edu.test", "/contacts/"),
        "missing page": stack.get("smoke.edu.test", "/no-such-page/"),
        "unknown host": stack.get("nowhere.example", "/"),
        "suspended school": stack.get("dormant.edu.test", "/"),
        "console": stack.get("edu.test", "/login/"),
        "editor": stack.get("smoke.edu.test", "/admin/login/"),
        "nginx's own 404": stack.get("smoke.edu.test", "/metrics"),
    }
    assert _from_cache(pages["cached page"])
    for name, response in pages.items():
        for header, value in SECURITY_HEADERS.items():
            assert response.header_count(header) == 1 and response.header(header) == value, (name, header)
        assert response.header_count("content-security-policy") == 1, name
        policy = dict(part.strip().split(" ", 1) for part in response.header("content-security-policy").split(";"))
        assert policy["frame-ancestors"] == "'none'", name
        assert "'unsafe-inline'" not in policy.get("script-src", ""), name
        assert ("'unsafe-inline'" in policy.get("style-src", "")) == (name == "editor"), name  # Wagtail's styles
        assert policy.get("object-src") == "'none'" or policy["default-src"] == "'none'", name
        if name != "nginx's own 404":
            assert response.header_count("strict-transport-security") == 1, name  # Django's, with HTTPS
            assert response.header("strict-transport-security").startswith("max-age=3600;"), name
            assert policy["script-src"] == "'self'" and policy["form-action"] == "'self'", name  # no inline script

    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/[^"]+\.css)"', pages["page"].body).group(1)
    schema = schools["smoke"].school.schema_name
    for path in (stylesheet, f"/media/{schema}/original_images/smoke.png"):
        response = stack.get("smoke.edu.test", path)
        assert response.status == 200, path
        assert response.header_count("x-content-type-options") == 1 and response.header_count("x-frame-options") == 1
        assert response.header_count("content-security-policy") <= 1, path
