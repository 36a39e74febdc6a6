"""The regional office's own audit trail: one ``RegionalAction`` per change made from the console."""

from __future__ import annotations

from tenants.models import RegionalAction, School


def regional_action_record(
    *, actor, action: RegionalAction.Action, school: School | None = None, reason: str = "", **data
) -> RegionalAction:
    """Record who did what, to which school and why; ``actor`` is a user or a name."""
    name = actor if isinstance(actor, str) else actor.get_username()
    return RegionalAction.objects.create(
        school=school, actor=name, action=action, reason=" ".join((reason or "").split()), data=data
    )
