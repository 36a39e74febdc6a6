"""Compare every school's schema with its template: ``manage.py schools_drift [--json] [--limit N]``.

Prints a summary line, then each drifted school with its differences, the School rows without a schema and
the schemas without a school. Exits with 1 when anything is to be looked at (for cron and CI), 0 otherwise;
schools merely behind the code's schema version are not a failure (the fleet migration brings them up).
"""

import json
import sys
from dataclasses import asdict

from django.core.management.base import BaseCommand
from django.db import connection

from provisioning.schema_drift import Status, schools_drift_report


class Command(BaseCommand):
    help = "Compare every school's schema with the template of its schema version and list the differences."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
        parser.add_argument(
            "--limit", type=int, default=20, help="differences printed per school (default: %(default)s; 0: all)"
        )

    def handle(self, *args, **options):
        try:
            report = schools_drift_report()
        finally:
            if not connection.in_atomic_block:
                connection.close()  # it touched every school's catalog entries: do not keep that backend
        if options["json"]:
            self.stdout.write(json.dumps({**asdict(report), "clean": report.clean}, indent=2))
        else:
            self._print(report, options["limit"])
        if not report.clean:
            sys.exit(1)

    def _print(self, report, limit: int) -> None:
        write = self.stdout.write
        write(report.summary())
        write("Time: " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in report.phases.items()))
        for school in report.with_status(Status.DRIFTED):
            behind = f", behind (version {school.schema_version[:12] or 'unrecorded'})" if school.behind else ""
            count = len(school.differences)
            write(f"\n{school.schema_name}: {count} difference{'' if count == 1 else 's'}{behind}")
            shown = school.differences if limit <= 0 else school.differences[:limit]
            for difference in shown:
                write(f"  {difference}")
            if len(shown) < len(school.differences):
                write(f"  ... and {len(school.differences) - len(shown)} more (--limit 0 shows all)")
        if report.uncompared:
            write("\nBehind, not compared (their version's template is no longer kept):")
            for school in report.uncompared:
                write(f"  {school.schema_name} (version {school.schema_version[:12] or 'unrecorded'})")
        for title, names in (
            ("School rows without a schema", [school.schema_name for school in report.with_status(Status.MISSING)]),
            ("Schemas without a School row", report.orphan_schemas),
        ):
            if names:
                write(f"\n{title}:")
                for name in names:
                    write(f"  {name}")
