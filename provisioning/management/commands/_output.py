"""Helpers shared by the platform's management commands."""

from django.conf import settings
from django.utils import translation


def add_language_argument(parser) -> None:
    parser.add_argument(
        "--language",
        choices=[code for code, _ in settings.LANGUAGES],
        default=settings.LANGUAGE_CODE,
        help="Language of the command's messages (default: %(default)s).",
    )


def activate_language(options) -> None:
    translation.activate(options["language"])
