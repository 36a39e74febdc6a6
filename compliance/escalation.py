"""Reminders while a section is stale: its responsible people, then the administrator, the director,
and the regional office's digest (clauses 1.2, 5.4, 5.7). Steps and days are settings.

Each (school, section, step, stale episode) is a unique row, claimed by one run before anything is
sent, so a retried task, beat running twice or two workers never send it twice. A run inserts the
rows it needs (conflicts ignored) and takes the ones that carry its own claim token. Each person gets one
e-mail per scan, listing every section due for them; each e-mail is marked on its rows as soon as it is
handed to the mail server, and a row is sent once its last e-mail has gone (compliance.letters). A worker
killed mid-batch leaves the rest unsent; once their lease has passed, the next scan takes them over and
writes only to the people not reached yet (compliance.deliveries: only the e-mail in flight can repeat).
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from compliance.deliveries import lease_start
from compliance.freshness import SectionFreshnessState
from compliance.letters import Letter, letters_send, written_to
from compliance.models import Reminder
from regulation.roles import Role
from tenants.hosts import active_school_hostname
from workflows.selectors import section_recipients

logger = logging.getLogger(__name__)

REGION_STEP = "region"
RESPONSIBLE_STEP = "responsible"
STEP_ROLES = {"administrator": Role.SITE_ADMINISTRATOR, "director": Role.DIRECTOR}


def escalation_steps() -> list[tuple[str, int]]:
    """(step, days after the section went stale), from settings.COMPLIANCE_ESCALATION."""
    return [(step, int(days)) for step, days in settings.COMPLIANCE_ESCALATION]


def _due(states: list[SectionFreshnessState], now: datetime.datetime) -> dict[tuple[str, str], SectionFreshnessState]:
    due = {}
    for state in states:
        if state.stale_since is None or state.page_id is None:
            continue
        days_stale = (now - state.stale_since).days
        for step, after_days in escalation_steps():
            if days_stale >= after_days:
                due[(state.code, step)] = state
    return due


def _claim(*, school, due: dict) -> tuple[uuid.UUID, list[Reminder]]:
    """Claim the due reminders nobody has sent or is sending; three queries whatever their number."""
    token, now = uuid.uuid4(), timezone.now()
    Reminder.objects.bulk_create(
        [
            Reminder(
                school=school, section_code=code, step=step, episode=state.stale_since, claimed_at=now, claim=token
            )
            for (code, step), state in due.items()
        ],
        ignore_conflicts=True,
    )
    abandoned = Q(sent_at__isnull=True, claimed_at__lt=lease_start()) & ~Q(step=REGION_STEP)
    Reminder.objects.filter(abandoned, school=school).update(claim=token, claimed_at=now)
    claimed = [
        reminder
        for reminder in Reminder.objects.filter(school=school, claim=token, sent_at__isnull=True)
        if (reminder.section_code, reminder.step) in due
        and reminder.episode == due[(reminder.section_code, reminder.step)].stale_since
    ]
    return token, claimed


def _letters(reminders: list[Reminder], due: dict) -> list[Letter]:
    """One letter per person for the claimed reminders they have not had yet."""
    page_ids = {due[(reminder.section_code, reminder.step)].page_id for reminder in reminders}
    recipients = section_recipients(section_ids=page_ids, roles=STEP_ROLES.values())
    letters: dict = {}
    for reminder in reminders:
        state = due[(reminder.section_code, reminder.step)]
        if reminder.step == RESPONSIBLE_STEP:
            people_for_step = recipients.responsible[state.page_id]
        else:
            people_for_step = recipients.by_role[STEP_ROLES[reminder.step].value]
        already = written_to(reminder)
        for person in people_for_step:
            if person.email not in already:
                letter = letters.setdefault(person, Letter(person))
                letter.items.append((reminder.step, state))
                letter.rows.append(reminder)
    return list(letters.values())


def escalate(*, school, states: list[SectionFreshnessState], now: datetime.datetime) -> int:
    """Send the reminders due for the stale sections of the active school; returns how many were claimed."""
    due = _due(states, now)
    if not due:
        return 0
    token, claimed = _claim(school=school, due=due)
    to_send = [reminder for reminder in claimed if reminder.step != REGION_STEP]  # the region's: its digest
    if not to_send:
        return 0
    letters_send(
        model=Reminder,
        token=token,
        rows=to_send,
        letters=_letters(to_send, due),
        school=school,
        hostname=active_school_hostname(),
    )
    return len(to_send)
