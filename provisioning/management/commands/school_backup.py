"""Write one school's archive: ``manage.py school_backup <subdomain|host|schema> [--output DIR]``."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from provisioning.backup import MEDIA_PREFIX, school_backup
from provisioning.pg_tools import PostgresToolError

from ._output import activate_language, add_language_argument, school_named


class Command(BaseCommand):
    help = (
        "Back up one school: its schema version's template and its rows (COPY per table), its rows in the "
        "public schema, its uploads, a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("school", help="the school's subdomain, host or schema name")
        parser.add_argument("--output", help="folder of the archive (default: BACKUP_ROOT/<schema>)")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        school = school_named(options["school"])
        output = Path(options["output"] or Path(settings.BACKUP_ROOT) / school.schema_name)
        try:
            backup = school_backup(school=school, output_dir=output)
        except PostgresToolError as exc:
            raise CommandError(str(exc)) from None
        manifest = backup.manifest
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Backed up %(school)s: %(tables)d tables, %(rows)d rows, %(files)d files.")
                % {
                    "school": school.schema_name,
                    "tables": len(manifest["tables"]),
                    "rows": rows,
                    "files": sum(name.startswith(MEDIA_PREFIX) for name in manifest["files"]),
                }
            )
        )
        self.stdout.write(str(backup.path))
