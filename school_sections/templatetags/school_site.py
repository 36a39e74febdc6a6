"""Template helpers for a school's public site: translated values and the section navigation."""

import phonenumbers
from django import template
from django.utils import timezone
from django.utils.http import escape_leading_slashes
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page

from regulation import catalogue
from school_sections import blocks
from school_sections.document_access import document_visible_to
from school_sections.models.base import school_default_language
from school_sections.translation import LANGUAGE_CODES, translated

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
    # Sections are the home page's children: depth 3 (root, home, section) in a school's
    # single-site tree. One query, with what page URLs need.
    pages = Page.objects.live().filter(depth=3).only("id", "path", "depth", "url_path", "slug", "title")
    by_slug = {page.slug: page for page in pages}
    navigation = {
        "sections": [
            {"section": entry, "url": by_slug[entry.slug].url}
            for entry in catalogue.CATALOGUE
            if entry.slug in by_slug
        ],
    }
    if request is not None:
        request._section_navigation = navigation
    return navigation


@register.simple_tag(takes_context=True)
def page_trail(context):
    """Where the page is in the site, from the navigation already read (no query): the section it belongs
    to (the menu marks it) and the breadcrumbs above it, home first. Nothing for the home page itself."""
    page = context.get("page")
    url = getattr(page, "url", None) if page is not None else None
    if not url or url == "/":
        return {"section_url": None, "crumbs": []}
    section = next(
        (item for item in section_navigation(context)["sections"] if url.startswith(item["url"])),
        None,
    )
    crumbs = [{"title": _("Home"), "url": "/"}]
    if section is not None and section["url"] != url:
        crumbs.append({"title": section["section"].title, "url": section["url"]})
    return {"section_url": section["url"] if section else None, "crumbs": crumbs}


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


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """This page's address in each language (``?lang=``), for ``hreflang`` links and the switcher.

    Built from this host and the path, never from ``build_absolute_uri(path)``: a path that
    starts with "//" would make that another host.
    """
    request = context["request"]
    base = f"{request.scheme}://{request.get_host()}{escape_leading_slashes(request.path)}"
    query = request.GET.copy()
    query.pop("lang", None)
    alternates = []
    for code in LANGUAGE_CODES:
        query["lang"] = code
        alternates.append({"code": code, "url": f"{base}?{query.urlencode()}"})
    query.pop("lang")
    alternates.append({"code": "x-default", "url": f"{base}?{query.urlencode()}" if query else base})
    return alternates


@register.filter
def phone_display(number: str) -> str:
    """A stored E.164 number as people write it: +7 7222 52 12 34."""
    try:
        return phonenumbers.format_number(
            phonenumbers.parse(number, "KZ"), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
    except phonenumbers.NumberParseException:
        return number


# The home page's quick links: what parents look for first, and the section that has it.
QUICK_LINKS = (
    ("3.1.4", "admission"),
    ("3.1.5", "timetable"),
    ("3.1.1", "contacts"),
    ("3.1.3", "documents"),
)


@register.simple_tag(takes_context=True)
def quick_links(context):
    """The quick links whose sections are live, from the navigation already read (no query)."""
    labels = {
        "admission": _("Admission"),
        "timetable": _("Timetable"),
        "contacts": _("Contacts"),
        "documents": _("Documents"),
    }
    by_code = {item["section"].code: item for item in section_navigation(context)["sections"]}
    return [
        {"key": key, "label": labels[key], "url": by_code[code]["url"]} for code, key in QUICK_LINKS if code in by_code
    ]


@register.simple_tag(takes_context=True)
def section_url(context, code: str) -> str:
    """The address of the live section ``code`` from the navigation already read; "" when it is not live."""
    return next((item["url"] for item in section_navigation(context)["sections"] if item["section"].code == code), "")


@register.filter
def years_of_service(since_year) -> str:
    """``{{ member.teaching_since|years_of_service }}``: "12 years" from the year work began (clause 3.1.7)."""
    if not since_year:
        return ""
    years = max(timezone.localdate().year - int(since_year), 0)
    return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


@register.simple_tag(takes_context=True)
def readable_document(context, document):
    """``{% readable_document value.document as document %}``: the document if this visitor may see it named
    (not filed for readers of another group, clause 5.2), else None."""
    return document if document_visible_to(context.get("request"), document) else None


@register.simple_tag(takes_context=True)
def council_decision(context, page):
    """Clause 1.4: the latest council decision of the documents section this visitor may open, or None."""
    request = context.get("request")
    decisions = [
        child.value
        for child in page.documents
        if child.value["document_type"] == "council_decision" and document_visible_to(request, child.value["document"])
    ]
    return max(decisions, key=lambda value: value["date"], default=None)
