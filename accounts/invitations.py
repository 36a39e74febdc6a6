"""The one way an account gets a first password, or a new one after its access is reset.

School people (invited by the site administrator, appointed by the office, created with a new
school) and regional staff (opened in the console) all get the same thing: a one-time link, e-mailed
in Kazakh and Russian once the transaction that opened the account has committed. The links are
Django's password-reset tokens: a token is bound to the user's password hash and last login, so it
stops working once used, and it expires after PASSWORD_RESET_TIMEOUT.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, override

from tenants.current import current_school
from tenants.hosts import absolute_url, active_school_hostname

logger = logging.getLogger(__name__)

# Where a school person's link leads: accounts' own page on the school's host (regional_platform.urls_tenants).
SCHOOL_ACCEPT_URL_NAME = "invitation_accept"


@dataclass(frozen=True)
class Invitation:
    """Who is invited, where (a school's name; empty for the regional console), in which roles, the link."""

    email: str
    full_name: str
    roles: tuple[models.TextChoices, ...]
    url: str
    school_name: str = ""
    template: str = "email/invitation.txt"  # a reader's says to sign in on the site, not in the editor

    @property
    def role_names(self) -> str:
        """The roles in the active language."""
        return ", ".join(str(role.label) for role in self.roles)


def _accept_url(user, *, hostname: str | None, public_url_name: str | None) -> tuple[str, str]:
    """The link to set a password, and the school's name ("" in the public schema: regional staff)."""
    token = {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)}
    school = current_school()
    if school is None:
        if public_url_name is None:
            raise ValueError("an account in the public schema is invited to a page the caller names")
        path = reverse(public_url_name, urlconf=settings.PUBLIC_SCHEMA_URLCONF, kwargs=token)
        return absolute_url(settings.PLATFORM_DOMAIN, path), ""
    path = reverse(SCHOOL_ACCEPT_URL_NAME, urlconf=settings.ROOT_URLCONF, kwargs=token)
    hostname = hostname or active_school_hostname()
    return absolute_url(hostname, path), school.name_kk or hostname


def invitation_issue(
    *,
    user,
    roles: Sequence[models.TextChoices],
    hostname: str | None = None,
    public_url_name: str | None = None,
    send: bool = True,
    template: str = "email/invitation.txt",
) -> Invitation:
    """Make the link for ``user`` (in the schema they live in) and e-mail it once the transaction commits.

    ``hostname`` names the school's host when the request's host is not it (provisioning);
    ``public_url_name`` the page in PUBLIC_SCHEMA_URLCONF where regional staff set their password (the
    console's, which this floor does not import); ``send=False`` only makes the link (the demo and the
    tests show it instead).
    A mail server that is down does not undo the account: the link is returned to be shown to
    whoever invited, and the failure is logged.
    """
    url, school_name = _accept_url(user, hostname=hostname, public_url_name=public_url_name)
    invitation = Invitation(
        email=user.email,
        full_name=user.get_full_name() or user.email,
        roles=tuple(roles),
        url=url,
        school_name=school_name,
        template=template,
    )

    def send_later():
        try:
            _invitation_send(invitation)
        except OSError:
            logger.exception("Could not e-mail the invitation for %s", invitation.email)

    if send:
        transaction.on_commit(send_later)
    return invitation


def invitation_send(*, user, roles: Sequence[models.TextChoices], hostname: str | None = None) -> Invitation:
    """Make a fresh link for ``user`` (in the schema they live in) and e-mail it now.

    For an outbox that records each attempt (``provisioning.outbox``): whatever the mail server raises
    is raised, for the caller to keep and retry. A fresh token is as valid as the first one would have
    been: tokens derive from the user's state, so nothing secret needs keeping until the send.
    """
    invitation = invitation_issue(user=user, roles=roles, hostname=hostname, send=False)
    _invitation_send(invitation)
    return invitation


def _invitation_send(invitation: Invitation) -> None:
    """E-mail the invitation in the region's languages (MESSAGE_LANGUAGES; printed in development).

    Nobody has chosen a language yet when they are invited, so the message carries both.
    """
    subjects, bodies = [], []
    for language in settings.MESSAGE_LANGUAGES:
        with override(language):
            if invitation.school_name:
                subject = gettext("Your account on the website of %(school)s") % {"school": invitation.school_name}
            else:
                subject = gettext("Your account in the regional console")
            subjects.append(subject)
            bodies.append(render_to_string(invitation.template, {"invitation": invitation}))
    send_mail(" / ".join(subjects), "\n\n----------\n\n".join(bodies), None, [invitation.email])


def invitee_clean(*, email: str, full_name: str) -> tuple[str, str, dict[str, str]]:
    """The e-mail address (lowercased) and name (spaces tidied) of someone to invite, and what is wrong
    with them by field; shared by the schools' people and the office's staff."""
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = gettext("Enter a valid e-mail address.")
    if not full_name:
        errors["full_name"] = gettext("Enter the person's name.")
    return email, full_name, errors
