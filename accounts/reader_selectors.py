"""Reads of a school's readers (clause 5.2): requests waiting for the administrator, and who reads as what."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.models import ReaderRegistration
from regulation.roles import READER_GROUP_NAMES, ReaderGroup
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
