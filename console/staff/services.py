"""Writes on the regional office's own accounts (public schema); each one is recorded in its audit trail.

Accounts are deactivated, never deleted: a public-schema user cannot be deleted while
Wagtail's tables that point at users exist only in school schemas, and a deactivated
account keeps its name on everything it did.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.invitations import Invitation, invitation_issue, invitee_clean
from accounts.services import second_factor_forget
from console.staff.roles import RegionalRole, regional_role
from tenants.audit import regional_action_record
from tenants.models import RegionalAction

# Where a staff invitation leads: the console's page to set a password (console/urls.py).
WELCOME_URL_NAME = "console:staff_welcome"


def _groups() -> dict[RegionalRole, Group]:
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in RegionalRole}


def _refuse_self(user, by, message: str) -> None:
    if user.pk == by.pk:
        raise ValidationError(message)
    if user.is_superuser:  # the platform's operators, outside the office's hands
        raise ValidationError(_("A superuser account is managed by the platform's operators, not here."))


@transaction.atomic
def staff_add(*, email: str, full_name: str, role: RegionalRole, by) -> Invitation:
    """Open a regional account with ``role``; the person sets a password with the e-mailed link."""
    email, full_name, errors = invitee_clean(email=email, full_name=full_name)
    if role not in RegionalRole.values:
        errors["role"] = _("Choose a role.")
    User = get_user_model()
    if "email" not in errors and User.objects.filter(username__iexact=email).exists():
        errors["email"] = _("There is already a regional account with this e-mail address.")
    if errors:
        raise ValidationError(errors)
    user = User(username=email, email=email, first_name=full_name, is_staff=True)
    user.set_unusable_password()
    user.save()
    user.groups.add(_groups()[RegionalRole(role)])
    regional_action_record(actor=by, action=RegionalAction.Action.STAFF, account=email, change="add", role=role)
    return invitation_issue(user=user, roles=[role], public_url_name=WELCOME_URL_NAME)


@transaction.atomic
def staff_role_set(*, user, role: RegionalRole, by) -> None:
    _refuse_self(user, by, _("You cannot change your own role; ask another office administrator."))
    groups = _groups()
    user.groups.remove(*groups.values())
    user.groups.add(groups[RegionalRole(role)])
    regional_action_record(
        actor=by, action=RegionalAction.Action.STAFF, account=user.username, change="role", role=role
    )


@transaction.atomic
def staff_deactivate(*, user, by, reason: str) -> None:
    """The person can no longer sign in; their name stays on what they did."""
    _refuse_self(user, by, _("You cannot deactivate your own account."))
    if not " ".join((reason or "").split()):
        raise ValidationError({"reason": _("Write why the account is deactivated.")})
    user.is_active = False
    user.save(update_fields=["is_active"])
    regional_action_record(
        actor=by, action=RegionalAction.Action.STAFF, reason=reason, account=user.username, change="deactivate"
    )


@transaction.atomic
def staff_reactivate(*, user, by) -> None:
    _refuse_self(user, by, _("You cannot reactivate your own account."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    regional_action_record(actor=by, action=RegionalAction.Action.STAFF, account=user.username, change="reactivate")


@transaction.atomic
def staff_access_reset(*, user, by) -> Invitation:
    """Forget the password and the authenticator app; e-mail a link to set them again."""
    _refuse_self(user, by, _("You cannot reset your own access; ask another office administrator."))
    if not user.is_active:
        raise ValidationError(_("Reactivate the account before resetting its access."))
    user.set_unusable_password()
    user.save(update_fields=["password"])
    second_factor_forget(user)
    regional_action_record(actor=by, action=RegionalAction.Action.STAFF, account=user.username, change="reset")
    role = regional_role(user)
    return invitation_issue(user=user, roles=[role] if role else [], public_url_name=WELCOME_URL_NAME)
