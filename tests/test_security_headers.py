"""Security headers on every response, early errors included, and a nonce-based Content-Security-Policy on
every HTML page: the public sites, the console, the editor (issue 13; regional_platform.csp)."""

import re

import pytest
from django.conf import settings as django_settings

from school_sections.models import NewsIndexPage
from tenants.models import School
from tests.factories import console_client, login_verified

HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"{name} twice"
        directives[name] = values
    return directives


def assert_strict_policy(response) -> dict[str, list[str]]:
    csp = policy(response)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]  # as X-Frame-Options: DENY says
    return csp


def assert_security_headers(response) -> None:
    for name, value in HEADERS.items():
        assert response.get(name) == value, (name, response.status_code, dict(response.headers))


@pytest.fixture
def suspended(make_school, client_for):
    provisioned = make_school(subdomain="dormant")
    assert client_for("dormant.edu.test").get("/").status_code == 200  # the host is now cached
    school = School.objects.get(pk=provisioned.school.pk)
    school.status = School.Status.SUSPENDED
    school.save()
    return "dormant.edu.test"


def test_early_errors_of_the_host_routing_have_the_security_headers_and_a_policy(suspended, client_for):
    unknown = client_for("nowhere.example").get("/")
    asleep = client_for(suspended).get("/")
    assert (unknown.status_code, asleep.status_code) == (404, 503)
    for response in (unknown, asleep):
        assert_security_headers(response)
        assert_strict_policy(response)
        assert response["Cache-Control"] == "private, no-store"


def test_with_production_settings_early_errors_have_hsts_too(suspended, client_for, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    for host, status in (("nowhere.example", 404), (suspended, 503), ("edu.test", 302)):
        response = client_for(host).get("/", secure=True)
        assert response.status_code == status, host
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", host
        assert_security_headers(response)
    plain = client_for("nowhere.example").get("/")
    assert plain.status_code == 301 and plain["Location"] == "https://nowhere.example/"
    assert plain["X-Content-Type-Options"] == "nosniff" and plain["Referrer-Policy"] == "same-origin"
    assert client_for("nowhere.example").get("/healthz").status_code == 200  # probes come over plain HTTP


def test_school_pages_errors_probes_and_the_console_have_them(school, client_for):
    site = client_for(school.hostname)
    for path, status in (("/", 200), ("/contacts/", 200), ("/no-such-page/", 404), ("/search/?q=choir", 200)):
        response = site.get(path)
        assert response.status_code == status, path
        assert_security_headers(response)
        assert_strict_policy(response)
    for response in (site.get("/healthz"), site.get("/feeds/news.rss"), client_for("edu.test").get("/login/")):
        assert_security_headers(response)
    assert_strict_policy(client_for("edu.test").get("/login/"))


def test_a_static_file_served_by_django_has_them(school, client_for, settings):
    # As production serves them (whitenoise inside the security middleware; settings/production.py).
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("regional_platform.http.PublicCacheMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    settings.MIDDLEWARE = middleware
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client_for(school.hostname).get("/static/css/platform.css")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert_security_headers(response)
    assert "max-age" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


def test_a_page_without_inline_script_gets_a_policy_without_a_nonce(school, client_for):
    """Nothing to reuse when the micro-cache keeps a public page for a few seconds."""
    site = client_for(school.hostname)
    for path in ("/", "/news/"):
        assert all("nonce-" not in source for source in assert_strict_policy(site.get(path))["script-src"])


def _the_nonce_of_every_inline_script(response) -> str:
    csp = policy(response)
    nonce = next(source for source in csp["script-src"] if source.startswith("'nonce-"))[len("'nonce-") : -1]
    html = response.content.decode()
    scripts = list(INLINE_SCRIPT.finditer(html))
    assert scripts, "the page has no inline script to check"
    for script in scripts:
        assert f'nonce="{nonce}"' in script.group(), html[script.start() - 300 : script.end() + 300]
    return nonce


def test_the_editors_page_form_carries_the_nonce_on_wagtails_inline_scripts(people, school_site, client_for):
    """The date picker of a news item and the publishing schedule are inline scripts of Wagtail's."""
    editor = client_for(school_site.hostname)
    login_verified(editor, people["administrator"])
    add_news = f"/admin/pages/add/school_sections/newspage/{NewsIndexPage.objects.get().pk}/"
    response = editor.get(add_news)
    html = response.content.decode()
    assert "initDateChooser(" in html and "initDateTimeChooser(" in html
    assert _the_nonce_of_every_inline_script(response) != _the_nonce_of_every_inline_script(editor.get(add_news))
    csp = policy(response)
    assert csp["img-src"] == ["'self'", "data:", "blob:"]  # uploads are previewed before they are sent
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # Wagtail's scripts add styles; scripts stay strict
    assert csp["frame-ancestors"] == ["'none'"]
    assert_security_headers(response)
    assert response["Cache-Control"].count("no-store") == 1 and "private" in response["Cache-Control"]


def test_the_console_and_its_exports_are_private_and_unstored(school, client_for):
    office = console_client(client_for, "headers-office")
    school_id = school.school.pk
    for path in (
        "/",
        "/?export=csv",
        "/?export=xlsx",
        f"/schools/{school_id}/",
        f"/schools/{school_id}/?export=csv",
        f"/schools/{school_id}/?export=xlsx",
        f"/schools/{school_id}/audit.csv",
        "/audit/",
        "/audit/?export=csv",
        "/report/",
        "/trends/",
        "/staff/",
    ):
        response = office.get(path)
        assert response.status_code == 200, path
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives and "public" not in directives, (path, directives)
        assert_security_headers(response)
        if response["Content-Type"].startswith("text/html"):
            assert_strict_policy(response)
        else:
            assert not response.has_header("Content-Security-Policy"), path


def test_errors_under_file_paths_are_private_too(school, other_school, client_for):
    """A file's view decides its caching when it serves one; its errors are pages like any other."""
    site = client_for(school.hostname)
    schema = other_school.school.schema_name
    for path in ("/static/no-such-file.css", f"/media/{schema}/original_images/x.png", "/files/999999/x.pdf"):
        response = site.get(path)
        assert response.status_code == 404, path
        assert response["Cache-Control"] == "private, no-store", path
        assert_security_headers(response)


def test_a_view_that_chose_its_own_caching_is_private_once_someone_may_be_signed_in(school, client_for):
    site = client_for(school.hostname)
    site.cookies[django_settings.SESSION_COOKIE_NAME] = "anything"
    for path in ("/", "/sitemap.xml", "/robots.txt", "/feeds/news.rss"):
        response = site.get(path)
        assert response["Cache-Control"] == "private, no-store", path


def test_wagtails_choosers_write_the_same_html_but_for_the_nonce():
    """regional_platform.csp rewrites BaseChooser.render: a Wagtail upgrade that changes it must fail here."""
    from wagtail.admin.widgets.chooser import BaseChooser
    from wagtail.images.widgets import AdminImageChooser

    from regional_platform import csp

    csp.choosers_carry_the_nonce()
    widget, nonce = AdminImageChooser(), csp.RequestNonce()
    token = csp._current_nonce.set(nonce)
    try:
        ours = widget.render("image", None, {"id": "id_image"})
    finally:
        csp._current_nonce.reset(token)
    theirs = BaseChooser.render.wagtail_render(widget, "image", None, {"id": "id_image"})
    assert f'<script nonce="{nonce}">new ImageChooser(' in ours
    assert ours.replace(f' nonce="{nonce}"', "") == theirs
