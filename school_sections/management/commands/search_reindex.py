"""Rebuild a school's search index from its published pages (after an upgrade that changed what is
indexed, or a repair). Per school: ``tenant_command search_reindex --schema=<schema>``; every school:
``all_tenants_command search_reindex``."""

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import gettext as _

from school_sections.search.indexing import site_reindex


class Command(BaseCommand):
    help = "Rebuild this school's search index from its published pages."

    def handle(self, *args, **options):
        if connection.schema_name == "public":
            self.stderr.write(_("Run it in a school: tenant_command search_reindex --schema=<schema>."))
            return
        indexed = site_reindex()
        self.stdout.write(
            _("%(schema)s: %(count)d pages indexed.") % {"schema": connection.schema_name, "count": indexed}
        )
