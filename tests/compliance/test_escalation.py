"""Clauses 1.2, 5.4, 5.7: a stale section's chase, step by step, each reminder exactly once."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone
from django_tenants.utils import schema_context

from compliance.digests import regional_digest_send, weekly_digest_send
from compliance.models import LedgerEntry, Reminder
from compliance.services import school_scan
from regulation.roles import Role
from school_sections.models import NewsIndexPage, NewsPage
from workflows.models import SectionFreshness
from workflows.services import responsibility_set, section_reviewed

START = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)
PERIOD = 10  # days: the news section's update period in this school


@pytest.fixture
def stale_news(make_school):
    """A school whose news section (period 10 days) was last published on START, with a teacher for it."""
    provisioned = make_school(subdomain="chase")
    with schema_context(provisioned.school.schema_name):
        User = get_user_model()
        teacher = User.objects.create_user("teacher@chase.kz", email="teacher@chase.kz")
        teacher.groups.add(Group.objects.get(name=Role.EDITORIAL_MEMBER.value))
        news = NewsIndexPage.objects.get()
        responsibility_set(section=news, people=[teacher])
        SectionFreshness.objects.create(section=news, period_days=PERIOD)
        with time_machine.travel(START, tick=False):
            news.save_revision().publish()
            for page in NewsPage.objects.all():  # the provisioned site has no news yet; keep it so
                page.unpublish()
        yield provisioned, news


def _scan_on(day: int, *, minutes: int = 60):
    mail.outbox.clear()
    with time_machine.travel(START + datetime.timedelta(days=day, minutes=minutes), tick=False):
        school_scan(now=timezone.now())
    return {address for message in mail.outbox for address in message.to}


def _people(role):
    return {user.email for user in get_user_model().objects.filter(groups__name=role.value)}


def test_5_7_each_step_of_the_chase_on_its_day_and_exactly_once(stale_news, make_school):
    provisioned, _news = stale_news
    with schema_context(provisioned.school.schema_name):
        assert _scan_on(PERIOD - 1) == set()  # not stale yet
        assert _scan_on(PERIOD) == {"teacher@chase.kz"}
        assert _scan_on(PERIOD) == set()  # the same scan again: nothing twice
        assert _scan_on(PERIOD + 6) == set()
        assert _scan_on(PERIOD + 7) == _people(Role.SITE_ADMINISTRATOR)
        assert _scan_on(PERIOD + 14) == _people(Role.DIRECTOR)
        assert _scan_on(PERIOD + 29) == set()
        assert _scan_on(PERIOD + 30) == set()  # the region's step waits for the office's digest
        entry = LedgerEntry.objects.get(school=provisioned.school, section_code="news")
        assert entry.stale_since == START + datetime.timedelta(days=PERIOD)
        assert entry.responsible_count == 1

    with schema_context("public"):
        office = get_user_model().objects.create_user("office-digest", email="office@region.kz", is_staff=True)
        mail.outbox.clear()
        assert regional_digest_send(now=timezone.now()) == 1
        (digest,) = mail.outbox
        assert digest.to == [office.email] and "Новости, " in digest.body  # the news section, by its title
        assert regional_digest_send(now=timezone.now()) == 0  # sent once
    reminders = Reminder.objects.filter(school=provisioned.school)
    assert {reminder.step for reminder in reminders} == {"responsible", "administrator", "director", "region"}
    assert all(reminder.sent_at for reminder in reminders) and reminders.count() == 4


def test_an_update_stops_the_chase_and_a_new_episode_starts_over(stale_news):
    provisioned, news = stale_news
    with schema_context(provisioned.school.schema_name):
        assert _scan_on(PERIOD) == {"teacher@chase.kz"}
        with time_machine.travel(START + datetime.timedelta(days=PERIOD + 2), tick=False):
            news.save_revision().publish()
        assert _scan_on(PERIOD + 7) == set()  # no administrator's step: the section was updated
        entry = LedgerEntry.objects.get(school=provisioned.school, section_code="news")
        assert entry.stale_since is None
        assert _scan_on(2 * PERIOD + 2) == {"teacher@chase.kz"}  # stale again: a new episode


def test_reviewed_still_accurate_also_stops_it(stale_news):
    provisioned, news = stale_news
    with schema_context(provisioned.school.schema_name):
        _scan_on(PERIOD)
        with time_machine.travel(START + datetime.timedelta(days=PERIOD + 1), tick=False):
            section_reviewed(section=news, by=get_user_model().objects.get(email="teacher@chase.kz"))
        assert _scan_on(PERIOD + 7) == set()


def test_a_worker_killed_between_claim_and_send_is_taken_over_once(stale_news):
    provisioned, _news = stale_news
    stale_since = START + datetime.timedelta(days=PERIOD)
    with schema_context(provisioned.school.schema_name):
        # A run claimed the teacher's reminder a minute ago and is still sending: leave it.
        Reminder.objects.create(
            school=provisioned.school,
            section_code="news",
            step="responsible",
            episode=stale_since,
            claimed_at=START + datetime.timedelta(days=PERIOD, minutes=59),
        )
        assert _scan_on(PERIOD) == set()
        # An hour later that run is gone (killed): the next scan sends it, and only once.
        Reminder.objects.filter(step="responsible").update(claimed_at=stale_since - datetime.timedelta(hours=1))
        assert _scan_on(PERIOD) == {"teacher@chase.kz"}
        assert _scan_on(PERIOD) == set()
        assert Reminder.objects.get(step="responsible").sent_at is not None


class ProcessKilled(BaseException):
    """A kill: no ``except Exception`` runs, nothing after the point of death."""


class MailServerThenKill(locmem.EmailBackend):
    """The mail server accepts the first message of the batch; then the worker is killed."""

    def send_messages(self, messages):
        if mail.outbox:
            raise ProcessKilled()
        return super().send_messages(messages)


def test_a_worker_killed_mid_batch_sends_each_delivered_letter_once(stale_news, settings):
    """Clauses 5.4, 5.7: a reminder reaching two people; the worker dies after the first e-mail. The next scan
    after the lease writes only to the second; the first is never written to twice."""
    provisioned, news = stale_news
    lease_minutes = settings.COMPLIANCE_REMINDER_LEASE_SECONDS // 60
    with schema_context(provisioned.school.schema_name):
        User = get_user_model()
        second = User.objects.create_user("second@chase.kz", email="second@chase.kz")
        responsibility_set(section=news, people=[User.objects.get(email="teacher@chase.kz"), second])
        settings.EMAIL_BACKEND = f"{__name__}.MailServerThenKill"
        with pytest.raises(ProcessKilled):
            _scan_on(PERIOD)
        ((delivered,),) = [message.to for message in mail.outbox]
        reminder = Reminder.objects.get(step="responsible")
        assert reminder.sent_at is None and reminder.recipients == delivered  # marked right after its e-mail

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert _scan_on(PERIOD, minutes=60 + lease_minutes - 1) == set()  # the killed run's lease still holds
        remaining = {"teacher@chase.kz", "second@chase.kz"} - {delivered}
        assert _scan_on(PERIOD, minutes=60 + 2 * lease_minutes) == remaining
        assert _scan_on(PERIOD, minutes=60 + 4 * lease_minutes) == set()
        reminder.refresh_from_db()
        assert reminder.sent_at is not None
        assert set(reminder.recipients.split(", ")) == {"teacher@chase.kz", "second@chase.kz"}


def test_a_run_whose_lease_was_taken_over_sends_nothing_more(stale_news):
    """A run that stalled past its lease finds its rows taken over before its next e-mail, and stops."""
    import uuid

    from compliance.letters import Letter, letters_send

    provisioned, _news = stale_news
    with schema_context(provisioned.school.schema_name):
        _scan_on(PERIOD)
        reminder = Reminder.objects.get(step="responsible")
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=None, recipients="")
        reminder.refresh_from_db()  # now held by another run's token
        mail.outbox.clear()
        teacher = get_user_model().objects.get(email="teacher@chase.kz")
        written = letters_send(
            model=Reminder,
            token=uuid.uuid4(),  # this run's, no longer on the row
            rows=[reminder],
            letters=[Letter(teacher, items=[], rows=[reminder])],
            school=provisioned.school,
            hostname=provisioned.hostname,
        )
        assert written == [] and mail.outbox == []


def test_reminders_link_to_the_schools_host_in_the_recipients_language(stale_news):
    provisioned, news = stale_news
    with schema_context(provisioned.school.schema_name):
        teacher = get_user_model().objects.get(email="teacher@chase.kz")
        from wagtail.users.models import UserProfile

        UserProfile.get_for_user(teacher).__class__.objects.filter(user=teacher).update(preferred_language="ru")
        _scan_on(PERIOD)
        (message,) = mail.outbox
        assert f"http://chase.edu.test/admin/sections/{news.pk}/freshness/" in message.body
        assert "Раздел" in message.subject or "раздел" in message.subject.lower()


def test_the_weekly_digest_tells_the_administrator_what_waits(stale_news):
    provisioned, _news = stale_news
    with schema_context(provisioned.school.schema_name):
        with time_machine.travel(START + datetime.timedelta(days=PERIOD + 3), tick=False):
            assert weekly_digest_send(now=timezone.now()) == len(_people(Role.SITE_ADMINISTRATOR))
        body = mail.outbox[-1].body
        assert "- Жаңалықтар (" in body and "http://chase.edu.test/admin/" in body  # in the school's language (kk)
        assert "Жаңартуды қажет ететін бөлімдер" in body


def test_a_person_in_both_roles_gets_each_section_once(stale_news):
    """The head who is also the site administrator (a school provisioned without a separate one)."""
    provisioned, news = stale_news
    with schema_context(provisioned.school.schema_name):
        head = get_user_model().objects.get(groups__name=Role.DIRECTOR.value)
        head.groups.add(Group.objects.get(name=Role.SITE_ADMINISTRATOR.value))
        _scan_on(PERIOD)
        assert head.email in _scan_on(PERIOD + 7)
        (letter,) = [message for message in mail.outbox if message.to == [head.email]]
        assert letter.body.count(f"/admin/sections/{news.pk}/freshness/") == 1


class MailServerRefusingOneAddress(locmem.EmailBackend):
    """A mail server that refuses one recipient for good (as Django's SMTP backend reports it) and takes the rest."""

    def send_messages(self, messages):
        import smtplib

        for message in messages:
            if "refused@chase.kz" in message.to:
                raise smtplib.SMTPRecipientsRefused({"refused@chase.kz": (550, b"5.1.1 No such user")})
        return super().send_messages(messages)


def test_an_address_the_mail_server_refuses_does_not_stop_the_letters_after_it(stale_news, settings, caplog):
    """Clauses 5.4, 5.7: letters go in a fixed order; one refused address must not leave the rest unreached, nor
    keep the reminder open to be retried for ever."""
    provisioned, news = stale_news
    with schema_context(provisioned.school.schema_name):
        User = get_user_model()
        refused = User.objects.create_user("refused@chase.kz", email="refused@chase.kz")
        after = User.objects.create_user("zz-after@chase.kz", email="zz-after@chase.kz")
        responsibility_set(section=news, people=[refused, User.objects.get(email="teacher@chase.kz"), after])
        settings.EMAIL_BACKEND = f"{__name__}.MailServerRefusingOneAddress"
        with caplog.at_level("WARNING", logger="compliance.letters"):
            assert _scan_on(PERIOD) == {"teacher@chase.kz", "zz-after@chase.kz"}
        assert "refused refused@chase.kz" in caplog.text
        assert Reminder.objects.get(step="responsible").sent_at is not None
        assert _scan_on(PERIOD, minutes=600) == set()  # not retried


def _reminder_statements(queries) -> list[str]:
    return [query["sql"].split()[0] for query in queries if "compliance_reminder" in query["sql"]]


def test_a_scan_claims_in_one_statement_and_marks_each_letter_once(stale_news):
    """Issue 14: the claim is one statement whatever the number of reminders, and a claim made a moment ago is
    not renewed before each letter (nobody can take it over within its lease): claim, then one mark a letter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    provisioned, _news = stale_news
    with schema_context(provisioned.school.schema_name), CaptureQueriesContext(connection) as queries:
        assert _scan_on(PERIOD) == {"teacher@chase.kz"}
    assert _reminder_statements(queries) == ["WITH", "UPDATE"]
    assert Reminder.objects.get(step="responsible").sent_at is not None


@pytest.mark.parametrize("ours", [True, False])
def test_past_half_its_lease_a_run_checks_its_claim_before_each_letter(stale_news, settings, ours):
    """Past the first half of the lease the rows may be taken over soon: each letter renews them first, and a
    run whose rows were taken over (another token on them) sends nothing."""
    import uuid

    from compliance.letters import Letter, letters_send

    provisioned, _news = stale_news
    with schema_context(provisioned.school.schema_name):
        _scan_on(PERIOD)
        token = uuid.uuid4()
        Reminder.objects.filter(step="responsible").update(sent_at=None, recipients="", claim=token)
        reminder = Reminder.objects.get(step="responsible")
        mail.outbox.clear()
        teacher = get_user_model().objects.get(email="teacher@chase.kz")
        claimed_at = timezone.now() - datetime.timedelta(seconds=settings.COMPLIANCE_REMINDER_LEASE_SECONDS * 0.6)
        written = letters_send(
            model=Reminder,
            token=token if ours else uuid.uuid4(),
            claimed_at=claimed_at,
            rows=[reminder],
            letters=[Letter(teacher, items=[], rows=[reminder])],
            school=provisioned.school,
            hostname=provisioned.hostname,
        )
        reminder.refresh_from_db()
        if ours:
            assert written == ["teacher@chase.kz"] and reminder.sent_at is not None
            assert reminder.claimed_at > claimed_at  # renewed before the letter
        else:
            assert written == [] and mail.outbox == [] and reminder.sent_at is None


def test_recipients_by_role_and_by_section_come_in_one_query(stale_news, django_assert_num_queries):
    from workflows.selectors import section_recipients

    provisioned, news = stale_news
    with schema_context(provisioned.school.schema_name):
        head = get_user_model().objects.get(groups__name=Role.DIRECTOR.value)
        head.groups.add(Group.objects.get(name=Role.SITE_ADMINISTRATOR.value))
        responsibility_set(section=news, people=[get_user_model().objects.get(email="teacher@chase.kz"), head])
        get_user_model().objects.create_user("gone@chase.kz", email="gone@chase.kz", is_active=False).groups.add(
            Group.objects.get(name=Role.DIRECTOR.value)
        )
        with django_assert_num_queries(1):
            recipients = section_recipients(section_ids=[news.pk], roles=[Role.DIRECTOR, Role.SITE_ADMINISTRATOR])
            emails = {key: [person.email for person in people] for key, people in recipients.by_role.items()}
            responsible = sorted(person.email for person in recipients.responsible[news.pk])
            languages = {
                person.wagtail_userprofile.preferred_language
                for person in recipients.responsible[news.pk]
                if hasattr(person, "wagtail_userprofile")
            }
        assert head.email in emails[Role.DIRECTOR.value] and head.email in emails[Role.SITE_ADMINISTRATOR.value]
        assert "gone@chase.kz" not in emails[Role.DIRECTOR.value]
        assert responsible == sorted(["teacher@chase.kz", head.email])
        assert languages <= {"", "kk", "ru", "en"}


def test_recipients_of_no_section_are_the_role_holders_alone(stale_news):
    from workflows.selectors import section_recipients

    provisioned, _news = stale_news
    with schema_context(provisioned.school.schema_name):
        recipients = section_recipients(section_ids=[], roles=[Role.SITE_ADMINISTRATOR])
        assert {person.email for person in recipients.by_role[Role.SITE_ADMINISTRATOR.value]} == _people(
            Role.SITE_ADMINISTRATOR
        )
        assert not recipients.responsible
