"""Template context of a school's site: its identity (names, colour, emblem, footer), read only by the
templates that show it (the editor's pages do not), and the visitor's display settings."""

from django.utils.functional import SimpleLazyObject

from school_sections.display import CHOICES as DISPLAY_CHOICES
from school_sections.display import display_settings
from tenants.models import School


def site_identity(request):
    school = getattr(request, "tenant", None)
    if not isinstance(school, School):
        return {}
    from school_sections.site_identity import site_identity as read

    return {
        "identity": SimpleLazyObject(lambda: read(school)),
        "display": display_settings(request.COOKIES),
        "display_choices": DISPLAY_CHOICES,
    }
