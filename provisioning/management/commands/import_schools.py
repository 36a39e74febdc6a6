"""Onboard schools from a CSV file (columns in the README): ``manage.py import_schools FILE.csv``.

The whole file is read and checked before any school is created: a file that cannot be read is refused
with the reason, and the refused lines are listed first. ``--check`` stops there. Each school created is
reported as soon as it is; a run that is interrupted (Ctrl-C, a lost connection) is resumed by running the
same command again: the schools already created are reported as already there, never created twice.
"""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from tqdm import tqdm

from provisioning.school_import import (
    ImportFileError,
    ImportRow,
    RowOutcome,
    school_rows_check,
    school_rows_import,
    school_rows_read_file,
)

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = (
        "Check a CSV file of schools whole, then provision every new school it lists; report each row. "
        "Safe to run again, and the way to resume an interrupted run."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV file, UTF-8, comma or semicolon separated (10 MB at most)")
        parser.add_argument("--check", action="store_true", help="only check the file: create nothing")
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        path: Path = options["file"]
        try:
            rows = school_rows_read_file(path)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from None
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from None

        with self._bar(len(rows), _("checking"), options) as bar:
            school_rows_check(rows, progress=lambda row: bar.update(1))
        for row in rows:
            if row.outcome is not None:  # refused or already there: said before anything is created
                self._report(row)
        to_create = [row for row in rows if row.outcome is None]
        if options["check"]:
            self._summary(rows, to_create=len(to_create))
            return
        if to_create:
            self._create(to_create, options)
        self._summary(rows)

    def _bar(self, total: int, label: str, options):
        return tqdm(total=total, desc=label, unit=_("school"), disable=options["no_progress"], file=sys.stderr)

    def _create(self, rows: list[ImportRow], options) -> None:
        def done(row: ImportRow) -> None:
            bar.update(1)
            self._report(row)
            self.stdout.flush()

        with self._bar(len(rows), _("creating"), options) as bar:
            try:
                school_rows_import(rows, progress=done)
            except KeyboardInterrupt:
                created = sum(row.outcome == RowOutcome.CREATED for row in rows)
                raise CommandError(
                    _(
                        "Interrupted after %(created)d schools were created. Run the same command again to go on: "
                        "the schools already created are reported as already there, never created twice."
                    )
                    % {"created": created}
                ) from None

    def _report(self, row: ImportRow) -> None:
        labels = {
            RowOutcome.CREATED: pgettext("import outcome", "created"),
            RowOutcome.ALREADY_THERE: pgettext("import outcome", "already there, unchanged"),
            RowOutcome.REFUSED: pgettext("import outcome", "refused"),
        }
        line = _("line %(line)d") % {"line": row.number}
        subject = f"{row.details.subdomain or '?'} ({row.details.bin or '?'})"
        self.stdout.write(f"{line}: {subject}: {labels[row.outcome]}")
        for problem in row.problems:
            self.stdout.write(f"    {problem}")
        if row.provisioned:
            for invitation in row.provisioned.invitations:
                link = invitation.url if settings.SHOW_INVITATION_LINKS else _("invitation e-mailed")
                self.stdout.write(f"    {invitation.email}: {link}")

    def _summary(self, rows: list[ImportRow], *, to_create: int | None = None) -> None:
        counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in RowOutcome}
        if counts[RowOutcome.ALREADY_THERE] == len(rows):
            self.stdout.write(self.style.SUCCESS(_("Every school in the file is already there: nothing changed.")))
            return
        if to_create is not None:
            summary = _("Checked: %(new)d to create, %(existing)d already there, %(refused)d refused.") % {
                "new": to_create,
                "existing": counts[RowOutcome.ALREADY_THERE],
                "refused": counts[RowOutcome.REFUSED],
            }
        else:
            summary = _("%(created)d created, %(existing)d already there, %(refused)d refused.") % {
                "created": counts[RowOutcome.CREATED],
                "existing": counts[RowOutcome.ALREADY_THERE],
                "refused": counts[RowOutcome.REFUSED],
            }
        if counts[RowOutcome.REFUSED]:
            raise CommandError(summary + " " + _("Fix the refused lines and run the same file again."))
        self.stdout.write(self.style.SUCCESS(summary))
