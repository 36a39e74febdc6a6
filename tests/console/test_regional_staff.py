"""Regional staff (issue 6, point 7): office administrators act behind a second factor, inspectors
only read; accounts are managed in the console; every change and export is in the office's audit trail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context
from wagtail.models import ModelLogEntry

from accounts.enrolment import enrolment_code_issue
from compliance.models import RegionalUpdatePeriod
from regulation.roles import Role
from tenants.models import Announcement, RegionalAction
from tests.factories import console_client, regional_staff, totp_code
from workflows.models import RegionalScreeningRule


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-admin")


@pytest.fixture
def inspector(db, client_for):
    return console_client(client_for, "inspector", role="inspector")


def test_an_inspector_reads_everything_and_changes_nothing(inspector, school):
    school_id = school.school.pk
    for url in ("/", f"/schools/{school_id}/", "/audit/", "/update-periods/", "/announcements/", "/screening-rules/"):
        assert inspector.get(url).status_code == 200, url
    page = inspector.get(f"/schools/{school_id}/").content.decode()
    assert "Suspend the site" not in page and "Remind the responsible people now" not in page
    for url in (f"/schools/{school_id}/remind/", f"/schools/{school_id}/suspend/", "/update-periods/news/"):
        refused = inspector.post(url, {"reason": "Trying", "max_days": "5"})
        assert refused.status_code == 403, url
        assert "Inspectors can read everything but change nothing" in refused.content.decode()
    for url in ("/staff/", "/schools/new/", "/schools/import/", f"/schools/{school_id}/head/"):
        assert inspector.get(url).status_code == 403, url
    # Pages that inspectors may read refuse their changes too.
    for url, data in (
        ("/screening-rules/", {"clause": "3.3.5", "language": "ru", "text": "курсы", "reason": "x"}),
        (
            "/announcements/",
            {"text_kk": "a", "text_ru": "b", "starts_at": "2026-01-01 00:00", "ends_at": "2027-01-01 00:00"},
        ),
        (f"/schools/{school_id}/archive/", {"archival": "1", "reason": "Trying"}),
    ):
        assert inspector.post(url, data).status_code == 403, url
    assert not RegionalScreeningRule.objects.exists() and not Announcement.objects.exists()
    assert not RegionalAction.objects.exclude(action="export").exists()


def test_a_staff_account_without_a_role_is_refused(db, client_for):
    user = get_user_model().objects.create_user("no-role", password="x", is_staff=True)
    client = client_for("edu.test")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "not a regional staff account" in response.content.decode()


def test_an_office_administrator_enrols_a_second_factor_before_anything_else(db, client_for):
    chief = regional_staff("chief", password="Chief-pass-2026")
    client = client_for("edu.test")
    assert client.post("/login/", {"username": "chief", "password": "Chief-pass-2026"}).status_code == 302
    first = client.get("/audit/")
    assert first.status_code == 302 and first["Location"].startswith("/second-factor/?next=%2Faudit%2F")
    # The password alone shows no key: the office's one-time code first (tests/accounts/test_enrolment.py).
    assert "second-factor-key" not in client.get(first["Location"]).content.decode()
    client.post(first["Location"], {"code": enrolment_code_issue(chief)[0]})
    enrolment = client.get(first["Location"]).content.decode()
    secret = re.search(r'id="second-factor-key">([A-Z2-7]+)<', enrolment).group(1)
    # (Wrong codes and their throttling are the same form as the schools' editor: tests/workflows.)
    right = client.post(first["Location"], {"token": totp_code(secret)})
    assert right.status_code == 302 and right["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    assert TOTPDevice.objects.get(user__username="chief").confirmed
    for elsewhere in ("//evil.example/", "https://evil.example/"):
        assert client.get(f"/second-factor/?next={elsewhere}")["Location"] == "/"  # never off the console


def test_administrators_manage_staff_accounts_and_each_change_is_recorded(
    office, client_for, django_capture_on_commit_callbacks
):
    refused = office.post("/staff/", {"full_name": "", "email": "not-an-address", "role": "regional inspector"})
    assert refused.status_code == 200 and "Enter a valid email address." in refused.content.decode()
    assert not get_user_model().objects.filter(username="not-an-address").exists()

    dana_details = {"full_name": "Dana Inspector", "email": "Dana@Region.kz", "role": "regional inspector"}
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves once the account exists
        added = office.post("/staff/", dana_details, follow=True)
    assert "An e-mail with a link to set the password is sent to dana@region.kz." in added.content.decode()
    assert "/staff/welcome/" not in added.content.decode()  # the link reaches its owner only
    link = re.search(r"http://edu\.test(/staff/welcome/\S+/)", mail.outbox[-1].body).group(1)
    # The same invitation as a school's people get: in Kazakh and Russian, nobody's language being known yet.
    with translation.override("kk"):
        kk_subject = translation.gettext("Your account in the regional console")
    with translation.override("ru"):
        ru_subject = translation.gettext("Your account in the regional console")
    assert mail.outbox[-1].subject == f"{kk_subject} / {ru_subject}" and kk_subject != ru_subject
    assert mail.outbox[-1].body.count(link) == 2 and "Dana Inspector" in mail.outbox[-1].body
    dana = get_user_model().objects.get(username="dana@region.kz")
    assert dana.is_staff and not dana.has_usable_password()
    assert list(dana.groups.values_list("name", flat=True)) == ["regional inspector"]

    newcomer = client_for("edu.test")
    form_url = newcomer.get(link)["Location"]  # Django hides the token behind a redirect
    newcomer.post(form_url, {"new_password1": "Dana-pass-2026!", "new_password2": "Dana-pass-2026!"})
    assert newcomer.post("/login/", {"username": "dana@region.kz", "password": "Dana-pass-2026!"}).status_code == 302
    assert newcomer.get("/").status_code == 200  # an inspector needs no second factor

    office.post(f"/staff/{dana.pk}/role/", {"role": "regional administrator"})
    assert list(dana.groups.values_list("name", flat=True)) == ["regional administrator"]
    office.post(f"/staff/{dana.pk}/deactivate/", {"reason": ""})
    dana.refresh_from_db()
    assert dana.is_active
    office.post(f"/staff/{dana.pk}/deactivate/", {"reason": "Moved to another region"})
    dana.refresh_from_db()
    assert not dana.is_active
    own = office.post(f"/staff/{office.user.pk}/deactivate/", {"reason": "Oops"}, follow=True)
    assert "You cannot deactivate your own account." in own.content.decode()
    own_role = office.post(f"/staff/{office.user.pk}/role/", {"role": "regional inspector"}, follow=True)
    assert "You cannot change your own role" in own_role.content.decode()
    assert office.user.groups.filter(name="regional administrator").exists()
    root = get_user_model().objects.create_superuser("root", password="x")
    refused_root = office.post(f"/staff/{root.pk}/deactivate/", {"reason": "Because"}, follow=True)
    assert "A superuser account is managed by the platform" in refused_root.content.decode()
    root.refresh_from_db()
    assert root.is_active

    changes = list(
        RegionalAction.objects.filter(action="staff").order_by("at", "pk").values_list("actor", "data__change")
    )
    assert changes == [("office-admin", "add"), ("office-admin", "role"), ("office-admin", "deactivate")]


def test_resetting_access_forgets_the_password_and_the_authenticator(office, settings):
    settings.SHOW_INVITATION_LINKS = True
    colleague = regional_staff("colleague", password="Old-pass-2026")
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    office.post(f"/staff/{colleague.pk}/reset/")
    colleague.refresh_from_db()
    assert not colleague.has_usable_password()
    assert not TOTPDevice.objects.filter(user=colleague).exists()


def test_the_office_audit_trail_lists_changes_and_exports_and_filters_them(office, school):
    office.get("/?export=csv")
    office.post(f"/schools/{school.school.pk}/remind/")
    trail = office.get("/audit/").content.decode()
    assert "<td>exported data</td>" in trail and "<td>reminded the responsible people</td>" in trail
    only_reminders = office.get("/audit/?action=remind").content.decode()
    assert "<td>reminded the responsible people</td>" in only_reminders
    assert "<td>exported data</td>" not in only_reminders
    exported = office.get("/audit/?export=csv").content.decode("utf-8-sig")
    assert exported.splitlines()[0].startswith("When,By,Action,School")
    assert "office-admin" in exported and school.school.bin in exported


def test_the_region_shortens_a_sections_update_period_and_may_not_lengthen_it(office):
    too_long = office.post("/update-periods/news/", {"max_days": "90"}, follow=True)
    assert "from 1 to 30" in too_long.content.decode()
    for not_a_number in ("ten", "²", "١٤"):  # letters, a superscript, Arabic-Indic digits
        refused = office.post("/update-periods/news/", {"max_days": not_a_number}, follow=True)
        assert "whole number of days" in refused.content.decode()
    assert office.post("/update-periods/3.9.9/", {"max_days": "5"}, follow=True).status_code == 200
    assert not RegionalUpdatePeriod.objects.exists()
    office.post("/update-periods/news/", {"max_days": "14"})
    assert RegionalUpdatePeriod.objects.get(section_code="news").max_days == 14
    office.post("/update-periods/news/", {"max_days": ""})
    assert not RegionalUpdatePeriod.objects.exists()
    assert RegionalAction.objects.filter(action="period").count() == 2


def test_the_office_replaces_the_head_with_a_reason_and_the_old_head_loses_the_role(office, make_school):
    provisioned = make_school(subdomain="newhead")
    url = f"/schools/{provisioned.school.pk}/head/"
    refused = office.post(url, {"email": "new-head@newhead.kz", "full_name": "New Head", "reason": ""})
    assert "This field is required" in refused.content.decode()
    done = office.post(url, {"email": "new-head@newhead.kz", "full_name": "New Head", "reason": "The head retired"})
    assert done.status_code == 302
    with schema_context(provisioned.school.schema_name):
        directors = Group.objects.get(name=Role.DIRECTOR.value).user_set.values_list("email", flat=True)
        assert list(directors) == ["new-head@newhead.kz"]
        entry = ModelLogEntry.objects.get(action="workflows.director_replace")
        assert entry.data["by"] == "office-admin" and entry.data["reason"] == "The head retired"
        assert entry.data["previous"] == [provisioned.invitations[0].email]
    action = RegionalAction.objects.get(action="head")
    assert (action.school_id, action.reason) == (provisioned.school.pk, "The head retired")


def test_exports_keep_formula_like_text_as_text(office, make_school):
    from openpyxl import load_workbook

    make_school(subdomain="formula", name_kk="=HYPERLINK(1)", name_en="=HYPERLINK(1)")
    csv_text = office.get("/?export=csv&q=HYPERLINK").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv_text
    import io

    sheet = load_workbook(io.BytesIO(office.get("/?export=xlsx&q=HYPERLINK").content)).active
    assert sheet.cell(row=2, column=1).value == "'=HYPERLINK(1)"
    assert sheet.cell(row=2, column=1).data_type == "s"
