"""Writes on a school's own record, other than provisioning."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.invitations import Invitation
from accounts.people import appointed_role_step_in
from compliance.remind import remind_now_request
from regulation.roles import Role
from tenants.audit import regional_action_record
from tenants.models import RegionalAction, School

logger = logging.getLogger(__name__)


def _reason_required(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Write the reason; it is kept with the action.")})
    return reason


@transaction.atomic
def school_suspend(*, school: School, actor: str, reason: str) -> School:
    """Take a school's site offline (its host answers 503); its content and editors' work are kept."""
    reason = _reason_required(reason)
    if school.is_suspended:
        raise ValidationError(_("This site is already suspended."))
    school.status = School.Status.SUSPENDED
    school.save(update_fields=["status"])  # post_save forgets the cached host lookup
    regional_action_record(school=school, actor=actor, action=RegionalAction.Action.SUSPEND, reason=reason)
    return school


@transaction.atomic
def school_restore(*, school: School, actor: str, reason: str) -> School:
    reason = _reason_required(reason)
    if not school.is_suspended:
        raise ValidationError(_("This site is not suspended."))
    school.status = School.Status.ACTIVE
    school.save(update_fields=["status"])
    regional_action_record(school=school, actor=actor, action=RegionalAction.Action.RESTORE, reason=reason)
    return school


def school_remind(*, school: School, actor) -> bool:
    """Record the office's request to remind the responsible people of every stale section of ``school`` now,
    and queue the job that sends it (in the school's schema, once this transaction commits).

    Returns False when the job queue could not be reached: the request stays recorded and the sweep
    (``compliance.tasks.waiting_reminders_sweep``) sends it once the job system is back (known only when this
    is the outermost transaction, as from the console; inside another one it returns True).
    """
    from compliance.tasks import remind_now_task

    outcome = {"queued": True}

    def queue():
        try:
            remind_now_task.apply_async(headers={"_schema_name": school.schema_name})
        except Exception:  # the broker being down must not turn the office's request into an error page
            logger.warning("Could not queue the reminders of %s", school.schema_name, exc_info=True)
            outcome["queued"] = False

    name = actor if isinstance(actor, str) else actor.get_username()
    with transaction.atomic():
        regional_action_record(school=school, actor=name, action=RegionalAction.Action.REMIND)
        remind_now_request(school=school, requested_by=name)
        transaction.on_commit(queue)
    return outcome["queued"]


@transaction.atomic
def school_archival_delete(*, school: School, archival, actor, reason: str) -> None:
    """Delete an archived page, document or image of ``school`` for good (clause 1.2: only the regional office,
    once the retention period is over, with a reason), and record it in the school's audit trail and the
    office's, both of which outlive the item; run inside the school's schema."""
    from workflows.archive import archival_delete

    name = actor if isinstance(actor, str) else actor.get_username()
    record = archival_delete(archival=archival, deleted_by=name, reason=reason)
    regional_action_record(
        school=school,
        actor=name,
        action=RegionalAction.Action.DELETE,
        reason=record["reason"],
        title=record["title"],
        type=record["type"],
        archived_at=record["archived_at"],
        archived_reason=record["archived_reason"],
    )


# The roles the office may fill when the school cannot (clause 1.2), and how each is recorded.
APPOINTMENT_ACTIONS = {
    Role.SITE_ADMINISTRATOR: RegionalAction.Action.ADMINISTRATOR,
    Role.DIRECTOR: RegionalAction.Action.HEAD,
}


@transaction.atomic
def school_appointment(
    *, school: School, role: Role, email: str, full_name: str, reason: str, actor
) -> Invitation | None:
    """Clause 1.2: the office appoints the school's head or site administrator when the school cannot, in the
    school's schema, and records it in the office's audit trail in the same transaction. Returns the new
    person's invitation, if they had no account yet."""
    with schema_context(school.schema_name):
        invitation = appointed_role_step_in(
            role=role, email=email, full_name=full_name, reason=reason, officer=actor.get_username()
        )
    regional_action_record(actor=actor, action=APPOINTMENT_ACTIONS[role], school=school, reason=reason, email=email)
    return invitation
