"""Fail if a migration added since the baseline would break the previous release during a deploy.

Run by ``make check`` (and so by .ci/run) and by the test suite; the rules are in docs/migrations.md.
"""

from django.core.management.base import BaseCommand, CommandError

from provisioning.migration_safety import new_migrations_problems


class Command(BaseCommand):
    help = "Checks that new migrations only expand the schema (docs/migrations.md), unless marked contract_step."

    def handle(self, *args, **options):
        problems = new_migrations_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} expand-unsafe operations in new migrations: split them into an expand release and"
                ' a later contract release, or mark the migration `contract_step = "why"` (docs/migrations.md).'
            )
        self.stdout.write("New migrations only expand the schema.")
