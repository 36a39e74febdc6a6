"""Checks on a school's identity: its BIN and its subdomain."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIN_LENGTH = 12
# Kazakhstan's BIN/IIN check digit: weights 1..11, then 3..11,1,2 if the first sum gives 10.
_BIN_WEIGHTS_FIRST = range(1, 12)
_BIN_WEIGHTS_SECOND = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]

# A DNS label: lowercase letters, digits and inner hyphens. 50 characters at most,
# so that "school_" + the label stays within PostgreSQL's 63-character names.
SUBDOMAIN_MAX_LENGTH = 50
_SUBDOMAIN_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset(
    {
        "www", "admin", "api", "app", "static", "media", "mail", "smtp", "imap", "pop", "ftp",
        "ns1", "ns2", "dns", "cdn", "assets", "console", "region", "regional", "public",
        "status", "help", "support", "docs", "test", "staging", "dev", "localhost", "auth",
        "login", "accounts", "webmail", "autodiscover", "celery", "redis", "postgres", "db",
    }
)  # fmt: skip


def bin_check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits of a BIN, or None if no digit fits."""
    digits = [int(char) for char in first_eleven]
    check = sum(weight * digit for weight, digit in zip(_BIN_WEIGHTS_FIRST, digits, strict=True)) % 11
    if check == 10:
        check = sum(weight * digit for weight, digit in zip(_BIN_WEIGHTS_SECOND, digits, strict=True)) % 11
    return None if check == 10 else check


def validate_bin(value: str) -> None:
    """A BIN (business identification number) is 12 digits whose last one checks the rest."""
    if not (len(value) == BIN_LENGTH and value.isascii() and value.isdigit()):
        raise ValidationError(_("A BIN is exactly 12 digits."), code="bin_format")
    if bin_check_digit(value[:11]) != int(value[11]):
        raise ValidationError(
            _("This BIN's check digit does not match: please check the number for a typo."),
            code="bin_checksum",
        )


def validate_subdomain(value: str) -> None:
    """A subdomain is one lowercase DNS label that the platform does not keep for itself."""
    if len(value) > SUBDOMAIN_MAX_LENGTH:
        raise ValidationError(
            _("A subdomain has at most %(limit)d characters."),
            code="subdomain_length",
            params={"limit": SUBDOMAIN_MAX_LENGTH},
        )
    if not _SUBDOMAIN_RE.fullmatch(value):
        raise ValidationError(
            _(
                "A subdomain uses only lowercase Latin letters, digits and hyphens, "
                "and does not start or end with a hyphen."
            ),
            code="subdomain_format",
        )
    if value in RESERVED_SUBDOMAINS:
        raise ValidationError(
            _("The subdomain “%(value)s” is reserved by the platform."),
            code="subdomain_reserved",
            params={"value": value},
        )
