"""One-time links with which a school's people set their first password.

They are Django's password-reset tokens: a token is bound to the user's
password hash and last login, so it stops working once used, and it expires
after PASSWORD_RESET_TIMEOUT.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, override

from tenants.hosts import absolute_url


@dataclass(frozen=True)
class Invitation:
    """Who is invited, to which school site, in which roles, and the link to accept."""

    email: str
    full_name: str
    roles: tuple[str, ...]
    url: str


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


def invitation_send(*, invitation: Invitation, school_name: str, language: str = "kk") -> None:
    """E-mail the invitation in the given language (printed on the console in development)."""
    with override(language):
        context = {"invitation": invitation, "school_name": school_name}
        subject = gettext("Your account on the website of %(school)s") % {"school": school_name}
        body = render_to_string("email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
