"""Clause 5.6: management supervises the technical state of the site. A nightly check finds broken links
(internal, and external against a real local HTTP server), missing files, images without alt text and oversized
files on each school's published site; the results reach the director's dashboard and the regional console."""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from compliance.health.addresses import loopback_allowed, public_address_only
from compliance.health.check import DOCUMENT_MAX_BYTES, IMAGE_WITHOUT_ALT
from compliance.health.fetch import LinkChecker
from compliance.health.services import school_health_run
from compliance.models import ExternalLinkCheck, SiteHealthFinding, SiteHealthSummary
from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from tests.compliance.link_server import closed_port_url
from tests.factories import console_client, login_verified

Kind = SiteHealthFinding.Kind


def _checker() -> LinkChecker:
    """The checker as it runs, except that it may reach this machine's test server, and waits less."""
    return LinkChecker(address_allowed=loopback_allowed, timeout=2.0, retries=1, backoff=0.01)


def _picture(description: str) -> object:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (8, 8), (30, 90, 160)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title="IMG_2041", description=description, file=ImageFile(io.BytesIO(buffer.getvalue()), name="photo.png")
    )


def _document(title: str, content: bytes, name: str):
    document = get_document_model()(title=title)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def _news(body: str, *, title: str = "Science fair", image=None) -> NewsPage:
    index = NewsIndexPage.objects.get()
    return index.add_child(instance=NewsPage(title=title, title_en=title, body_en=body, image=image))


def _check(provisioned, *, days: int = 0, checker: LinkChecker | None = None):
    with schema_context(provisioned.school.schema_name):
        return school_health_run(now=timezone.now() + datetime.timedelta(days=days), checker=checker or _checker())


def _findings(provisioned) -> dict[str, set[str]]:
    """The stored findings of the school by kind: their targets."""
    found: dict[str, set[str]] = {}
    for kind, target in SiteHealthFinding.objects.filter(school=provisioned.school).values_list("kind", "target"):
        found.setdefault(kind, set()).add(target)
    return found


def test_5_6_a_link_to_a_missing_or_unpublished_internal_page_is_broken_and_a_working_one_is_not(make_school):
    provisioned = make_school(subdomain="health-internal")
    with schema_context(provisioned.school.schema_name):
        draft = _news("<p>Draft</p>", title="Not yet")
        draft.unpublish()
        contacts = NewsIndexPage.objects.get().get_parent().get_children().get(slug="contacts")
        page = _news(
            f'<p><a linktype="page" id="987654">old page</a> <a linktype="page" id="{draft.pk}">draft</a>'
            f' <a linktype="page" id="{contacts.pk}">contacts</a> <a href="/contacts/">contacts by address</a>'
            ' <a href="/no-such-section/">nowhere</a> <a href="mailto:office@school.kz">mail</a>'
            ' <a href="#top">top</a></p>'
        )
    _check(provisioned)
    broken = SiteHealthFinding.objects.filter(school=provisioned.school, kind=Kind.BROKEN_LINK)
    assert {finding.target for finding in broken} == {"#987654", "Not yet", "/no-such-section/"}
    assert {finding.page_id for finding in broken} == {page.pk}
    assert {finding.edit_path for finding in broken} == {f"/admin/pages/{page.pk}/edit/"}
    assert any("no longer exists" in finding.detail_text for finding in broken)
    assert any("not published" in finding.detail_text for finding in broken)


def test_5_6_a_dead_external_link_is_broken_after_two_failed_checks_and_a_live_one_never(make_school, link_server):
    provisioned = make_school(subdomain="health-external")
    refused = closed_port_url()
    gone, live, no_head, moved = (link_server.url(path) for path in ("/gone", "/ok", "/no-head", "/moved"))
    with schema_context(provisioned.school.schema_name):
        _news(f'<p><a href="{gone}">a</a> <a href="{refused}">b</a> <a href="{live}">c</a></p>')
        _news(f'<p><a href="{no_head}">d</a> <a href="{moved}">e</a></p>', title="Links")

    first = _check(provisioned)
    # One failure is not yet "broken": a site down for one night is not reported.
    assert Kind.BROKEN_LINK not in _findings(provisioned)
    assert first.links_waiting == 2 and SiteHealthSummary.objects.get(school=provisioned.school).links_waiting == 2
    states = dict(ExternalLinkCheck.objects.filter(url__in=[gone, refused, live]).values_list("url", "state"))
    assert states == {gone: "failing", refused: "failing", live: "ok"}
    assert ExternalLinkCheck.objects.get(url=no_head).state == "ok"  # HEAD refused, GET answered
    assert ExternalLinkCheck.objects.get(url=moved).state == "ok"  # the redirect followed
    assert ("GET", "/no-head") in [(method, path) for method, path, _agent in link_server.requests]
    assert all("RegionalSchoolSites-LinkCheck" in agent for *_, agent in link_server.requests)
    # The 404 was asked once (HEAD, then GET): a plain answer is not retried; a refusal is.
    assert [method for method, path, _ in link_server.requests if path == "/gone"] == ["HEAD", "GET"]

    asked = len(link_server.requests)
    _check(provisioned, days=1)  # the next night: the same addresses fail again
    assert _findings(provisioned)[Kind.BROKEN_LINK] == {gone, refused}
    details = {
        finding.target: finding.detail_text
        for finding in SiteHealthFinding.objects.filter(kind=Kind.BROKEN_LINK, school=provisioned.school)
    }
    assert "error 404" in details[gone] and "could not be reached" in details[refused]
    assert SiteHealthSummary.objects.get(school=provisioned.school).broken_links == 2
    assert {path for _, path, _ in link_server.requests[asked:]} == {"/gone"}  # the working ones wait 3 days


