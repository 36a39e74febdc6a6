"""Every section answers on the school's host, in Kazakh, Russian and English (clauses 1.1, 1.3)."""

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from regulation import catalogue


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_home_and_every_provisioned_section_answer_in_each_language(school, client_for, language):
    client = client_for(school.hostname, language=language)
    home = client.get("/")
    assert home.status_code == 200
    assert f'lang="{language}"' in home.content.decode()
    for entry in catalogue.PROVISIONED:
        response = client.get(f"/{entry.slug}/")
        assert response.status_code == 200, entry.code
        with translation.override(language):
            assert f"<h1>{entry.title}</h1>" in response.content.decode(), entry.code


def test_the_home_page_links_every_mandatory_section(school, client_for):
    body = client_for(school.hostname).get("/").content.decode()
    for entry in catalogue.MANDATORY:
        assert f'href="/{entry.slug}/"' in body


def test_text_missing_in_the_visitors_language_is_shown_in_another_and_says_so(make_school, client_for):
    from school_sections.models import ContactsPage

    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        page = ContactsPage.objects.get()
        page.intro_ru = "<p>Приёмная работает по будням.</p>"
        page.save_revision().publish()
    body = client_for(provisioned.hostname, language="en").get("/contacts/").content.decode()
    assert "Приёмная работает по будням." in body
    assert "This text is not available in your language" in body
    ru_body = client_for(provisioned.hostname, language="ru").get("/contacts/").content.decode()
    assert "not available" not in ru_body


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_news_events_and_optional_sections_answer_in_each_language(make_school, client_for, language):
    from demo.content import demo_content_fill
    from school_sections.models import EventPage, NewsPage, SchoolHomePage
    from school_sections.services import section_enable

    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        demo_content_fill()
        section_enable(home=SchoolHomePage.objects.get(), code="3.2.4")
        paths = ["/creative-works/", NewsPage.objects.first().url, EventPage.objects.first().url, "/search/?q=school"]
    client = client_for(provisioned.hostname, language=language)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{language}">' in response.content.decode(), path


def test_the_schools_default_language_is_shown_when_the_visitors_is_missing(make_school, client_for):
    from school_sections.models import ContactsPage
    from tenants.services import school_default_language_set

    provisioned = make_school()
    with schema_context(provisioned.school.schema_name):
        page = ContactsPage.objects.get()
        page.intro_kk, page.intro_ru = "<p>Қабылдау бөлмесі</p>", "<p>Приёмная</p>"
        page.save_revision().publish()
    body = client_for(provisioned.hostname, language="en").get("/contacts/").content.decode()
    assert "Қабылдау бөлмесі" in body and 'lang="kk"' in body  # Kazakh is the default default
    school_default_language_set(school=provisioned.school, language="ru")
    body = client_for(provisioned.hostname, language="en").get("/contacts/").content.decode()
    assert "Приёмная" in body and "Қабылдау бөлмесі" not in body
