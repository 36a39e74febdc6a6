"""Every section answers on the school's host, in Kazakh, Russian and English (clauses 1.1, 1.3)."""

import pytest
from django.utils import translation
from django_tenants.utils import schema_context

from school_sections import catalogue


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
            assert str(entry.title) in response.content.decode(), entry.code


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
