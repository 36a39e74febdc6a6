"""django-tenants' migrate_schemas, which also keeps the provisioning template current.

A new migration is applied to every school and recorded into the template in
the same command, so a school provisioned afterwards is built with it
(design.md: a template behind the code yields migrations recorded but never applied).
"""

from contextlib import contextmanager

from django.db.migrations.recorder import MigrationRecorder
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from provisioning.schema_template import schema_template_current


def recorder_has_table_by_regclass(recorder: MigrationRecorder) -> bool:
    """Django's "does django_migrations exist here?", answered by one catalog lookup.

    Django lists every table visible on the search path, which with hundreds of
    schools takes 70-105 ms and runs four times per school, so migrations over all
    schools grow with the square of their number (design.md). This looks in the
    first schema of the search path only (the school's), as django-tenants'
    introspection does, so ``public.django_migrations`` never answers for a school.
    """
    if recorder._has_table:
        return True
    with recorder.connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(format('%%I.%%I', current_schema(), %s::text))", [recorder.Migration._meta.db_table]
        )
        recorder._has_table = cursor.fetchone()[0] is not None
    return recorder._has_table


@contextmanager
def fast_migration_table_check():
    original = MigrationRecorder.has_table
    MigrationRecorder.has_table = recorder_has_table_by_regclass
    try:
        yield
    finally:
        MigrationRecorder.has_table = original


class Command(MigrateSchemasCommand):
    help = MigrateSchemasCommand.help + " Then brings the school-provisioning template up to date."

    def handle(self, *args, **options):
        with fast_migration_table_check():
            super().handle(*args, **options)
            if options.get("plan") or options.get("check_unapplied") or options.get("fake"):
                return
            template = schema_template_current()
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Provisioning template: {template}")
