"""``manage.py compliance_scan [--days N] [--school SUBDOMAIN]``: run the daily scan now, without a worker.

For operators and for the demo: ``--days 40`` scans as if it were 40 days later, so sections go
stale and the reminders of each step are sent (each once, as the scheduled scan would), then the
regional digest.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.digests import regional_digest_send
from compliance.jobs import job_run
from compliance.models import LedgerEntry
from compliance.services import school_scan
from compliance.snapshots import region_snapshot_take
from tenants.hosts import schema_name_for
from tenants.models import School


class Command(BaseCommand):
    help = "Scan every active school (or one) now, optionally as if N days had passed, then send the digest."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=0, help="scan as if this many days had passed")
        parser.add_argument("--school", help="the school's subdomain (default: every active school)")

    def handle(self, *args, days=0, school=None, **options):
        now = timezone.now() + datetime.timedelta(days=days)
        schools = School.objects.filter(status=School.Status.ACTIVE).exclude(schema_name="public").order_by("pk")
        if school:
            schools = schools.filter(schema_name=schema_name_for(school))
            if not schools:
                raise CommandError(f"No active school with the subdomain {school!r}.")
        for each in schools:
            with schema_context(each.schema_name), job_run("scan", each):
                states = school_scan(now=now)
            stale = [state.code for state in states if state.stale_since]
            self.stdout.write(f"{each.schema_name}: {len(states)} sections, stale: {', '.join(stale) or '-'}")
        region_snapshot_take(on=timezone.localdate(now))
        sent = regional_digest_send(now=now)
        stale_total = LedgerEntry.objects.filter(stale_since__isnull=False).count()
        self.stdout.write(f"Stale sections in the region: {stale_total}; regional digest items sent: {sent}")
