"""Writes on a school's people (clause 5.1, 5.3, 5.4): invite with a role and sections, deactivate, reset access.

The site administrator manages the editorial team. Appointing the administrator
and the director is not theirs (clause 1.2: the head and the regional office do
it), so those two roles are neither given nor taken away here.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.invitations import Invitation, invitation_issue, invitee_clean
from accounts.services import second_factor_forget
from regulation.permissions import Capability, may_reset_access, user_may
from regulation.roles import APPOINTED_ROLES, Role
from workflows.models import SectionResponsibility
from workflows.selectors import people_who_may_edit
from workflows.services import appointed_role_replace, responsibility_set

INVITABLE_ROLES = (Role.DEPUTY_DIRECTOR, Role.METHODOLOGICAL_LEADER, Role.CHIEF_EDITOR, Role.EDITORIAL_MEMBER)


def _require_manager(user) -> None:
    if not user_may(user, Capability.MANAGE_PEOPLE):
        raise PermissionDenied(_("Only the site administrator manages people."))


@transaction.atomic
def person_invite(*, email: str, full_name: str, role: Role, sections, by) -> Invitation:
    """Open an account with ``role``, make the person responsible for ``sections``, and e-mail the link."""
    _require_manager(by)
    email, full_name, errors = invitee_clean(email=email, full_name=full_name)
    if role not in INVITABLE_ROLES:
        errors["role"] = _("The director and the site administrator are appointed, not invited here (clause 1.2).")
    User = get_user_model()
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("Someone with this e-mail address already has an account on this site.")
    if errors:
        raise ValidationError(errors)
    user = User(username=email, email=email, first_name=full_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    for section in sections:
        current = set(User.objects.filter(responsibilities__section=section))
        responsibility_set(section=section, people=current | {user}, by=by)
    log(
        instance=user,
        action="workflows.person_invite",
        user=by,
        data={"role": role.value, "sections": [section.title for section in sections]},
    )
    return invitation_issue(user=user, roles=(role,))


def _refuse_appointed(person, message: str) -> None:
    if person.groups.filter(name__in=APPOINTED_ROLES).exists():
        raise ValidationError(message)


@transaction.atomic
def person_deactivate(*, person, by, reason: str = "") -> None:
    """The person can no longer sign in; what they wrote stays, with their name on it."""
    _require_manager(by)
    if person.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    _refuse_appointed(
        person, _("The director and the site administrator are replaced by the head of the school (clause 1.2).")
    )
    person.is_active = False
    person.save(update_fields=["is_active"])
    responsibilities = SectionResponsibility.objects.filter(person=person).select_related("section")
    for responsibility in responsibilities:
        # Clause 5.4: a section must be in active hands; the completeness report shows who is missing.
        current = set(get_user_model().objects.filter(responsibilities__section=responsibility.section))
        responsibility_set(section=responsibility.section, people=current - {person}, by=by)
    log(instance=person, action="workflows.person_deactivate", user=by, data={"reason": " ".join(reason.split())})


@transaction.atomic
def person_reactivate(*, person, by) -> None:
    _require_manager(by)
    person.is_active = True
    person.save(update_fields=["is_active"])
    log(instance=person, action="workflows.person_reactivate", user=by)


@transaction.atomic
def person_access_reset(*, person, by) -> Invitation:
    """Forget the password and the second factor; e-mail a new link to set them again."""
    _require_manager(by)
    if not may_reset_access(by, person):
        raise ValidationError(
            _(
                "The director's access can be reset only by the director or by the regional office, "
                "which appoints directors (clause 1.2)."
            )
        )
    if not person.is_active:
        raise ValidationError(_("Reactivate the account before resetting its access."))
    person.set_unusable_password()
    person.save(update_fields=["password"])
    second_factor_forget(person)
    log(instance=person, action="workflows.person_access_reset", user=by)
    roles = tuple(Role(name) for name in person.groups.filter(name__in=Role.values).values_list("name", flat=True))
    return invitation_issue(user=person, roles=roles)


@transaction.atomic
def appointed_role_step_in(*, role: Role, email: str, full_name: str, reason: str, officer: str) -> Invitation | None:
    """Clause 1.2: when the school cannot, the regional office appoints its head or site administrator.

    Call it in the school's schema. The person is found by e-mail or gets an account and an
    invitation (returned); the previous holder loses the role at once. The officer's name
    and the reason go into the school's audit trail.
    """
    if role not in APPOINTED_ROLES:
        raise ValueError(f"{role} is not appointed by the regional office")
    email, full_name, errors = invitee_clean(email=email, full_name=full_name)
    errors.pop("full_name", None)  # needed only for someone without an account yet (below)
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = _("Write why the regional office steps in; it is kept in the school's audit trail.")
    User = get_user_model()
    person = User.objects.filter(email__iexact=email).first() if "email" not in errors else None
    if person is None and not full_name:
        errors["full_name"] = _("Enter the person's name: there is no account with this e-mail address yet.")
    if person is not None and not person.is_active:
        errors["email"] = _("This account is deactivated; the school's administrator can reactivate it.")
    elif person is not None and not people_who_may_edit().filter(pk=person.pk).exists():
        errors["email"] = _(
            "This is a reader's account (for reading restricted pages): appoint someone who works in the editor."
        )
    if errors:
        raise ValidationError(errors)
    invitation = None
    if person is None:
        person = User(username=email, email=email, first_name=full_name)
        person.set_unusable_password()
        person.save()
        invitation = invitation_issue(user=person, roles=(role,))
    appointed_role_replace(role=role, new_holder=person, by=None, reason=reason, officer=officer)
    return invitation
