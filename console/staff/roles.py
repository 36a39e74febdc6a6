"""Who works in the regional console (public schema) and what they may do.

Two roles, kept as Django groups of the public schema: the office administrator acts
(opens and suspends sites, steps in, publishes announcements, manages staff) and must
pass a second factor; the inspector reads everything and changes nothing. A regional
account is an ``is_staff`` user of the public schema with one of these groups.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionalRole(models.TextChoices):
    ADMINISTRATOR = "regional administrator", _("Office administrator")
    INSPECTOR = "regional inspector", _("Inspector (read only)")


def regional_role(user) -> RegionalRole | None:
    """The user's console role, or None; one query, remembered on the user for the request."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if not hasattr(user, "_regional_role"):
        if user.is_superuser:
            role = RegionalRole.ADMINISTRATOR
        else:
            names = set(user.groups.filter(name__in=RegionalRole.values).values_list("name", flat=True))
            # Both groups by mistake: the stronger role, which also demands the second factor.
            role = next((RegionalRole(name) for name in RegionalRole.values if name in names), None)
        user._regional_role = role
    return user._regional_role


def second_factor_required(user) -> bool:
    return regional_role(user) == RegionalRole.ADMINISTRATOR
