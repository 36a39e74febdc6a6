"""The regional office's "remind now" (issue: regional console): the responsible people of every stale
section of one school get a reminder at once, outside the escalation's schedule (which it does not touch).

The office's request is a row (``RemindNowRequest``) written in its own transaction; the job in the school's
schema claims the school's pending requests and answers them together, one letter per person, each marked
on the requests as soon as it is handed to the mail server (compliance.letters), so a job run twice, or
killed and run again, writes to nobody twice but the one in flight.
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import Q
from django.utils import timezone

from compliance.deliveries import lease_start
from compliance.escalation import RESPONSIBLE_STEP
from compliance.freshness import school_freshness
from compliance.letters import Letter, letters_send, written_to
from compliance.models import RemindNowRequest
from regulation.roles import Role
from tenants.current import current_school
from tenants.hosts import active_school_hostname
from workflows.selectors import section_recipients


def remind_now_request(*, school, requested_by: str) -> RemindNowRequest:
    """Record the office's request to remind ``school`` now (public schema); the job sends it."""
    return RemindNowRequest.objects.create(school=school, requested_by=requested_by, requested_at=timezone.now())


def _claim(school) -> tuple[uuid.UUID, list[RemindNowRequest]]:
    """The school's requests nobody has sent or is sending (a killed run's, once its lease has passed)."""
    token = uuid.uuid4()
    free = Q(claim__isnull=True) | Q(claimed_at__lt=lease_start())
    pending = RemindNowRequest.objects.filter(school=school, sent_at__isnull=True)
    pending.filter(free).update(claim=token, claimed_at=timezone.now())
    return token, list(pending.filter(claim=token).order_by("requested_at"))


def remind_now_send(*, now: datetime.datetime) -> list[str]:
    """Answer the active school's pending requests: e-mail the responsible people of its stale sections (its
    administrators where nobody is responsible); returns the addresses written to."""
    school = current_school()
    token, requests = _claim(school)
    if not requests:
        return []
    stale = [state for state in school_freshness(now=now, opened_at=school.created_at) if state.stale_since]
    recipients = section_recipients(section_ids=[state.page_id for state in stale], roles=[Role.SITE_ADMINISTRATOR])
    administrators = recipients.by_role[Role.SITE_ADMINISTRATOR.value]
    already = set().union(*(written_to(request) for request in requests))
    letters: dict = {}
    for state in stale:
        for person in recipients.responsible[state.page_id] or administrators:
            if person.email not in already:
                letters.setdefault(person, Letter(person, rows=requests)).items.append((RESPONSIBLE_STEP, state))
    return letters_send(
        model=RemindNowRequest,
        token=token,
        rows=requests,
        letters=list(letters.values()),
        school=school,
        hostname=active_school_hostname(),
    )
