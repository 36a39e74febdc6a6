"""Fill the platform with a demo region: an office account and three schools.

Used by ``make demo``. Safe to run again: existing schools are kept; the demo
accounts get fresh passwords, printed with their sign-in links, which are on PLATFORM_PORT (the
port of DEMO_ADDRESS, regional_platform.launcher), as every school's Wagtail site is made to be.
The trends get 90 days of history before the first snapshot (demo.history), written once.
"""

import datetime
import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context
from wagtail.models import Page

from accounts.enrolment import enrolment_code_issue
from compliance.services import school_scan
from compliance.snapshots import region_snapshot_take
from console.staff.roles import RegionalRole
from demo.content import DEMO_CONTENT, demo_content_fill
from demo.history import demo_history_seed
from demo.identity import demo_identity_fill
from demo.workflow import demo_workflow_fill
from provisioning.school_import import school_rows_import, school_rows_read
from provisioning.services import school_site_port_align
from regulation.roles import APPOINTED_ROLES, Role
from school_sections.models import ContactsPage
from tenants.hosts import absolute_url
from tenants.models import Domain, School
from workflows.services import responsibility_set

DEMO_FILE = Path(settings.BASE_DIR) / "examples" / "schools.csv"
OFFICE_USERNAME = "office"
INSPECTOR_USERNAME = "inspector"


def _password() -> str:
    return secrets.token_urlsafe(9)


def _fill_sections(*, complete: bool, licence_expired: bool = False) -> None:
    """Demo content in every section, or only contacts and news for the incomplete school; once.

    With ``licence_expired`` the licence ended a year ago: the documents section (3.1.3) is then
    incomplete, and the console shows the school under "Licence expired".
    """
    if ContactsPage.objects.get().phones:
        return  # filled on an earlier run
    content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    if licence_expired:
        a_year_ago = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
        for document in content["documents"]["documents"]:
            if document["document_type"] == "licence":
                document["valid_until"] = a_year_ago
    if not complete:
        content = {key: content[key] for key in ("contacts", "news")}
        content["contacts"] = {**content["contacts"], "emails": []}
    demo_content_fill(content=content)
    if complete:  # clause 5.4: somebody answers for every section
        administrator = get_user_model().objects.filter(groups__name=Role.SITE_ADMINISTRATOR.value).first()
        for section in Page.objects.filter(depth=3):
            responsibility_set(section=section, people=[administrator])


def _roles_and_code(user) -> str:
    """The account's groups, and the office's enrolment code for those who enrol an authenticator app
    (accounts.enrolment): the demo sets passwords, so nobody arrives through an invitation link."""
    names = list(user.groups.values_list("name", flat=True))
    if set(names) & {*APPOINTED_ROLES, RegionalRole.ADMINISTRATOR.value}:
        return f"{', '.join(names)}; authenticator app enrolment code {enrolment_code_issue(user)[0]}"
    return ", ".join(names)


def _sites_port_align() -> None:
    """Every school's Wagtail site on the port the demo serves on now (``make demo`` sets PLATFORM_PORT from
    DEMO_ADDRESS): a demo started again on another address keeps no sitemap or page URL on the old port."""
    for schema_name in School.objects.exclude(schema_name=get_public_schema_name()).values_list(
        "schema_name", flat=True
    ):
        with schema_context(schema_name):
            school_site_port_align()


def _office_accounts() -> dict[str, str]:
    """The regional office's ``office`` and ``inspector``, with fresh passwords (returned by username)."""
    User = get_user_model()
    passwords = {}
    for username, role in (
        (OFFICE_USERNAME, RegionalRole.ADMINISTRATOR),
        (INSPECTOR_USERNAME, RegionalRole.INSPECTOR),
    ):
        account, _ = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        passwords[username] = _password()
        account.set_password(passwords[username])
        account.is_staff = True
        account.email = account.email or f"{username}@{settings.PLATFORM_DOMAIN}"  # gets the regional digest
        account.save()
        account.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return passwords


class Command(BaseCommand):
    help = "Create a demo region (regional office account and three schools) and print how to sign in."

    def handle(self, *args, **options):
        rows = school_rows_read(DEMO_FILE.read_bytes())
        # No invitation e-mails: the demo sets passwords, which would void their links.
        school_rows_import(rows, send_invitations=False)
        for row in rows:
            for problem in row.problems:
                self.stderr.write(f"{DEMO_FILE}:{row.number}: {problem}")
        _sites_port_align()

        User = get_user_model()
        passwords = _office_accounts()

        lines: list[str] = []
        out = lines.append
        out("")
        out("Demo region ready.")
        out(f"Regional console: {absolute_url(settings.PLATFORM_DOMAIN)}")
        office = User.objects.get(username=OFFICE_USERNAME)
        out(f"    office administrator: {OFFICE_USERNAME} / {passwords[OFFICE_USERNAME]}  ({_roles_and_code(office)})")
        out(f"    inspector (read only): {INSPECTOR_USERNAME} / {passwords[INSPECTOR_USERNAME]}")
        out(f"    bulk onboarding example: {DEMO_FILE.parent / 'ten-more-schools.csv'}")
        # The last school of the file is left incomplete, for the completeness report.
        row_numbers = {"".join(row.details.bin.split()): row.number for row in rows}
        domains = Domain.objects.filter(is_primary=True, tenant__bin__in=[row.details.bin for row in rows])
        for domain in domains.select_related("tenant").order_by("domain"):
            out("")
            out(f"{domain.tenant.name_en or domain.tenant.name_kk}")
            out(f"    site:   {absolute_url(domain.domain)}")
            out(f"    editor: {absolute_url(domain.domain, '/admin/')}")
            with schema_context(domain.tenant.schema_name):
                complete = row_numbers[domain.tenant.bin] != len(rows) + 1
                # The second school's licence has expired: three schools, three different scores.
                _fill_sections(complete=complete, licence_expired=row_numbers[domain.tenant.bin] == 3)
                demo_identity_fill(row_numbers[domain.tenant.bin] - 1)  # rows are numbered after the header
                if complete:
                    demo_workflow_fill(hostname=domain.domain)
                school_scan(now=timezone.now())  # the console's overview has figures from the start
                for user in User.objects.filter(is_active=True).order_by("username"):
                    password = _password()
                    user.set_password(password)
                    user.save(update_fields=["password"])
                    out(f"    {user.username} / {password}  ({_roles_and_code(user)})")
        region_snapshot_take(on=timezone.localdate())  # today's point of the console's trends
        demo_history_seed(today=timezone.localdate())  # and the months before it, so the trends are lines
        out("")
        out("Directors and site administrators set up an authenticator app (TOTP) at their first sign-in,")
        out("after typing the enrolment code printed beside them (accounts/enrolment.py).")
        out("In schools 1 and 2 a teacher's news waits for review with a screening finding (clause 3.3),")
        out("and an expired licence is in the archive (Archive in the editor's menu).")
        out("")
        summary = "\n".join(lines)
        self.stdout.write(summary)
        accounts_file = Path(os.environ.get("PLATFORM_DATA_DIR", Path(settings.BASE_DIR) / ".data"))
        accounts_file.mkdir(parents=True, exist_ok=True)
        (accounts_file / "demo-accounts.txt").write_text(summary + "\n")
