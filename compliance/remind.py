"""The regional office's "remind now" (issue: regional console): the responsible people of every stale
section of one school get a reminder at once, outside the escalation's schedule (which it does not touch)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.mail import get_connection

from compliance.escalation import RESPONSIBLE_STEP, stale_letter
from compliance.freshness import school_freshness
from regulation.roles import Role
from tenants.current import current_school
from tenants.hosts import active_school_hostname
from workflows.selectors import section_recipients


def remind_now(*, now: datetime.datetime) -> list[str]:
    """E-mail the responsible people of the active school's stale sections (its administrators where
    nobody is responsible); returns the addresses written to."""
    school = current_school()
    stale = [state for state in school_freshness(now=now, opened_at=school.created_at) if state.stale_since]
    if not stale:
        return []
    recipients = section_recipients(section_ids=[state.page_id for state in stale], roles=[Role.SITE_ADMINISTRATOR])
    administrators = recipients.by_role[Role.SITE_ADMINISTRATOR.value]
    letters = defaultdict(list)
    for state in stale:
        for person in recipients.responsible[state.page_id] or administrators:
            letters[person].append((RESPONSIBLE_STEP, state))
    hostname = active_school_hostname()
    messages = [
        stale_letter(school=school, hostname=hostname, person=person, items=items) for person, items in letters.items()
    ]
    get_connection().send_messages(messages)
    return [person.email for person in letters]