def test_5_6_a_url_shared_by_two_schools_is_fetched_once_for_the_region(make_school, link_server):
    first, second = make_school(subdomain="health-one"), make_school(subdomain="health-two")
    shared = link_server.url("/ok")
    for provisioned in (first, second):
        with schema_context(provisioned.school.schema_name):
            _news(f'<p><a href="{shared}">ministry</a></p>')
    _check(first)
    _check(second)
    assert [(method, path) for method, path, _ in link_server.requests] == [("HEAD", "/ok")]
    assert ExternalLinkCheck.objects.filter(url=shared).count() == 1
    for provisioned in (first, second):
        summary = SiteHealthSummary.objects.get(school=provisioned.school)
        assert summary.links_checked >= 1 and (summary.broken_links, summary.links_waiting) == (0, 0)


def test_5_6_a_private_address_in_a_schools_content_is_never_fetched(make_school, link_server):
    provisioned = make_school(subdomain="health-private")
    with schema_context(provisioned.school.schema_name):
        _news(f'<p><a href="{link_server.url("/ok")}">inside</a></p>')
    _check(provisioned, checker=LinkChecker(retries=0))  # the rule a worker runs with
    assert link_server.requests == []
    finding = SiteHealthFinding.objects.get(school=provisioned.school, kind=Kind.BROKEN_LINK)
    assert "not on the public internet" in finding.detail_text
    assert not public_address_only(__import__("ipaddress").ip_address("::ffff:127.0.0.1"))
    assert not public_address_only(__import__("ipaddress").ip_address("169.254.169.254"))  # cloud metadata


def test_5_6_missing_files_images_without_alt_text_and_oversized_files_are_found(make_school):
    provisioned = make_school(subdomain="health-files")
    with schema_context(provisioned.school.schema_name):
        gone = _document("Charter scan", b"%PDF-1.4 charter", "charter.pdf")
        gone.file.storage.delete(gone.file.name)
        big = _document("Annual report scan", b"%PDF-1.4 " + b"0" * DOCUMENT_MAX_BYTES, "report.pdf")
        small = _document("Timetable", b"%PDF-1.4 timetable", "timetable.pdf")
        described = _news("<p>Fair</p>", title="Described", image=_picture("Pupils at the science fair"))
        undescribed = _news(
            f'<p><a linktype="document" id="{gone.pk}">charter</a> <a linktype="document" id="{big.pk}">report</a>'
            f' <a href="/files/{small.pk}/timetable.pdf">timetable</a></p>',
            title="Undescribed",
            image=_picture(""),
        )
    _check(provisioned)
    found = _findings(provisioned)
    assert found[Kind.MISSING_FILE] == {"Charter scan"}
    assert found[Kind.OVERSIZED_FILE] == {"Annual report scan"}
    alt = SiteHealthFinding.objects.get(school=provisioned.school, kind=Kind.IMAGE_WITHOUT_ALT)
    assert (alt.page_id, alt.target, alt.detail) == (undescribed.pk, "IMG_2041", IMAGE_WITHOUT_ALT)
    assert described.pk not in SiteHealthFinding.objects.filter(school=provisioned.school).values_list(
        "page_id", flat=True
    )
    summary = SiteHealthSummary.objects.get(school=provisioned.school)
    assert (summary.missing_files, summary.oversized_files, summary.images_without_alt, summary.broken_links) == (
        1,
        1,
        1,
        0,
    )
    assert "MB" in SiteHealthFinding.objects.get(kind=Kind.OVERSIZED_FILE, school=provisioned.school).detail_text

    with schema_context(provisioned.school.schema_name):  # fixed: the next check replaces the findings
        NewsPage.objects.get(pk=undescribed.pk).delete()
    _check(provisioned, days=1)
    assert _findings(provisioned) == {}
    assert SiteHealthSummary.objects.get(school=provisioned.school).problems == 0


