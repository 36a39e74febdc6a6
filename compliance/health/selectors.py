"""Reads of the site health results (public schema): a few queries, whatever the number of schools."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import Case, IntegerField, Value, When

from compliance.models import SiteHealthFinding, SiteHealthSummary

Kind = SiteHealthFinding.Kind
KIND_ORDER = [Kind.BROKEN_LINK, Kind.MISSING_FILE, Kind.OVERSIZED_FILE, Kind.IMAGE_WITHOUT_ALT]


def openable_link(finding: SiteHealthFinding) -> str:
    """The address a broken link may be opened at from the dashboard, or "" to show it as text: only a web
    address is a link; a stored ``javascript://…`` or anything unreadable would run or mislead when clicked."""
    if finding.kind != Kind.BROKEN_LINK:
        return ""
    try:
        parts = urlsplit(finding.target)
    except ValueError:
        return ""
    return finding.target if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


def school_health(school_id: int) -> tuple[SiteHealthSummary | None, list[SiteHealthFinding]]:
    """The school's last health check and its findings, the gravest kind first, each with ``link`` (openable_link)
    (two queries)."""
    summary = SiteHealthSummary.objects.filter(school_id=school_id).first()
    if summary is None:
        return None, []
    rank = Case(
        *(When(kind=kind, then=Value(index)) for index, kind in enumerate(KIND_ORDER)), output_field=IntegerField()
    )
    findings: list[SiteHealthFinding] = list(
        SiteHealthFinding.objects.filter(school_id=school_id).annotate(rank=rank).order_by("rank", "page_title", "pk")
    )
    for finding in findings:
        finding.link = openable_link(finding)  # type: ignore[attr-defined]  # read by the dashboard's panel
    return summary, findings
