"""Pictures of the region's compliance (issue 6, point 3) and the printable report for a district meeting."""

from __future__ import annotations

import datetime

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.overview import OverviewFilters, school_overview
from compliance.selectors import compliance_trend, mandatory_section_completion
from console.charts import PALETTE, bar_chart, line_chart
from console.views.access import regional_staff_required
from regulation import catalogue
from tenants.audit import regional_action_record
from tenants.models import RegionalAction, School
from tenants.selectors import districts

PERIODS = (30, 90, 365)


def _chosen_district(request, names: list[str]) -> str:
    district = request.GET.get("district", "")
    return district if district in names else ""


def _charts(*, district: str, all_districts: list[str], days: int) -> dict:
    """The score and completeness over time, and the share of schools complete per mandatory section."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    # The region's line plus each district's while they fit the palette; one district if chosen.
    shown = [district] if district else all_districts[: len(PALETTE) - 1]
    trend = compliance_trend(districts=shown, since=since)
    names = {"": _("Whole region"), **{name: name for name in shown}}
    score = line_chart({names[key]: [(row.date, row.average_score) for row in rows] for key, rows in trend.items()})
    complete = line_chart(
        {
            names[key]: [(row.date, 100 * row.complete_schools / row.schools if row.schools else None) for row in rows]
            for key, rows in trend.items()
        }
    )
    sections = [
        row
        for row in mandatory_section_completion(district=district)
        if row["section_code"] in catalogue.SECTIONS_BY_CODE
    ]  # a section the catalogue no longer has may linger in the ledger until the next scan
    bars = bar_chart(
        [
            (
                f"{row['section_code']} {catalogue.SECTIONS_BY_CODE[row['section_code']].title}",
                100 * row["complete_fresh_count"] / row["schools"],
                100 * row["complete_count"] / row["schools"],
                f"{row['complete_fresh_count']} / {row['schools']}",
            )
            for row in sections
            if row["schools"]
        ]
    )
    return {
        "score_chart": score,
        "complete_chart": complete,
        "section_chart": bars,
        "days": days,
        "districts_left_out": len(all_districts) - len(shown) if not district else 0,
    }


@regional_staff_required
def trends_view(request):
    all_districts = districts()
    district = _chosen_district(request, all_districts)
    days = int(request.GET["days"]) if request.GET.get("days") in {str(days) for days in PERIODS} else 90
    context = {
        "districts": all_districts,
        "district": district,
        "periods": PERIODS,
        **_charts(district=district, all_districts=all_districts, days=days),
    }
    return render(request, "console/trends.html", context)


@regional_staff_required
def report_view(request):
    """One page to print (or save as PDF) for a district meeting: figures, pictures, every school."""
    all_districts = districts()
    district = _chosen_district(request, all_districts)
    schools = list(
        school_overview(OverviewFilters(district=district, ordering="score")).filter(status=School.Status.ACTIVE)
    )
    scores = [school.score for school in schools if school.score is not None]
    summary = {
        "schools": len(schools),
        "average": round(sum(scores) / len(scores)) if scores else None,
        "complete": sum(1 for score in scores if score >= 100),
        "stale": sum(1 for school in schools if school.stale_sections),
        "expired_licences": sum(
            1 for school in schools if getattr(school, "summary", None) and school.summary.licence_expired
        ),
        "waiting": sum(school.pending_reviews + school.findings_waiting for school in schools),
    }
    regional_action_record(actor=request.user, action=RegionalAction.Action.EXPORT, what="report", district=district)
    context = {
        "districts": all_districts,
        "district": district,
        "schools": schools,
        "summary": summary,
        "today": timezone.localdate(),
        **_charts(district=district, all_districts=all_districts, days=90),
    }
    return render(request, "console/report.html", context)