def test_5_6_the_director_and_administrator_see_the_problems_on_their_dashboard_with_links_to_fix_them(
    make_school, client_for
):
    provisioned = make_school(subdomain="health-dashboard")
    client = client_for(provisioned.hostname)
    with schema_context(provisioned.school.schema_name):
        page = _news('<p><a linktype="page" id="987654">old page</a></p>', image=_picture(""))
        User = get_user_model()
        director = User.objects.get(groups__name=Role.DIRECTOR.value)
        login_verified(client, director)
        before = client.get("/admin/").content.decode()
        assert "Site health" in before and "has not been checked yet" in before
    _check(provisioned)
    with schema_context(provisioned.school.schema_name):
        dashboard = client.get("/admin/").content.decode()
        panel = dashboard.split("data-site-health")[1].split("</section>")[0]
        assert "broken link" in panel and "image without alt text" in panel
        assert f'href="/admin/pages/{page.pk}/edit/"' in panel and "no longer exists" in panel
        login_verified(client, User.objects.get(groups__name=Role.SITE_ADMINISTRATOR.value))
        assert "data-site-health" in client.get("/admin/").content.decode()
        teacher = User.objects.create_user("t@health.kz", email="t@health.kz")
        teacher.groups.add(
            __import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.get(
                name=Role.EDITORIAL_MEMBER.value
            )
        )
        login_verified(client, teacher)
        assert "data-site-health" not in client.get("/admin/").content.decode()


def test_5_6_the_console_shows_each_schools_health_from_the_public_schema(make_school, client_for):
    provisioned = make_school(subdomain="health-console")
    with schema_context(provisioned.school.schema_name):
        page = _news('<p><a linktype="page" id="987654">old page</a></p>', image=_picture(""))
    _check(provisioned)
    office = console_client(client_for)
    school_page = office.get(f"/schools/{provisioned.school.pk}/").content.decode()
    section = school_page.split('id="site-health"')[1].split("<h2")[0]
    assert "broken link" in section and "image without alt text" in section and "#987654" in section
    assert f"http://{provisioned.hostname}/admin/pages/{page.pk}/edit/" in section

    with CaptureQueriesContext(connection) as queries:
        listing = office.get("/").content.decode()
    assert "2 problems" in listing and "1 broken link" in listing
    schemas = [query["sql"] for query in queries.captured_queries if "search_path" in query["sql"].lower()]
    assert all(provisioned.school.schema_name not in sql for sql in schemas)  # never into a school's schema


def test_5_6_the_command_checks_one_school_and_the_beat_runs_it_nightly(make_school, settings):
    provisioned = make_school(subdomain="health-command")
    with schema_context(provisioned.school.schema_name):
        _news('<p><a linktype="page" id="987654">old page</a></p>')
    out = io.StringIO()
    call_command("site_health_check", school="health-command", stdout=out)
    assert "broken_link: 1" in out.getvalue()
    assert SiteHealthSummary.objects.get(school=provisioned.school).broken_links == 1
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "compliance.tasks.site_health_dispatch" in schedule


def test_5_6_one_server_is_asked_at_most_its_limit_a_minute_and_forgotten_addresses_are_pruned(
    make_school, link_server
):
    from compliance.health.external import forgotten_links_prune

    provisioned = make_school(subdomain="health-polite")
    with schema_context(provisioned.school.schema_name):
        _news(f'<p><a href="{link_server.url("/ok")}">a</a> <a href="{link_server.url("/moved")}">b</a></p>')
    strict = LinkChecker(address_allowed=loopback_allowed, timeout=2.0, retries=0, host_requests_per_minute=1)
    report = _check(provisioned, checker=strict)
    assert report.links_waiting == 1  # the second address on the same server waits for the next run
    rows = ExternalLinkCheck.objects.filter(url__startswith=link_server.base)
    assert sorted(row.checked_at is None for row in rows) == [False, True]

    later = timezone.now() + datetime.timedelta(days=31)
    assert forgotten_links_prune(now=later) == 2
    assert not ExternalLinkCheck.objects.filter(url__startswith=link_server.base).exists()


def test_5_6_an_image_its_uploader_marked_decorative_is_not_reported_without_alt_text(make_school):
    from school_sections.uploads import DECORATIVE_TAG

    provisioned = make_school(subdomain="health-decorative")
    with schema_context(provisioned.school.schema_name):
        decorative = _picture("")
        decorative.tags.add(DECORATIVE_TAG)
        _news("<p>Border</p>", title="With a border", image=decorative)
        forgotten = _news("<p>Fair</p>", title="Undescribed", image=_picture(""))
    _check(provisioned)
    (finding,) = SiteHealthFinding.objects.filter(school=provisioned.school, kind=Kind.IMAGE_WITHOUT_ALT)
    assert finding.page_id == forgotten.pk
