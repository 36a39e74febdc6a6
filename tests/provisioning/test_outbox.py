"""A new school's after-steps (issue 13, point 3): its invitations and first scan are written with the school,
done by a job once it commits, each e-mail sent once however many runs race for it, and a refused send is
kept with its reason and retried by the sweep until the mail server takes it.

The mail server that refuses is real (tests/mail_server.py): Django's SMTP backend and a port where nothing listens.
"""

import datetime
import json
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from provisioning.models import ProvisioningStep
from provisioning.outbox import LEASE, provisioning_steps_run, provisioning_steps_sweep
from provisioning.services import school_provision
from provisioning.tasks import provisioning_steps_task
from tenants.models import School
from tests.factories import school_details

Kind, Status = ProvisioningStep.Kind, ProvisioningStep.Status


@pytest.fixture
def committed_school(django_db_blocker):
    """Provision a school and commit it (other connections, threads and the worker see it); dropped afterwards."""
    created = []

    def provision(subdomain: str):
        with django_db_blocker.unblock():
            provisioned = school_provision(details=school_details(subdomain=subdomain))
            connection.set_schema_to_public()
        created.append(provisioned.school.pk)
        return provisioned

    yield provision
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for school in School.objects.filter(pk__in=created):
            school.delete(force_drop=True)


def _steps(school) -> dict[str, list[ProvisioningStep]]:
    steps: dict[str, list[ProvisioningStep]] = {}
    for step in ProvisioningStep.objects.filter(school=school):
        steps.setdefault(step.kind, []).append(step)
    return steps


def _mailed_to(addresses) -> list[str]:
    return sorted(message.to[0] for message in mail.outbox if message.to[0] in addresses)


def test_steps_are_written_in_the_schools_transaction_so_a_rollback_leaves_none(db):
    details = school_details(subdomain="outbox-rollback")
    with pytest.raises(RuntimeError), transaction.atomic():
        provisioned = school_provision(details=details)
        steps = _steps(provisioned.school)
        assert len(steps[Kind.INVITATION]) == 2 and len(steps[Kind.FIRST_SCAN]) == 1
        payloads = [step.payload for step in steps[Kind.INVITATION]]
        assert {payload["email"] for payload in payloads} == {details.head.email, details.administrator.email}
        # Who, never the link: a one-time link is as good as a password, so it is made when it is sent.
        assert all(set(payload) == {"user_id", "email", "full_name", "roles"} for payload in payloads)
        assert "/invite/" not in json.dumps(payloads)
        raise RuntimeError("killed before the commit")
    assert not School.objects.filter(bin=details.bin).exists()
    assert not ProvisioningStep.objects.filter(payload__email=details.head.email).exists()


def test_the_job_run_twice_sends_each_invitation_once_and_skips_who_needs_none(db):
    provisioned = school_provision(details=school_details(subdomain="outbox-twice"))
    emails = {invitation.email for invitation in provisioned.invitations}
    assert provisioning_steps_run(provisioned.school.pk) == 3
    assert provisioning_steps_run(provisioned.school.pk) == 0  # delivered again: nothing left to do
    assert _mailed_to(emails) == sorted(emails)
    steps = _steps(provisioned.school)
    assert {(step.status, step.attempts) for group in steps.values() for step in group} == {(Status.DONE, 1)}

    # Someone who set a password meanwhile (or whose account is gone) is not e-mailed a link again.
    other = school_provision(details=school_details(subdomain="outbox-skip", administrator=None))
    with schema_context(other.school.schema_name):
        user = get_user_model().objects.get()
        user.set_password("Already-chosen-7")
        user.save()
    provisioning_steps_run(other.school.pk)
    (invitation,) = _steps(other.school)[Kind.INVITATION]
    assert invitation.status == Status.SKIPPED and "already set a password" in invitation.last_error
    assert _mailed_to({user.email}) == []


