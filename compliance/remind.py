"""The regional office's "remind now" (issue: regional console): the responsible people of every stale
section of one school get a reminder at once, outside the escalation's schedule (which it does not touch)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import get_connection

from compliance.escalation import RESPONSIBLE_STEP, stale_letter
from compliance.freshness import school_freshness
from regulation.roles import Role
from tenants.current import current_school
from tenants.hosts import active_school_hostname
from workflows.models import SectionResponsibility


def remind_now(*, now: datetime.datetime) -> list[str]:
    """E-mail the responsible people of the active school's stale sections (its administrators where
    nobody is responsible); returns the addresses written to."""
    school = current_school()
    stale = [state for state in school_freshness(now=now, opened_at=school.created_at) if state.stale_since]
    if not stale:
        return []
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    responsible = defaultdict(list)
    for row in SectionResponsibility.objects.filter(
        section_id__in=[state.page_id for state in stale], person__in=people
    ).select_related("person"):
        responsible[row.section_id].append(row.person)
    administrators = list(people.filter(groups__name=Role.SITE_ADMINISTRATOR.value))
    letters = defaultdict(list)
    for state in stale:
        for person in responsible[state.page_id] or administrators:
            letters[person].append((RESPONSIBLE_STEP, state))
    hostname = active_school_hostname()
    messages = [
        stale_letter(school=school, hostname=hostname, person=person, items=items) for person, items in letters.items()
    ]
    get_connection().send_messages(messages)
    return [person.email for person in letters]
