"""Writes of the site health check (clause 5.6): a school's results replace its last ones in the public schema."""

from __future__ import annotations

import datetime

from django.db import transaction

from compliance.health.check import HealthReport, school_health_check
from compliance.health.fetch import LinkChecker
from compliance.models import SiteHealthFinding, SiteHealthSummary
from tenants.current import current_school

Kind = SiteHealthFinding.Kind
# Findings kept per school: the summary counts every one; past this many, a school has a problem the first
# few hundred already show, and a row per broken link of a site in ruins would only weigh on the console.
MAX_FINDINGS_STORED = 300


def health_write(*, school, report: HealthReport, now: datetime.datetime) -> None:
    """Replace the school's summary and findings with the report's (one upsert, one delete, one insert)."""
    counts = {kind: report.count(kind) for kind in Kind.values}
    with transaction.atomic():
        SiteHealthSummary.objects.bulk_create(
            [
                SiteHealthSummary(
                    school=school,
                    checked_at=now,
                    pages_checked=report.pages_checked,
                    links_checked=report.links_checked,
                    broken_links=counts[Kind.BROKEN_LINK],
                    missing_files=counts[Kind.MISSING_FILE],
                    images_without_alt=counts[Kind.IMAGE_WITHOUT_ALT],
                    oversized_files=counts[Kind.OVERSIZED_FILE],
                    links_waiting=report.links_waiting,
                )
            ],
            update_conflicts=True,
            unique_fields=["school"],
            update_fields=[
                "checked_at",
                "pages_checked",
                "links_checked",
                "broken_links",
                "missing_files",
                "images_without_alt",
                "oversized_files",
                "links_waiting",
            ],
        )
        old = SiteHealthFinding.objects.filter(school=school)
        old._raw_delete(old.db)  # nothing refers to a finding: no SELECT first, no signals
        SiteHealthFinding.objects.bulk_create(
            [
                SiteHealthFinding(
                    school=school,
                    kind=finding.kind,
                    page_id=finding.source.page_id,
                    page_title=finding.source.title[:255],
                    edit_path=finding.source.edit_path[:255],
                    target=finding.target,
                    detail=finding.detail,
                    detail_values=finding.values,
                )
                for finding in report.findings[:MAX_FINDINGS_STORED]
            ]
        )


def school_health_run(*, now: datetime.datetime, checker: LinkChecker | None = None) -> HealthReport:
    """Check the active school's published site and keep the results for the region."""
    school = current_school()
    if school is None:
        raise RuntimeError("school_health_run runs in a school's schema, not in the public one")
    report = school_health_check(school=school, now=now, checker=checker)
    health_write(school=school, report=report, now=now)
    return report
