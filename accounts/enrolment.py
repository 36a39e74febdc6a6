"""Who may enrol a first authenticator app: only the account's owner, proved by more than the password.

A password alone showed the authenticator's key (issue 13): whoever guessed or phished a director's
password could enrol their own app and hold both factors. The key is shown only in a session that
proved something only the owner has:

- the invitation link (a new account, or one whose access was reset): setting the password through
  it marks that browser's session (``enrolment_allow``), and the owner enrols right after;
- a one-time enrolment code from the regional office, for an account that has a password but no app
  (it was never enrolled, or the link's session was lost). The office issues it with
  ``manage.py second_factor_code`` and gives it to the person by telephone or in person, after
  checking who they are; it is typed on the second-factor page.

The code needs no table: it is an HMAC of the account (its schema, id and password hash) and the day it
was issued, so it is valid for ``CODE_VALID_DAYS`` days and stops working when the password changes;
once an app is enrolled, no code is asked for again. Wrong codes are counted like sign-ins
(``CODE_ATTEMPTS`` per window), so its 50 bits cannot be guessed.
"""

from __future__ import annotations

import base64
import datetime

from django import forms
from django.db import connection
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.sign_in import WINDOW_SECONDS, counter_add

ALLOWED_SESSION = "second_factor_enrolment_allowed"
CODE_VALID_DAYS = 3
CODE_ATTEMPTS = 5
CODE_LENGTH = 10  # base32 characters: 50 bits


def enrolment_allow(request, user) -> None:
    """This session proved it is ``user``'s owner (the invitation link, the office's code)."""
    request.session[ALLOWED_SESSION] = str(user.pk)


def enrolment_allowed(request) -> bool:
    return request.session.get(ALLOWED_SESSION) == str(request.user.pk)


def enrolment_forget(request) -> None:
    request.session.pop(ALLOWED_SESSION, None)


def _code_for(user, day: datetime.date) -> str:
    value = f"{connection.schema_name}:{user.pk}:{user.password}:{day.isoformat()}"
    digest = salted_hmac("accounts.enrolment.code", value, algorithm="sha256").digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def enrolment_code_issue(user) -> tuple[str, datetime.date]:
    """The office's one-time code for ``user`` (call it in the schema the account lives in), and the
    last day it is valid. Shown as two groups of five to be read out."""
    today = timezone.localdate()
    code = _code_for(user, today)
    return f"{code[:5]}-{code[5:]}", today + datetime.timedelta(days=CODE_VALID_DAYS - 1)


def enrolment_code_check(user, typed: str) -> bool:
    typed = "".join(character for character in typed.upper() if character.isalnum())
    today = timezone.localdate()
    return any(
        constant_time_compare(typed, _code_for(user, today - datetime.timedelta(days=back)))
        for back in range(CODE_VALID_DAYS)
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Enrolment code from the regional office"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_code(self):
        attempts = counter_add("enrolment code", connection.schema_name, str(self.user.pk), seconds=WINDOW_SECONDS)
        if attempts > CODE_ATTEMPTS:
            raise forms.ValidationError(_("Too many wrong codes. Try again in 15 minutes."))
        if not enrolment_code_check(self.user, self.cleaned_data["code"]):
            raise forms.ValidationError(_("This code is not right or has expired; ask the regional office."))
        return self.cleaned_data["code"]
