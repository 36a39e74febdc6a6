"""django-tenants' migrate_schemas, which also keeps the provisioning template current.

A new migration is applied to every school and recorded into the template in
the same command, so a school provisioned afterwards is built with it
(design.md: a template behind the code yields migrations recorded but never applied).
"""

from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants.services.schema_template import schema_template_current


class Command(MigrateSchemasCommand):
    help = MigrateSchemasCommand.help + " Then brings the school-provisioning template up to date."

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if options.get("plan") or options.get("check_unapplied") or options.get("fake"):
            return
        template = schema_template_current()
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Provisioning template: {template}")
