"""Digests: weekly to each school's site administrator, daily to the regional office (clause 1.2, 5.5)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from compliance.escalation import REGION_STEP, recipient_language
from compliance.freshness import school_freshness
from compliance.models import Reminder
from regulation import catalogue
from regulation.roles import Role
from tenants.current import current_school
from tenants.hosts import absolute_url, active_school_hostname


def weekly_digest_send(*, now: datetime.datetime) -> int:
    """To each site administrator of the active school: stale sections, submissions and findings waiting."""
    school = current_school()
    states = school_freshness(now=now, opened_at=school.created_at)
    stale = [state for state in states if state.stale_since]
    pending = sum(state.pending_reviews for state in states)
    findings = sum(state.findings_waiting for state in states)
    if not (stale or pending or findings):
        return 0
    administrators = (
        get_user_model().objects.filter(is_active=True, groups__name=Role.SITE_ADMINISTRATOR.value).exclude(email="")
    )
    link = absolute_url(active_school_hostname(), "/admin/")
    for person in administrators:
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
            send_mail(subject, render_to_string("email/weekly_digest.txt", context), None, [person.email])
    return len(administrators)


def regional_digest_send(*, now: datetime.datetime) -> int:
    """One e-mail to the regional office with every section that reached the region's step (public schema)."""
    due = list(
        Reminder.objects.filter(step=REGION_STEP, sent_at__isnull=True)
        .select_related("school")
        .order_by("school__district", "school__name_kk", "section_code")
    )
    staff = list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not due or not staff:
        return 0
    subjects, bodies = [], []
    for language in settings.MESSAGE_LANGUAGES:  # the office reads Kazakh and Russian, like the invitations
        with translation.override(language):
            rows = [(reminder, catalogue.section(reminder.section_code)) for reminder in due]
            subjects.append(_("Stale sections in the region: %(count)d") % {"count": len(due)})
            bodies.append(render_to_string("email/regional_digest.txt", {"rows": rows, "now": now}))
    send_mail(" / ".join(subjects), "\n\n----------\n\n".join(bodies), None, staff)
    Reminder.objects.filter(pk__in=[reminder.pk for reminder in due]).update(sent_at=now, recipients=", ".join(staff))
    return len(due)
