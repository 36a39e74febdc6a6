"""Sign-in throttling: after repeated failures an account is locked for a while (issue 4, "People").

Counted per account in the cache, whose keys carry the schema, so a school's
accounts and the regional office's are counted apart. The authentication
backend refuses while an account is locked, whatever form is used; the sign-in
forms check first, to say so plainly.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm

MAX_FAILURES = 10
LOCK_SECONDS = 15 * 60


def _key(username: str) -> str:
    return f"sign-in-failures:{(username or '').strip().lower()}"


def sign_in_locked(username: str) -> bool:
    return cache.get(_key(username), 0) >= MAX_FAILURES


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing an account after MAX_FAILURES failures for LOCK_SECONDS."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None and sign_in_locked(username):
            raise PermissionDenied  # stops every backend: the account is locked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username is not None and password is not None:
            if user is None:
                if not cache.add(_key(username), 1, LOCK_SECONDS):
                    cache.incr(_key(username))
            else:
                cache.delete(_key(username))
        return user


LOCKED_MESSAGE = _("Too many failed sign-ins for this account. Try again in 15 minutes.")


class ThrottleMessageMixin:
    def clean(self):
        if sign_in_locked(self.data.get("username", "")):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        return super().clean()


class ThrottledAuthenticationForm(ThrottleMessageMixin, AuthenticationForm):
    """The regional console's sign-in form."""


class ThrottledLoginForm(ThrottleMessageMixin, LoginForm):
    """The school editor's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM)."""
