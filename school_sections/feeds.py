"""Feeds of a school's site: news as RSS and Atom, events as iCalendar (clause 2.2.2)."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from school_sections.selectors import events_upcoming, news_latest
from tenants.current import current_school


class NewsRssFeed(Feed):
    # One Feed object serves every request: the school travels as the feed's object.
    def get_object(self, request, *args, **kwargs):
        return current_school()

    def title(self, school):
        return _("News of %(school)s") % {"school": school.name}

    def link(self):
        return "/news/"

    def items(self):
        return news_latest(limit=30)

    def item_title(self, item):
        return item.display_title

    def item_description(self, item):
        return strip_tags(str(item.translated("body")))[:500]

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


def _ical_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ical_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def events_ical(request):
    """Upcoming events as an iCalendar file (RFC 5545) that calendar apps can subscribe to."""
    host = request.get_host().split(":")[0]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{host}//events//EN", "CALSCALE:GREGORIAN"]
    stamp = _ical_time(timezone.now())
    for event in events_upcoming(limit=200):
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ical_time(event.starts_at)}",
            *([f"DTEND:{_ical_time(event.ends_at)}"] if event.ends_at else []),
            f"SUMMARY:{_ical_text(event.display_title)}",
            *([f"LOCATION:{_ical_text(str(event.translated('location')))}"] if event.translated("location") else []),
            f"URL:{request.build_absolute_uri(event.url)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    response = HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response
