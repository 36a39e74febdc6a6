"""Reminders while a section is stale: its responsible people, then the administrator, the director,
and the regional office's digest (clauses 1.2, 5.4, 5.7). Steps and days are settings.

Each (school, section, step, stale episode) is claimed once through a unique row before anything
is sent, so a retried task, beat running twice or two workers never send it twice. A worker killed
between the claim and the send leaves the claim unsent; once its lease has passed, the next scan
takes it over and sends it. (Only a kill after the mail server accepted the message and before the
row is marked sent could repeat it: e-mail cannot be made exactly-once beyond that.)
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from compliance.freshness import SectionFreshnessState
from compliance.models import Reminder
from school_sections import catalogue
from tenants.hosts import absolute_url
from workflows.roles import Role

logger = logging.getLogger(__name__)

REGION_STEP = "region"
RESPONSIBLE_STEP = "responsible"
STEP_ROLES = {"administrator": Role.SITE_ADMINISTRATOR.value, "director": Role.DIRECTOR.value}


def escalation_steps() -> list[tuple[str, int]]:
    """(step, days after the section went stale), from settings.COMPLIANCE_ESCALATION."""
    return [(step, int(days)) for step, days in settings.COMPLIANCE_ESCALATION]


def _claim(*, school, state: SectionFreshnessState, step: str, now: datetime.datetime) -> Reminder | None:
    """This run's right to send the reminder, or None if it was sent or is being sent elsewhere."""
    reminder, created = Reminder.objects.get_or_create(
        school=school, section_code=state.code, step=step, episode=state.stale_since, defaults={"claimed_at": now}
    )
    if created:
        return reminder
    if reminder.sent_at is not None or step == REGION_STEP:
        return None
    lease = datetime.timedelta(seconds=settings.COMPLIANCE_REMINDER_LEASE_SECONDS)
    if reminder.claimed_at > now - lease:
        return None  # another run is sending it right now
    taken = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True, claimed_at=reminder.claimed_at).update(
        claimed_at=now
    )
    return reminder if taken else None


def _recipients(step: str, state: SectionFreshnessState):
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    if step == RESPONSIBLE_STEP:
        return people.filter(responsibilities__section_id=state.page_id)
    return people.filter(groups__name=STEP_ROLES[step])


def _language(person, school) -> str:
    profile = getattr(person, "wagtail_userprofile", None)
    preferred = getattr(profile, "preferred_language", "") if profile else ""
    return preferred if preferred in dict(settings.LANGUAGES) else school.default_language


def _send(*, school, hostname: str, state: SectionFreshnessState, step: str, people) -> list[str]:
    section = catalogue.section(state.code)
    link = absolute_url(hostname, f"/admin/sections/{state.page_id}/freshness/")
    sent = []
    for person in people:
        with translation.override(_language(person, school)):
            context = {
                "person": person,
                "school": school.name,
                "section": f"{section.code} {section.title}",
                "state": state,
                "step": step,
                "link": link,
            }
            subject = _("The section “%(section)s” needs an update") % {"section": section.title}
            send_mail(subject, render_to_string("email/stale_section.txt", context), None, [person.email])
        sent.append(person.email)
    return sent


def escalate(*, school, hostname: str, states: list[SectionFreshnessState], now: datetime.datetime) -> int:
    """Send the reminders due for the stale sections of the active school; returns how many were sent."""
    sent = 0
    for state in states:
        if state.stale_since is None or state.page_id is None:
            continue
        days_stale = (now - state.stale_since).days
        for step, after_days in escalation_steps():
            if days_stale < after_days:
                continue
            reminder = _claim(school=school, state=state, step=step, now=now)
            if reminder is None or step == REGION_STEP:
                continue  # the regional digest sends the region's step (compliance.digests)
            recipients = _send(
                school=school, hostname=hostname, state=state, step=step, people=_recipients(step, state)
            )
            Reminder.objects.filter(pk=reminder.pk).update(sent_at=now, recipients=", ".join(recipients))
            sent += 1
    return sent
