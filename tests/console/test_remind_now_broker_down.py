"""The office's "Remind now" while the job system (Redis, the broker) is down: no server error, the office's
action and its request are recorded, the page says the reminders will go out when the jobs are back, and the
sweep sends them once then, once. A real connection failure (nothing listens on the port), not a mock."""

import contextlib
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.models import RemindNowRequest
from compliance.tasks import waiting_reminders_sweep
from regional_platform.celery import app
from school_sections.models import NewsIndexPage
from tenants.models import RegionalAction, School
from tests.factories import console_client, school_create
from workflows.models import SectionFreshness
from workflows.services import responsibility_set

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the connection is refused


def _fresh_broker_connections() -> None:
    """Drop the app's pooled broker connections, so that the next message opens one to the current URL."""
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def broker_unreachable():
    live = app.conf.broker_url
    with override_settings(CELERY_BROKER_URL=DEAD_BROKER):
        app.conf.broker_url = DEAD_BROKER
        _fresh_broker_connections()
        try:
            yield
        finally:
            app.conf.broker_url = live
            _fresh_broker_connections()


@pytest.fixture
def stale_school(session_schools, django_db_blocker):
    """A committed school (the worker has its own connection) whose news section is stale, with a teacher."""
    with django_db_blocker.unblock():
        provisioned = school_create(subdomain="remind-down")
        with schema_context(provisioned.school.schema_name):
            news = NewsIndexPage.objects.get()
            SectionFreshness.objects.create(section=news, period_days=3)
            NewsIndexPage.objects.filter(pk=news.pk).update(last_published_at=timezone.now() - datetime.timedelta(5))
            teacher = get_user_model().objects.create_user("teacher@remind-down.kz", email="teacher@remind-down.kz")
            responsibility_set(section=news, people=[teacher])
        connection.set_schema_to_public()
    yield provisioned.school
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        School.objects.get(pk=provisioned.school.pk).delete(force_drop=True)


@pytest.fixture
def office(client_for, django_db_blocker):
    with django_db_blocker.unblock():
        client = console_client(client_for, "office-broker-down")
    yield client
    with django_db_blocker.unblock():  # kept, not deleted (its deletion would look into school tables)
        get_user_model().objects.filter(pk=client.user.pk).update(is_active=False, is_staff=False)


def test_remind_now_with_the_broker_down_is_recorded_and_sent_once_when_it_is_back(stale_school, office, worker):
    with broker_unreachable():
        response = office.post(f"/schools/{stale_school.pk}/remind/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "the reminders will go out as soon as the background jobs are back" in page
    assert "waiting for the background jobs" in page
    assert RegionalAction.objects.filter(school=stale_school, action="remind", actor="office-broker-down").count() == 1
    request = RemindNowRequest.objects.get(school=stale_school)
    assert request.requested_by == "office-broker-down" and request.sent_at is None and request.claim is None
    assert mail.outbox == []

    # The broker is back; a few minutes later the sweep finds the waiting request and its job sends it.
    five_minutes_earlier = F("requested_at") - datetime.timedelta(minutes=5)
    RemindNowRequest.objects.filter(pk=request.pk).update(requested_at=five_minutes_earlier)
    swept = worker.wait_for_fan_out(waiting_reminders_sweep.delay())
    assert [task.state for task in swept] == ["SUCCESS"]
    assert worker.wait_for_fan_out(waiting_reminders_sweep.delay()) == []  # nothing waits any more
    assert [message.to for message in mail.outbox] == [["teacher@remind-down.kz"]]
    request.refresh_from_db()
    assert request.sent_at is not None and request.recipients == "teacher@remind-down.kz"
    page = office.get(f"/schools/{stale_school.pk}/").content.decode()
    assert "sent to 1 person" in page and "waiting for the background jobs" not in page
