"""Writes on a school's own record, other than provisioning."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.models import RegionalAction, School


def school_default_language_set(*, school: School, language: str) -> School:
    """The language a visitor sees when a page has no text in theirs (issue: languages)."""
    if language not in dict(School._meta.get_field("default_language").choices):
        raise ValidationError({"default_language": _("Choose Kazakh, Russian or English.")})
    school.default_language = language
    school.save(update_fields=["default_language"])  # post_save forgets the cached host lookup
    return school


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
    RegionalAction.objects.create(school=school, actor=actor, action=RegionalAction.Action.SUSPEND, reason=reason)
    return school


@transaction.atomic
def school_restore(*, school: School, actor: str, reason: str) -> School:
    reason = _reason_required(reason)
    if not school.is_suspended:
        raise ValidationError(_("This site is not suspended."))
    school.status = School.Status.ACTIVE
    school.save(update_fields=["status"])
    RegionalAction.objects.create(school=school, actor=actor, action=RegionalAction.Action.RESTORE, reason=reason)
    return school