def test_runs_at_the_same_moment_send_each_invitation_once(committed_school, django_db_blocker):
    """The job queued on commit, the same job delivered again and the sweep, all at once on committed steps."""
    provisioned = committed_school("outbox-race")
    school_id = provisioned.school.pk
    emails = {invitation.email for invitation in provisioned.invitations}
    start = threading.Barrier(3)
    errors = []

    def run(work):
        try:
            start.wait(timeout=30)
            work()
        except Exception as exc:  # reported below: a thread's exception would otherwise be lost
            errors.append(exc)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        runners = [
            threading.Thread(target=run, args=(work,))
            for work in (
                lambda: provisioning_steps_run(school_id),
                lambda: provisioning_steps_run(school_id),
                provisioning_steps_sweep,
            )
        ]
        for runner in runners:
            runner.start()
        for runner in runners:
            runner.join(timeout=120)
        assert errors == []
        steps = list(ProvisioningStep.objects.filter(school_id=school_id))
    assert len(steps) == 3
    assert {(step.status, step.attempts) for step in steps} == {(Status.DONE, 1)}  # each claimed by one run
    assert _mailed_to(emails) == sorted(emails)


def test_a_real_worker_does_the_steps_queued_on_commit(committed_school, worker):
    provisioned = committed_school("outbox-worker")
    emails = {invitation.email for invitation in provisioned.invitations}
    deadline = time.monotonic() + 120
    while ProvisioningStep.objects.filter(school=provisioned.school).exclude(status=Status.DONE).exists():
        assert time.monotonic() < deadline, list(ProvisioningStep.objects.filter(school=provisioned.school).values())
        time.sleep(0.1)
    again = provisioning_steps_task.delay(provisioned.school.pk)
    assert worker.wait_for(again).retval == 0  # nothing twice
    assert _mailed_to(emails) == sorted(emails)


def test_a_refused_send_is_kept_with_its_reason_and_the_sweep_sends_it_once_the_server_is_back(
    db, mail_server_down, settings
):
    provisioned = school_provision(details=school_details(subdomain="outbox-down"))
    emails = {invitation.email for invitation in provisioned.invitations}
    before = timezone.now()
    provisioning_steps_run(provisioned.school.pk)

    steps = _steps(provisioned.school)
    assert steps[Kind.FIRST_SCAN][0].status == Status.DONE  # the broker took the scan
    for step in steps[Kind.INVITATION]:
        assert (step.status, step.attempts) == (Status.FAILED, 1)
        assert "refused" in step.last_error.lower()
        assert step.next_attempt_at > before + datetime.timedelta(minutes=4)  # not hammering a server that is down
        assert step.leased_until is None
    provisioning_steps_sweep()  # not due yet: untouched
    assert {step.attempts for step in ProvisioningStep.objects.filter(school=provisioned.school)} == {1}

    settings.EMAIL_BACKEND = mail_server_down  # the server is back,
    ProvisioningStep.objects.filter(school=provisioned.school).update(next_attempt_at=timezone.now())  # and due
    provisioning_steps_sweep()
    for step in ProvisioningStep.objects.filter(school=provisioned.school, kind=Kind.INVITATION):
        assert (step.status, step.attempts, step.last_error) == (Status.DONE, 2, "")
    assert _mailed_to(emails) == sorted(emails)


def test_a_run_killed_mid_step_leaves_it_to_the_sweep_once_its_lease_has_run_out(db):
    provisioned = school_provision(details=school_details(subdomain="outbox-killed", administrator=None))
    (step,) = _steps(provisioned.school)[Kind.INVITATION]
    claimed_by_the_dead = timezone.now() + LEASE
    ProvisioningStep.objects.filter(pk=step.pk).update(leased_until=claimed_by_the_dead, attempts=1)
    provisioning_steps_sweep()
    assert _mailed_to({step.payload["email"]}) == []  # another run holds it
    ProvisioningStep.objects.filter(pk=step.pk).update(leased_until=timezone.now() - datetime.timedelta(seconds=1))
    provisioning_steps_sweep()
    step.refresh_from_db()
    assert (step.status, step.attempts) == (Status.DONE, 2)
    assert _mailed_to({step.payload["email"]}) == [step.payload["email"]]
