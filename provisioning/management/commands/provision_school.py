"""Open the website of one school: ``manage.py provision_school --bin … --subdomain … …``."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _

from provisioning.outbox import provisioning_steps_run
from provisioning.outbox_selectors import invitation_states
from provisioning.services import SchoolDetails, school_provision, validation_messages
from tenants.hosts import absolute_url

from ._output import activate_language, add_language_argument


class Command(BaseCommand):
    help = "Provision one school: its schema, home page, domain, head and site administrator."

    def add_arguments(self, parser):
        required = parser.add_argument_group("required")
        for option, help_text in (
            ("--name-kk", "name in Kazakh"),
            ("--name-ru", "name in Russian"),
            ("--short-name", "short name"),
            ("--bin", "12-digit BIN"),
            ("--region", "region"),
            ("--district", "district"),
            ("--address", "legal address"),
            ("--subdomain", "subdomain, e.g. school-7"),
            ("--head-name", "full name of the head of school (director)"),
            ("--head-email", "e-mail of the head of school"),
        ):
            required.add_argument(option, required=True, help=help_text)
        parser.add_argument("--name-en", default="", help="name in English")
        parser.add_argument("--admin-name", default="", help="site administrator's full name (default: the head)")
        parser.add_argument("--admin-email", default="", help="site administrator's e-mail")
        add_language_argument(parser)

    def handle(self, *args, **options):
        activate_language(options)
        renamed = {
            "head_name": "head_full_name",
            "admin_name": "administrator_full_name",
            "admin_email": "administrator_email",
        }
        details = SchoolDetails.from_columns({renamed.get(name, name): value for name, value in options.items()})
        try:
            provisioned = school_provision(details=details)
        except ValidationError as exc:
            lines = "\n".join(f"  {line}" for line in validation_messages(exc))
            raise CommandError(_("The school was not created:") + "\n" + lines) from None
        except DatabaseError as exc:  # nothing was kept (one transaction); say why, not how
            raise CommandError(
                _("The school was not created: the database refused it (%(reason)s).") % {"reason": str(exc).strip()}
            ) from None
        self.stdout.write(self.style.SUCCESS(_("Created %(school)s.") % {"school": provisioned.school.name}))
        self.stdout.write(_("Site: %(url)s") % {"url": absolute_url(provisioned.hostname)})
        self.stdout.write(_("Editor: %(url)s") % {"url": absolute_url(provisioned.hostname, "/admin/")})
        # The job queued on commit would send them too; doing them here shows the outcome (a claim keeps
        # each e-mail to one sender).
        provisioning_steps_run(provisioned.school.pk)
        states = {state.email: state for state in invitation_states(provisioned.school)}
        for invitation in provisioned.invitations:
            state = states.get(invitation.email)
            outcome = state.label if state else ""
            if state and state.reason:
                outcome += f": {state.reason}"
            link = f" {invitation.url}" if settings.SHOW_INVITATION_LINKS else ""
            line = f"{invitation.full_name} <{invitation.email}> ({invitation.role_names}): {outcome}{link}"
            self.stdout.write(self.style.WARNING(line) if state and state.state == "failed" else line)
