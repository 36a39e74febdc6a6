"""Reads about the regional office's accounts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Prefetch
from django_otp.plugins.otp_totp.models import TOTPDevice

from console.staff.roles import RegionalRole


def staff_accounts():
    """Every regional account with its role and whether its authenticator app is set up; three queries."""
    role_groups = Prefetch(
        "groups", queryset=Group.objects.filter(name__in=RegionalRole.values), to_attr="role_groups"
    )
    accounts = (
        get_user_model()
        .objects.filter(is_staff=True)
        .annotate(has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .prefetch_related(role_groups)
        .order_by("-is_active", "first_name", "username")
    )
    for account in accounts:
        names = {group.name for group in account.role_groups}
        role = next((RegionalRole(name) for name in RegionalRole.values if name in names), None)
        # Read by the staff page as account.role: a superuser is an office administrator whatever their groups.
        account.role = RegionalRole.ADMINISTRATOR if account.is_superuser else role  # type: ignore[attr-defined]
        yield account
