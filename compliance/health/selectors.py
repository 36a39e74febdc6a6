"""Reads of the site health results (public schema): a few queries, whatever the number of schools."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from compliance.models import SiteHealthFinding, SiteHealthSummary

Kind = SiteHealthFinding.Kind
KIND_ORDER = [Kind.BROKEN_LINK, Kind.MISSING_FILE, Kind.OVERSIZED_FILE, Kind.IMAGE_WITHOUT_ALT]


def school_health(school_id: int) -> tuple[SiteHealthSummary | None, list[SiteHealthFinding]]:
    """The school's last health check and its findings, the gravest kind first (two queries)."""
    summary = SiteHealthSummary.objects.filter(school_id=school_id).first()
    if summary is None:
        return None, []
    rank = Case(
        *(When(kind=kind, then=Value(index)) for index, kind in enumerate(KIND_ORDER)), output_field=IntegerField()
    )
    findings = (
        SiteHealthFinding.objects.filter(school_id=school_id).annotate(rank=rank).order_by("rank", "page_title", "pk")
    )
    return summary, list(findings)
