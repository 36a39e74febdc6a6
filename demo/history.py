"""Ninety days of the region's compliance before the demo began, so that the console's trends are lines.

A region that has just been set up has one snapshot (today's), and the trends show single dots; a region that
has run for months has one a day. The demo writes what such months plausibly looked like: each figure of
today's snapshots (compliance.snapshots, the same rows the daily snapshot writes) reached from a worse start,
as schools fill their sections, with small day-to-day wobbles.
"""

from __future__ import annotations

import datetime
import random

from compliance.models import ComplianceSnapshot

HISTORY_DAYS = 90
SCORE_CLIMB = 30.0  # percentage points the average score gained over the history
STALE_AT_START = 0.5  # share of the schools not stale today that were stale at the start
COMPLETE_FROM = 0.6  # the progress after which today's complete schools start counting as complete


def _progress(back: int, days: int) -> float:
    """0 at the start of the history, nearing 1 yesterday, eased (quick at first, then slowing down)."""
    done = 1 - back / days
    return 1 - (1 - done) ** 2


def _history_of(snapshot: ComplianceSnapshot, *, today: datetime.date, days: int) -> list[ComplianceSnapshot]:
    # The same history on every run (reproducible; days already there are kept anyway).
    wobble = random.Random(f"{snapshot.district}:{today.isoformat()}")  # noqa: S311 (a demo's figures, no secret)
    score = snapshot.average_score
    start = None if score is None else max(score - SCORE_CLIMB, 0.0)
    rows = []
    for back in range(days, 0, -1):
        progress = _progress(back, days)
        average = None
        if score is not None and start is not None:
            average = round(min(max(start + (score - start) * progress + wobble.uniform(-2.0, 2.0), 0.0), 100.0), 1)
        not_stale = snapshot.schools - snapshot.stale_schools
        rows.append(
            ComplianceSnapshot(
                date=today - datetime.timedelta(days=back),
                district=snapshot.district,
                schools=snapshot.schools,
                average_score=average,
                # A school counts as complete only with every section done and fresh: the last stretch.
                complete_schools=round(
                    snapshot.complete_schools * max(progress - COMPLETE_FROM, 0) / (1 - COMPLETE_FROM)
                ),
                stale_schools=snapshot.stale_schools + round(not_stale * STALE_AT_START * (1 - progress)),
                expired_licences=snapshot.expired_licences,
            )
        )
    return rows


def demo_history_seed(*, today: datetime.date, days: int = HISTORY_DAYS) -> int:
    """Daily snapshots of the region and of each district for the ``days`` before ``today``, leading to
    today's (taken first); a day that has its snapshot already (the demo ran then, or this ran before) keeps
    it. Two reads and one bulk insert in the public schema; how many rows it wrote."""
    todays = list(ComplianceSnapshot.objects.filter(date=today))
    since = today - datetime.timedelta(days=days)
    there = set(ComplianceSnapshot.objects.filter(date__gte=since, date__lt=today).values_list("date", "district"))
    rows = [
        row
        for snapshot in todays
        for row in _history_of(snapshot, today=today, days=days)
        if (row.date, row.district) not in there
    ]
    ComplianceSnapshot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)
