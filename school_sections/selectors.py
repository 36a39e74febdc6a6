"""Reads on a school's sections: what is there, and what the regulation still misses, in plain words.

Run inside the school's schema. The regional layer is to read the same answers
(the compliance ledger of the stale-content issue is to be filled from here).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page as ListPage
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from regulation import catalogue
from school_sections.completeness import (  # noqa: F401 (annual_report_required_since: re-exported)
    DOCUMENTS_CODE,
    annual_report_required_since,
    documents_licence_expired,
    section_missing,
)
from school_sections.document_access import request_restrictions
from school_sections.hooks import completeness_rules
from school_sections.models import EventPage, NewsPage
from school_sections.section_pages import section_pages


@dataclass
class SectionState:
    section: catalogue.Section
    page: Page | None
    missing: list[str] = field(default_factory=list)
    licence_expired: bool = False  # clause 3.1.3: the documents section's licences are all past their end

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass
class SchoolCompleteness:
    sections: list[SectionState]

    @property
    def mandatory(self) -> list[SectionState]:
        return [state for state in self.sections if state.section.mandatory]

    @property
    def mandatory_complete(self) -> int:
        return sum(state.complete for state in self.mandatory)

    @property
    def is_complete(self) -> bool:
        return self.mandatory_complete == len(self.mandatory)

    @property
    def missing(self) -> list[str]:
        """Every missing item of the mandatory sections, each prefixed with its clause."""
        return [f"{state.section.code} {item}" for state in self.mandatory for item in state.missing]


# Items on one page of the news and events sections; older ones are on the next pages.
ITEMS_PER_PAGE = 20


def _news_public() -> models.QuerySet[NewsPage]:
    """The newest published news items of this school that anybody may read (clause 2.2.2).

    Public listings (the home page, the news section, the feeds) show only public pages: an item
    behind a password or a sign-in (Wagtail's view restriction, on it or on the news section) must
    not show its title or text to a visitor who has not passed it.
    """
    return NewsPage.objects.live().public().order_by("-date", "-pk")


def news_latest(*, limit: int = 10) -> list[NewsPage]:
    """The ``limit`` newest public news items (the home page, the feeds), with their pictures and the
    pictures' renditions read in two queries, not two per card."""
    return list(_news_public().select_related("image").prefetch_related("image__renditions")[:limit])


def news_page(number: str | int | None) -> ListPage:
    """One page of the public news, newest first; a page number out of range or not a number gives the
    nearest page (a visitor's typo or an old link lands on items, not on an error)."""
    return Paginator(_news_public(), ITEMS_PER_PAGE).get_page(number)


def _events_public(now: datetime.datetime | None = None) -> models.QuerySet[EventPage]:
    """Published events that anybody may read and that have not ended yet, soonest first.

    Public only, as the news: the home page, the events section and the iCalendar feed list them.
    """
    now = now or timezone.now()
    events = (
        EventPage.objects.live()
        .public()
        .filter(models.Q(ends_at__gte=now) | models.Q(ends_at__isnull=True, starts_at__gte=now))
    )
    return events.order_by("starts_at", "pk")


def events_upcoming(*, limit: int = 10, now: datetime.datetime | None = None) -> list[EventPage]:
    """The ``limit`` soonest public events not ended yet (the home page, the calendar feed)."""
    return list(_events_public(now)[:limit])


def events_page(number: str | int | None) -> ListPage:
    """One page of the upcoming public events, soonest first (any page number is taken, as ``news_page``)."""
    return Paginator(_events_public(), ITEMS_PER_PAGE).get_page(number)


def school_completeness(*, today: datetime.date | None = None) -> SchoolCompleteness:
    """What each section of this school's site has and lacks (clause 3.1 for the mandatory ones)."""
    today = today or timezone.localdate()
    pages = section_pages()
    states = []
    for entry in catalogue.CATALOGUE:
        page = pages.get(entry.code)
        if page is None and not entry.mandatory:
            continue  # an optional section that was never enabled
        state = SectionState(entry, page)
        if page is None:
            state.missing.append(_("the section is missing"))
        elif not page.live:
            state.missing.append(_("the section is not published"))
        else:
            state.missing.extend(section_missing(page, today))
            state.licence_expired = entry.code == DOCUMENTS_CODE and documents_licence_expired(page, today)
        states.append(state)
    page_ids = {state.page.pk for state in states if state.page is not None}
    for rule in completeness_rules():  # e.g. clause 5.4, somebody answers for it (workflows)
        found = rule(page_ids)
        for state in states:
            if state.page is not None:
                state.missing.extend(found.get(state.page.pk, []))
    return SchoolCompleteness(states)


def section_in_preparation(page, *, today: datetime.date | None = None, request=None) -> bool:
    """Whether a mandatory section still lacks part of what clause 3.1 asks of its content: its page then
    tells visitors it is being prepared instead of showing them a blank or half-empty page. (Only the
    content: who answers for the section is the editors' business.)"""
    if not page.section.mandatory:
        return False
    # The request's view restrictions of document collections, read once for the page's links too.
    restrictions = request_restrictions(request) if request is not None else None
    return bool(section_missing(page, today or timezone.localdate(), restrictions=restrictions))
