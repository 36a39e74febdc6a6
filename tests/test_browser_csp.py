"""In a real browser, under the Content-Security-Policy (issue 13): the public site, the console and Wagtail's
editor (page list, page form with its date pickers, image chooser) work, and chromium reports no violation."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from regulation.roles import Role
from school_sections.models import NewsIndexPage, SchoolHomePage
from tenants.models import School
from tests.browser import console_sign_in, skip_without_chromium
from tests.factories import regional_staff, school_create

pytestmark = [pytest.mark.browser, skip_without_chromium]
PASSWORD = "Browser-csp-2026"


@pytest.fixture
def csp_site(server, django_db_blocker):
    """A committed school with a chief editor, and an office inspector for the console."""
    with django_db_blocker.unblock():
        provisioned = school_create(subdomain="browser-csp")
        with schema_context(provisioned.school.schema_name):
            editor = get_user_model().objects.create_user("chief@csp.kz", email="chief@csp.kz", password=PASSWORD)
            editor.groups.add(Group.objects.get(name=Role.CHIEF_EDITOR.value))
            news_id, home_id = NewsIndexPage.objects.get().pk, SchoolHomePage.objects.get().pk
        inspector = regional_staff("browser-csp-inspector", role="inspector", password=PASSWORD)
        connection.set_schema_to_public()
    yield f"http://browser-csp.edu.test:{server}", news_id, home_id
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        get_user_model().objects.filter(pk=inspector.pk).update(
            is_active=False, username=f"browser-csp-done-{inspector.pk}"
        )
        School.objects.get(pk=provisioned.school.pk).delete(force_drop=True)


@pytest.fixture
def violations(page):
    """What chromium says of the policy in the console (it reports every refused script, style or image)."""
    found = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.on("pageerror", lambda error: found.append(f"page error: {error}"))
    return found


def test_the_site_the_console_and_the_editor_work_under_the_policy(server, page, csp_site, violations):
    site, news_id, home_id = csp_site
    for path in ("/", "/contacts/", "/news/", "/search/?q=school"):
        response = page.goto(f"{site}{path}")
        assert response.status == 200 and "script-src 'self'" in response.headers["content-security-policy"]
    assert violations == []

    console = f"http://edu.test:{server}"
    console_sign_in(page, console, "browser-csp-inspector", PASSWORD)
    for path in ("/", "/trends/", "/report/", "/audit/"):
        response = page.goto(f"{console}{path}")
        assert response.status == 200, path
    assert violations == []

    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "chief@csp.kz")
    page.fill("#id_password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{site}/admin/")
    page.goto(f"{site}/admin/pages/{home_id}/")  # the page list of the sections, with their menus
    expect(page.locator("h1")).to_contain_text("Exploring")
    page.locator("button[aria-label^='More options for']").first.click()
    expect(page.get_by_role("tooltip").get_by_role("link", name="History")).to_be_visible()

    page.goto(f"{site}/admin/pages/add/school_sections/newspage/{news_id}/")  # Wagtail's inline scripts
    # Each picker is made by an inline script (initDateChooser, the schedule's initDateTimeChooser): they ran.
    assert page.locator(".xdsoft_datetimepicker").count() >= 3
    page.click("#id_date")
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)  # and the date's picker comes up
    page.keyboard.press("Escape")

    page.get_by_role("button", name="Choose an image").first.click()  # the chooser's modal
    modal = page.locator(".modal-dialog")
    expect(modal.get_by_role("heading", name="Choose an image")).to_be_visible()
    expect(modal.locator("input[type=file]")).to_be_attached()  # its upload tab
    assert violations == []
