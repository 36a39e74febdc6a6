"""Restore a school from its archive.

``manage.py school_restore ARCHIVE [--replace]`` (in place), ``… --as-subdomain NEW [--bin BIN]`` (a copy).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from provisioning.backup import ArchiveError
from provisioning.pg_tools import PostgresToolError
from provisioning.restore import RestoreRefused, school_restore
from provisioning.schema_data import SchemaDataError
from provisioning.schema_rows import ArchiveDataError
from tenants.hosts import absolute_url
from tenants.models import Domain

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = (
        "Restore a school from an archive of school_backup: in place (the same schema, hosts and BIN; "
        "--replace drops a school still there), or as a new school under --as-subdomain."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz written by school_backup")
        parser.add_argument("--as-subdomain", help="restore as a new school on this subdomain (a copy)")
        parser.add_argument(
            "--bin", help="the copy's BIN: needed while a live school has the archive's (a BIN names one school)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="confirm dropping the school that is there now (in place)"
        )
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        if options["bin"] and not options["as_subdomain"]:
            raise CommandError(_("--bin is for a copy: give --as-subdomain too."))
        try:
            school = school_restore(
                archive=Path(options["archive"]),
                as_subdomain=options["as_subdomain"],
                bin=options["bin"],
                replace=options["replace"],
            )
        except (RestoreRefused, ArchiveError, ArchiveDataError, SchemaDataError, PostgresToolError) as exc:
            raise CommandError(str(exc)) from None
        hostname = Domain.objects.filter(tenant=school, is_primary=True).values_list("domain", flat=True).first()
        self.stdout.write(self.style.SUCCESS(_("Restored %(school)s.") % {"school": school.schema_name}))
        if hostname:
            self.stdout.write(_("Site: %(url)s") % {"url": absolute_url(hostname)})
        if options["as_subdomain"]:
            self.stdout.write(
                _("The copy is suspended, so that nothing e-mails the original's people; restore it in the console.")
            )
