"""The console shows what became of each new school's invitations and sends a failed or expired one again
(issue 13, point 3); the overview flags the schools whose invitations have not gone, in one query."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning.models import ProvisioningStep
from provisioning.outbox import MAX_ATTEMPTS, provisioning_step_do, provisioning_steps_job_send, provisioning_steps_run
from provisioning.outbox_selectors import unsent_invitations_exist
from provisioning.services import school_provision
from tenants.models import RegionalAction, School
from tests.factories import console_client, school_details


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-invitations")


def _state_of(page: str, email: str) -> str:
    """The data-invitation-state of the line that names ``email``."""
    line = next(line for line in page.split("<li ") if f"&lt;{email}&gt;" in line)
    return line.split('data-invitation-state="', 1)[1].split('"', 1)[0]


def test_the_school_page_shows_each_invitation_and_the_office_resends_the_one_that_failed(
    office,
    mail_server_down,
    settings,
    django_capture_on_commit_callbacks,
):
    provisioned = school_provision(details=school_details(subdomain="states", short_name="StatesSchool"))
    school = provisioned.school
    head, administrator = (
        ProvisioningStep.objects.get(school=school, payload__email=invitation.email)
        for invitation in provisioned.invitations
    )
    # The administrator's e-mail is refused until no attempt is left; the head's goes once the server is up.
    ProvisioningStep.objects.filter(pk=administrator.pk).update(attempts=MAX_ATTEMPTS - 1)
    provisioning_step_do(administrator.pk)
    settings.EMAIL_BACKEND = mail_server_down
    provisioning_steps_run(school.pk)

    page = office.get(f"/schools/{school.pk}/").content.decode()
    assert _state_of(page, head.payload["email"]) == "sent"
    assert _state_of(page, administrator.payload["email"]) == "gave_up"
    assert "failed; no more automatic attempts" in page and "Connection refused" in page
    resend_url = f"/schools/{school.pk}/invitations/{administrator.pk}/resend/"
    assert page.count("Send the invitation again") == 1 and f'action="{resend_url}"' in page
    listing = office.get("/", {"q": "StatesSchool"}).content.decode()
    assert "invitations not sent" in listing

    with django_capture_on_commit_callbacks() as queued:
        response = office.post(resend_url)
    assert response.status_code == 302
    queued_jobs = [(callback.func, callback.args) for callback in queued]
    assert queued_jobs == [(provisioning_steps_job_send, (school.pk, True))]
    assert RegionalAction.objects.get(school=school, action="invite").data == {"email": administrator.payload["email"]}
    provisioning_steps_run(school.pk)  # the job the resend queued
    assert [message.to[0] for message in mail.outbox] == [head.payload["email"], administrator.payload["email"]]
    page = office.get(f"/schools/{school.pk}/").content.decode()
    assert _state_of(page, administrator.payload["email"]) == "sent"
    assert "Send the invitation again" not in page
    assert "invitations not sent" not in office.get("/", {"q": "StatesSchool"}).content.decode()
    # A sent invitation is not sent again on a second click.
    office.post(resend_url)
    assert len(mail.outbox) == 2


def test_an_expired_invitation_can_be_sent_again_and_an_accepted_one_cannot(office):
    provisioned = school_provision(details=school_details(subdomain="expired"))
    provisioning_steps_run(provisioned.school.pk)
    head, administrator = (invitation.email for invitation in provisioned.invitations)
    week_and_a_day_ago = timezone.now() - datetime.timedelta(seconds=86400 + 7 * 86400)
    ProvisioningStep.objects.filter(school=provisioned.school).update(done_at=week_and_a_day_ago)
    with schema_context(provisioned.school.schema_name):
        user = get_user_model().objects.get(email=head)
        user.set_password("Chosen-in-time-7")
        user.save()

    page = office.get(f"/schools/{provisioned.school.pk}/").content.decode()
    assert _state_of(page, head) == "accepted"
    assert _state_of(page, administrator) == "expired"
    accepted_step = ProvisioningStep.objects.get(school=provisioned.school, payload__email=head)
    response = office.post(f"/schools/{provisioned.school.pk}/invitations/{accepted_step.pk}/resend/", follow=True)
    assert "cannot be sent again" in response.content.decode()


def test_inspectors_see_the_states_but_cannot_resend(db, client_for):
    inspector = console_client(client_for, "inspector-invitations", role="inspector")
    provisioned = school_provision(details=school_details(subdomain="inspected", administrator=None))
    step = ProvisioningStep.objects.get(school=provisioned.school, kind="invitation")
    ProvisioningStep.objects.filter(pk=step.pk).update(status="failed", next_attempt_at=None, last_error="refused")
    page = inspector.get(f"/schools/{provisioned.school.pk}/").content.decode()
    assert _state_of(page, step.payload["email"]) == "gave_up" and "Send the invitation again" not in page
    response = inspector.post(f"/schools/{provisioned.school.pk}/invitations/{step.pk}/resend/")
    assert response.status_code in (302, 403)
    step.refresh_from_db()
    assert step.status == "failed"


def test_the_overview_flags_failed_and_overdue_invitations_in_the_query_that_lists_the_schools(db):
    schools = [school_provision(details=school_details(subdomain=f"flag-{n}")).school for n in range(3)]
    one_invitation = ProvisioningStep.objects.filter(school=schools[0], kind="invitation").first()
    ProvisioningStep.objects.filter(pk=one_invitation.pk).update(status="failed")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ProvisioningStep.objects.filter(school=schools[1]).update(created_at=an_hour_ago)  # no job took them
    listed = School.objects.filter(pk__in=[school.pk for school in schools]).annotate(
        invitations_unsent=unsent_invitations_exist()
    )
    with CaptureQueriesContext(connection) as queries:
        flagged = {school.pk for school in listed if school.invitations_unsent}
    assert flagged == {schools[0].pk, schools[1].pk} and len(queries) == 1
