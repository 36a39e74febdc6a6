"""Writes on a school's record that the school itself makes (the console's are in console.services)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.models import School


def school_default_language_set(*, school: School, language: str) -> School:
    """The language a visitor sees when a page has no text in theirs (issue: languages)."""
    if language not in dict(School._meta.get_field("default_language").choices):
        raise ValidationError({"default_language": _("Choose Kazakh, Russian or English.")})
    school.default_language = language
    school.save(update_fields=["default_language"])  # post_save forgets the cached host lookup
    return school
