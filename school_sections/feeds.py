"""Feeds of a school's site: news as RSS and Atom, events as iCalendar (clause 2.2.2)."""

from __future__ import annotations

import datetime
import html
import re

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from school_sections.ical import ical_calendar, ical_text, ical_time
from school_sections.selectors import events_upcoming, news_latest
from tenants.current import current_school

DESCRIPTION_LENGTH = 500
# Characters XML 1.0 cannot carry: Django's feed writer raises on them (a 500), so they are dropped.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(value: str) -> str:
    return _NOT_IN_XML.sub("", value)


def _plain_text(rich_text) -> str:
    """An editor's rich text as plain text: no tags, entities decoded."""
    return html.unescape(strip_tags(str(rich_text))).strip()


class NewsRssFeed(Feed):
    # One Feed object serves every request: the school travels as the feed's object.
    def get_object(self, request, *args, **kwargs):
        return current_school()

    def title(self, school):
        return _xml_safe(_("News of %(school)s") % {"school": school.name})

    def link(self):
        return "/news/"

    def items(self):
        return news_latest(limit=30)

    def item_title(self, item):
        return _xml_safe(item.display_title)

    def item_description(self, item):
        return _xml_safe(_plain_text(item.translated("body"))[:DESCRIPTION_LENGTH])

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9)))

    def description(self, school):
        return self.title(school)


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, school):
        return self.title(school)


def events_ical(request):
    """Upcoming public events as an iCalendar file (RFC 5545) that calendar apps can subscribe to."""
    host = request.get_host().split(":")[0]
    properties = [("BEGIN", "VCALENDAR"), ("VERSION", "2.0"), ("PRODID", f"-//{host}//events//EN")]
    properties.append(("CALSCALE", "GREGORIAN"))
    stamp = ical_time(timezone.now())
    for event in events_upcoming(limit=200):
        location = str(event.translated("location"))
        description = _plain_text(event.translated("body"))
        properties += [
            ("BEGIN", "VEVENT"),
            ("UID", f"event-{event.pk}@{host}"),
            ("DTSTAMP", stamp),
            ("DTSTART", ical_time(event.starts_at)),
            *([("DTEND", ical_time(event.ends_at))] if event.ends_at else []),
            ("SUMMARY", ical_text(event.display_title)),
            *([("LOCATION", ical_text(location))] if location else []),
            *([("DESCRIPTION", ical_text(description[:DESCRIPTION_LENGTH]))] if description else []),
            ("URL", request.build_absolute_uri(event.url)),
            ("END", "VEVENT"),
        ]
    properties.append(("END", "VCALENDAR"))
    response = HttpResponse(ical_calendar(properties), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response
