"""The region's own screening rules (clause 3.3): added and switched by the office, applied in every school."""

from __future__ import annotations

from django.db import transaction

from tenants.audit import regional_action_record
from tenants.models import RegionalAction
from workflows.models import RegionalScreeningRule


@transaction.atomic
def regional_rule_add(*, rule: RegionalScreeningRule, actor) -> RegionalScreeningRule:
    """Save a checked, unsaved rule (a form's ``save(commit=False)``) and record it; it applies at once."""
    rule.created_by = actor if isinstance(actor, str) else actor.get_username()
    rule.full_clean()
    rule.save()
    regional_action_record(
        actor=actor, action=RegionalAction.Action.RULE, reason=rule.reason, change="add",
        clause=rule.clause, language=rule.language, rule=rule.text,
    )  # fmt: skip
    return rule


@transaction.atomic
def regional_rule_toggle(*, rule: RegionalScreeningRule, actor) -> RegionalScreeningRule:
    """Switch a rule off, or back on, for every school; recorded."""
    rule.active = not rule.active
    rule.save(update_fields=["active"])
    regional_action_record(
        actor=actor, action=RegionalAction.Action.RULE, change="on" if rule.active else "off",
        clause=rule.clause, language=rule.language, rule=rule.text,
    )  # fmt: skip
    return rule
