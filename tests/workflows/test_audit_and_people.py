"""The audit trail (who, when, what, why) and the people screen: invite, deactivate, reset access."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from accounts.people import person_access_reset, person_deactivate, person_invite
from regulation.roles import Role
from school_sections.models import NewsIndexPage
from tests.factories import login_verified
from tests.workflows.conftest import news_draft


def test_the_director_reads_and_exports_every_step_of_a_publication(school_site, people, client_for):
    teacher, administrator = people["teacher"], people["administrator"]
    page = news_draft(teacher, title="Sports day")
    state = page.get_workflow().start(page, teacher)
    task = state.current_task_state.task.specific
    task.on_action(state.current_task_state, administrator, "reject", comment="Add the date, please.")
    state.refresh_from_db()
    state.resume(teacher)
    state.refresh_from_db()
    state.current_task_state.task.specific.on_action(state.current_task_state, administrator, "approve")

    client = client_for(school_site.hostname)
    login_verified(client, people["director"])
    listing = client.get("/admin/audit/")
    assert listing.status_code == 200 and "Sports day" in listing.content.decode()
    export = b"".join(client.get("/admin/audit/?export=csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(export)))
    steps = {(row["Action type"], row["User"]) for row in rows if row["Name"] == "Sports day"}
    teacher_name, administrator_name = teacher.get_full_name() or teacher.email, administrator.get_full_name()
    assert ("Workflow: start", teacher_name) in steps or any(a.startswith("Workflow") for a, _ in steps)
    assert any(action == "Publish" and user == administrator_name for action, user in steps)
    reject = next(row for row in rows if row["Name"] == "Sports day" and "reject" in row["Action type"].lower())
    assert reject["Why"] == "Add the date, please."


@pytest.mark.parametrize("role", ["chief_editor", "teacher"])
def test_4_2_an_editor_who_does_not_answer_for_the_site_does_not_read_the_audit_trail(
    school_site, people, client_for, role
):
    client = client_for(school_site.hostname)
    login_verified(client, people[role])
    response = client.get("/admin/audit/")
    assert response.status_code in (302, 403)


def test_the_administrator_invites_with_a_role_and_sections(
    school_site, people, client_for, django_capture_on_commit_callbacks
):
    client = client_for(school_site.hostname)
    login_verified(client, people["administrator"])
    news = NewsIndexPage.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/people/",
            {
                "full_name": "Aigerim Nurlanovna",
                "email": "Aigerim@Rules.kz",
                "role": Role.EDITORIAL_MEMBER.value,
                "sections": [news.pk],
            },
        )
    assert response.status_code == 302
    invited = get_user_model().objects.get(email="aigerim@rules.kz")
    assert set(invited.groups.values_list("name", flat=True)) == {Role.EDITORIAL_MEMBER.value, "Section news"}
    assert news.permissions_for_user(invited).can_edit() and not news.permissions_for_user(invited).can_publish()
    (message,) = mail.outbox
    assert message.to == ["aigerim@rules.kz"] and "http://rules.edu.test/invite/" in message.body
    assert ModelLogEntry.objects.filter(action="workflows.person_invite", object_id=str(invited.pk)).exists()

    again = client.post(
        "/admin/people/", {"full_name": "Someone", "email": "aigerim@rules.kz", "role": Role.CHIEF_EDITOR.value}
    )
    assert "already has an account" in again.content.decode()
    bad = client.post("/admin/people/", {"full_name": "", "email": "not-an-address", "role": "Director"})
    content = bad.content.decode()
    assert "This field is required" in content and "valid email" in content.lower()
    assert get_user_model().objects.count() == 5  # nothing was created by the bad forms


def test_roles_that_are_appointed_cannot_be_invited_or_deactivated_by_the_administrator(people):
    with pytest.raises(ValidationError) as error:
        person_invite(email="x@rules.kz", full_name="X", role=Role.DIRECTOR, sections=[], by=people["administrator"])
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        person_deactivate(person=people["director"], by=people["administrator"])


def test_a_deactivated_person_cannot_sign_in_and_their_work_stays(school_site, people, client_for):
    teacher = people["teacher"]
    teacher.set_password("Teacher-pass-1")
    teacher.save()
    page = news_draft(teacher, title="Teacher's draft")
    person_deactivate(person=teacher, by=people["administrator"], reason="Left the school")
    client = client_for(school_site.hostname)
    assert not client.login(username=teacher.username, password="Teacher-pass-1")
    page.refresh_from_db()
    assert page.owner_id == teacher.pk and page.get_latest_revision().user_id == teacher.pk
    entry = ModelLogEntry.objects.get(action="workflows.person_deactivate", object_id=str(teacher.pk))
    assert entry.data["reason"] == "Left the school"


def test_resetting_access_forgets_password_and_second_factor_and_sends_a_link(
    people, django_capture_on_commit_callbacks
):
    # Not the director's: clause 1.2 keeps that from the administrator (tests/accounts/test_access_reset.py).
    editor = people["chief_editor"]
    editor.set_password("Editor-pass-1")
    editor.save()
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        person_access_reset(person=editor, by=people["administrator"])
    editor.refresh_from_db()
    assert not editor.has_usable_password() and not TOTPDevice.objects.filter(user=editor).exists()
    assert mail.outbox[-1].to == [editor.email] and "/invite/" in mail.outbox[-1].body


def test_only_the_administrator_manages_people(school_site, people, client_for):
    client = client_for(school_site.hostname)
    login_verified(client, people["chief_editor"])
    assert client.get("/admin/people/").status_code in (302, 403)
