"""The regional office's one-time code to enrol a first authenticator app (accounts.enrolment).

    manage.py second_factor_code director@school-7.kz --school school-7.region.kz
    manage.py second_factor_code office-admin            # a regional staff account

Check who is asking (a call back on the number the office has on file) before reading the code out.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django_tenants.utils import schema_context

from accounts.enrolment import enrolment_code_issue
from tenants.models import Domain, School


class Command(BaseCommand):
    help = "Print a one-time code that lets an account enrol its first authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("account", help="username or e-mail address")
        parser.add_argument("--school", default="", help="the school's host or schema (none: regional staff)")

    def handle(self, *args, account, school, **options):
        schema = "public"
        if school:
            domain = Domain.objects.filter(domain=school.lower()).select_related("tenant").first()
            found = domain.tenant if domain else School.objects.filter(schema_name=school).first()
            if found is None:
                raise CommandError(f"No school with the host or schema {school!r}.")
            schema = found.schema_name
        with schema_context(schema):
            user = get_user_model().objects.filter(Q(username=account) | Q(email__iexact=account)).first()
            if user is None or not user.is_active:
                raise CommandError(f"No active account {account!r} there.")
            code, last_day = enrolment_code_issue(user)
        self.stdout.write(f"{code}  (for {user.get_username()}; valid until the end of {last_day:%Y-%m-%d})")
