"""``migrate`` is ``migrate_schemas`` here, as in django-tenants: the public schema, the template, the fleet."""

from provisioning.management.commands.migrate_schemas import Command  # noqa: F401
