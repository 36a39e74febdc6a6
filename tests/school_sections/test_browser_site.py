"""A visitor in a real browser: navigation, languages, low-vision mode, search, downloads, accessibility."""

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from demo.content import demo_content_fill
from demo.identity import demo_identity_fill
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
            demo_identity_fill(1)  # emblem, photograph, colour and news pictures: every part of the templates
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
    return [
        "/",
        *(f"/{entry.slug}/" for entry in catalogue.PROVISIONED),
        news,
        event,
        "/search/?q=мектеп",
        "/search/?q=олимпиадв",  # a misspelling: results by similar words
        "/no-such-page/",
    ]


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


def test_low_vision_panel_changes_size_colours_spacing_and_images(site, page):
    page.goto(site + "/")
    page.click("text=Version for the visually impaired")
    expect(page.locator("body")).to_have_class(LOW_VISION)
    page.click(".display-settings summary")
    page.check("input[name=size][value='3']")
    page.check("input[name=scheme][value=black]")
    page.check("input[name=spacing][value='2']")
    page.check("input[name=images][value='0']")
    page.click(".low-vision-panel button[type=submit]:not([name])")
    expect(page.locator("body")).to_have_class(re.compile(r"\blv-scheme-black\b"))
    page.goto(site + "/news/")  # remembered on the next page
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.body);"
        " return [s.fontSize, s.backgroundColor, s.color, s.letterSpacing]; })()"
    )
    assert float(style[0].removesuffix("px")) >= 30
    assert style[1] == "rgb(0, 0, 0)" and style[2] == "rgb(255, 255, 255)"
    assert style[3] != "normal"
    assert page.evaluate("[...document.images].every(image => getComputedStyle(image).display === 'none')")


def test_search_from_the_header(site, page):
    page.goto(site + "/")
    page.fill("#site-search-q", "робототехнике")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/**")
    assert page.locator(".search-results a[href='/achievements/']").count() == 1


def test_document_downloads_with_its_type_and_size_shown(site, page):
    page.goto(site + "/documents/")
    meta = page.locator(".document-meta").first.inner_text()
    assert meta.startswith("(PDF, ")
    with page.expect_download() as download_info:
        page.locator("a.document").first.click()
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read(5) == b"%PDF-"


@pytest.mark.parametrize("width", [320, 375, 768, 1280])
def test_every_page_fits_the_screen_in_every_language(site, page, django_db_blocker, width):
    page.set_viewport_size({"width": width, "height": 800})
    too_wide = []
    for language in ("kk", "ru", "en"):
        for path in _public_paths(django_db_blocker):
            separator = "&" if "?" in path else "?"
            page.goto(f"{site}{path}{separator}lang={language}")
            if page.evaluate("document.documentElement.scrollWidth") > width:
                too_wide.append((language, path))
    assert too_wide == []


def test_on_a_phone_the_menu_button_opens_the_sections_without_script(site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(site + "/")
    nav = page.locator("#site-nav")
    expect(nav).to_be_hidden()
    assert page.locator("#main").bounding_box()["y"] < 320  # content starts within the first screen
    page.click("a.menu-button")
    expect(nav).to_be_visible()
    page.click(f"#site-nav >> text={catalogue.MANDATORY[1].title}")
    expect(page.locator("h1")).to_have_text(str(catalogue.MANDATORY[1].title))
    context.close()


def test_the_main_heading_is_the_largest_on_a_phone(site, page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/")
    sizes = page.evaluate(
        "[...document.querySelectorAll('main h1, main h2')].map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes[0] == max(sizes)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("scheme", ["", "2-white-0", "3-black-2", "1-blue-1", "2-beige-0"])
def test_axe_finds_no_wcag_violations_on_any_page_type(site, page, language, scheme, django_db_blocker):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = {}
    if scheme:
        page.context.add_cookies([{"name": "low_vision", "value": scheme, "url": site}])
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
