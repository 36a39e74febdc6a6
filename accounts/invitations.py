"""One-time links with which a school's people set their first password.

They are Django's password-reset tokens: a token is bound to the user's
password hash and last login, so it stops working once used, and it expires
after PASSWORD_RESET_TIMEOUT.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, override

from regulation.roles import Role
from tenants.hosts import absolute_url

INVITATION_LANGUAGES = ("kk", "ru")


@dataclass(frozen=True)
class Invitation:
    """Who is invited, to which school site, in which roles, and the link to accept."""

    email: str
    full_name: str
    roles: tuple[Role, ...]
    url: str

    @property
    def role_names(self) -> str:
        """The roles in the active language."""
        return ", ".join(str(role.label) for role in self.roles)


def invitation_url(*, user, hostname: str) -> str:
    """The link to set a first password; call it in the user's own schema."""
    path = reverse(
        "invitation_accept",
        urlconf=settings.ROOT_URLCONF,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(hostname, path)


def invitation_send(*, invitation: Invitation, school_name: str) -> None:
    """E-mail the invitation in Kazakh and Russian, the region's languages (printed in development).

    Nobody has chosen a language yet when they are invited, so the message carries both.
    """
    subjects, bodies = [], []
    for language in INVITATION_LANGUAGES:
        with override(language):
            subjects.append(gettext("Your account on the website of %(school)s") % {"school": school_name})
            bodies.append(
                render_to_string("email/invitation.txt", {"invitation": invitation, "school_name": school_name})
            )
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
