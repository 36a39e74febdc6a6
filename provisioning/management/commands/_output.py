"""Helpers shared by the platform's management commands."""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from provisioning.backup import school_find
from tenants.models import School


def add_language_argument(parser) -> None:
    parser.add_argument(
        "--language",
        choices=[code for code, _ in settings.LANGUAGES],
        default=settings.LANGUAGE_CODE,
        help="Language of the command's messages (default: %(default)s).",
    )


def activate_language(options) -> None:
    translation.activate(options["language"])


def school_named(name: str):
    """The school a command names by subdomain, host or schema, or a CommandError that says none is."""
    try:
        return school_find(name)
    except School.DoesNotExist:
        raise CommandError(_("No school is called “%(name)s”.") % {"name": name}) from None
