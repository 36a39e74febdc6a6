"""Clause 5.6: links are judged as visitors follow them: a percent-encoded link to a page with a Unicode slug
works, and on the dashboard only a broken link's web address (http or https) can be clicked."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context
from wagtail.models import Site

from compliance.health.addresses import loopback_allowed
from compliance.health.fetch import LinkChecker
from compliance.health.selectors import openable_link
from compliance.health.services import school_health_run
from compliance.models import SiteHealthFinding
from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from tests.compliance.link_server import closed_port_url
from tests.factories import login_verified

Kind = SiteHealthFinding.Kind
# "attestat" in Kazakh and Russian Cyrillic, written as escapes: a slug as schools name their pages.
UNICODE_SLUG = "\u0430\u0442\u0442\u0435\u0441\u0442\u0430\u0442"


def _checker() -> LinkChecker:
    return LinkChecker(address_allowed=loopback_allowed, timeout=2.0, retries=0)


def _news(title: str, body: str, slug: str = "") -> NewsPage:
    page = NewsPage(title=title, title_en=title, body_en=body, slug=slug or title.lower().replace(" ", "-"))
    return NewsIndexPage.objects.get().add_child(instance=page)


def test_5_6_a_percent_encoded_link_to_a_page_with_a_unicode_slug_is_not_broken(make_school):
    provisioned = make_school(subdomain="health-unicode")
    with schema_context(provisioned.school.schema_name):
        target = _news("Certificate", "<p>Issued</p>", slug=UNICODE_SLUG)
        root = Site.objects.get(is_default_site=True).root_page.url_path
        path = "/" + target.url_path[len(root) :]
        assert "%D0%B0" in quote(path)
        _news(
            "Links",
            f'<p><a href="{quote(path)}">encoded</a> <a href="{path}">as typed</a>'
            f' <a href="{quote(path.replace(UNICODE_SLUG, UNICODE_SLUG[::-1]))}">misspelt</a></p>',
        )
        school_health_run(now=timezone.now(), checker=_checker())
    broken = set(
        SiteHealthFinding.objects.filter(school=provisioned.school, kind=Kind.BROKEN_LINK).values_list(
            "target", flat=True
        )
    )
    assert broken == {quote(path.replace(UNICODE_SLUG, UNICODE_SLUG[::-1]))}  # only the page that does not exist


def test_5_6_only_a_web_address_is_a_link_on_the_dashboard(make_school, client_for):
    provisioned = make_school(subdomain="health-scheme")
    script, dead = "javascript://[%0aalert(1)", closed_port_url()
    with schema_context(provisioned.school.schema_name):
        _news("Trap", f'<p><a href="{script}">click</a> <a href="{dead}">partner</a></p>')
        for day in (0, 1):  # the external address fails on two nights: broken
            school_health_run(now=timezone.now() + datetime.timedelta(days=day), checker=_checker())
    assert set(
        SiteHealthFinding.objects.filter(school=provisioned.school, kind=Kind.BROKEN_LINK).values_list(
            "target", flat=True
        )
    ) == {script, dead}
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        login_verified(client, get_user_model().objects.get(groups__name=Role.DIRECTOR.value))
        panel = client.get("/admin/").content.decode().split("data-site-health")[1].split("</section>")[0]
    assert f'href="{dead}"' in panel
    assert "javascript://[%0aalert(1)" in panel  # shown as text, for the editor to remove
    assert 'href="javascript' not in panel.lower()


def test_5_6_a_finding_is_openable_only_at_an_http_or_https_address():
    def link(target: str, kind: str = Kind.BROKEN_LINK) -> str:
        return openable_link(SiteHealthFinding(kind=kind, target=target))

    assert link("https://edu.gov.kz/page") == "https://edu.gov.kz/page"
    assert link("HTTP://edu.gov.kz/") == "HTTP://edu.gov.kz/"
    for unsafe in (
        "javascript://[%0aalert(1)",
        "javascript://example.com/%0aalert(1)",
        " javascript:alert(1)",
        "data://text/html,x",
        "vbscript://x",
        "http:///no-host",
        "/no-such-section/",
    ):
        assert link(unsafe) == "", unsafe
    assert link("https://edu.gov.kz/", kind=Kind.MISSING_FILE) == ""  # a file's title is never a link
