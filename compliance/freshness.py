"""Which of a school's sections are complete, fresh or stale (clauses 2.2.3, 5.7), read in its schema.

A section's clock is its last publication (of the section page or anything under it, e.g. a
news item) or its last "reviewed, still accurate", whichever is later. It goes stale when the
update period has passed: the catalogue's, tightened by the school, bounded by the region.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.functions import Substr
from django.utils import translation
from wagtail.models import Page, WorkflowState

from compliance.models import RegionalUpdatePeriod
from regulation import catalogue
from school_sections.selectors import school_completeness
from workflows.models import ScreeningReport, SectionFreshness, SectionResponsibility

SECTION_PATH_LENGTH = 3 * Page.steplen  # sections sit at depth 3: root, home, section


@dataclass(frozen=True)
class SectionFreshnessState:
    code: str
    page_id: int | None
    mandatory: bool
    complete: bool
    missing_count: int
    last_updated: datetime.datetime | None
    stale_since: datetime.datetime | None
    period_days: int
    responsible_count: int
    pending_reviews: int
    findings_waiting: int
    licence_expired: bool = False  # clause 3.1.3: every licence on the site is past its end date
    missing: tuple[str, ...] = ()  # what is missing, as source messages (translated when shown)


def update_period_days(section: catalogue.Section, school_days: int | None, regional_max: int | None) -> int:
    """The catalogue's period, tightened by the school, never longer than the region allows."""
    days = section.update_period_days
    if school_days:
        days = min(days, school_days)
    if regional_max:
        days = min(days, regional_max)
    return max(days, 1)


def _by_section(rows) -> dict[str, object]:
    return {row["section_path"]: row["value"] for row in rows}


def _waiting_work(in_review: list[int]) -> tuple[dict, dict]:
    """Per section: submissions waiting for review, and those whose findings wait for a decision (3.3)."""
    reviewed_pages = Page.objects.filter(pk__in=in_review).annotate(
        section_path=Substr("path", 1, SECTION_PATH_LENGTH)
    )
    pending = _by_section(reviewed_pages.values("section_path").annotate(value=Count("pk")))
    latest = dict(reviewed_pages.values_list("pk", "latest_revision_id"))
    blocked = list(
        ScreeningReport.objects.filter(revision_id__in=latest.values(), override_justification="")
        .exclude(findings=[])
        .values_list("page_id", flat=True)
    )
    findings = _by_section(
        Page.objects.filter(pk__in=blocked)
        .annotate(section_path=Substr("path", 1, SECTION_PATH_LENGTH))
        .values("section_path")
        .annotate(value=Count("pk"))
    )
    return pending, findings


def school_freshness(
    *, now: datetime.datetime, opened_at: datetime.datetime | None = None
) -> list[SectionFreshnessState]:
    """Every section of the active school with its completeness, clock and waiting work (a dozen queries).

    A section never published since the site opened counts from ``opened_at`` (the school's creation).
    """
    # The missing items in no language (their source messages): the ledger keeps them for the console,
    # which names them in each visitor's language (LedgerEntry.missing_items).
    with translation.override(None):
        completeness = school_completeness(today=now.date())
    sections = [state for state in completeness.sections if state.page is not None or state.section.mandatory]
    live = Page.objects.filter(depth__gte=3, live=True).annotate(section_path=Substr("path", 1, SECTION_PATH_LENGTH))
    last_published = _by_section(live.values("section_path").annotate(value=Max("last_published_at")))
    in_review = [
        int(pk)
        for pk in WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS).values_list(
            "object_id", flat=True
        )
    ]
    pending, findings = ({}, {}) if not in_review else _waiting_work(in_review)
    people = dict(
        SectionResponsibility.objects.filter(person__is_active=True)
        .values("section_id")
        .annotate(count=Count("pk"))
        .values_list("section_id", "count")
    )
    school_settings = {row.section_id: row for row in SectionFreshness.objects.all()}
    regional = dict(RegionalUpdatePeriod.objects.values_list("section_code", "max_days"))

    states = []
    for state in sections:
        page = state.page
        path = page.path if page is not None else None
        setting = school_settings.get(page.pk) if page is not None else None
        period = update_period_days(state.section, setting and setting.period_days, regional.get(state.section.code))
        last = max(
            [moment for moment in (last_published.get(path), setting and setting.reviewed_at) if moment],
            default=opened_at if page is not None else None,
        )
        stale_since = last + datetime.timedelta(days=period) if last else None
        states.append(
            SectionFreshnessState(
                code=state.section.code,
                page_id=page.pk if page is not None else None,
                mandatory=state.section.mandatory,
                complete=state.complete,
                missing_count=len(state.missing),
                missing=tuple(str(item) for item in state.missing),
                last_updated=last,
                stale_since=stale_since if stale_since and stale_since <= now else None,
                period_days=period,
                responsible_count=people.get(page.pk, 0) if page is not None else 0,
                pending_reviews=pending.get(path, 0),
                findings_waiting=findings.get(path, 0),
                licence_expired=state.licence_expired,
            )
        )
    return states
