"""Region-wide announcements (issue: regional console): a banner on every school site, or on chosen districts'."""

from __future__ import annotations

import datetime

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit import regional_action_record
from tenants.models import Announcement, RegionalAction
from tenants.selectors import ACTIVE_ANNOUNCEMENTS_CACHE_KEY


@transaction.atomic
def announcement_publish(
    *,
    text_kk: str,
    text_ru: str,
    text_en: str = "",
    districts: list[str],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    actor: str,
) -> Announcement:
    announcement = Announcement(
        text_kk=text_kk.strip(),
        text_ru=text_ru.strip(),
        text_en=text_en.strip(),
        districts=sorted(set(districts)),
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=actor,
    )
    announcement.full_clean()
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must come after the start.")})
    announcement.save()
    regional_action_record(
        actor=actor,
        action=RegionalAction.Action.ANNOUNCE,
        reason=announcement.text_kk,
        districts=announcement.districts,
    )
    transaction.on_commit(lambda: caches["region"].delete(ACTIVE_ANNOUNCEMENTS_CACHE_KEY))
    return announcement


@transaction.atomic
def announcement_end(*, announcement: Announcement, actor: str) -> None:
    """Take the banner down now."""
    announcement.ends_at = min(announcement.ends_at, timezone.now())
    announcement.save(update_fields=["ends_at"])
    regional_action_record(actor=actor, action=RegionalAction.Action.ANNOUNCE_END, reason=announcement.text_kk)
    transaction.on_commit(lambda: caches["region"].delete(ACTIVE_ANNOUNCEMENTS_CACHE_KEY))
