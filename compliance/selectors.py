"""Reads of the region's ledger (public schema): one query, whatever the number of schools."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from compliance.models import JobRun, LedgerEntry


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
