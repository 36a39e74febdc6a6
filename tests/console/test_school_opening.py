"""Opening a school from the console (issue 12): the request checks the form and queues the opening; a job
provisions the school while the officer's page follows it to the site, or to why it was refused.

The tests call ``school_opening_run`` as the worker would; tests/test_browser.py runs a real worker.
"""

import datetime

import pytest
from django.core import mail
from django_tenants.utils import schema_exists

from provisioning.models import SchoolOpening
from provisioning.outbox import provisioning_steps_run
from provisioning.school_opening import school_opening_fail, school_opening_run
from provisioning.services import school_provision
from provisioning.tasks import school_opening_task
from tenants.models import RegionalAction, School
from tests.factories import console_client, school_details, school_form_fields


@pytest.fixture
def office_client(db, client_for):
    return console_client(client_for, "office-opening")


def _ask(client, capture, **fields) -> tuple[SchoolOpening, list]:
    with capture() as queued:
        response = client.post("/schools/new/", school_form_fields(**fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    opening = SchoolOpening.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    return opening, queued


def _jobs(callbacks) -> list[tuple[str, tuple]]:
    """The tasks the on-commit callbacks send, with their arguments."""
    return [(callback.func.__self__.name, callback.args) for callback in callbacks]


def test_the_request_queues_the_opening_and_the_page_follows_the_job_to_the_open_site(
    office_client, django_capture_on_commit_callbacks
):
    opening, queued = _ask(office_client, django_capture_on_commit_callbacks)
    # Nothing is provisioned while the officer waits; one job is queued once the request commits.
    assert _jobs(queued) == [(school_opening_task.name, (opening.pk,))]
    assert not School.objects.filter(schema_name="school_console_made").exists()
    assert opening.status == "queued" and opening.opened_by == "office-opening"
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "waiting for a worker" in page and 'id="opening-bar"' in page and "job_progress.js" in page
    assert office_client.get(f"/schools/opening/{opening.pk}/progress/").json() == {
        "status": "queued", "status_label": "waiting for a worker", "in_progress": True, "stalled": False,
    }  # fmt: skip
    assert "New School" in office_client.get("/schools/new/").content.decode()  # listed as being opened

    with django_capture_on_commit_callbacks(execute=True):
        assert school_opening_run(opening.pk).status == "done"  # what the worker runs
    school = School.objects.get(schema_name="school_console_made")
    assert schema_exists("school_console_made")
    assert RegionalAction.objects.get(action="open", school=school).actor == "office-opening"
    assert "waiting to be sent" in office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    provisioning_steps_run(school.pk)  # the job queued on commit (provisioning.outbox)
    assert sorted(message.to[0] for message in mail.outbox) == ["head@console.kz"]

    assert office_client.get(f"/schools/opening/{opening.pk}/progress/").json()["in_progress"] is False
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "The site of New School is open." in page
    assert 'href="http://console-made.edu.test/admin/"' in page
    assert "http://console-made.edu.test/invite/" in page  # development shows the links (SHOW_INVITATION_LINKS)
    assert "Director (head of school), Site administrator" in page
    assert 'data-invitation-state="sent"' in page
    assert f'href="/schools/{school.pk}/"' in page
    assert "New School" not in office_client.get("/schools/new/").content.decode()  # no longer pending

    assert school_opening_run(opening.pk) is None  # delivered again: nothing to do, nothing opened twice
    assert School.objects.filter(bin=school.bin).count() == 1


def test_invitation_links_are_kept_and_shown_only_in_development(office_client, settings):
    settings.SHOW_INVITATION_LINKS = False
    office_client.post("/schools/new/", school_form_fields(subdomain="quiet-links"))
    opening = SchoolOpening.objects.get()
    school_opening_run(opening.pk)
    opening.refresh_from_db()
    assert [invitation["url"] for invitation in opening.invitations] == [""]  # a one-time link is a password
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "head@console.kz" in page and "/invite/" not in page


def test_a_second_click_is_the_same_opening_and_another_school_cannot_take_its_subdomain_meanwhile(
    office_client, django_capture_on_commit_callbacks
):
    first, _ = _ask(office_client, django_capture_on_commit_callbacks)
    again, queued = _ask(office_client, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and queued == []

    response = office_client.post("/schools/new/", school_form_fields(name_en="Other", bin="940140000385"))
    assert response.status_code == 200
    assert response.context["form"].errors["subdomain"] == ["A school with this subdomain is being opened right now."]
    assert SchoolOpening.objects.count() == 1


def test_a_school_that_took_the_details_meanwhile_is_reported_and_the_form_comes_back_filled_in(
    office_client, django_capture_on_commit_callbacks
):
    opening, _ = _ask(office_client, django_capture_on_commit_callbacks, subdomain="raced")
    # The command line opens another school on the same subdomain before a worker takes the opening.
    school_provision(details=school_details(subdomain="raced"), send_invitations=False)

    assert school_opening_run(opening.pk).status == "refused"
    opening.refresh_from_db()
    assert any("already taken" in problem for problem in opening.problems)
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "another school took these details" in page and "already taken" in page
    assert f'href="/schools/new/?from={opening.pk}"' in page
    form = office_client.get(f"/schools/new/?from={opening.pk}").content.decode()
    assert 'value="Жаңа мектеп"' in form and 'value="raced"' in form  # nothing to type again
    assert office_client.get("/schools/new/?from=abc").status_code == 200  # a bad id is an empty form


def test_a_worker_that_died_after_the_commit_only_records_the_school(
    office_client, django_capture_on_commit_callbacks
):
    opening, _ = _ask(office_client, django_capture_on_commit_callbacks, subdomain="crashed")
    school_opening_run(opening.pk)
    SchoolOpening.objects.filter(pk=opening.pk).update(status="running", school=None, invitations=[])  # killed

    assert school_opening_run(opening.pk).status == "done"  # the message, delivered again
    opening.refresh_from_db()
    assert opening.school == School.objects.get(schema_name="school_crashed")
    assert School.objects.filter(schema_name__startswith="school_crashed").count() == 1
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "head@console.kz" in page  # who is invited, from the outbox


def test_a_job_that_gave_up_says_so_and_keeps_the_details(office_client, django_capture_on_commit_callbacks):
    opening, _ = _ask(office_client, django_capture_on_commit_callbacks, subdomain="gave-up")
    school_opening_fail(opening_id=opening.pk, error=RuntimeError("database went away"))
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "because of an error" in page and "database went away" in page
    assert f"?from={opening.pk}" in page
    assert school_opening_run(opening.pk) is None  # a failed opening is not run by a late message
    assert not School.objects.filter(schema_name="school_gave_up").exists()


def test_an_opening_no_worker_takes_says_so_after_a_minute_and_can_be_queued_again(
    office_client, django_capture_on_commit_callbacks, time_machine
):
    opening, _ = _ask(office_client, django_capture_on_commit_callbacks, subdomain="no-worker")
    with django_capture_on_commit_callbacks() as queued:
        office_client.post(f"/schools/opening/{opening.pk}/requeue/")
    assert queued == []  # too early: the job may still be on its way
    time_machine.move_to(opening.queued_at + datetime.timedelta(minutes=2))
    assert office_client.get(f"/schools/opening/{opening.pk}/progress/").json()["stalled"] is True
    page = office_client.get(f"/schools/opening/{opening.pk}/").content.decode()
    assert "No background worker has taken this job" in page and "Queue it again" in page
    with django_capture_on_commit_callbacks() as queued:
        office_client.post(f"/schools/opening/{opening.pk}/requeue/")
    assert _jobs(queued) == [(school_opening_task.name, (opening.pk,))]
    assert office_client.get(f"/schools/opening/{opening.pk}/progress/").json()["stalled"] is False


def test_a_template_behind_the_code_is_rebuilt_by_the_job_not_in_the_request(
    office_client, django_capture_on_commit_callbacks
):
    """A deploy that skipped migrate: the rebuild takes minutes, beyond any web request."""
    from provisioning.models import SchemaTemplate

    SchemaTemplate.objects.all().delete()  # rolled back with the test
    opening, queued = _ask(office_client, django_capture_on_commit_callbacks, subdomain="waits")
    assert not SchemaTemplate.objects.exists()  # nothing was built while the officer waited
    assert _jobs(queued) == [(school_opening_task.name, (opening.pk,))]


def test_only_the_offices_administrators_open_schools(db, client_for):
    inspector = console_client(client_for, "inspector-opening", role="inspector")
    assert inspector.post("/schools/new/", school_form_fields()).status_code == 403
    assert not SchoolOpening.objects.exists()
