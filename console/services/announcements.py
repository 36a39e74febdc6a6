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
from workflows.screening.selectors import texts_findings
from workflows.screening.services import JUSTIFICATION_MIN_CHARS


def _screened(announcement: Announcement, screening_reason: str) -> str:
    """Screen the announcement like any publication (clause 3.3): it reaches every school's site. Findings stop
    it unless the office writes why it may go out anyway; returns that reason for the audit trail, or ""."""
    labels = {"text_kk": _("Text in Kazakh"), "text_ru": _("Text in Russian"), "text_en": _("Text in English")}
    findings = texts_findings([(name, getattr(announcement, name)) for name in labels])
    if not findings:
        return ""
    reason = " ".join(screening_reason.split())
    if len(reason) >= JUSTIFICATION_MIN_CHARS:
        return reason
    errors: dict[str, list[str]] = {}
    for finding in findings:
        errors.setdefault(finding["field"], []).append(
            _("Screening found a possible breach of clause %(clause)s: “%(words)s”.")
            % {"clause": finding["clause"], "words": finding["matched"]}
        )
    errors["screening_reason"] = [
        _("Change the text, or write why it may be published anyway (at least %(count)d characters).")
        % {"count": JUSTIFICATION_MIN_CHARS}
    ]
    raise ValidationError(errors)


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
    screening_reason: str = "",
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
    override = _screened(announcement, screening_reason)
    announcement.save()
    reason = announcement.text_kk
    if override:
        reason += "\n" + _("Published despite screening findings: %(reason)s") % {"reason": override}
    regional_action_record(
        actor=actor,
        action=RegionalAction.Action.ANNOUNCE,
        reason=reason,
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
