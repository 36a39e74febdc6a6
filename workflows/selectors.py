"""Reads of the workflows app: the archive (clause 1.2) and the school's people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.documents import get_document_model

from regulation.roles import APPOINTED_ROLES, READER_GROUP_NAMES, Role
from workflows.models import Archival, SectionResponsibility


def archive_search(query: str = "") -> QuerySet[Archival]:
    """Archived pages and documents, newest first, optionally those whose title or reason has ``query``."""
    items = Archival.objects.select_related("archived_by", "content_type")
    if query:
        items = items.filter(Q(title__icontains=query) | Q(reason__icontains=query))
    return items


def archived_ids(model) -> QuerySet:
    """The ids of ``model``'s archived items, as a subquery."""
    return Archival.objects.filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    ).values("object_id")


def documents_not_archived() -> QuerySet:
    Document = get_document_model()
    archived_ids = Archival.objects.filter(content_type__model=Document._meta.model_name).values("object_id")
    return Document.objects.exclude(pk__in=archived_ids).order_by("title")


def reader_only() -> Q:
    """Accounts whose only groups are reader groups (clause 5.2): they read restricted pages, nothing more."""
    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef("pk"))
    return (
        Exists(memberships.filter(group__name__in=READER_GROUP_NAMES))
        & ~Exists(memberships.exclude(group__name__in=READER_GROUP_NAMES))
        & Q(is_superuser=False)
    )


def people_who_may_edit() -> QuerySet:
    """Everybody who may be given a role, a section or the administrator post: all accounts but readers'."""
    return get_user_model().objects.exclude(reader_only())


def people_with_roles() -> list[dict]:
    """Everybody who works on the site (readers are on the Readers screen), with their roles, sections and
    second factor, in four queries."""
    people = (
        people_who_may_edit()
        .order_by("-is_active", "first_name", "email")
        .prefetch_related(
            "groups",
            Prefetch(
                "responsibilities",
                queryset=SectionResponsibility.objects.select_related("section").order_by("section__path"),
            ),
        )
    )
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    labels = dict(Role.choices)
    return [
        {
            "person": person,
            "roles": [labels[group.name] for group in person.groups.all() if group.name in labels],
            "sections": [responsibility.section for responsibility in person.responsibilities.all()],
            "second_factor": person.pk in with_device,
            "appointed": any(group.name in APPOINTED_ROLES for group in person.groups.all()),
        }
        for person in people
    ]


@dataclass
class SectionRecipients:
    """Who can be written to about some sections: active accounts with an e-mail address only."""

    responsible: dict[int, list] = field(default_factory=lambda: defaultdict(list))  # section page id -> people
    by_role: dict[str, list] = field(default_factory=lambda: defaultdict(list))  # role name -> its holders


def section_recipients(*, section_ids: Iterable[int], roles: Iterable[Role] = ()) -> SectionRecipients:
    """The responsible people of ``section_ids`` (clause 5.4) and the holders of ``roles``, in one query (the
    daily scan asks this of every school: issue 14); each person comes with their profile, for the language
    they read."""
    role_names, ids = [role.value for role in roles], list(section_ids)
    held = Group.objects.filter(user=OuterRef("pk"), name__in=role_names).order_by("name").values("name")
    answers_for = SectionResponsibility.objects.filter(person=OuterRef("pk"), section_id__in=ids)
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .annotate(
            held_roles=ArraySubquery(held),
            sections_answered=ArraySubquery(answers_for.order_by("section_id").values("section_id")),
        )
        .filter(Q(held_roles__len__gt=0) | Q(sections_answered__len__gt=0))
        .order_by("pk")
    )
    recipients = SectionRecipients()
    for person in people if role_names or ids else ():
        for name in person.held_roles or ():  # NULL, not [], when a list asked for is empty
            recipients.by_role[name].append(person)
        for section_id in person.sections_answered or ():
            recipients.responsible[section_id].append(person)
    return recipients
