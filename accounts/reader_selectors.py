"""Reads of a school's readers (clause 5.2): requests waiting for the administrator, and who reads as what."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.models import ReaderRegistration
from regulation.roles import READER_GROUP_NAMES, ReaderGroup, Role
from tenants.current import current_school


def reader_registrations_pending() -> QuerySet[ReaderRegistration]:
    """The active school's waiting requests, oldest first: one indexed query in the public schema."""
    return ReaderRegistration.objects.filter(
        school=current_school(), status=ReaderRegistration.Status.PENDING
    ).order_by("created_at", "pk")


def readers() -> list[dict]:
    """The active school's readers with the groups they read as, in two queries."""
    people = (
        get_user_model()
        .objects.filter(groups__name__in=READER_GROUP_NAMES)
        .distinct()
        .order_by("-is_active", "first_name", "email")
        .prefetch_related("groups")
    )
    return [
        {
            "person": person,
            "groups": [
                ReaderGroup(group.name).label for group in person.groups.all() if group.name in READER_GROUP_NAMES
            ],
        }
        for person in people
    ]


def account_opens_the_editor(user) -> bool:
    """Whether ``user`` may enter the school's editor (a role or Wagtail's access right): such an account signs
    in at /admin/login/ with its second factor, never on the readers' form."""
    return (
        user.is_superuser
        or user.groups.filter(name__in=Role.values).exists()
        or user.has_perm("wagtailadmin.access_admin")
    )
