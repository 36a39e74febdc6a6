"""Writes on the visitors' search index: a page is indexed when it is published and leaves when it is
unpublished or deleted (its row cascades). Run inside the school's schema.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Value
from django.db.models.expressions import CombinedExpression
from wagtail.models import Page

from school_sections.models import EventPage, NewsPage, SearchEntry
from school_sections.models.base import SectionPage
from school_sections.search import kazakh
from school_sections.search.text import ANY, page_texts


def _kind_and_section(page) -> tuple[str, str] | None:
    if isinstance(page, SectionPage):
        return SearchEntry.Kind.SECTION, page.section_code
    if isinstance(page, (NewsPage, EventPage)):
        parent = page.get_parent().specific
        kind = SearchEntry.Kind.NEWS if isinstance(page, NewsPage) else SearchEntry.Kind.EVENT
        return kind, getattr(parent, "section_code", "")
    return None  # the home page (its sections are what one searches for) and anything else


def _date(page):
    if isinstance(page, NewsPage):
        return page.date
    if isinstance(page, EventPage):
        return page.starts_at.date() if page.starts_at else None
    return page.last_published_at.date() if page.last_published_at else None


def _vector(config: str, title: str, text: str) -> CombinedExpression:
    # Titles weigh more than text (ts_rank's weight A against B).
    return SearchVector(Value(title), config=config, weight="A") + SearchVector(Value(text), config=config, weight="B")


@transaction.atomic
def page_index(page: Page) -> SearchEntry | None:
    """Index ``page`` as it is now (live), or drop it from the index when it is not live or not searchable."""
    page = page.specific
    kind_and_section = _kind_and_section(page)
    if kind_and_section is None or not page.live:
        page_unindex(page.pk)
        return None
    kind, section_code = kind_and_section
    texts = page_texts(page)
    text_any = texts.text(ANY)
    entry, _ = SearchEntry.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "kind": kind,
            "section_code": section_code,
            "date": _date(page),
            **{f"title_{language}": title for language, title in texts.titles.items()},
            **{f"text_{language}": texts.text(language) for language in ("kk", "ru", "en")},
            "text_any": text_any,
        },
    )
    kazakh_text = " ".join(kazakh.stems(texts.text("kk") + "\n" + text_any))
    SearchEntry.objects.filter(pk=page.pk).update(
        vector_kk=_vector("simple", " ".join(kazakh.stems(texts.titles["kk"])), kazakh_text),
        vector_ru=_vector("russian", texts.titles["ru"], texts.text("ru") + "\n" + text_any),
        vector_en=_vector("english", texts.titles["en"], texts.text("en") + "\n" + text_any),
    )
    return entry


def page_unindex(page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


def site_reindex() -> int:
    """Index every live page of this school again (after an upgrade that changed what is indexed, or a
    repair); returns how many pages are in the index."""
    SearchEntry.objects.exclude(page__live=True).delete()
    indexed = 0
    for page in Page.objects.live().filter(depth__gt=2).specific().iterator(chunk_size=200):
        indexed += page_index(page) is not None
    return indexed


def search_index_ensure() -> int:
    """Build this school's index if it has none: a school opened before the index existed (the migration
    adds the table empty; Python over every school is not run in the deploy path). Every school's sections
    are indexed from its first day, so an empty index is one never built. Returns how many pages it indexed."""
    if SearchEntry.objects.exists():
        return 0
    return site_reindex()
