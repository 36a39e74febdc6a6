"""Sign-in throttling (issue 4, "People"; issue 13): counted before the password is checked, per client.

Three counters, each over a fixed window of ``WINDOW_SECONDS``; an attempt is counted in all three
*before* the password hash is computed, by one atomic statement, so that concurrent attempts each get
their own number and no more than the limit are ever evaluated:

- an account from one client (``PAIR_LIMIT``): the owner's typos. A stranger who exhausts it locks out
  only themselves, from where they are — never the owner, who signs in from elsewhere;
- one client, whatever the accounts (``CLIENT_LIMIT``): one address cannot try a password on many
  accounts (a "spray"), nor many schools (the client's counter is region-wide);
- an account from everywhere (``ACCOUNT_CEILING``, higher): a distributed guess at one account. Past it
  the account is not locked: attempts from the clients it signed in from successfully in the last
  ``KNOWN_CLIENT_SECONDS`` are still evaluated (each under its own limits above); other clients wait
  for the window to end. So the owner at their usual office or home keeps signing in while strangers
  elsewhere are held off; an owner on a new network during such an attack waits out the window.

A client is its address as the trusted proxy saw it (``TRUSTED_PROXY_COUNT``), an IPv6 client its /64
(one subscriber's whole block). People behind one address (a school's network) share its
``CLIENT_LIMIT``: a colleague's typos count, a stranger outside does not.

Where: PostgreSQL (accounts.models.SignInCounter, public schema), not the Redis cache. The counter must
be atomic (INSERT … ON CONFLICT DO UPDATE … RETURNING) and must not switch off: the cache answers a
miss whenever Redis is away (regional_platform.cache, so that sites keep serving), which would turn
throttling off exactly when Redis is attacked or blips, and the embedded Redis keeps nothing across a
restart. Sign-in needs PostgreSQL anyway (the accounts are there), and one small write per attempt is
nothing next to the password hash it guards. Keys carry the schema, so each school's accounts and the
console's are counted apart.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from wagtail.admin.forms.auth import LoginForm

from accounts.models import SignInCounter

WINDOW_SECONDS = 15 * 60
PAIR_LIMIT = 5
CLIENT_LIMIT = 10
ACCOUNT_CEILING = 50
KNOWN_CLIENT_SECONDS = 90 * 24 * 3600

PAIR_MESSAGE = _("Too many failed sign-ins for this account. Try again in 15 minutes.")
CLIENT_MESSAGE = _("Too many failed sign-ins from your network. Try again in 15 minutes.")
CEILING_MESSAGE = _(
    "This account is receiving many wrong passwords from elsewhere, so for now it can be signed in to only "
    "from a network it was used on before. Try again in 15 minutes or from your usual place of work."
)


def client_address(request) -> str:
    """The client as the outermost trusted proxy saw it; an IPv6 address as its /64."""
    if request is None:
        return "unknown"
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:  # a dual-stack socket's IPv4 client
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """The counters' keys of one attempt."""

    pair: str
    client: str
    account: str
    known: str  # marks a client the account signed in from


def _attempt(request, username: str) -> Attempt:
    schema = connection.schema_name
    name = (username or "").strip().lower()
    client = client_address(request)
    return Attempt(
        pair=_digest("pair", schema, name, client),
        client=_digest("client", client),
        account=_digest("account", schema, name),
        known=_digest("known", schema, name, client),
    )


def _table() -> str:
    # Qualified: a school's requests search their own schema first, and the counters live in public.
    quote = connection.ops.quote_name
    return f"{quote(get_public_schema_name())}.{quote(SignInCounter._meta.db_table)}"


def _count(keys: list[str], seconds: int) -> dict[str, int]:
    """Add one to each key (a key past its expiry starts again at 1) and return the new counts.

    One statement, so the counts are atomic; keys in a fixed order, so concurrent statements take the
    rows' locks in the same order and cannot deadlock.
    """
    keys = sorted(keys)
    rows = ", ".join(["(%s, 1, now() + make_interval(secs => %s))"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} AS counter (key, count, expires_at) VALUES {rows} "
            "ON CONFLICT (key) DO UPDATE SET "
            "count = CASE WHEN counter.expires_at <= now() THEN 1 ELSE counter.count + 1 END, "
            "expires_at = CASE WHEN counter.expires_at <= now() THEN EXCLUDED.expires_at "
            "ELSE counter.expires_at END "
            "RETURNING key, count",
            [value for key in keys for value in (key, seconds)],
        )
        counts = dict(cursor.fetchall())
        # Expired counters are kept by nobody; the index on expires_at makes this a short range scan.
        cursor.execute(f"DELETE FROM {_table()} WHERE expires_at < now()")
    return counts


def counter_add(*parts: str, seconds: int) -> int:
    """Count one more attempt under ``parts`` (say, enrolment codes typed for an account) and return
    how many were made in the window of ``seconds`` that the first one opened."""
    key = _digest(*parts)
    return _count([key], seconds)[key]


def _is_known(key: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {_table()} WHERE key = %s AND expires_at > now()", [key])
        return cursor.fetchone() is not None


def sign_in_attempt_begin(request, username: str) -> tuple[Attempt, str | None]:
    """Count an attempt before its password is checked; the message refusing it, or None to go on."""
    attempt = _attempt(request, username)
    counts = _count([attempt.pair, attempt.client, attempt.account], WINDOW_SECONDS)
    if counts[attempt.pair] > PAIR_LIMIT:
        return attempt, str(PAIR_MESSAGE)
    if counts[attempt.client] > CLIENT_LIMIT:
        return attempt, str(CLIENT_MESSAGE)
    if counts[attempt.account] > ACCOUNT_CEILING and not _is_known(attempt.known):
        return attempt, str(CEILING_MESSAGE)
    return attempt, None


def sign_in_succeeded(attempt: Attempt) -> None:
    """The password was right: the account's typos from this client are forgiven, the success itself
    is taken back from the client's and the account's counts (they count failures), and the client is
    remembered as one the account signs in from."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_table()} WHERE key = %s", [attempt.pair])
        cursor.execute(
            f"UPDATE {_table()} SET count = greatest(count - 1, 0) WHERE key IN (%s, %s)",
            [attempt.client, attempt.account],
        )
        cursor.execute(
            f"INSERT INTO {_table()} (key, count, expires_at) "
            "VALUES (%s, 1, now() + make_interval(secs => %s)) "
            "ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at",
            [attempt.known, KNOWN_CLIENT_SECONDS],
        )


# Set on the request when the throttle refuses, so that the sign-in form can say why.
REFUSAL_ATTRIBUTE = "sign_in_refusal"


class ThrottledModelBackend(ModelBackend):
    """Django's backend, behind the counters above; refuses (stopping every backend) past a limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None  # not a password sign-in (ModelBackend would find nothing either)
        attempt, refusal = sign_in_attempt_begin(request, username)
        if refusal is not None:
            if request is not None:
                setattr(request, REFUSAL_ATTRIBUTE, refusal)
            raise PermissionDenied(refusal)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            sign_in_succeeded(attempt)
        return user


class ThrottleMessageMixin:
    """Says why the throttle refused, instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            refusal = getattr(getattr(self, "request", None), REFUSAL_ATTRIBUTE, None)
            if refusal is not None:
                raise ValidationError(refusal, code="locked") from None
            raise


class ThrottledAuthenticationForm(ThrottleMessageMixin, AuthenticationForm):
    """The regional console's sign-in form."""


class ThrottledLoginForm(ThrottleMessageMixin, LoginForm):
    """The school editor's sign-in form (WAGTAILADMIN_USER_LOGIN_FORM)."""
