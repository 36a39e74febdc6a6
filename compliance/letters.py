"""The reminder letter about stale sections, and sending a batch of them one by one, each marked on its claimed
rows right after it is handed to the mail server (compliance.deliveries)."""

from __future__ import annotations

import contextlib
import datetime
import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.deliveries import claim_renew
from compliance.freshness import SectionFreshnessState
from regulation import catalogue
from tenants.hosts import absolute_url

logger = logging.getLogger(__name__)


@dataclass
class Letter:
    """One e-mail to ``person`` about ``items`` ((step, state) pairs), delivering the claimed ``rows``."""

    person: object
    items: list[tuple[str, SectionFreshnessState]] = field(default_factory=list)
    rows: list[models.Model] = field(default_factory=list)


def recipient_language(person, school) -> str:
    profile = getattr(person, "wagtail_userprofile", None)
    preferred = getattr(profile, "preferred_language", "") if profile else ""
    return preferred if preferred in dict(settings.LANGUAGES) else school.default_language


def written_to(row) -> set[str]:
    """The addresses a claimed row's letters have already reached (an earlier run may have been killed)."""
    return {address.strip() for address in row.recipients.split(",") if address.strip()}


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


def _delivered(model: type[models.Model], letter: Letter, token: uuid.UUID, outstanding: dict) -> None:
    """Right after ``letter`` went: its address on each of its rows, and a row with no letter left is sent.

    Rows that end up alike (the same addresses, sent or not) are written by one statement: a letter's rows
    usually all are, so a letter costs one UPDATE, not one per section it names (issue 14).
    """
    address, now = letter.person.email, timezone.now()
    alike = defaultdict(list)
    for row in letter.rows:
        outstanding[row.pk].discard(address)
        row.recipients = ", ".join([*sorted(written_to(row)), address])
        row.sent_at = None if outstanding[row.pk] else now
        alike[(row.recipients, row.sent_at)].append(row.pk)
    with transaction.atomic() if len(alike) > 1 else contextlib.nullcontext():
        for (recipients, sent_at), pks in alike.items():
            model.objects.filter(pk__in=pks, claim=token).update(recipients=recipients, sent_at=sent_at)


def _lease_fresh(claimed_at: datetime.datetime | None) -> bool:
    """Whether a claim made at ``claimed_at`` is certainly still this run's: nobody takes rows over before their
    lease has passed, so for the first half of it (a margin for clocks that differ between workers) there is
    nothing to renew or check, which saves an UPDATE per letter in a scan (issue 14). An unknown time is not."""
    if claimed_at is None:
        return False
    return timezone.now() - claimed_at < datetime.timedelta(seconds=settings.COMPLIANCE_REMINDER_LEASE_SECONDS / 2)


def letters_send(
    *,
    model: type[models.Model],
    token: uuid.UUID,
    rows: list,
    letters: list[Letter],
    school,
    hostname: str,
    claimed_at: datetime.datetime | None = None,
) -> list[str]:
    """Send ``letters`` one by one, for the ``rows`` this run claimed with ``token`` (at ``claimed_at``, if the
    caller knows it); returns the addresses written.

    A row is sent once its last letter has gone; a row nobody is to receive (no one responsible, or an earlier
    run reached everyone) is marked sent before anything goes. Past the first half of the lease, each letter's
    rows have their lease renewed just before it goes, and a letter whose rows were taken over is skipped.
    """
    outstanding = defaultdict(set)
    for letter in letters:
        for row in letter.rows:
            outstanding[row.pk].add(letter.person.email)
    nobody_left = [row.pk for row in rows if not outstanding[row.pk]]
    model.objects.filter(pk__in=nobody_left, claim=token).update(sent_at=timezone.now())
    written = []
    with get_connection() as connection:  # one connection to the mail server for the batch
        for letter in letters:
            renewed = _lease_fresh(claimed_at) or claim_renew(model, pks=[row.pk for row in letter.rows], token=token)
            if not renewed:
                continue
            message = stale_letter(school=school, hostname=hostname, person=letter.person, items=letter.items)
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused:
                # The server refuses this address for good: trying again cannot help, and stopping here would
                # leave everyone after it unreached (and the sweeps retrying the same letter forever). The row
                # stops waiting on it; the log names it, for someone to correct the person's address.
                logger.warning("The mail server refused %s; the letter is dropped", letter.person.email)
                _delivered(model, letter, token, outstanding)
                continue
            _delivered(model, letter, token, outstanding)
            written.append(letter.person.email)
    return written
