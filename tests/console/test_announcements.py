"""Region-wide announcements: a banner on the schools of the chosen districts, in the visitor's language,
from its start to its end."""

import datetime

import pytest
from django.utils import timezone

from console.services.announcements import announcement_end, announcement_publish
from tenants.models import Announcement, RegionalAction
from tests.factories import console_client


@pytest.fixture
def office(db, client_for):
    return console_client(client_for, "office-news")


def _publish(districts, starts=-1, ends=24):
    now = timezone.now()
    return announcement_publish(
        text_kk="Бүгін сабақ жоқ: аяз.",
        text_ru="Сегодня занятий нет: мороз.",
        text_en="No classes today: frost.",
        districts=districts,
        starts_at=now + datetime.timedelta(hours=starts),
        ends_at=now + datetime.timedelta(hours=ends),
        actor="office-news",
    )


def test_the_banner_shows_on_the_chosen_districts_in_the_visitors_language(
    school, other_school, make_school, client_for, django_capture_on_commit_callbacks
):
    elsewhere = make_school(subdomain="elsewhere", district="Ayagoz")
    with django_capture_on_commit_callbacks(execute=True):
        _publish(["Semey"])
    assert "No classes today: frost." in client_for(school.hostname).get("/").content.decode()
    assert "Сегодня занятий нет" in client_for(other_school.hostname, language="ru").get("/").content.decode()
    assert "frost" not in client_for(elsewhere.hostname).get("/").content.decode()
    assert RegionalAction.objects.filter(action="announce", actor="office-news").exists()


def test_the_banner_keeps_to_its_time(school, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        future = _publish([], starts=2, ends=5)
    assert "frost" not in client_for(school.hostname).get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        announcement_end(announcement=future, actor="office-news")
        current = _publish([])
    assert "frost" in client_for(school.hostname).get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        announcement_end(announcement=current, actor="office-news")
    assert "frost" not in client_for(school.hostname).get("/").content.decode()


def test_the_console_refuses_an_end_before_the_start(office):
    response = office.post(
        "/announcements/",
        {
            "text_kk": "Мәтін",
            "text_ru": "Текст",
            "starts_at": "2026-12-01T10:00",
            "ends_at": "2026-12-01T09:00",
        },
    )
    assert "The end must come after the start." in response.content.decode()
    assert not Announcement.objects.exists()
    ok = office.post(
        "/announcements/",
        {"text_kk": "Мәтін", "text_ru": "Текст", "starts_at": "2026-12-01T10:00", "ends_at": "2026-12-02T10:00"},
    )
    assert ok.status_code == 302 and Announcement.objects.get().districts == []


def test_an_announcement_is_screened_like_any_publication(office):
    """It reaches every school's site (issue 18, point 7): findings stop it until the office says why."""
    from tests.workflows.conftest import prohibited_example

    form = {
        "text_kk": "Ертең сабақ жоқ.",
        "text_ru": prohibited_example("3.3.5", "ru"),
        "starts_at": "2026-12-01T10:00",
        "ends_at": "2026-12-02T10:00",
    }
    refused = office.post("/announcements/", form).content.decode()
    assert "possible breach of clause 3.3.5" in refused
    assert "why it may be published anyway" in refused
    assert prohibited_example("3.3.5", "ru")[:30] in refused  # what was typed stays in the form
    assert not Announcement.objects.exists()

    reason = "The region's own partner for the winter camp, approved by the department."
    assert office.post("/announcements/", {**form, "screening_reason": reason}).status_code == 302
    assert Announcement.objects.count() == 1
    assert reason in RegionalAction.objects.get(action="announce").reason
