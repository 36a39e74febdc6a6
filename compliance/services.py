"""Writes of the compliance jobs: a school's scan into the ledger, scheduled publishing, digests."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from compliance.escalation import escalate
from compliance.freshness import SectionFreshnessState, school_freshness
from compliance.models import LedgerEntry, SchoolSummary
from regulation.roles import Role
from school_sections.search.indexing import search_index_ensure
from tenants.current import current_school

LEDGER_FIELDS = (
    "mandatory",
    "complete",
    "missing_count",
    "missing",
    "last_updated",
    "stale_since",
    "period_days",
    "responsible_count",
    "pending_reviews",
    "findings_waiting",
    "page_id",
    "scanned_at",
)


def ledger_write(*, school, states: list[SectionFreshnessState], now: datetime.datetime) -> None:
    """Replace the school's rows of the ledger with what the scan saw (one upsert, one delete); in the caller's
    transaction."""
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                school=school,
                section_code=state.code,
                scanned_at=now,
                **{name: getattr(state, name) for name in LEDGER_FIELDS if name != "scanned_at"},
            )
            for state in states
        ],
        update_conflicts=True,
        unique_fields=["school", "section_code"],
        update_fields=list(LEDGER_FIELDS),
    )
    gone = LedgerEntry.objects.filter(school=school).exclude(section_code__in=[state.code for state in states])
    # Nothing refers to a ledger row: one DELETE, without the SELECT that QuerySet.delete() makes first to
    # look for dependants and send signals (a query a school, for rows that are almost never there).
    gone._raw_delete(gone.db)


def summary_write(*, school, now: datetime.datetime, licence_expired: bool = False) -> None:
    """The school's site administrators by name, their latest sign-in, whether its licence has expired
    (one read, one upsert)."""
    administrators = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SITE_ADMINISTRATOR.value)
        .order_by("first_name", "email")
        .values_list("first_name", "last_name", "email", "last_login")
    )
    names = ", ".join(
        " ".join(part for part in (first, last) if part) or email for first, last, email, _ in administrators
    )
    last_login = max((login for *_, login in administrators if login), default=None)
    SchoolSummary.objects.bulk_create(
        [
            SchoolSummary(
                school=school,
                administrators=names[:500],
                administrator_last_login=last_login,
                licence_expired=licence_expired,
                scanned_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["school"],
        update_fields=["administrators", "administrator_last_login", "licence_expired", "scanned_at"],
    )


def administrator_sign_in_record(*, school, at: datetime.datetime) -> bool:
    """A site administrator of ``school`` signed in at ``at``: the console's "last sign-in" (the school's
    summary, which the daily scan fills from the same accounts, ``summary_write``) says so at once, not after the
    next scan. One UPDATE in the public schema, never earlier than what is there; a school never scanned has no
    summary yet, and its first scan reads the sign-in from the account."""
    later = Q(administrator_last_login__isnull=True) | Q(administrator_last_login__lt=at)
    return bool(SchoolSummary.objects.filter(later, school=school).update(administrator_last_login=at))


def school_scan(*, now: datetime.datetime) -> list[SectionFreshnessState]:
    """The daily scan of the active school: ledger rows, the people summary, then the reminders that are due."""
    school = current_school()
    if school is None:
        raise RuntimeError("school_scan runs in a school's schema, not in the public one")
    search_index_ensure()  # after an upgrade, each school's search index is built by its next scan
    states = school_freshness(now=now, opened_at=school.created_at)
    with transaction.atomic():  # the ledger and the summary of one scan together, in one commit
        ledger_write(school=school, states=states, now=now)
        summary_write(school=school, now=now, licence_expired=any(state.licence_expired for state in states))
    escalate(school=school, states=states, now=now)
    return states


def scheduled_publishing_run() -> None:
    """Pages of the active school scheduled to go live or to expire do so now (Wagtail's own command)."""
    call_command("publish_scheduled", verbosity=0)
