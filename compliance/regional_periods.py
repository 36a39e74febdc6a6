"""The regional office's bound on each section's update period (clause 5.7): schools may only tighten it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from compliance.models import RegionalUpdatePeriod
from regulation import catalogue
from tenants.audit import regional_action_record
from tenants.models import RegionalAction


def regional_periods() -> list[tuple[catalogue.Section, int | None]]:
    """Every section of the catalogue with the region's bound, if any; one query."""
    bounds = dict(RegionalUpdatePeriod.objects.values_list("section_code", "max_days"))
    return [(section, bounds.get(section.code)) for section in catalogue.CATALOGUE]


@transaction.atomic
def regional_period_set(*, section_code: str, max_days: int | None, by) -> None:
    """Set (or, with None, lift) the region's bound; it applies from each school's next daily scan."""
    section = catalogue.SECTIONS_BY_CODE.get(section_code)
    if section is None:
        raise ValidationError(_("There is no such section."))
    if max_days is not None and not 1 <= max_days <= section.update_period_days:
        raise ValidationError(
            _("Enter a number of days from 1 to %(days)d: the region may only shorten the period.")
            % {"days": section.update_period_days}
        )
    if max_days is None:
        RegionalUpdatePeriod.objects.filter(section_code=section_code).delete()
    else:
        RegionalUpdatePeriod.objects.update_or_create(section_code=section_code, defaults={"max_days": max_days})
    regional_action_record(actor=by, action=RegionalAction.Action.PERIOD, section=section_code, max_days=max_days)
