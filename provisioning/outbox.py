"""What a new school needs once it has committed: its invitations e-mailed and its first scan queued.

``school_provision`` writes one ``ProvisioningStep`` per invitation and one for the first scan in the
school's own transaction, and queues ``provisioning_steps_task`` on commit. That job, and the periodic
sweep as a safety net (a broker down at the commit, a worker killed mid-way, a mail server refusing),
do each step: claimed with a lease so that two runs never both do it, marked done right after its own
action, retried with a growing delay up to ``MAX_ATTEMPTS``. Only a step whose run was killed between
its action and its mark can be done twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Sequence
from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.invitations import invitation_send
from provisioning.models import ProvisioningStep
from regulation.roles import Role
from tenants.audit import regional_action_record
from tenants.models import Domain, RegionalAction, School

logger = logging.getLogger(__name__)

# Longer than a send may take (EMAIL_TIMEOUT) by far: a lease that runs out means its run died.
LEASE = datetime.timedelta(minutes=10)
FIRST_RETRY = datetime.timedelta(minutes=5)  # then 10, 20, 40… minutes
LONGEST_RETRY = datetime.timedelta(hours=4)
MAX_ATTEMPTS = 8  # about 10 hours of a mail server refusing before the step waits for the office
SWEEP_BATCH = 200  # steps per sweep: a backlog is worked off over several sweeps, never in one long task


def provisioning_steps_write(
    *, school: School, invitees: Iterable[tuple[object, Sequence[Role]]], interactive: bool = True
) -> None:
    """Record the after-steps of a school being provisioned, in its transaction, and queue them on commit.

    ``invitees``: (user, roles) of everyone to e-mail an invitation to; the first scan is always a step.
    """
    steps = [
        ProvisioningStep(
            school=school,
            kind=ProvisioningStep.Kind.INVITATION,
            payload={
                "user_id": user.pk,
                "email": user.email,
                "full_name": user.get_full_name() or user.email,
                "roles": [str(role.value) for role in roles],
            },
        )
        for user, roles in invitees
    ]
    steps.append(ProvisioningStep(school=school, kind=ProvisioningStep.Kind.FIRST_SCAN))
    ProvisioningStep.objects.bulk_create(steps)
    provisioning_steps_queue(school.pk, interactive=interactive)


def provisioning_steps_queue(school_id: int, *, interactive: bool = True) -> None:
    """Queue the job once the transaction commits; a broker that is down is logged, and the sweep does them.
    Not ``interactive`` (a bulk import): on the fan-out queue, behind nobody's click."""
    transaction.on_commit(partial(provisioning_steps_job_send, school_id, interactive), robust=True)


def provisioning_steps_job_send(school_id: int, interactive: bool = True) -> None:
    from django.conf import settings

    from provisioning.tasks import provisioning_steps_task

    queue = settings.CELERY_INTERACTIVE_QUEUE if interactive else settings.CELERY_TASK_DEFAULT_QUEUE
    try:
        provisioning_steps_task.apply_async((school_id,), queue=queue, routing_key=queue)
    except Exception as exc:  # a warning, not a traceback: the steps are kept, and the sweep does them
        logger.warning("Could not queue the after-steps of school %s (%r); the sweep will do them", school_id, exc)


def _due(now: datetime.datetime) -> Q:
    return Q(status__in=ProvisioningStep.OPEN, next_attempt_at__lte=now) & (
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )


def provisioning_steps_run(school_id: int) -> int:
    """Do the school's steps that are due (the job queued on commit); how many this run did."""
    now = timezone.now()
    step_ids = ProvisioningStep.objects.filter(_due(now), school_id=school_id).values_list("pk", flat=True)
    return sum(provisioning_step_do(step_id) for step_id in list(step_ids))


def provisioning_steps_sweep() -> int:
    """Do the steps that are due across all schools (the periodic safety net); how many it did."""
    now = timezone.now()
    due = ProvisioningStep.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
    step_ids = list(due.values_list("pk", flat=True)[:SWEEP_BATCH])
    return sum(provisioning_step_do(step_id) for step_id in step_ids)


