"""``manage.py site_health_check [--school SUBDOMAIN]``: check the published sites now, without a worker
(clause 5.6): broken links, missing files, images without alt text, oversized files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.health.services import school_health_run
from compliance.jobs import job_run
from tenants.hosts import schema_name_for
from tenants.models import School


class Command(BaseCommand):
    help = "Check every active school's published site (or one school's) for broken links and files now."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="the school's subdomain (default: every active school)")

    def handle(self, *args, school=None, **options):
        schools = School.objects.filter(status=School.Status.ACTIVE).exclude(schema_name="public").order_by("pk")
        if school:
            schools = schools.filter(schema_name=schema_name_for(school))
            if not schools:
                raise CommandError(f"No active school with the subdomain {school!r}.")
        for each in schools:
            with schema_context(each.schema_name), job_run("site-health", each):
                report = school_health_run(now=timezone.now())
            counts = ", ".join(
                f"{kind}: {report.count(kind)}"
                for kind in ("broken_link", "missing_file", "image_without_alt", "oversized_file")
            )
            self.stdout.write(
                f"{each.schema_name}: {report.pages_checked} pages, {report.links_checked} links; {counts}; "
                f"external links not yet confirmed: {report.links_waiting}"
            )
