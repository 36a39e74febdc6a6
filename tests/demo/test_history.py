"""The demo's ninety days of compliance history (issue 17, point 3): plausible, written once, cheap."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import ComplianceSnapshot
from demo.history import HISTORY_DAYS, demo_history_seed

TODAY = datetime.date(2026, 12, 4)


def _today(district: str, **figures) -> ComplianceSnapshot:
    values = {"schools": 3, "average_score": 79.2, "complete_schools": 2, "stale_schools": 1, "expired_licences": 1}
    return ComplianceSnapshot.objects.create(date=TODAY, district=district, **{**values, **figures})


def test_the_history_leads_to_todays_figures_for_the_region_and_each_district(db):
    _today("")
    _today("Semey", schools=2, average_score=100.0, complete_schools=2, stale_schools=0)
    _today("Abai", schools=1, average_score=None, complete_schools=0, stale_schools=1)  # never scanned
    with CaptureQueriesContext(connection) as queries:
        written = demo_history_seed(today=TODAY)
    assert len(queries) <= 4  # two reads and one bulk insert (in a savepoint), whatever the number of days
    assert written == 3 * HISTORY_DAYS

    for district, today in ((row.district, row) for row in ComplianceSnapshot.objects.filter(date=TODAY)):
        days = list(ComplianceSnapshot.objects.filter(district=district).order_by("date"))
        assert [row.date for row in days] == [
            TODAY - datetime.timedelta(days=back) for back in range(HISTORY_DAYS, -1, -1)
        ]
        for row in days:
            assert row.schools == today.schools and 0 <= row.complete_schools <= today.complete_schools
            assert today.stale_schools <= row.stale_schools <= row.schools
            if today.average_score is None:
                assert row.average_score is None
            else:
                assert 0 <= row.average_score <= 100
        if today.average_score is not None:  # it climbed: worse at the start than at the end
            assert days[0].average_score < days[-2].average_score <= today.average_score + 2
            assert len({row.average_score for row in days}) > HISTORY_DAYS / 2  # a line that moves, not a flat one


def test_seeding_twice_writes_nothing_and_keeps_the_days_the_demo_really_had(db):
    _today("")
    real = ComplianceSnapshot.objects.create(
        date=TODAY - datetime.timedelta(days=3), district="", schools=3, average_score=42.0, complete_schools=1,
        stale_schools=2,
    )  # fmt: skip
    assert demo_history_seed(today=TODAY) == HISTORY_DAYS - 1
    assert demo_history_seed(today=TODAY) == 0
    real.refresh_from_db()
    assert real.average_score == 42.0
    assert ComplianceSnapshot.objects.filter(district="").count() == HISTORY_DAYS + 1


def test_nothing_is_seeded_before_the_first_snapshot(db):
    assert demo_history_seed(today=TODAY) == 0
    assert not ComplianceSnapshot.objects.exists()
