"""Digests: weekly to each school's site administrator, daily to the regional office (clause 1.2, 5.5).

Each digest is claimed per recipient and period before it is sent (``DigestDelivery``, compliance.deliveries):
a second beat, a retried task or a scan run twice finds the claim and sends nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from compliance.deliveries import digest_claim, digest_deliver, digest_period_sent
from compliance.escalation import REGION_STEP
from compliance.freshness import school_freshness
from compliance.letters import recipient_language
from compliance.models import DigestDelivery, Reminder
from regulation import catalogue
from regulation.roles import Role
from tenants.current import current_school
from tenants.hosts import absolute_url, active_school_hostname


def week_of(now: datetime.datetime) -> str:
    """The weekly digest's period: the ISO week, e.g. ``2026-W36``."""
    year, week, _day = timezone.localdate(now).isocalendar()
    return f"{year}-W{week:02d}"


def day_of(now: datetime.datetime) -> str:
    """The regional digest's period: the local day."""
    return timezone.localdate(now).isoformat()


def weekly_digest_send(*, now: datetime.datetime) -> int:
    """To each site administrator of the active school: stale sections, submissions and findings waiting.
    Returns how many e-mails this run sent."""
    school = current_school()
    states = school_freshness(now=now, opened_at=school.created_at)
    stale = [state for state in states if state.stale_since]
    pending = sum(state.pending_reviews for state in states)
    findings = sum(state.findings_waiting for state in states)
    if not (stale or pending or findings):
        return 0
    administrators = {
        person.email: person
        for person in get_user_model()
        .objects.filter(is_active=True, groups__name=Role.SITE_ADMINISTRATOR.value)
        .exclude(email="")
        .select_related("wagtail_userprofile")
    }
    deliveries = digest_claim(
        kind=DigestDelivery.Kind.WEEKLY, school=school, period=week_of(now), recipients=list(administrators)
    )
    link = absolute_url(active_school_hostname(), "/admin/")
    sent = 0
    with get_connection() as connection:
        for delivery in deliveries:
            person = administrators[delivery.recipient]
            with translation.override(recipient_language(person, school)):
                context = {
                    "person": person,
                    "school": school.name,
                    "stale": [(catalogue.section(state.code), state) for state in stale],
                    "pending": pending,
                    "findings": findings,
                    "link": link,
                }
                subject = _("This week on the website of %(school)s") % {"school": school.name}
                body = render_to_string("email/weekly_digest.txt", context)
            sent += digest_deliver(connection, delivery, EmailMessage(subject, body, None, [person.email]))
    return sent


def _regional_digest(due: list[Reminder], now: datetime.datetime) -> tuple[str, str]:
    subjects, bodies = [], []
    for language in settings.MESSAGE_LANGUAGES:  # the office reads Kazakh and Russian, like the invitations
        with translation.override(language):
            rows = [(reminder, catalogue.section(reminder.section_code)) for reminder in due]
            subjects.append(_("Stale sections in the region: %(count)d") % {"count": len(due)})
            bodies.append(render_to_string("email/regional_digest.txt", {"rows": rows, "now": now}))
    return " / ".join(subjects), "\n\n----------\n\n".join(bodies)


def regional_digest_send(*, now: datetime.datetime) -> int:
    """To each of the regional office's staff, once a day: every section that reached the region's step
    (public schema). Returns how many sections the digest this run sent listed (0: it sent none)."""
    due = list(
        Reminder.objects.filter(step=REGION_STEP, sent_at__isnull=True)
        .select_related("school")
        .order_by("school__district", "school__name_kk", "section_code")
    )
    staff = sorted(
        set(
            get_user_model()
            .objects.filter(is_active=True, is_staff=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    if not due or not staff:
        return 0
    period = day_of(now)
    deliveries = digest_claim(kind=DigestDelivery.Kind.REGIONAL, school=None, period=period, recipients=staff)
    subject, body = _regional_digest(due, now)
    with get_connection() as connection:
        sent = sum(
            digest_deliver(connection, delivery, EmailMessage(subject, body, None, [delivery.recipient]))
            for delivery in deliveries
        )
    # The sections are reported once every member of the staff has had the digest; the run that sent the
    # last one marks those it listed (a run killed before that leaves them for the next day's digest).
    if sent and digest_period_sent(kind=DigestDelivery.Kind.REGIONAL, school=None, period=period, recipients=staff):
        Reminder.objects.filter(pk__in=[reminder.pk for reminder in due], sent_at__isnull=True).update(
            sent_at=now, recipients=", ".join(staff)
        )
    return len(due) if sent else 0
