"""In a real browser (issue 17, point 3): the overview of schools fits a 1280 px screen in Kazakh, its longest
language, with nothing cut off or scrolled sideways, and reflows into one card per school on a phone."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from compliance.models import LedgerEntry, SchoolSummary
from tenants.models import Domain, School
from tests.browser import skip_without_chromium
from tests.factories import login_verified, regional_staff, valid_bin

pytestmark = [pytest.mark.browser, skip_without_chromium]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# Long as real ones are: the overview must hold the longest names, hosts and figures a region has.
SCHOOLS = [
    ("Абай облысы Семей қаласының №27 жалпы орта білім беретін мектеп-гимназиясы", "Абай ауданы", "wide-gymnasium-27"),
    ("Шығыс Қазақстан облысы Үржар ауданының Мақаншы ауылындағы №3 орта мектебі", "Үржар ауданы", "wide-makanshy-3"),
    ("Ақсуат ауылының дарынды балаларға арналған мамандандырылған мектеп-лицейі", "Тарбағатай ауданы", "wide-lyceum"),
]


def _overflow(page) -> dict:
    """How far the page, and the table inside its scroll box, reach past what is shown (0: nothing)."""
    return page.evaluate(
        """() => {
          const wrap = document.querySelector('.table-wrap');
          const table = document.querySelector('table.schools');
          const last = table.querySelector('tbody tr td:last-child');
          return {
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            table: wrap.scrollWidth - wrap.clientWidth,
            lastCell: Math.round(last.getBoundingClientRect().right - document.documentElement.clientWidth),
          };
        }"""
    )


@pytest.fixture
def console_session(server, session_schools, django_db_blocker):
    """A signed-in office administrator's session cookie, and three wide schools in the ledger (public rows only:
    the overview reads nothing else)."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        user = regional_staff("browser-overview-width")
        client = Client(HTTP_HOST="edu.test")
        login_verified(client, user)
        now = timezone.now()
        schools = []
        for number, (name, district, subdomain) in enumerate(SCHOOLS):
            school = School.objects.create(
                schema_name=f"school_{subdomain.replace('-', '_')}", name_kk=name, name_ru=name, short_name=name[:40],
                bin=valid_bin(7700 + number), region="Абай облысы", district=district, address="Абай даңғылы, 1",
            )  # fmt: skip
            Domain.objects.create(tenant=school, domain=f"{subdomain}.edu.test", is_primary=True)
            LedgerEntry.objects.bulk_create(
                LedgerEntry(
                    school=school, section_code=f"3.1.{section}", mandatory=True, complete=section > 2,
                    missing_count=3 if section <= 2 else 0, period_days=30, responsible_count=1,
                    stale_since=now - datetime.timedelta(days=40) if section == 1 else None,
                    last_updated=now - datetime.timedelta(days=70), pending_reviews=12, findings_waiting=3,
                    scanned_at=now,
                )
                for section in range(1, 9)
            )  # fmt: skip
            SchoolSummary.objects.create(
                school=school, administrators="Нұрсұлтанова Гүлжаһан Ерболатқызы, Қалиақпарова Айгерім Серікқызы",
                administrator_last_login=None, licence_expired=True, scanned_at=now,
            )  # fmt: skip
            schools.append(school)
    yield client.cookies["sessionid"].value
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for school in schools:
            school.domains.all().delete()
            school.delete()  # public rows only: these schools have no schema
        type(user).objects.filter(pk=user.pk).update(is_active=False, username=f"browser-overview-done-{user.pk}")


@pytest.mark.parametrize(
    ("language", "width"),
    [("kk", 1280), ("ru", 1280), ("en", 1280), ("kk", 375), ("ru", 375), ("kk", 320)],
)
def test_the_overview_fits_the_screen(server, browser, console_session, language, width):
    from axe_playwright_python.sync_playwright import Axe

    console = f"http://edu.test:{server}"
    context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
    try:
        context.add_cookies([{"name": "sessionid", "value": console_session, "url": console}])
        page = context.new_page()
        page.goto(f"{console}/?sort=name")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("table.schools tbody tr").count() >= len(SCHOOLS)
        overflow = _overflow(page)
        assert overflow["page"] <= 0 and overflow["table"] <= 0, f"scrolled sideways: {overflow}"
        assert overflow["lastCell"] <= 0, f"the last column is cut off: {overflow}"
        if width >= 1000:  # a table still, each school one row
            assert page.evaluate("getComputedStyle(document.querySelector('table.schools')).display") == "table"
            tops = page.evaluate(
                "[...document.querySelectorAll('table.schools tbody tr:first-child td')].map(cell => cell.offsetTop)"
            )
            assert len(set(tops)) == 1
        if width < 700:  # a card per school: each figure under its column's name
            cells = page.locator("table.schools tbody tr").first.locator("td")
            headings = page.locator("table.schools thead th")
            for column in range(1, headings.count()):
                label = cells.nth(column).evaluate("cell => getComputedStyle(cell, '::before').content")
                assert label.strip('"') == headings.nth(column).inner_text().strip()
        results = Axe().run(page, options=AXE_OPTIONS)
        assert [violation["id"] for violation in results.response["violations"]] == []
    finally:
        context.close()


@pytest.mark.parametrize(("language", "width"), [("kk", 1280), ("kk", 375)])
def test_a_schools_page_names_what_is_missing_and_keeps_each_reason_by_its_action(
    server, browser, console_session, session_schools, django_db_blocker, language, width
):
    from axe_playwright_python.sync_playwright import Axe
    from django_tenants.utils import schema_context

    from compliance.services import school_scan

    alpha = session_schools["alpha"].school
    with django_db_blocker.unblock():
        with schema_context(alpha.schema_name):
            school_scan(now=timezone.now())
        connection.set_schema_to_public()
    console = f"http://edu.test:{server}"
    context = browser.new_context(locale=language, viewport={"width": width, "height": 900})
    try:
        context.add_cookies([{"name": "sessionid", "value": console_session, "url": console}])
        page = context.new_page()
        page.goto(f"{console}/schools/{alpha.pk}/")
        assert page.locator(".missing-items li").count() > 3  # named, not counted
        page.click("section.action:has(#suspend-reason) button[type=submit]")  # no reason given
        error = page.locator("section.action:has(#suspend-reason) .error")
        assert error.inner_text().strip()  # said by the field it is about
        assert page.locator("#suspend-reason").get_attribute("aria-invalid") == "true"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        results = Axe().run(page, options=AXE_OPTIONS)
        assert [violation["id"] for violation in results.response["violations"]] == []
    finally:
        context.close()
        with django_db_blocker.unblock():
            connection.set_schema_to_public()
            LedgerEntry.objects.filter(school=alpha).delete()
            SchoolSummary.objects.filter(school=alpha).delete()
