"""The deploy's migration: the public schema, the provisioning template, then the fleet of schools.

By default the schools are migrated by ``provisioning.fleet_migration``: one query finds the schools
behind the code, each version's upgrade SQL is computed once and replayed in parallel, with a
``lock_timeout`` per school; running the command again resumes an interrupted run and retries the
schools that failed (docs/migrations.md). ``--per-school`` (or ``--executor``, ``--schema``, an app
label, ``--fake``, ``--plan``, ``--check``) runs django-tenants' standard migrate school by school
instead, for comparison and as the fallback, and then records the schools' schema version.
"""

from django.core.management.base import CommandError
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from provisioning.fleet_migration import LOCK_TIMEOUT, PROCESSES, fleet_migrate, schools_version_record
from provisioning.fleet_upgrade import (  # noqa: F401 (re-exported: tests and older callers import them here)
    fast_migration_table_check,
    recorder_has_table_by_regclass,
)
from provisioning.schema_template import schema_template_current

# Options that only django-tenants' own executor understands: with any of them, the standard path runs.
_STANDARD_ONLY = ("executor", "schema_name", "app_label", "migration_name", "fake", "fake_initial", "prune")


class Command(MigrateSchemasCommand):
    help = (
        "Migrates the public schema, brings the school-provisioning template up to date, then migrates the"
        " schools that are behind by replaying each upgrade's SQL in parallel (docs/migrations.md)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--per-school",
            action="store_true",
            help="Run django-tenants' standard migrate in every school (slow; for comparison and as a fallback).",
        )
        parser.add_argument("--processes", type=int, default=PROCESSES, help="Parallel processes for the schools.")
        parser.add_argument("--lock-timeout", default=LOCK_TIMEOUT, help="How long a school waits for a lock.")

    def handle(self, *args, **options):
        if options["per_school"] or any(options.get(name) for name in _STANDARD_ONLY) or options.get("plan"):
            return self._standard(*args, **options)
        if options.get("check_unapplied"):
            return self._standard(*args, **options)
        verbosity = options.get("verbosity", 1)
        with fast_migration_table_check():
            if not options.get("tenant"):
                super().handle(*args, **{**options, "shared": True, "tenant": False})
            if options.get("shared") and not options.get("tenant"):
                template = schema_template_current()
                if verbosity >= 1:
                    self.stdout.write(f"Provisioning template: {template}")
                return
            summary = fleet_migrate(
                processes=options["processes"], lock_timeout=options["lock_timeout"], stdout=self.stdout
            )
        if verbosity >= 1 or not summary.ok:
            self.stdout.write(f"Provisioning template: {summary.template}")
            for line in summary.lines():
                self.stdout.write(line)
        if not summary.ok:
            raise CommandError(f"{len(summary.failed)} schools could not be migrated; run the command again.")

    def _standard(self, *args, **options):
        """django-tenants' migrate, then the template and the migrated schools' recorded version."""
        with fast_migration_table_check():
            super().handle(*args, **options)
            if options.get("plan") or options.get("check_unapplied") or options.get("fake"):
                return
            if options.get("app_label") or options.get("migration_name"):
                return  # a partial migrate: the schools do not hold every migration
            template = schema_template_current()
        if not options.get("shared") or options.get("tenant"):
            schema_name = options.get("schema_name")
            schools_version_record(schema_names=[schema_name] if schema_name else None)
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Provisioning template: {template}")
