"""Clauses 1.2, 5.5: each digest reaches each person once per period, however many runs send it at the same
time (two beats, a retried task, a scan run twice): runs in threads with their own database connections, on
committed data, as separate workers would."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.digests import regional_digest_send, weekly_digest_send
from compliance.models import DigestDelivery, Reminder
from regulation.roles import Role

LATER = datetime.timedelta(days=400)  # every section of a freshly provisioned school is stale by then


def _at_once(runs: int, send) -> list[int]:
    """Call ``send`` in ``runs`` threads released together; each thread has its own database connection."""
    barrier, results, errors = threading.Barrier(runs), [], []

    def run():
        try:
            barrier.wait()
            results.append(send())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.fixture
def committed(session_schools, django_db_blocker):
    """School "alpha" as committed data (no test transaction: the threads must see it); the rows the digests
    write are removed afterwards."""
    alpha = session_schools["alpha"].school
    with django_db_blocker.unblock():
        yield alpha
        connection.set_schema_to_public()
        DigestDelivery.objects.filter(Q(school=alpha) | Q(school__isnull=True)).delete()
        Reminder.objects.filter(school=alpha).delete()
        # Not deleted: a user's deletion would look for its rows in school tables the public schema lacks.
        get_user_model().objects.filter(username__startswith="digest-office").update(is_active=False, is_staff=False)


def test_three_simultaneous_weekly_digests_and_a_second_beat_send_each_administrator_one(committed):
    now = timezone.now() + LATER

    def weekly():
        with schema_context(committed.schema_name):
            return weekly_digest_send(now=now)

    with schema_context(committed.schema_name):
        administrators = set(
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.SITE_ADMINISTRATOR.value)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    assert administrators
    mail.outbox.clear()
    assert sum(_at_once(3, weekly)) == len(administrators)
    assert weekly() == 0  # a second beat, later the same week
    received = [address for message in mail.outbox for address in message.to]
    assert sorted(received) == sorted(administrators)
    sent = DigestDelivery.objects.filter(kind="weekly", school=committed, sent_at__isnull=False)
    assert set(sent.values_list("recipient", flat=True)) == administrators
    with schema_context(committed.schema_name):  # a new week, a new digest
        assert weekly_digest_send(now=now + datetime.timedelta(days=7)) == len(administrators)


def test_parallel_regional_digests_send_each_officer_one_and_report_each_section_once(committed):
    User = get_user_model()
    officers = {"digest-office-1@region.kz", "digest-office-2@region.kz"}
    for number, address in enumerate(sorted(officers), start=1):
        User.objects.create_user(f"digest-office-{number}", email=address, is_staff=True)
    episode = timezone.now() - datetime.timedelta(days=40)
    for code in ("news", "events"):
        Reminder.objects.create(
            school=committed, section_code=code, step="region", episode=episode, claimed_at=episode
        )
    mail.outbox.clear()

    results = _at_once(3, lambda: regional_digest_send(now=timezone.now()))
    assert sorted(results) == [0, 0, 2]  # one run sent it, listing both sections
    assert regional_digest_send(now=timezone.now()) == 0  # a run after them: nothing left to report
    to_officers = [address for message in mail.outbox for address in message.to if address in officers]
    assert sorted(to_officers) == sorted(officers)  # one each
    assert not Reminder.objects.filter(school=committed, step="region", sent_at__isnull=True).exists()
