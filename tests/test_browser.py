"""In a real browser: the office opens a school (a real worker provisions it); its head follows the invitation
into the editor."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from playwright.sync_api import expect

from accounts.enrolment import enrolment_code_issue
from tenants.models import School
from tests.browser import console_sign_in, skip_without_chromium
from tests.factories import regional_staff, totp_code

pytestmark = [pytest.mark.browser, skip_without_chromium]


@pytest.fixture
def office_account(server, django_db_blocker):
    with django_db_blocker.unblock():
        user = regional_staff("browser-office", password="Office-pass-42")
        user.enrolment_code = enrolment_code_issue(user)[0]
    yield user
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        # Deactivated, not deleted, as the console does (console.staff.services): deleting a
        # public-schema user makes Django's collector look for Wagtail's per-school tables.
        get_user_model().objects.filter(pk=user.pk).update(is_active=False, username=f"browser-office-done-{user.pk}")
        for school in School.objects.filter(schema_name="school_browser_made"):
            school.domains.all().delete()
            school.delete(force_drop=True)


def test_office_opens_a_school_and_its_head_signs_in_to_the_editor(server, page, office_account, worker):
    # (worker last: it stops before `office_account` removes the school whose first scan it may be running)
    console = f"http://edu.test:{server}"
    # With the second factor, enrolled with the office's one-time code.
    console_sign_in(page, console, "browser-office", "Office-pass-42", office_account.enrolment_code)
    assert page.locator("h1").inner_text() == "Schools"
    assert page.locator("a[href='http://alpha.edu.test/admin/']").count() == 1

    page.click("text=Add a school >> nth=0")
    page.fill("#id_subdomain", "www")
    page.click("form.form button[type=submit]")
    expect(page.locator(".field:has(#id_subdomain) .error")).to_contain_text("reserved by the platform")

    for field, value in {
        "name_kk": "Браузер мектебі",
        "name_ru": "Браузерная школа",
        "name_en": "Browser School",
        "short_name": "Browser",
        "bin": "940140000385",
        "region": "Abai region",
        "district": "Semey",
        "address": "9 Abai avenue",
        "subdomain": "browser-made",
        "head_full_name": "Browser Head",
        "head_email": "head@browser.kz",
    }.items():
        page.fill(f"#id_{field}", value)
    page.click("form.form button[type=submit]")
    # The page follows the background job (a real worker) until the site is open.
    expect(page.locator("h1")).to_have_text("Browser School")
    expect(page.locator("[role=status]")).to_have_text("The site of Browser School is open.", timeout=60_000)
    invitation = page.locator("ul.invitations code").first.inner_text()
    assert invitation.startswith("http://browser-made.edu.test/invite/")

    # The head follows the one-time link, sets a password and lands in the school's editor.
    page.goto(f"http://browser-made.edu.test:{server}{urlsplit(invitation).path}")
    page.fill("#id_new_password1", "Head-pass-2026")
    page.fill("#id_new_password2", "Head-pass-2026")
    page.click("form.form button[type=submit]")

    # A director and administrator enrols an authenticator app before the editor opens.
    page.wait_for_url("**/admin/second-factor/**")
    secret = page.locator("#second-factor-key").inner_text()
    page.fill("#id_token", "000000" if totp_code(secret) != "000000" else "111111")
    page.click("form.login-form button[type=submit]")
    page.get_by_text("This code is not right").wait_for()  # refused, and asked again
    page.wait_for_timeout(2100)  # django-otp makes a wrong code wait before the next try
    page.fill("#id_token", totp_code(secret))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url("**/admin/")
    assert "Browser Head" in page.content()

    page.goto(f"http://browser-made.edu.test:{server}/")
    assert page.locator("h1").inner_text() == "Browser School"
