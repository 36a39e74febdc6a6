"""Each message once: a row claimed before a message is sent and marked sent right after it is handed to the
mail server, for the reminders (``Reminder``, ``RemindNowRequest``) and the digests (``DigestDelivery``).

A claim is a token written on the row with the time (``claimed_at``); it is a lease. Before each message its
run renews the lease and checks that the row is still its own, so a run that stalled past its lease stops
instead of racing the run that took its rows over; a run killed mid-batch leaves only its unsent rows, which
the next run takes once the lease has passed (``COMPLIANCE_REMINDER_LEASE_SECONDS``). So only the message in
flight when a process is killed, accepted by the mail server but not yet marked, can be sent twice: e-mail
cannot be made exactly-once beyond that. Leases run on the clock, not on the ``now`` a scan reasons with.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.utils import timezone

from compliance.models import DigestDelivery


def lease_start() -> datetime.datetime:
    """Rows claimed before this moment and still unsent were abandoned: their run is gone."""
    return timezone.now() - datetime.timedelta(seconds=settings.COMPLIANCE_REMINDER_LEASE_SECONDS)


def claim_renew(model: type[models.Model], *, pks: list[int], token: uuid.UUID) -> bool:
    """Renew the lease on ``pks`` just before sending their message: False if any of them is no longer this
    run's to send (taken over, or sent)."""
    renewed = model.objects.filter(pk__in=pks, claim=token, sent_at__isnull=True).update(claimed_at=timezone.now())
    return renewed == len(set(pks))


def digest_claim(*, kind: str, school, period: str, recipients: list[str]) -> list[DigestDelivery]:
    """Claim the digest ``kind`` of ``period`` for each of ``recipients`` that nobody has sent or is sending
    (one insert, one take-over, one read); returns the deliveries this run is to send."""
    token, now = uuid.uuid4(), timezone.now()
    addresses = sorted(set(recipients))
    DigestDelivery.objects.bulk_create(
        [
            DigestDelivery(kind=kind, school=school, recipient=address, period=period, claim=token, claimed_at=now)
            for address in addresses
        ],
        ignore_conflicts=True,  # another run's claim stands: it sends that one
    )
    of_period = DigestDelivery.objects.filter(kind=kind, school=school, period=period, sent_at__isnull=True)
    of_period.filter(recipient__in=addresses, claimed_at__lt=lease_start()).update(claim=token, claimed_at=now)
    return list(of_period.filter(claim=token).order_by("recipient"))


def digest_deliver(connection, delivery: DigestDelivery, message: EmailMessage) -> bool:
    """Send one claimed digest and mark it sent at once; False (nothing sent) if the claim was lost."""
    if not claim_renew(DigestDelivery, pks=[delivery.pk], token=delivery.claim):
        return False
    connection.send_messages([message])
    DigestDelivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(sent_at=timezone.now())
    return True


def digest_period_sent(*, kind: str, school, period: str, recipients: list[str]) -> bool:
    """Whether every one of ``recipients`` has had the digest ``kind`` of ``period``."""
    sent = DigestDelivery.objects.filter(kind=kind, school=school, period=period, sent_at__isnull=False)
    return set(recipients) <= set(sent.filter(recipient__in=recipients).values_list("recipient", flat=True))
