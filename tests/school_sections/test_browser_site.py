"""A visitor in a real browser: navigation, languages, low-vision mode, search, downloads, accessibility."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from demo.content import demo_content_fill
from regulation import catalogue
from school_sections.models import EventPage, NewsPage
from tenants.models import School
from tests.browser import skip_without_chromium
from tests.factories import school_create

pytestmark = [pytest.mark.browser, skip_without_chromium]

# After a click that loads another page, assertions are playwright's `expect`, which waits for the new
# page; reading the page at once may still see the old one.
LOW_VISION = re.compile(r"\blow-vision\b")
# WCAG 2.1 A and AA rules (clause 1.3).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def site(server, django_db_blocker):
    """A school with every section filled, committed so that the server thread sees it."""
    with django_db_blocker.unblock():
        provisioned = school_create(subdomain="browser-site")
        with schema_context(provisioned.school.schema_name):
            demo_content_fill()
            event = EventPage.objects.get()
            event.starts_at = timezone.now() + datetime.timedelta(days=10)  # upcoming whatever the date
            event.save_revision().publish()
        connection.set_schema_to_public()
    yield f"http://browser-site.edu.test:{server}"
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        School.objects.get(pk=provisioned.school.pk).delete(force_drop=True)


def _public_paths(django_db_blocker) -> list[str]:
    with django_db_blocker.unblock(), schema_context("school_browser_site"):
        news = NewsPage.objects.live().first().url
        event = EventPage.objects.live().first().url
    connection.set_schema_to_public()
    return ["/", *(f"/{entry.slug}/" for entry in catalogue.PROVISIONED), news, event, "/search/?q=мектеп"]


def test_visitor_navigates_from_home_to_every_mandatory_section(site, page):
    page.goto(site + "/")
    for entry in catalogue.MANDATORY:
        page.click(f"nav.site-nav >> text={entry.title}")
        expect(page.locator("h1")).to_have_text(str(entry.title))
        expect(page).to_have_url(re.compile(f"/{entry.slug}/$"))


def test_language_switch_changes_the_page_and_is_remembered(site, page):
    page.goto(site + "/contacts/")
    page.click("nav.language-switcher >> text=Русский")
    expect(page.locator("h1")).to_have_text("Контактная информация")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.click("nav.site-nav >> text=Администрация")
    expect(page.locator("h1")).to_have_text("Администрация")
    page.click("nav.language-switcher >> text=Қазақ")
    expect(page.locator("h1")).to_have_text("Әкімшілік")


def test_low_vision_mode_stays_on_across_pages(site, page):
    page.goto(site + "/")
    page.click("text=Version for the visually impaired")
    expect(page.locator("body")).to_have_class(LOW_VISION)
    page.goto(site + "/staff/")
    expect(page.locator("body")).to_have_class(LOW_VISION)
    font_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert float(font_size.removesuffix("px")) >= 22
    page.click("text=Standard version")
    expect(page.locator("body")).not_to_have_class(LOW_VISION)


def test_search_from_the_header(site, page):
    page.goto(site + "/")
    page.fill("#site-search-q", "робототехнике")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/**")
    assert page.locator("ul.entries a[href='/achievements/']").count() == 1


def test_document_downloads_with_its_type_and_size_shown(site, page):
    page.goto(site + "/documents/")
    meta = page.locator(".document-meta").first.inner_text()
    assert meta.startswith("(PDF, ")
    with page.expect_download() as download_info:
        page.locator("a.document").first.click()
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"


def test_every_page_fits_a_320_pixel_screen(site, page, django_db_blocker):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in _public_paths(django_db_blocker):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_axe_finds_no_wcag_violations_on_any_page_type(site, page, language, django_db_blocker):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    for path in _public_paths(django_db_blocker):
        separator = "&" if "?" in path else "?"
        page.goto(f"{site}{path}{separator}lang={language}")
        results = axe.run(page, options=AXE_OPTIONS)
        assert len(results.response["passes"]) > 10, path  # axe really looked at the page
        if results.violations_count:
            problems[path] = [violation["id"] for violation in results.response["violations"]]
    assert problems == {}


def test_keyboard_reaches_the_skip_link_first_and_it_jumps_to_the_content(site, page):
    page.goto(site + "/contacts/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
