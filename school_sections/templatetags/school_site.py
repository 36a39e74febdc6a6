"""Template helpers for a school's public site: translated values and the section navigation."""

from django import template

from school_sections import blocks, catalogue
from school_sections.models import SchoolHomePage
from school_sections.models.base import school_default_language
from school_sections.translation import translated

register = template.Library()


@register.simple_tag
def tr(obj, field: str):
    """``{% tr page "intro" as intro %}``: the value in the visitor's language, or the school's default."""
    return translated(obj, field, default_language=school_default_language())


@register.simple_tag(takes_context=True)
def section_navigation(context):
    """The live sections of this site in catalogue order: one query, once per request."""
    request = context.get("request")
    cached = getattr(request, "_section_navigation", None)
    if cached is not None:
        return cached
    home = SchoolHomePage.objects.first()
    pages = list(home.get_children().live().only("id", "url_path", "slug", "title")) if home else []
    by_slug = {page.slug: page for page in pages}
    navigation = {
        "home": home,
        "sections": [
            {"section": entry, "url": by_slug[entry.slug].url}
            for entry in catalogue.CATALOGUE
            if entry.slug in by_slug
        ],
    }
    if request is not None:
        request._section_navigation = navigation
    return navigation


_CHOICES = {
    "document_type": blocks.DOCUMENT_TYPES,
    "activity": blocks.ACTIVITY_KINDS,
    "process": blocks.PROCESS_KINDS,
    "level": blocks.ACHIEVEMENT_LEVELS,
    "qualification": blocks.QUALIFICATION_CATEGORIES,
    "role": blocks.ADMINISTRATION_ROLES,
}


@register.simple_tag
def choice_label(kind: str, value: str) -> str:
    """The translated label of a block's choice: ``{% choice_label "level" value.level %}``."""
    return str(dict(_CHOICES[kind]).get(value, value))
