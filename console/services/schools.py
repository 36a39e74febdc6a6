"""Writes on a school's own record, other than provisioning."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit import regional_action_record
from tenants.models import RegionalAction, School


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


@transaction.atomic
def school_remind(*, school: School, actor) -> None:
    """Remind the responsible people of every stale section of ``school`` now (a task in its schema, sent once
    this transaction commits), and record that the office asked."""
    from compliance.tasks import remind_now_task

    regional_action_record(school=school, actor=actor, action=RegionalAction.Action.REMIND)
    transaction.on_commit(lambda: remind_now_task.apply_async(headers={"_schema_name": school.schema_name}))


@transaction.atomic
def school_archival_delete(*, school: School, archival, actor, reason: str) -> None:
    """Delete an archived page or document of ``school`` for good (clause 1.2: only the regional office, with
    a reason), and record it; run inside the school's schema."""
    from workflows.archive import archival_delete

    name = actor if isinstance(actor, str) else actor.get_username()
    title = archival.title
    archival_delete(archival=archival, deleted_by=name, reason=reason)
    regional_action_record(school=school, actor=name, action=RegionalAction.Action.DELETE, reason=reason, title=title)
