"""Reads about the region's schools, all from the public schema (one query per page, whatever their number)."""

from __future__ import annotations

import datetime

from django.core.cache import caches
from django.db.models import Q, QuerySet
from django.utils import timezone

from tenants.models import Announcement, RegionalAction, School

# Read on every school page: one cached list for the whole region, dropped when the office changes one.
ACTIVE_ANNOUNCEMENTS_CACHE_KEY = "announcements:active"
ACTIVE_ANNOUNCEMENTS_CACHE_SECONDS = 60


def districts() -> list[str]:
    return list(School.objects.order_by("district").values_list("district", flat=True).distinct())


def regional_actions(*, action: str = "", actor: str = "", school: str = "") -> QuerySet[RegionalAction]:
    """The office's audit trail, newest first, with each action's school in the same query."""
    actions = RegionalAction.objects.select_related("school").order_by("-at", "-pk")
    if action:
        actions = actions.filter(action=action)
    if actor.strip():
        actions = actions.filter(actor__icontains=actor.strip())
    if school.strip():
        term = school.strip()
        actions = actions.filter(
            Q(school__name_kk__icontains=term) | Q(school__name_ru__icontains=term) | Q(school__bin__startswith=term)
        )
    return actions


def active_announcements(*, district: str, now: datetime.datetime | None = None) -> list[Announcement]:
    """The announcements a school of ``district`` shows now: one cached list for the whole region."""
    now = now or timezone.now()
    current = caches["region"].get(ACTIVE_ANNOUNCEMENTS_CACHE_KEY)
    if current is None:
        # Cached a little ahead so that one that starts within the minute is not missed.
        horizon = now + datetime.timedelta(seconds=ACTIVE_ANNOUNCEMENTS_CACHE_SECONDS)
        current = list(Announcement.objects.filter(starts_at__lte=horizon, ends_at__gt=now))
        caches["region"].set(ACTIVE_ANNOUNCEMENTS_CACHE_KEY, current, ACTIVE_ANNOUNCEMENTS_CACHE_SECONDS)
    return [
        announcement
        for announcement in current
        if announcement.starts_at <= now < announcement.ends_at
        and (not announcement.districts or district in announcement.districts)
    ]
