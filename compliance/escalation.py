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


# One statement (issue 14: it was three round trips a school): insert the due rows nobody has (another run's
# rows stand: ON CONFLICT DO NOTHING), take over the unsent ones whose lease has passed (not the region's: its
# digest sends those), and return both. In one statement the UPDATE does not see the rows the INSERT adds, so
# a row is returned once. Django's bulk_create cannot return the rows it skipped nor join an UPDATE.
_CLAIM_SQL = """
WITH due (section_code, step, episode) AS (
    SELECT * FROM unnest(%(codes)s::varchar[], %(steps)s::varchar[], %(episodes)s::timestamptz[])
), inserted AS (
    INSERT INTO {table} (school_id, section_code, step, episode, claimed_at, claim, recipients)
    SELECT %(school)s, section_code, step, episode, %(now)s, %(token)s::uuid, '' FROM due
    ON CONFLICT DO NOTHING
    RETURNING *
), taken AS (
    UPDATE {table} SET claim = %(token)s::uuid, claimed_at = %(now)s
    WHERE school_id = %(school)s AND sent_at IS NULL AND claimed_at < %(lease_start)s AND step <> %(region)s
    RETURNING *
)
SELECT * FROM inserted UNION ALL SELECT * FROM taken
"""


def _claim(*, school, due: dict) -> tuple[uuid.UUID, datetime.datetime, list[Reminder]]:
    """Claim the due reminders nobody has sent or is sending, in one statement whatever their number;
    returns the claim's token, its time and the rows it holds."""
    token, now = uuid.uuid4(), timezone.now()
    keys = list(due)
    params = {
        "codes": [code for code, _step in keys],
        "steps": [step for _code, step in keys],
        "episodes": [due[key].stale_since for key in keys],
        "school": school.pk,
        "now": now,
        "token": str(token),
        "lease_start": lease_start(),
        "region": REGION_STEP,
    }
    rows = Reminder.objects.raw(_CLAIM_SQL.format(table=Reminder._meta.db_table), params)
    claimed = [
        reminder
        for reminder in rows
        if (reminder.section_code, reminder.step) in due
        and reminder.episode == due[(reminder.section_code, reminder.step)].stale_since
    ]
    return token, now, claimed


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
    token, claimed_at, claimed = _claim(school=school, due=due)
    to_send = [reminder for reminder in claimed if reminder.step != REGION_STEP]  # the region's: its digest
    if not to_send:
        return 0
    letters_send(
        model=Reminder,
        token=token,
        claimed_at=claimed_at,
        rows=to_send,
        letters=_letters(to_send, due),
        school=school,
        hostname=active_school_hostname(),
    )
    return len(to_send)
