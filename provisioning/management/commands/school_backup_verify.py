"""Compare an archive with the live school: ``manage.py school_backup_verify ARCHIVE [--against SCHOOL]``.

Exits with 1 when anything differs (each difference on a line), 0 when the school is what the archive holds.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from provisioning.backup import ArchiveError
from provisioning.backup_verify import school_backup_differences

from ._output import activate_language, add_language_argument, school_named


class Command(BaseCommand):
    help = "Check an archive against itself and the live school (tables, public rows, uploads)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--against", help="the school to compare with (default: the archive's own)")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        school = None
        if options["against"]:
            school = school_named(options["against"])
        try:
            differences = school_backup_differences(archive=Path(options["archive"]), school=school)
        except ArchiveError as exc:
            raise CommandError(str(exc)) from None
        if differences:
            for line in differences:
                self.stdout.write(line)
            count = len(differences)
            self.stderr.write(ngettext("%(count)d difference.", "%(count)d differences.", count) % {"count": count})
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(_("The school is identical to the archive.")))
