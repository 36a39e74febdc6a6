"""The console without rough edges (issue 17, point 3): links on the platform's real port, "Add a school",
the missing items named, the badges explained, a reason field per action."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from compliance.models import LedgerEntry
from compliance.remind import remind_now_send
from compliance.services import school_scan
from school_sections.models import NewsIndexPage
from tenants.models import RegionalAction
from tests.factories import console_client, school_form_fields
from workflows.services import responsibility_set


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-polish")


def _page(office, school, language="en") -> str:
    return office.get(f"/schools/{school.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


# a. Every generated link follows the platform's port


def test_the_consoles_links_and_the_reminders_follow_the_platforms_port(office, make_school, settings):
    settings.PLATFORM_PORT = 8123
    provisioned = make_school(subdomain="porty")
    with schema_context(provisioned.school.schema_name):
        teacher = get_user_model().objects.create_user("t@porty.kz", email="t@porty.kz")
        responsibility_set(section=NewsIndexPage.objects.get(), people=[teacher])
        school_scan(now=timezone.now())
        from django.conf import settings as live

        assert str(live.WAGTAILADMIN_BASE_URL) == "http://porty.edu.test:8123"  # Wagtail's notification e-mails
    overview = office.get("/", {"q": provisioned.school.bin}).content.decode()
    assert 'href="http://porty.edu.test:8123/"' in overview and 'href="http://porty.edu.test:8123/admin/"' in overview
    page = _page(office, provisioned.school)
    assert 'href="http://porty.edu.test:8123/"' in page and 'href="http://porty.edu.test:8123/admin/"' in page

    office.post(f"/schools/{provisioned.school.pk}/remind/")
    mail.outbox.clear()
    with schema_context(provisioned.school.schema_name):
        remind_now_send(now=timezone.now() + datetime.timedelta(days=400))
    links = {link for message in mail.outbox for link in re.findall(r"https?://[^\s\"<>]+", message.body)}
    assert links and all(link.startswith("http://porty.edu.test:8123/") for link in links), links


# b. "Add a school" is what creates one


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Add a school"), ("ru", "Добавить школу"), ("kk", "Мектеп қосу")]
)
def test_the_button_and_the_form_say_add_a_school(office, language, words):
    overview = office.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'href="/schools/new/">{words}</a>' in overview
    form = office.get("/schools/new/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{words}</h1>" in form and f"<title>{words}</title>" in form
    assert "Open a school site" not in overview + form


def test_the_audit_trail_says_a_school_was_added(office, django_capture_on_commit_callbacks):
    from provisioning.models import SchoolOpening
    from provisioning.school_opening import school_opening_run

    office.post("/schools/new/", school_form_fields(subdomain="added-one"))
    with django_capture_on_commit_callbacks(execute=True):
        school_opening_run(SchoolOpening.objects.get().pk)  # what the worker runs
    action = RegionalAction.objects.get(action=RegionalAction.Action.OPEN)
    assert action.get_action_display() == "added a school"
    assert "added a school" in office.get("/audit/").content.decode()
    assert "мектеп қосылды" in office.get("/audit/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()


# c. The missing items are named, in the visitor's language


def test_a_schools_page_names_what_is_missing_in_the_visitors_language(office, make_school):
    provisioned = make_school(subdomain="gaps")
    with schema_context(provisioned.school.schema_name), translation.override("kk"):  # a worker speaking Kazakh
        school_scan(now=timezone.now())
    documents = LedgerEntry.objects.get(school=provisioned.school, section_code="3.1.3")
    # Kept as source messages, whatever the language the scan ran in; as many as the count says.
    assert "licence document missing" in documents.missing and "charter document missing" in documents.missing
    assert documents.missing_count == len(documents.missing)
    for language in ("en", "ru", "kk"):
        page = _page(office, provisioned.school, language)
        with translation.override(language):
            expected = [translation.gettext(item) for item in documents.missing]
        for item in expected:
            assert f"<li>{item}</li>" in page, (language, item)
        assert "item missing" not in page and "items missing" not in page
    assert "licence document missing" not in _page(office, provisioned.school, "ru")


def test_a_ledger_row_from_before_the_names_still_says_how_many(office, make_school):
    provisioned = make_school(subdomain="oldrow")
    with schema_context(provisioned.school.schema_name):
        school_scan(now=timezone.now())
    LedgerEntry.objects.filter(school=provisioned.school).update(missing=[])  # as the migration left old rows
    page = _page(office, provisioned.school)
    assert "items missing" in page and "named after the next daily scan" in page


# d. The badges are explained


@pytest.mark.parametrize(
    ("language", "legend"),
    [
        ("en", "submissions wait for the site administrator's review"),
        ("ru", "материала ждут рассмотрения администратором сайта"),
        ("kk", "материал сайт әкімшісінің қарауын күтуде"),
    ],
)
def test_the_waiting_badge_is_explained_in_words_and_in_a_legend(office, school, language, legend):
    with schema_context(school.school.schema_name):
        school_scan(now=timezone.now())
    LedgerEntry.objects.filter(school=school.school, section_code="news").update(pending_reviews=2, findings_waiting=1)
    overview = office.get("/", {"q": school.school.bin}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert legend in overview  # the legend under the table
    assert 'aria-describedby="schools-legend"' in overview and 'id="schools-legend"' in overview
    badge = re.search(
        r'<span class="waiting" aria-hidden="true" title="([^"]+)">2 · <strong class="badge">1 ⚑', overview
    )
    assert badge, "the figures are hidden from screen readers, which read the words instead"
    hidden = re.search(r'<span class="visually-hidden">([^<]+)</span>', overview[badge.end() :]).group(1)
    assert hidden == badge.group(1), (hidden, badge.group(1))
    pending, findings = hidden.split("; ")
    assert pending.startswith("2 ") and " 1 " in f" {findings}"
    page = _page(office, school.school, language)
    assert legend in page and "⚑" in page


# e. A reason field per action


def test_each_action_has_its_own_form_and_labelled_reason(office, make_school):
    provisioned = make_school(subdomain="forms")
    page = _page(office, provisioned.school)
    forms = re.findall(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    by_action = {action.rsplit("/", 2)[-2]: body for action, body in forms}
    assert "reason" not in by_action["remind"]  # reminding needs no reason
    assert '<label for="suspend-reason">Why the site is suspended:</label>' in by_action["suspend"]
    assert 'id="suspend-reason"' in by_action["suspend"] and "Suspend the site" in by_action["suspend"]
    assert page.count('name="reason"') == 1


def test_an_empty_reason_is_shown_by_its_field_and_a_long_one_is_kept(office, make_school, client_for):
    provisioned = make_school(subdomain="noreason")
    url = f"/schools/{provisioned.school.pk}"
    response = office.post(f"{url}/suspend/", {"reason": "   "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write why the site is suspended" in body and 'aria-invalid="true"' in body
    long_reason = "Licence withdrawn by the ministry; " * 40  # over the 1,000 characters a reason may have
    body = office.post(f"{url}/suspend/", {"reason": long_reason}).content.decode()
    assert "Licence withdrawn by the ministry; Licence withdrawn" in body  # what was typed is still there
    assert not RegionalAction.objects.filter(school=provisioned.school, action="suspend").exists()
    assert client_for(provisioned.hostname).get("/").status_code == 200  # nothing was done

    office.post(f"{url}/suspend/", {"reason": "Licence withdrawn"})
    page = _page(office, provisioned.school)
    assert '<label for="restore-reason">Why the site is put back online:</label>' in page
    response = office.post(f"{url}/restore/", {"reason": ""})
    assert "Write why the site is put back online" in response.content.decode()
    assert client_for(provisioned.hostname).get("/").status_code == 503  # still suspended
