"""Open a school's website: validate, create its schema, home page, site and first accounts.

``school_provision`` is the one way a school comes into being: the
``provision_school`` and ``import_schools`` commands and the regional console
all call it. It checks every input before it writes anything, and writes
everything in one transaction, so a failure leaves no schema, row, domain or
account behind.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Page, PageLogEntry, Site

from accounts.invitations import Invitation, invitation_issue
from provisioning.outbox import provisioning_steps_write
from provisioning.schema_template import schema_create_from_template, schema_template_current
from regulation.roles import Role
from school_sections.models import SchoolHomePage
from tenants.audit import regional_action_record
from tenants.hosts import platform_port, schema_name_for, school_hostname
from tenants.models import Domain, RegionalAction, School
from tenants.validators import validate_subdomain

logger = logging.getLogger(__name__)

# E-mail addresses are the sign-in names of a school's people (User.username).
EMAIL_MAX_LENGTH = 150


@dataclass(frozen=True)
class Person:
    """Someone named at onboarding: the head of the school or its site administrator."""

    full_name: str
    email: str


@dataclass(frozen=True)
class SchoolDetails:
    """What the regional office knows about a school when it opens its site."""

    name_kk: str
    name_ru: str
    short_name: str
    bin: str
    region: str
    district: str
    address: str
    subdomain: str
    head: Person
    administrator: Person | None = None
    name_en: str = ""

    @classmethod
    def from_columns(cls, values: Mapping[str, str]) -> SchoolDetails:
        """Details from flat fields named as the CSV columns (and the console's form fields)."""

        def value(name: str) -> str:
            return values.get(name) or ""

        return cls(
            name_kk=value("name_kk"),
            name_ru=value("name_ru"),
            name_en=value("name_en"),
            short_name=value("short_name"),
            bin=value("bin"),
            region=value("region"),
            district=value("district"),
            address=value("address"),
            subdomain=value("subdomain"),
            head=Person(value("head_full_name"), value("head_email")),
            administrator=Person(value("administrator_full_name"), value("administrator_email")),
        )


@dataclass
class ProvisionedSchool:
    school: School
    hostname: str
    invitations: list[Invitation] = field(default_factory=list)


def validation_messages(error: ValidationError) -> list[str]:
    """One line per problem, naming the field it is about."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]


def _clean_text(value: str | None) -> str:
    return " ".join((value or "").split())


def _clean_person(person: Person | None) -> Person | None:
    if person is None or not (person.full_name or person.email):
        return None
    return Person(_clean_text(person.full_name), _clean_text(person.email).lower())


def school_details_normalised(details: SchoolDetails) -> SchoolDetails:
    """The details as they will be stored: spaces folded, BIN without spaces, subdomain lowercase."""
    return SchoolDetails(
        name_kk=_clean_text(details.name_kk),
        name_ru=_clean_text(details.name_ru),
        name_en=_clean_text(details.name_en),
        short_name=_clean_text(details.short_name),
        bin="".join(details.bin.split()),
        region=_clean_text(details.region),
        district=_clean_text(details.district),
        address=_clean_text(details.address),
        subdomain=_clean_text(details.subdomain).lower(),
        head=_clean_person(details.head) or Person("", ""),
        administrator=_clean_person(details.administrator),
    )


def school_details_clean(details: SchoolDetails) -> SchoolDetails:
    """Normalise the details and check them all, reading but never writing the database.

    Raises ``ValidationError`` whose ``message_dict`` names every bad field:
    the School fields, ``subdomain``, ``head_full_name``, ``head_email``,
    ``administrator_full_name`` and ``administrator_email``.
    """
    errors: dict[str, list[str]] = {}
    cleaned = school_details_normalised(details)
    head, administrator = cleaned.head, cleaned.administrator

    unstorable = _fields_with_control_characters(cleaned)
    if unstorable:  # PostgreSQL refuses a NUL in text: say which field rather than fail on the first query
        raise ValidationError(
            {name: [_("Remove the control characters (such as NUL) from this field.")] for name in unstorable}
        )
    school = _school_instance(cleaned)
    try:
        school.full_clean(exclude=["schema_name"])  # required fields, lengths, BIN and its uniqueness
    except ValidationError as exc:
        errors.update(exc.message_dict)

    subdomain_errors = _subdomain_errors(cleaned.subdomain)
    if subdomain_errors:
        errors["subdomain"] = subdomain_errors

    for prefix, person in (("head", head), ("administrator", administrator)):
        if person is None:  # no administrator named: the head is also the administrator
            continue
        if not person.full_name:
            errors[f"{prefix}_full_name"] = [_("Give the person's full name.")]
        elif len(person.full_name) > 150:
            errors[f"{prefix}_full_name"] = [_("A full name has at most 150 characters.")]
        try:
            validate_email(person.email)
        except ValidationError:
            errors[f"{prefix}_email"] = [_("Give a valid e-mail address, like name@example.kz.")]
        else:
            if len(person.email) > EMAIL_MAX_LENGTH:  # it is the sign-in name, which has a limit
                errors[f"{prefix}_email"] = [
                    _("An e-mail address has at most %(limit)d characters here.") % {"limit": EMAIL_MAX_LENGTH}
                ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _fields_with_control_characters(details: SchoolDetails) -> list[str]:
    """The fields (named as the form's and the CSV's) holding a character no one types, like NUL."""
    values = {name: value for name, value in vars(details).items() if isinstance(value, str)}
    for prefix in ("head", "administrator"):
        person = getattr(details, prefix)
        if person is not None:
            values[f"{prefix}_full_name"], values[f"{prefix}_email"] = person.full_name, person.email
    return [name for name, value in values.items() if any(unicodedata.category(char) == "Cc" for char in value)]


def _school_instance(details: SchoolDetails) -> School:
    return School(
        schema_name=schema_name_for(details.subdomain),
        name_kk=details.name_kk,
        name_ru=details.name_ru,
        name_en=details.name_en,
        short_name=details.short_name,
        bin=details.bin,
        region=details.region,
        district=details.district,
        address=details.address,
    )


def _subdomain_errors(subdomain: str) -> list[str]:
    if not subdomain:
        return [_("Give the subdomain of the school's site, like school-7.")]
    try:
        validate_subdomain(subdomain)
    except ValidationError as exc:
        return exc.messages
    taken = (
        Domain.objects.filter(domain=school_hostname(subdomain)).exists()
        or School.objects.filter(schema_name=schema_name_for(subdomain)).exists()
        or schema_exists(schema_name_for(subdomain))
    )
    if taken:
        return [_("The subdomain “%(value)s” is already taken.") % {"value": subdomain}]
    return []


def school_provision(
    *, details: SchoolDetails, send_invitations: bool = True, opened_by=None, interactive: bool = True
) -> ProvisionedSchool:
    """Create a school's site from ``details``; all of it or nothing.

    The school's head (clause 4.1, who appoints the administrator, clause 1.2)
    and its first site administrator get accounts with one-time invitation
    links. Their e-mails and the school's first scan are written as steps in
    the same transaction (``provisioning.outbox``) and done by a job once it
    commits, retried until they succeed; ``send_invitations=False`` (the demo,
    the tests) writes no invitation step. One person given twice, or
    no administrator, makes one account that holds both roles. ``opened_by`` (a regional staff member, or their name)
    is recorded in the office's audit trail in the same transaction. ``interactive=False`` (a bulk import)
    sends the after-steps' job to the fan-out queue: thousands of them must not stand before an officer's
    next click.

    A template behind the code (a deploy that skipped ``migrate``) is rebuilt first, which takes minutes:
    call this from a job or a command, never from a web request (the console queues
    ``provisioning.school_opening``).
    """
    details = school_details_clean(details)
    template = schema_template_current()
    hostname = school_hostname(details.subdomain)
    try:
        with transaction.atomic():
            school = _school_instance(details)
            school.schema_version = template.schema_version
            school.save()
            Domain.objects.create(domain=hostname, tenant=school, is_primary=True)
            schema_create_from_template(schema_name=school.schema_name, template=template)
            with schema_context(school.schema_name):
                _site_install(school=school, hostname=hostname)
                invitees, invitations = _accounts_create(details=details, hostname=hostname)
            if opened_by is not None:
                regional_action_record(
                    actor=opened_by, action=RegionalAction.Action.OPEN, school=school, host=hostname
                )
            provisioning_steps_write(
                school=school, invitees=invitees if send_invitations else [], interactive=interactive
            )
    except (DatabaseError, ValidationError):
        # Someone provisioned the same BIN or subdomain since we checked (caught by a
        # unique constraint, or by django-tenants' own schema-name check): say which
        # field, as the checks would have. Anything else is raised as it is.
        school_details_clean(details)
        raise
    logger.info("Provisioned school %s at %s", school.schema_name, hostname)
    return ProvisionedSchool(school=school, hostname=hostname, invitations=invitations)


def _site_install(*, school: School, hostname: str) -> SchoolHomePage:
    """Name the seeded home page and site (school_sections.services.school_site_seed) after the school."""
    home = SchoolHomePage.objects.get()
    home.title = home.draft_title = school.name_kk
    home.seo_title = school.name_kk
    home.save(update_fields=["title", "draft_title", "seo_title"])
    # The seed's own history is not the school's: its creation entries name the home page by the school, and
    # Wagtail's "Welcome to your new Wagtail site!" page, which the school never had, leaves no entry.
    PageLogEntry.objects.filter(page_id=home.pk).update(label=school.name_kk)
    PageLogEntry.objects.filter(user__isnull=True).exclude(page_id__in=Page.objects.values("pk")).delete()
    Site.objects.update(hostname=hostname, port=platform_port(), site_name=school.short_name, is_default_site=True)
    return home


def school_site_port_align() -> int:
    """Put the active school's Wagtail sites on the platform's port (``tenants.hosts.platform_port``): Wagtail
    makes page URLs and the sitemap from ``Site.port``, which provisioning set to the port of its day (a demo
    restarted on another address, a school restored elsewhere). One UPDATE; how many sites changed."""
    changed = Site.objects.exclude(port=platform_port()).update(port=platform_port())
    if changed:
        Site.clear_site_root_paths_cache()  # an UPDATE sends no post_save: the cached root URLs carry the port
    return changed


def _accounts_create(*, details: SchoolDetails, hostname: str) -> tuple[list, list[Invitation]]:
    """Accounts without a password, in the school's schema: (user, roles) of each, and their invitations
    (links made now, for whoever may be shown them; the e-mails carry links made when they are sent)."""
    people: dict[str, tuple[Person, list[Role]]] = {}
    people[details.head.email] = (details.head, [Role.DIRECTOR])
    administrator = details.administrator or details.head
    people.setdefault(administrator.email, (administrator, []))[1].append(Role.SITE_ADMINISTRATOR)

    User = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=[role.value for role in Role])}
    invitees, invitations = [], []
    for email, (person, roles) in people.items():
        user = User(username=email, email=email, first_name=person.full_name)
        user.set_unusable_password()
        user.save()
        user.groups.set([groups[role.value] for role in roles])
        invitees.append((user, roles))
        invitations.append(invitation_issue(user=user, roles=roles, hostname=hostname, send=False))
    return invitees, invitations
