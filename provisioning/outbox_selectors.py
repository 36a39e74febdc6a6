"""Reads of the provisioning outbox for the console: each invitation's state, and which schools have some unsent."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tenants.utils import schema_context

from provisioning.models import ProvisioningStep
from regulation.roles import Role
from tenants.models import School

# A step still pending this long after the school opened was not taken by the job queued on commit
# (the broker was down, say): the overview flags it, though the sweep will still send it.
UNSENT_AFTER = datetime.timedelta(minutes=10)


@dataclass(frozen=True)
class InvitationState:
    """An invitation of a new school as the office sees it."""

    step: ProvisioningStep
    state: str  # "pending", "sent", "accepted", "expired", "failed", "gave_up", "skipped"
    label: str
    reason: str  # why it failed or was not needed
    can_resend: bool

    @property
    def email(self) -> str:
        return self.step.payload.get("email", "")

    @property
    def full_name(self) -> str:
        return self.step.payload.get("full_name", "")

    @property
    def role_names(self) -> str:
        return ", ".join(str(Role(role).label) for role in self.step.payload.get("roles", []))


def invitation_states(school: School, *, steps: Sequence[ProvisioningStep] | None = None) -> list[InvitationState]:
    """Each invitation step of ``school`` with what became of it; the accounts are read in its schema (one query)."""
    if steps is None:
        steps = list(ProvisioningStep.objects.filter(school=school, kind=ProvisioningStep.Kind.INVITATION))
    if not steps:
        return []
    with schema_context(school.schema_name):
        users = get_user_model().objects.filter(pk__in=[step.payload.get("user_id") for step in steps])
        accepted = {user.pk for user in users.only("pk", "password") if user.has_usable_password()}
    return [_state(step, accepted=step.payload.get("user_id") in accepted) for step in steps]


def _state(step: ProvisioningStep, *, accepted: bool) -> InvitationState:
    Status = ProvisioningStep.Status
    if accepted:
        return InvitationState(step, "accepted", _("accepted: the person has set a password"), "", False)
    if step.status == Status.DONE:
        expires = step.done_at + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT) if step.done_at else None
        if expires and expires < timezone.now():
            return InvitationState(step, "expired", _("expired before the person used it"), "", True)
        return InvitationState(step, "sent", _("sent"), "", False)
    if step.status == Status.FAILED:
        if step.gave_up:
            label = _("failed; no more automatic attempts")
        else:
            label = ngettext(
                "failed; tried %(count)d time, trying again automatically",
                "failed; tried %(count)d times, trying again automatically",
                step.attempts,
            ) % {"count": step.attempts}
        return InvitationState(step, "gave_up" if step.gave_up else "failed", label, step.last_error, True)
    if step.status == Status.SKIPPED:
        return InvitationState(step, "skipped", _("not sent"), step.last_error, False)
    return InvitationState(step, "pending", _("waiting to be sent"), "", False)


def unsent_invitations_exist() -> Exists:
    """For ``School.objects.annotate(...)``: has the school an invitation that failed or is overdue? A subquery in
    the public schema, so that the overview flags its schools in the query that lists them."""
    Status = ProvisioningStep.Status
    overdue = timezone.now() - UNSENT_AFTER
    return Exists(
        ProvisioningStep.objects.filter(school=OuterRef("pk"), kind=ProvisioningStep.Kind.INVITATION).filter(
            Q(status=Status.FAILED) | Q(status=Status.PENDING, created_at__lt=overdue)
        )
    )