def provisioning_step_do(step_id: int) -> bool:
    """Claim one step, do it and record the outcome; False if another run holds it or it is not due."""
    now = timezone.now()
    lease = now + LEASE
    claimed = ProvisioningStep.objects.filter(_due(now), pk=step_id).update(
        leased_until=lease, attempts=models.F("attempts") + 1
    )
    if not claimed:
        return False
    step = ProvisioningStep.objects.select_related("school").get(pk=step_id)
    mine = ProvisioningStep.objects.filter(pk=step_id, leased_until=lease)  # unless the lease ran out meanwhile
    try:
        with transaction.atomic():  # a database error in the action is undone here, so the outcome can be kept
            skipped_because = _ACTIONS[step.kind](step)
    except Exception as exc:  # any refusal is kept with the step and retried; it must not stop the others
        logger.warning("Provisioning step %s (%s of %s) failed: %r", step.pk, step.kind, step.school_id, exc)
        retry_at = None if step.attempts >= MAX_ATTEMPTS else timezone.now() + _retry_delay(step.attempts)
        mine.update(
            status=ProvisioningStep.Status.FAILED,
            last_error=(str(exc) or exc.__class__.__name__)[:2000],
            next_attempt_at=retry_at,
            leased_until=None,
        )
        return True
    status = ProvisioningStep.Status.SKIPPED if skipped_because else ProvisioningStep.Status.DONE
    mine.update(status=status, last_error=skipped_because, done_at=timezone.now(), leased_until=None)
    return True


def _retry_delay(attempts: int) -> datetime.timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _invitation_send(step: ProvisioningStep) -> str:
    """E-mail a fresh link to the person in the school's schema; a reason when there is no one to invite."""
    domains = Domain.objects.filter(tenant_id=step.school_id, is_primary=True)
    hostname = domains.values_list("domain", flat=True).first()
    with schema_context(step.school.schema_name):
        user = get_user_model().objects.filter(pk=step.payload["user_id"], is_active=True).first()
        if user is None:
            return _("The account was removed or disabled.")
        if user.has_usable_password():
            return _("The person has already set a password.")
        invitation_send(user=user, roles=[Role(role) for role in step.payload["roles"]], hostname=hostname)
    return ""


def _first_scan_queue(step: ProvisioningStep) -> str:
    """The region's overview shows a new school the same day, not after the next nightly scan."""
    from compliance.tasks import school_scan_task

    school_scan_task.apply_async(headers={"_schema_name": step.school.schema_name})
    return ""


_ACTIONS = {ProvisioningStep.Kind.INVITATION: _invitation_send, ProvisioningStep.Kind.FIRST_SCAN: _first_scan_queue}


def invitation_resend(*, step: ProvisioningStep, actor) -> ProvisioningStep:
    """The office sends a failed or expired invitation again (a fresh link); queued once this commits.

    Raises ``ValidationError`` with the reason when there is nothing to resend.
    """
    from provisioning.outbox_selectors import invitation_states

    with transaction.atomic():
        step = ProvisioningStep.objects.select_for_update(of=("self",)).select_related("school").get(pk=step.pk)
        if step.kind != ProvisioningStep.Kind.INVITATION:
            raise ValidationError(_("Only an invitation can be sent again."))
        if step.is_leased:  # a run holds it: resetting it now could send it twice
            raise ValidationError(_("This invitation is being sent right now."))
        state = invitation_states(step.school, steps=[step])[0]
        if not state.can_resend:
            raise ValidationError(_("This invitation cannot be sent again: %(state)s") % {"state": state.label})
        ProvisioningStep.objects.filter(pk=step.pk).update(
            status=ProvisioningStep.Status.PENDING,
            attempts=0,
            last_error="",
            next_attempt_at=timezone.now(),
            leased_until=None,
            done_at=None,
        )
        regional_action_record(
            actor=actor, action=RegionalAction.Action.INVITE, school=step.school, email=step.payload.get("email", "")
        )
        provisioning_steps_queue(step.school_id)
    step.refresh_from_db()
    return step
