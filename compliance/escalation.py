"""Reminders while a section is stale: its responsible people, then the administrator, the director,
and the regional office's digest (clauses 1.2, 5.4, 5.7). Steps and days are settings.

Each (school, section, step, stale episode) is a unique row, claimed by one run before anything is
sent, so a retried task, beat running twice or two workers never send it twice. A run inserts the
rows it needs (conflicts ignored) and takes the ones that carry its own claim token. A worker
killed between claim and send leaves the rows unsent; once their lease has passed, the next scan
takes them over. (Only a kill after the mail server accepted a message and before the rows are
marked sent could repeat it: e-mail cannot be made exactly-once beyond that.) Each person gets one
e-mail per scan, listing every section due for them.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from compliance.freshness import SectionFreshnessState
from compliance.models import Reminder
from regulation import catalogue
from regulation.roles import Role
from tenants.hosts import absolute_url, active_school_hostname
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


def _claim(*, school, due: dict, now: datetime.datetime) -> list[Reminder]:
    """Claim the due reminders nobody has sent or is sending; three queries whatever their number."""
    token = uuid.uuid4()
    Reminder.objects.bulk_create(
        [
            Reminder(
                school=school, section_code=code, step=step, episode=state.stale_since, claimed_at=now, claim=token
            )
            for (code, step), state in due.items()
        ],
        ignore_conflicts=True,
    )
    lease = datetime.timedelta(seconds=settings.COMPLIANCE_REMINDER_LEASE_SECONDS)
    abandoned = Q(sent_at__isnull=True, claimed_at__lt=now - lease) & ~Q(step=REGION_STEP)
    Reminder.objects.filter(abandoned, school=school).update(claim=token, claimed_at=now)
    return [
        reminder
        for reminder in Reminder.objects.filter(school=school, claim=token, sent_at__isnull=True)
        if (reminder.section_code, reminder.step) in due
        and reminder.episode == due[(reminder.section_code, reminder.step)].stale_since
    ]


def recipient_language(person, school) -> str:
    profile = getattr(person, "wagtail_userprofile", None)
    preferred = getattr(profile, "preferred_language", "") if profile else ""
    return preferred if preferred in dict(settings.LANGUAGES) else school.default_language


def _recipients(reminders: list[Reminder], due: dict) -> dict:
    """person -> [(reminder, state)] for every claimed reminder."""
    page_ids = {due[(reminder.section_code, reminder.step)].page_id for reminder in reminders}
    recipients = section_recipients(section_ids=page_ids, roles=STEP_ROLES.values())
    letters = defaultdict(list)
    for reminder in reminders:
        state = due[(reminder.section_code, reminder.step)]
        if reminder.step == RESPONSIBLE_STEP:
            people_for_step = recipients.responsible[state.page_id]
        else:
            people_for_step = recipients.by_role[STEP_ROLES[reminder.step].value]
        for person in people_for_step:
            letters[person].append((reminder, state))
    return letters


def stale_letter(*, school, hostname: str, person, items) -> EmailMessage:
    """One e-mail to ``person`` about the sections in ``items``: (step, state) pairs, in their language."""
    with translation.override(recipient_language(person, school)):
        sections = [
            {
                "section": catalogue.section(state.code),
                "state": state,
                "step": step,
                "link": absolute_url(
                    hostname,
                    reverse("compliance_section_freshness", urlconf=settings.ROOT_URLCONF, args=[state.page_id]),
                ),
            }
            for step, state in items
        ]
        context = {"person": person, "school": school.name, "sections": sections}
        if len(sections) == 1:
            subject = _("The section “%(section)s” needs an update") % {"section": sections[0]["section"].title}
        else:
            subject = _("%(count)d sections of the website need an update") % {"count": len(sections)}
        return EmailMessage(subject, render_to_string("email/stale_section.txt", context), None, [person.email])


def escalate(*, school, states: list[SectionFreshnessState], now: datetime.datetime) -> int:
    """Send the reminders due for the stale sections of the active school; returns how many were sent."""
    due = _due(states, now)
    if not due:
        return 0
    claimed = _claim(school=school, due=due, now=now)
    to_send = [reminder for reminder in claimed if reminder.step != REGION_STEP]  # the region's: its digest
    if not to_send:
        return 0
    letters = _recipients(to_send, due)
    hostname = active_school_hostname()
    messages = [
        stale_letter(
            school=school,
            hostname=hostname,
            person=person,
            items=[(reminder.step, state) for reminder, state in items],
        )
        for person, items in letters.items()
    ]
    get_connection().send_messages(messages)
    addresses = defaultdict(list)
    for person, items in letters.items():
        for reminder, _state in items:
            addresses[reminder.pk].append(person.email)
    for reminder in to_send:
        reminder.sent_at, reminder.recipients = now, ", ".join(addresses[reminder.pk])
    Reminder.objects.bulk_update(to_send, ["sent_at", "recipients"])
    return len(to_send)
