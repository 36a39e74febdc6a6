"""Reads of the region's ledger (public schema): one query, whatever the number of schools."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When

from compliance.deliveries import lease_start
from compliance.models import ComplianceSnapshot, JobRun, LedgerEntry, RemindNowRequest
from tenants.models import School


def stale_sections_across_region() -> QuerySet:
    """Every stale section of every school, the longest stale first: one query, plain rows."""
    return (
        LedgerEntry.objects.filter(stale_since__isnull=False)
        .order_by("stale_since", "school__name_kk", "section_code")
        .values(
            "school_id",
            "school__schema_name",
            "school__name_kk",
            "school__district",
            "section_code",
            "stale_since",
            "responsible_count",
        )
    )


def school_ledger(school) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(school=school).order_by("section_code")


def job_runs(*, failed_only: bool = False) -> list[JobRun]:
    runs = JobRun.objects.select_related("school").annotate(
        failed_first=Case(
            When(status=JobRun.Status.FAILED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    if failed_only:
        runs = runs.filter(status=JobRun.Status.FAILED)
    return list(runs.order_by("failed_first", "job", "school__schema_name"))


def compliance_trend(*, districts: list[str], since) -> dict[str, list]:
    """Snapshots since a date for the region ("") and the given districts: one query."""
    rows = ComplianceSnapshot.objects.filter(date__gte=since, district__in=["", *districts]).order_by("date")
    trend: dict[str, list] = {district: [] for district in ["", *districts]}
    for row in rows:
        trend[row.district].append(row)
    return trend


def mandatory_section_completion(*, district: str = "") -> list[dict]:
    """Per mandatory section: how many active schools have it, complete, and complete and fresh (one query)."""
    entries = LedgerEntry.objects.filter(mandatory=True, school__status="active")
    if district:
        entries = entries.filter(school__district=district)
    rows = (
        entries.values("section_code")
        .annotate(
            schools=Count("pk"),
            # Named apart from the ``complete`` field, which the filters read.
            complete_count=Count("pk", filter=Q(complete=True)),
            complete_fresh_count=Count("pk", filter=Q(complete=True, stale_since__isnull=True)),
        )
        .order_by("section_code")
    )
    return [dict(row) for row in rows]


def scan_lag_seconds(*, now) -> float:
    """How long ago the least recently scanned active school was scanned (a school never scanned counts
    from its opening): the daily scan's lag, for monitoring. Two queries, whatever the number of schools."""
    active = School.objects.filter(status=School.Status.ACTIVE)
    last_scans = JobRun.objects.filter(job="scan", status=JobRun.Status.DONE, school__in=active)
    oldest_scan = last_scans.aggregate(oldest=Min("finished_at"))["oldest"]
    never_scanned = active.exclude(pk__in=last_scans.values("school_id")).aggregate(oldest=Min("created_at"))
    candidates = [moment for moment in (oldest_scan, never_scanned["oldest"]) if moment is not None]
    return max(0.0, (now - min(candidates)).total_seconds()) if candidates else 0.0


def job_run_counts() -> list[dict]:
    """How many schools' last run of each job is running, done or failed (one query), for monitoring."""
    rows = JobRun.objects.values("job", "status").annotate(count=Count("pk")).order_by("job", "status")
    return [dict(row) for row in rows]


def schools_with_waiting_reminders(*, now: datetime.datetime, grace_seconds: int = 60) -> list[str]:
    """The schemas of the schools whose "remind now" waits: never taken by a job (it could not be queued, or
    was lost with the broker) for longer than ``grace_seconds``, or abandoned by a killed one (one query)."""
    never_taken = Q(claim__isnull=True, requested_at__lt=now - datetime.timedelta(seconds=grace_seconds))
    waiting = RemindNowRequest.objects.filter(never_taken | Q(claimed_at__lt=lease_start()), sent_at__isnull=True)
    return list(
        waiting.filter(school__status=School.Status.ACTIVE)
        .values_list("school__schema_name", flat=True)
        .distinct()
        .order_by("school__schema_name")
    )
