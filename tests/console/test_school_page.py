"""A school's page in the console: sections and who answers for them, remind now, suspend and restore."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.models import RemindNowRequest
from compliance.remind import remind_now_send
from compliance.services import school_scan
from school_sections.models import NewsIndexPage
from tenants.models import RegionalAction
from tests.factories import console_client
from workflows.services import responsibility_set


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-page")


def test_the_page_shows_sections_and_the_names_of_the_responsible(office, make_school):
    provisioned = make_school(subdomain="page")
    with schema_context(provisioned.school.schema_name):
        teacher = get_user_model().objects.create_user("t@page.kz", email="t@page.kz", first_name="Aigul Serik")
        responsibility_set(section=NewsIndexPage.objects.get(), people=[teacher])
        school_scan(now=timezone.now() + datetime.timedelta(days=400))
    body = office.get(f"/schools/{provisioned.school.pk}/").content.decode()
    assert "Aigul Serik" in body and "t@page.kz" not in body  # names only
    assert "3.1.1" in body and "nobody" in body


def test_remind_now_writes_to_the_responsible_of_stale_sections_once(
    office, make_school, django_capture_on_commit_callbacks
):
    provisioned = make_school(subdomain="remind")
    with schema_context(provisioned.school.schema_name):
        teacher = get_user_model().objects.create_user("t@remind.kz", email="t@remind.kz")
        responsibility_set(section=NewsIndexPage.objects.get(), people=[teacher])
    with django_capture_on_commit_callbacks() as queued:
        response = office.post(f"/schools/{provisioned.school.pk}/remind/")
    assert response.status_code == 302
    assert len(queued) == 1  # the school's reminder task, sent once the office's action is committed
    assert RegionalAction.objects.filter(school=provisioned.school, action="remind", actor="office-page").exists()
    request = RemindNowRequest.objects.get(school=provisioned.school, requested_by="office-page", sent_at=None)

    mail.outbox.clear()
    with schema_context(provisioned.school.schema_name):  # what the queued task does
        addresses = remind_now_send(now=timezone.now() + datetime.timedelta(days=400))
        assert remind_now_send(now=timezone.now() + datetime.timedelta(days=400)) == []  # answered once
    assert "t@remind.kz" in addresses
    assert [message.to for message in mail.outbox].count(["t@remind.kz"]) == 1
    request.refresh_from_db()
    assert request.sent_at is not None and "t@remind.kz" in request.recipients
    page = office.get(f"/schools/{provisioned.school.pk}/").content.decode()
    assert "Reminders the office asked for" in page and "waiting for the background jobs" not in page


def test_a_schools_state_exports_as_csv_and_xlsx(office, make_school):
    import io

    from openpyxl import load_workbook

    provisioned = make_school(subdomain="state", short_name="No. 5/1 [east]")  # not a valid sheet name
    with schema_context(provisioned.school.schema_name):
        school_scan(now=timezone.now())
    csv_lines = office.get(f"/schools/{provisioned.school.pk}/?export=csv").content.decode("utf-8-sig").splitlines()
    assert csv_lines[0].startswith("Clause,Section,Mandatory,Complete")
    assert any(line.startswith("3.1.1,Contact information,yes,no") for line in csv_lines)
    response = office.get(f"/schools/{provisioned.school.pk}/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Sections" and sheet.cell(row=2, column=1).value == "3.1.1"
    assert RegionalAction.objects.filter(school=provisioned.school, action="export").count() == 2


def test_suspend_and_restore_need_a_reason_and_are_recorded(office, make_school, client_for):
    provisioned = make_school(subdomain="suspendme")
    url = f"/schools/{provisioned.school.pk}"
    office.post(f"{url}/suspend/", {"reason": ""})
    assert client_for(provisioned.hostname).get("/").status_code == 200
    office.post(f"{url}/suspend/", {"reason": "Licence withdrawn by the ministry"})
    assert client_for(provisioned.hostname).get("/").status_code == 503
    office.post(f"{url}/restore/", {"reason": "Licence renewed"})
    assert client_for(provisioned.hostname).get("/").status_code == 200
    recorded = list(RegionalAction.objects.filter(school=provisioned.school).values_list("action", "reason"))
    assert recorded == [("restore", "Licence renewed"), ("suspend", "Licence withdrawn by the ministry")]
    page = office.get(f"{url}/").content.decode()
    assert "suspended the site" in page and "Licence renewed" in page
