"""``manage.py jobs_status``: the last run of each background job per school, and any failures."""

from django.core.management.base import BaseCommand

from compliance.selectors import job_runs


class Command(BaseCommand):
    help = "Show the last run of each background job per school, failures first."

    def add_arguments(self, parser):
        parser.add_argument("--failed", action="store_true", help="only jobs whose last run failed")

    def handle(self, *args, failed=False, **options):
        runs = job_runs(failed_only=failed)
        if not runs:
            self.stdout.write("No job has run yet." if not failed else "No failures.")
            return
        for run in runs:
            school = run.school.schema_name if run.school_id else "(region)"
            duration = f"{run.duration.total_seconds():.2f} s" if run.duration else "-"
            line = f"{run.job:32} {school:32} {run.status:8} {run.started_at:%Y-%m-%d %H:%M:%S} {duration:>10}"
            if run.failures:
                line += f"  failures in a row: {run.failures}"
            self.stdout.write(line)
            if run.error and run.status == "failed":
                self.stdout.write("    " + run.error.strip().splitlines()[-1])
