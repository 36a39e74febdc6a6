"""The daily snapshot of the region's compliance (issue 6, trends): one read of the ledger, one upsert.

Taken after the daily scan; taking it twice on a day replaces that day's figures.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from compliance.models import ComplianceSnapshot
from compliance.overview import OverviewFilters, school_overview
from tenants.models import School

REGION = ""  # the district of the whole region's row


def region_snapshot_take(*, on: datetime.date) -> list[ComplianceSnapshot]:
    """Figures of every active school, averaged per district and for the region, saved for ``on``."""
    schools = (
        school_overview(OverviewFilters())
        .filter(status=School.Status.ACTIVE)
        .order_by()
        .values_list("district", "score", "stale_sections", "summary__licence_expired")
    )
    groups: dict[str, list[tuple]] = defaultdict(list)
    for district, score, stale_sections, licence_expired in schools:
        row = (score, stale_sections, bool(licence_expired))
        groups[REGION].append(row)
        groups[district].append(row)
    snapshots = []
    for district, rows in groups.items():
        scores = [score for score, *_ in rows if score is not None]
        snapshots.append(
            ComplianceSnapshot(
                date=on,
                district=district,
                schools=len(rows),
                average_score=round(sum(scores) / len(scores), 1) if scores else None,
                complete_schools=sum(1 for score in scores if score >= 100),
                stale_schools=sum(1 for _, stale, _ in rows if stale),
                expired_licences=sum(1 for *_, expired in rows if expired),
            )
        )
    ComplianceSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["date", "district"],
        update_fields=["schools", "average_score", "complete_schools", "stale_schools", "expired_licences"],
    )
    return snapshots
