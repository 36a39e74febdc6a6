"""In a real browser, the issue's scenario: a teacher submits news; the administrator sees the screening
finding, records a justification and publishes; the director finds both in the audit trail."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from tenants.models import School
from tests.browser import editor_sign_in, skip_without_chromium
from tests.factories import school_create
from tests.workflows.conftest import prohibited_example
from workflows.services import responsibility_set

pytestmark = [pytest.mark.browser, skip_without_chromium]
PASSWORD = "Browser-pass-2026"


@pytest.fixture
def publishing_site(server, django_db_blocker):
    """A committed school with a teacher for news, and an administrator and director with an authenticator."""
    with django_db_blocker.unblock():
        provisioned = school_create(subdomain="browser-publish")
        with schema_context(provisioned.school.schema_name):
            User = get_user_model()
            teacher = User.objects.create_user("teacher@publish.kz", email="teacher@publish.kz", password=PASSWORD)
            teacher.groups.add(Group.objects.get(name=Role.EDITORIAL_MEMBER.value))
            news = NewsIndexPage.objects.get()
            responsibility_set(section=news, people=[teacher])
            keys = {}
            for role in (Role.SITE_ADMINISTRATOR, Role.DIRECTOR):
                person = User.objects.get(groups__name=role.value)
                person.set_password(PASSWORD)
                person.save()
                device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
                keys[role] = (person.username, base64.b32encode(device.bin_key).decode())
            news_id = news.pk
        connection.set_schema_to_public()
    yield f"http://browser-publish.edu.test:{server}", news_id, keys
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        School.objects.get(pk=provisioned.school.pk).delete(force_drop=True)


def _sign_in(page, site, username, key=None):
    editor_sign_in(page, site, username, PASSWORD, key)


def test_teacher_submits_administrator_decides_director_reads_the_audit_trail(
    publishing_site, browser, django_db_blocker
):
    site, news_id, keys = publishing_site
    text = prohibited_example("3.3.2", "ru")

    teacher = browser.new_context(locale="en-US").new_page()
    _sign_in(teacher, site, "teacher@publish.kz")
    teacher.goto(f"{site}/admin/pages/add/school_sections/newspage/{news_id}/")
    teacher.fill("#id_title_kk", "Сынып жиналысы")  # the titles per language are all a news item needs
    teacher.fill("#id_title_en", "Class meeting")
    teacher.fill("#id_title_ru", text)
    teacher.get_by_role("button", name="More actions").click()
    teacher.locator("button[name=action-submit]").click()
    teacher.wait_for_url(f"{site}/admin/pages/{news_id}/")
    with django_db_blocker.unblock(), schema_context("school_browser_publish"):
        news_page = NewsPage.objects.get(title="Сынып жиналысы", slug="synyp-zhinalysy")
        assert not news_page.live
    connection.set_schema_to_public()

    administrator = browser.new_context(locale="en-US").new_page()
    _sign_in(administrator, site, *keys[Role.SITE_ADMINISTRATOR])
    administrator.goto(f"{site}/admin/pages/{news_page.pk}/edit/")
    assert "cannot be published until the text is fixed" in administrator.content()
    assert administrator.locator("[data-workflow-action-name='approve']").count() == 0
    administrator.get_by_role("link", name="See the findings").first.click()
    findings = administrator.locator("table.listing")
    expect(findings).to_contain_text("3.3.2")
    expect(findings).to_contain_text("Title in Russian")
    administrator.fill("#id_justification", "Quoted from the court ruling the school won, on the lawyer's advice.")
    administrator.get_by_role("button", name="Record my decision").click()
    administrator.wait_for_url(f"{site}/admin/pages/{news_page.pk}/edit/")
    # The reviewer's main button is approving (no "More actions" needed); nothing offers a submission to self.
    assert administrator.locator("button[name=action-submit]").count() == 0
    administrator.locator("footer [data-workflow-action-name='approve']").first.click()
    administrator.wait_for_url(f"{site}/admin/pages/{news_id}/")
    with django_db_blocker.unblock(), schema_context("school_browser_publish"):
        assert NewsPage.objects.get(pk=news_page.pk).live
    connection.set_schema_to_public()

    director = browser.new_context(locale="en-US").new_page()
    _sign_in(director, site, *keys[Role.DIRECTOR])
    director.goto(f"{site}/admin/audit/")
    history = director.locator("main").inner_text()
    assert "Publication allowed despite screening findings" in history
    assert "Quoted from the court ruling" in history
    assert "Сынып жиналысы" in history and "Published" in history
