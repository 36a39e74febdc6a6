"""Onboard schools from a CSV file (columns in the README): ``manage.py import_schools FILE.csv``."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from tqdm import tqdm

from provisioning.school_import import ImportFileError, RowOutcome, school_rows_import, school_rows_read

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = "Provision every new school listed in a CSV file; report each row. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, comma or semicolon separated")
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        path: Path = options["file"]
        try:
            rows = school_rows_read(path.read_bytes())
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from None

        with tqdm(total=len(rows), unit=_("school"), disable=options["no_progress"], file=sys.stderr) as bar:
            school_rows_import(rows, progress=lambda row: bar.update(1))

        labels = {
            RowOutcome.CREATED: pgettext("import outcome", "created"),
            RowOutcome.ALREADY_THERE: pgettext("import outcome", "already there, unchanged"),
            RowOutcome.REFUSED: pgettext("import outcome", "refused"),
        }
        for row in rows:
            line = _("line %(line)d") % {"line": row.number}
            subject = f"{row.details.subdomain or '?'} ({row.details.bin or '?'})"
            self.stdout.write(f"{line}: {subject}: {labels[row.outcome]}")
            for problem in row.problems:
                self.stdout.write(f"    {problem}")
            if row.provisioned:
                for invitation in row.provisioned.invitations:
                    link = invitation.url if settings.SHOW_INVITATION_LINKS else _("invitation e-mailed")
                    self.stdout.write(f"    {invitation.email}: {link}")

        counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in RowOutcome}
        if counts[RowOutcome.ALREADY_THERE] == len(rows):
            self.stdout.write(self.style.SUCCESS(_("Every school in the file is already there: nothing changed.")))
            return
        summary = _("%(created)d created, %(existing)d already there, %(refused)d refused.") % {
            "created": counts[RowOutcome.CREATED],
            "existing": counts[RowOutcome.ALREADY_THERE],
            "refused": counts[RowOutcome.REFUSED],
        }
        if counts[RowOutcome.REFUSED]:
            raise CommandError(summary + " " + _("Fix the refused lines and run the same file again."))
        self.stdout.write(self.style.SUCCESS(summary))
