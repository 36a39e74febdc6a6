"""The daily snapshot behind the console's trends, and the pictures and report drawn from it (issue 6, point 3-4)."""

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.models import ComplianceSnapshot, LedgerEntry
from compliance.services import school_scan
from compliance.snapshots import region_snapshot_take
from tenants.models import RegionalAction, School
from tests.factories import console_client


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-trends", role="inspector")


def _scan(provisioned, **ledger_changes):
    with schema_context(provisioned.school.schema_name):
        school_scan(now=timezone.now())
    if ledger_changes:
        LedgerEntry.objects.filter(school=provisioned.school, mandatory=True).update(**ledger_changes)


def test_the_snapshot_averages_per_district_and_for_the_region_and_replaces_the_days_figures(make_school):
    complete = make_school(subdomain="snap-a", district="North")
    incomplete = make_school(subdomain="snap-b", district="South")
    _scan(complete, complete=True, stale_since=None)
    _scan(incomplete, complete=False)
    today = timezone.localdate()
    region_snapshot_take(on=today)
    figures = {row.district: row for row in ComplianceSnapshot.objects.filter(date=today)}
    assert (figures["North"].average_score, figures["North"].complete_schools) == (100.0, 1)
    assert (figures["South"].average_score, figures["South"].complete_schools) == (0.0, 0)
    region = figures[""]
    # Other tests' committed schools may be there too, scanned or not.
    assert region.schools == School.objects.filter(status="active").count()
    assert region.complete_schools >= 1 and region.average_score < 100.0  # South pulls it down

    LedgerEntry.objects.filter(school=incomplete.school).update(complete=True, stale_since=None)
    region_snapshot_take(on=today)
    assert ComplianceSnapshot.objects.filter(date=today).count() == len(figures)
    assert ComplianceSnapshot.objects.get(date=today, district="South").average_score == 100.0


def test_the_trends_page_draws_the_snapshots_and_each_mandatory_section(office, make_school):
    provisioned = make_school(subdomain="trend", district="East")
    _scan(provisioned)
    today = timezone.localdate()
    for days_ago, score in ((20, 25.0), (10, 50.0), (0, 75.0)):
        ComplianceSnapshot.objects.create(
            date=today - datetime.timedelta(days=days_ago), district="", schools=4, average_score=score,
            complete_schools=1, stale_schools=0,
        )  # fmt: skip
    page = office.get("/trends/").content.decode()
    assert page.count("<polyline") == 2  # score and complete schools, the region only has figures
    assert "<title>Whole region, " in page and ": 75%</title>" in page
    assert "3.1.1 Contact information" in page and "3.1.8 Achievements" in page
    assert page.count('class="bar-main"') == 8
    ComplianceSnapshot.objects.create(
        date=today, district="East", schools=1, average_score=12.0, complete_schools=0, stale_schools=1
    )
    with_district = office.get("/trends/?district=East&days=30").content.decode()
    assert '<rect width="1" height="1" fill="#e69f00"/></svg>East' in with_district  # its own line
    assert "<title>East, " in with_district and ": 12%</title>" in with_district


def test_chart_coordinates_stay_numbers_in_kazakh_and_russian(office, make_school):
    """kk and ru write 12,5 for 12.5; an SVG coordinate with a comma is broken."""
    today = timezone.localdate()
    for days_ago, score in ((3, 33.3), (0, 66.7)):
        ComplianceSnapshot.objects.create(
            date=today - datetime.timedelta(days=days_ago), district="", schools=3, average_score=score,
            complete_schools=1, stale_schools=0,
        )  # fmt: skip
    for language in ("kk", "ru"):
        page = office.get("/trends/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        coordinates = re.findall(r'\s(?:cx|cy|x|y|x1|x2|y1|y2|width)="([^"]*)"', page)
        assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), language
        points = re.findall(r'points="([^"]*)"', page)
        assert points and all(re.fullmatch(r"[\d., ]+", value) and ",," not in value for value in points)


def test_the_printable_report_lists_the_districts_schools_lowest_score_first(office, make_school):
    good = make_school(subdomain="rep-good", district="West", name_en="Good School")
    poor = make_school(subdomain="rep-poor", district="West", name_en="Poor School")
    make_school(subdomain="rep-other", district="Elsewhere", name_en="Other School")
    _scan(good, complete=True, stale_since=None)
    _scan(poor, complete=False)
    page = office.get("/report/?district=West").content.decode()
    assert page.index("Poor School") < page.index("Good School")
    assert "Other School" not in page
    assert "@media print" not in page and "print_report.js" in page
    assert RegionalAction.objects.filter(action="export", data__what="report").exists()
